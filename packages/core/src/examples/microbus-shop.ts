import type { TopologyInput } from '../schema/topology.ts';

/**
 * A Microbus-style system (the Microbus seed): an HTTP ingress and six services in three
 * bundles across three zones of one region, a Foreman on a 4-shard database, and a
 * catalog with Microbus's distributed cache (capacity grows with its replicas).
 * The shop bundle is spread unevenly (3/3/2) on purpose: with locality routing each zone's
 * traffic stays in its zone, so the two zone-c replicas carry half as much again as the others
 * (web at ρ 0.6 there against 0.4 elsewhere) although total capacity is ample — the engine
 * warns about the hot replicas. Workers are sized to the cores (ρ and CPU agree).
 */
export const microbusShop: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Microbus shop',
  zones: [
    { name: 'us-east-1a', region: 'us-east-1' },
    { name: 'us-east-1b', region: 'us-east-1' },
    { name: 'us-east-1c', region: 'us-east-1' },
  ],
  network: { natsHopMs: 0.13, crossZoneMs: 1.0, crossRegionMs: 30, shortCircuitMs: 0.014, dbCallMs: 0.5 },
  routing: 'locality',
  nats: [{ name: 'nats', region: 'us-east-1', serversPerZone: 1, maxMsgsPerSecPerServer: 2_000_000 }],
  services: [
    {
      name: 'http.ingress.core',
      serviceTimeMs: 0.5,
      serviceTimeCv: 1,
      workers: 1,
      calls: [{ to: 'web.example', perRequest: 1 }],
    },
    {
      name: 'web.example',
      serviceTimeMs: 6,
      serviceTimeCv: 1,
      workers: 2,
      calls: [
        { to: 'catalog.example', perRequest: 2 },
        { to: 'cart.example', perRequest: 0.3 },
      ],
      endpoints: ['/', '/product', '/cart'],
    },
    {
      name: 'catalog.example',
      serviceTimeMs: 4,
      serviceTimeCv: 1,
      workers: 1,
      cache: { scope: 'distributed', entriesPerReplica: 5000, keySpace: 200_000, zipf: 0.9, hitTimeMs: 0.3 },
      calls: [{ to: 'inventory.example', perRequest: 1 }],
    },
    {
      name: 'inventory.example',
      serviceTimeMs: 2,
      serviceTimeCv: 1,
      workers: 1,
      calls: [],
    },
    {
      name: 'cart.example',
      serviceTimeMs: 3,
      serviceTimeCv: 1,
      workers: 1,
      calls: [{ to: 'foreman.core', perRequest: 1 }],
    },
    {
      name: 'foreman.core',
      serviceTimeMs: 5,
      serviceTimeCv: 1,
      workers: 2,
      // A workflow step loads state, appends a step record, evaluates transitions and saves.
      calls: [{ to: 'db:flows', perRequest: 4 }],
    },
  ],
  externals: [],
  bundles: [
    { name: 'ingress', services: ['http.ingress.core'], replicas: { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }, cpu: 1, memoryMiB: 256 },
    {
      name: 'shop',
      services: ['web.example', 'catalog.example', 'inventory.example', 'cart.example'],
      replicas: { 'us-east-1a': 3, 'us-east-1b': 3, 'us-east-1c': 2 },
      cpu: 4,
      memoryMiB: 1024,
    },
    { name: 'foreman', services: ['foreman.core'], replicas: { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 }, cpu: 2, memoryMiB: 512 },
  ],
  databases: [
    {
      name: 'flows',
      shards: [
        { name: 'flows-0', vcpu: 4, maxConnections: 200 },
        { name: 'flows-1', vcpu: 4, maxConnections: 200 },
        { name: 'flows-2', vcpu: 4, maxConnections: 200 },
        { name: 'flows-3', vcpu: 4, maxConnections: 200 },
      ],
      queryTimeMs: 2,
      queryTimeCv: 1,
      poolPerReplica: 20,
    },
  ],
  traffic: [{ entry: 'http.ingress.core', rps: 1200 }],
  slo: [{ entry: 'http.ingress.core', p95Ms: 60, p99Ms: 120 }],
};
