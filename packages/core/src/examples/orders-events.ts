import type { TopologyInput } from '../schema/topology.ts';

/**
 * Async messaging (issue 18; the seeds' NATS tutorial: "push slow work off the request path onto
 * a queue", pub/sub fan-out, JetStream persistence). The order service takes 400 orders/s and,
 * per order, publishes one `orders.created` event (1 KiB) without waiting for anyone but the
 * stream's publish ack. JetStream stream ORDERS (R3, file storage, seven days) captures it; the
 * durable pull consumer `fulfil` is a pool of fulfilment workers (3 zones × 2 replicas × 4
 * workers at 12 ms). The same subject fans out over core NATS to two subscribers: email (one
 * copy per service, shared by its replicas) and the search index.
 */
export const ordersEvents: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Orders with events',
  zones: [
    { name: 'us-east-1a', region: 'us-east-1' },
    { name: 'us-east-1b', region: 'us-east-1' },
    { name: 'us-east-1c', region: 'us-east-1' },
  ],
  network: { natsHopMs: 0.13, crossZoneMs: 1.0, crossRegionMs: 30, shortCircuitMs: 0.014, dbCallMs: 0.5 },
  routing: 'locality',
  nats: [{ name: 'nats', region: 'us-east-1', serversPerZone: 1, maxMsgsPerSecPerServer: 2_000_000 }],
  services: [
    { name: 'http.ingress.core', serviceTimeMs: 0.5, workers: 2, calls: [{ to: 'orders.example' }] },
    {
      name: 'orders.example',
      serviceTimeMs: 6,
      workers: 4,
      calls: [{ to: 'db:orders' }],
      publishes: [{ subject: 'orders.created', perRequest: 1, payloadBytes: 1024, ack: true }],
    },
    { name: 'fulfilment.example', serviceTimeMs: 12, workers: 4 },
    { name: 'email.example', serviceTimeMs: 3, workers: 4, subscribes: [{ subject: 'orders.created', serviceTimeMs: 8 }] },
    { name: 'search.example', serviceTimeMs: 2, workers: 2, subscribes: [{ subject: 'orders.*', serviceTimeMs: 1.5 }] },
  ],
  databases: [{ name: 'orders', shards: [{ name: 'orders-0', vcpu: 4, maxConnections: 200 }], queryTimeMs: 2, poolPerReplica: 10 }],
  bundles: [
    { name: 'ingress', services: ['http.ingress.core'], replicas: { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 }, cpu: 2 },
    { name: 'orders', services: ['orders.example'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 4 },
    { name: 'fulfilment', services: ['fulfilment.example'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 4 },
    {
      name: 'notify',
      services: ['email.example', 'search.example'],
      replicas: { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 },
      cpu: 4,
    },
  ],
  traffic: [{ entry: 'http.ingress.core', rps: 400 }],
  slo: [{ entry: 'http.ingress.core', p99Ms: 60 }],
  streams: [{ name: 'ORDERS', subjects: ['orders.>'], replicas: 3, storage: 'file', retention: 'limits', maxAgeSeconds: 7 * 86_400 }],
  consumers: [
    { name: 'fulfil', stream: 'ORDERS', service: 'fulfilment.example', mode: 'pull', workers: 4, maxAckPending: 1000, ackWaitMs: 30_000, batch: 10 },
  ],
};
