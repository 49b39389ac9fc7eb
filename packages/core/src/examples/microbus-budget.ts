import type { TopologyInput } from '../schema/topology.ts';

/**
 * Microbus's time budget and ack-or-fail-fast under a zone failure (the Microbus seed: "overload
 * manifests as fast failures rather than queue buildup"). The ingress gives every request 1 s
 * (Microbus's httpingress `TimeBudget` is 20 s by default; a shop sets less), each bus hop
 * reserves 250 ms and an unacknowledged call fails after 250 ms (the connector's defaults).
 *
 * Three zones run orders at ρ 0.75. Fail one zone (us-east-1c): its traffic moves to the other
 * two and orders' four surviving replicas sit at ρ 1.1 — without the budget that is "saturated:
 * no latency", a line that grows without end. With it, requests leave the line at their
 * deadline: a finite timeout rate, and successful requests that finish inside the budget.
 * Recommendations ran only in us-east-1c: with that zone gone no replica acks their calls, which
 * fail after the 250 ms ack timeout rather than after the whole budget.
 */
export const microbusBudget: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Microbus time budgets',
  zones: [
    { name: 'us-east-1a', region: 'us-east-1' },
    { name: 'us-east-1b', region: 'us-east-1' },
    { name: 'us-east-1c', region: 'us-east-1' },
  ],
  network: { natsHopMs: 0.13, crossZoneMs: 1.0, crossRegionMs: 30, shortCircuitMs: 0.014, dbCallMs: 0.5, ackTimeoutMs: 250, timeBudgetHopMs: 250 },
  routing: 'locality',
  nats: [{ name: 'nats', region: 'us-east-1', serversPerZone: 1, maxMsgsPerSecPerServer: 2_000_000 }],
  services: [
    { name: 'http.ingress.core', serviceTimeMs: 0.5, workers: 2, calls: [{ to: 'api.example' }] },
    {
      name: 'api.example',
      serviceTimeMs: 4,
      workers: 4,
      calls: [{ to: 'orders.example' }, { to: 'recs.example', perRequest: 0.2 }],
    },
    { name: 'orders.example', serviceTimeMs: 20, workers: 4, onTimeout: 'stop' },
    { name: 'recs.example', serviceTimeMs: 5, workers: 2 },
  ],
  bundles: [
    { name: 'ingress', services: ['http.ingress.core'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 2 },
    { name: 'api', services: ['api.example'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 4 },
    { name: 'orders', services: ['orders.example'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 4 },
    { name: 'recs', services: ['recs.example'], replicas: { 'us-east-1c': 2 }, cpu: 2 },
  ],
  traffic: [{ entry: 'http.ingress.core', rps: 900, timeBudgetMs: 1000 }],
  slo: [{ entry: 'http.ingress.core', p99Ms: 300, maxTimeoutRate: 0.01 }],
};
