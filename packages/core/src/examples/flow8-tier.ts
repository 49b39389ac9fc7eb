import type { TopologyInput } from '../schema/topology.ts';

/**
 * A flow8-style stateless tier (the flow8 seed): identical instances behind a load
 * balancer, each with its own in-memory cache (`perReplica`: adding instances does not
 * grow the cache, so its hit rate stays 0.38 however many run), all on one sharded
 * MongoDB-like database. Each instance opens a pool of 100 connections: six instances need
 * 600 and the shards accept 500 — the connection budget the engine flags (flow8's own
 * guidance: scale MongoDB when the pool runs out). Ingress is uneven (40/35/25 %).
 * The load balancer sends each request to the instance with the fewest in flight (nginx
 * `least_conn`: `routing: least-connections`) and each instance holds at most 100 requests
 * at once, its channel pool (`maxInFlight: 100`): at today's load the pool is never close to
 * full, but past an instance's capacity (a lost zone at peak) it turns the overload into
 * 429s instead of an unbounded queue. Its one scenario moves the sessions service into a bundle
 * of its own (issue 20).
 */
export const flow8Tier: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'flow8 stateless tier',
  zones: [
    { name: 'eu-west-1a', region: 'eu-west-1' },
    { name: 'eu-west-1b', region: 'eu-west-1' },
    { name: 'eu-west-1c', region: 'eu-west-1' },
  ],
  routing: 'locality',
  nats: [{ name: 'nats', region: 'eu-west-1', serversPerZone: 1, maxMsgsPerSecPerServer: 1_500_000 }],
  services: [
    {
      name: 'lb.flow8',
      serviceTimeMs: 0.5,
      serviceTimeCv: 1,
      workers: 1,
      calls: [{ to: 'api.flow8', perRequest: 1 }],
    },
    {
      name: 'api.flow8',
      serviceTimeMs: 10,
      serviceTimeCv: 1.2,
      workers: 2,
      // nginx `least_conn` in front of the instances, and flow8's channel pool (CHANNEL_POOL_SIZE=100).
      routing: 'least-connections',
      maxInFlight: 100,
      cache: { scope: 'perReplica', entriesPerReplica: 20_000, keySpace: 400_000, zipf: 0.8, hitTimeMs: 1 },
      calls: [
        { to: 'db:mongo', perRequest: 3 },
        { to: 'sessions.flow8', perRequest: 1 },
      ],
    },
    {
      name: 'sessions.flow8',
      serviceTimeMs: 1,
      serviceTimeCv: 1,
      workers: 1,
      calls: [{ to: 'db:mongo', perRequest: 1 }],
    },
  ],
  bundles: [
    { name: 'lb', services: ['lb.flow8'], replicas: { 'eu-west-1a': 1, 'eu-west-1b': 1, 'eu-west-1c': 1 }, cpu: 0.5, memoryMiB: 128 },
    {
      name: 'flow8',
      services: ['api.flow8', 'sessions.flow8'],
      replicas: { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 2 },
      cpu: 2,
      memoryMiB: 2048,
      autoscale: { min: 2, max: 6, targetUtilization: 0.6 },
    },
  ],
  databases: [
    {
      name: 'mongo',
      shards: [
        { name: 'rs0', vcpu: 8, maxConnections: 200 },
        { name: 'rs1', vcpu: 8, maxConnections: 200 },
        { name: 'rs2', vcpu: 4, maxConnections: 100 },
      ],
      queryTimeMs: 2,
      queryTimeCv: 1,
      poolPerReplica: 100,
    },
  ],
  traffic: [{ entry: 'lb.flow8', rps: 900, zones: { 'eu-west-1a': 0.4, 'eu-west-1b': 0.35, 'eu-west-1c': 0.25 } }],
  slo: [{ entry: 'lb.flow8', p99Ms: 200 }],
  // Issue 20: a variant to compare with the base (`busboard compare example:flow8-tier --scenario base --scenario own-bundle-sessions`).
  scenarios: [
    {
      name: 'own-bundle-sessions',
      description: 'sessions.flow8 in its own bundle of small replicas',
      changes: [
        { op: 'replace', path: '/bundles/flow8/services', value: ['api.flow8'] },
        {
          op: 'add',
          path: '/bundles/sessions',
          value: {
            name: 'sessions',
            services: ['sessions.flow8'],
            replicas: { 'eu-west-1a': 1, 'eu-west-1b': 1, 'eu-west-1c': 1 },
            cpu: 0.5,
            memoryMiB: 256,
          },
        },
      ],
    },
  ],
};
