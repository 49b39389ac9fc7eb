import type { TopologyInput } from '../schema/topology.ts';

/**
 * The tutorial's checkout (the performance tutorial seed): edge → auth → cart →
 * (pricing ∥ inventory) → payment → an external payment processor, with a P95 budget of
 * 300 ms. The processor dominates the budget; the parallel group shows tail amplification.
 * One worker per service and about one core per busy service keep ρ and CPU telling the same
 * story: pricing is the busiest (ρ 0.4), the shop bundle's replicas near 55 % CPU.
 *
 * Over a day (issue 19): night at 30 %, the 07:00 rush to 100 % in three minutes; shop pods
 * start in 90 s and run at half pace for 30 s more. The HPA on CPU proposes a second shop pod
 * per zone only at 07:02 (CPU past 77 %), so at 07:03 one pod per zone carries the rush: P95
 * 321 ms analytic, 344 [330–359] ms in the DES (99 %; `busboard timeline example:checkout --des
 * --policy cpu --from 416 --to 432`). The HPA on in-flight requests (target 0.85) reads 1.77 at
 * 07:01 and asks for three pods per zone at once; its worst minute is 07:02, P95 283 ms analytic,
 * 289 [288–291] ms in the DES. A target of 1.2 asked for only two, and the second pod, serving
 * its full share at half pace while it warms, took 07:03 over the SLO in the DES (335 ms) — the
 * analytic mixture of warm and warming pods (timeline/warming.ts) says so too.
 */
export const checkout: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Checkout',
  zones: [
    { name: 'us-west-2a', region: 'us-west-2' },
    { name: 'us-west-2b', region: 'us-west-2' },
    { name: 'us-west-2c', region: 'us-west-2' },
  ],
  routing: 'locality',
  nats: [{ name: 'nats', region: 'us-west-2', serversPerZone: 1, maxMsgsPerSecPerServer: 1_000_000 }],
  services: [
    {
      name: 'edge.checkout',
      serviceTimeMs: 2,
      serviceTimeCv: 1,
      workers: 1,
      calls: [
        { to: 'auth.checkout', perRequest: 1 },
        { to: 'cart.checkout', perRequest: 1 },
      ],
    },
    { name: 'auth.checkout', serviceTimeMs: 3, serviceTimeCv: 1, workers: 1, calls: [] },
    {
      name: 'cart.checkout',
      serviceTimeMs: 5,
      serviceTimeCv: 1,
      workers: 1,
      calls: [
        { to: 'pricing.checkout', perRequest: 1, parallelGroup: 'quote' },
        { to: 'inventory.checkout', perRequest: 1, parallelGroup: 'quote' },
        { to: 'payment.checkout', perRequest: 1 },
      ],
    },
    { name: 'pricing.checkout', serviceTimeMs: 8, serviceTimeCv: 1, workers: 1, calls: [] },
    { name: 'inventory.checkout', serviceTimeMs: 6, serviceTimeCv: 1, workers: 1, calls: [] },
    {
      name: 'payment.checkout',
      serviceTimeMs: 4,
      serviceTimeCv: 1,
      workers: 1,
      calls: [{ to: 'ext:processor', perRequest: 1 }],
    },
  ],
  externals: [{ name: 'processor', latencyMs: 120, latencyCv: 0.5 }],
  bundles: [
    { name: 'edge', services: ['edge.checkout'], replicas: { 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 1 }, cpu: 1, memoryMiB: 256 },
    {
      name: 'shop',
      services: ['auth.checkout', 'cart.checkout', 'pricing.checkout', 'inventory.checkout'],
      replicas: { 'us-west-2a': 2, 'us-west-2b': 2, 'us-west-2c': 2 },
      cpu: 2,
      memoryMiB: 512,
      startup: { delaySeconds: 90, warmupSeconds: 30, warmupFactor: 2 },
    },
    { name: 'payments', services: ['payment.checkout'], replicas: { 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 1 }, cpu: 1, memoryMiB: 256 },
  ],
  traffic: [
    {
      entry: 'edge.checkout',
      rps: 300,
      profile: {
        shape: 'points',
        points: [
          { atMinute: 0, factor: 0.3 },
          { atMinute: 420, factor: 0.3 },
          { atMinute: 423, factor: 1 },
          { atMinute: 1200, factor: 1 },
          { atMinute: 1320, factor: 0.3 },
        ],
      },
    },
  ],
  slo: [{ entry: 'edge.checkout', p95Ms: 300 }],
  autoscalePolicies: [
    { name: 'cpu', description: 'HPA on CPU at 70 %', bundles: { shop: { min: 1, max: 10, targetUtilization: 0.7 } } },
    {
      name: 'in-flight',
      description: 'HPA on CPU at 70 % and on requests in flight, 0.85 per replica',
      bundles: { shop: { min: 1, max: 10, targetUtilization: 0.7, metric: 'inFlight', target: 0.85 } },
    },
  ],
};
