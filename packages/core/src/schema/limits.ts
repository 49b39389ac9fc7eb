/**
 * Limits a capacity plan never reaches but that keep every computation finite: the engine's
 * work grows with replicas, workers, servers, shards and services, and its special functions
 * are only exercised (limits.test.ts) up to these values. A document past one is refused with
 * the path of the value (`services[0].serviceTimeCv: at most 10…`), never run. The core README
 * ("Limits") lists them for users; change them there too.
 */
export const LIMITS = {
  /** Smallest own time, ms (1 ns): below it the latency lattice's step underflows. */
  minTimeMs: 1e-6,
  /** Own times, query times, external latencies, cache hit times, ms (one hour). */
  timeMs: 3_600_000,
  /** Network delays per call, ms (one minute). */
  networkMs: 60_000,
  /** serviceTimeCv, queryTimeCv, latencyCv. */
  cv: 10,
  /** Workers per service replica (Erlang C is stable to 10,000). */
  workers: 10_000,
  /** services[].queueLimit: requests waiting at one replica (the M/M/c/K state space grows with it). */
  queueLimit: 100_000,
  /** calls[].retries and traffic[].retries (each retry multiplies the worst-case load once more). */
  retries: 10,
  /** backoffMultiplier: each backoff at most this many times the one before. */
  backoffMultiplier: 10,
  /** services[].maxInFlight: requests one replica holds at once (Erlang B is stable far beyond it). */
  maxInFlight: 1_000_000,
  /** Replicas of one bundle in one zone. */
  replicasPerZone: 1_000,
  /** Replicas of all bundles in all zones together (the per-replica figures grow with it). */
  totalReplicas: 20_000,
  /** nats[].serversPerZone. */
  serversPerZone: 64,
  /** Cores per replica, vCPU per shard. */
  cpu: 1_024,
  memoryMiB: 16 * 1024 * 1024,
  /** maxConnections per shard, poolPerReplica. */
  connections: 1_000_000,
  /** traffic[].rps, maxMsgsPerSecPerServer, and the load any one service receives. */
  rps: 1e9,
  /** calls[].perRequest. */
  perRequest: 1_000,
  /** v3: publishes[].payloadBytes (NATS's default max_payload is 1 MiB; its hard cap 64 MiB). */
  payloadBytes: 64 * 1024 * 1024,
  /** v3: streams[].maxAgeSeconds (ten years). */
  streamAgeSeconds: 10 * 365 * 86_400,
  /** v3: streams[].maxBytes (1 PiB) and maxMsgs. */
  streamBytes: 2 ** 50,
  streamMsgs: 1e15,
  /** v3: consumers[].maxAckPending and batch. */
  maxAckPending: 1_000_000,
  /** v3: streams[], consumers[], publishes and subscriptions per service. */
  streams: 1_000,
  consumers: 1_000,
  publishesPerService: 100,
  /** cache keySpace and entriesPerReplica. */
  keySpace: 1e12,
  zipf: 10,
  /** v3 over time: a traffic profile's factor (× the item's rps) and a timeline's days. */
  profileFactor: 1_000,
  timelineDays: 31,
  /** v3 over time: autoscalePolicies[] and timeline[] events. */
  autoscalePolicies: 32,
  timelineEvents: 1_000,
  /** Issue 20: scenarios[] (each a full engine run when compared) and the changes of one scenario. */
  scenarios: 32,
  scenarioChanges: 1_000,
  /** A traffic zone share (shares are relative). */
  share: 1e6,
  /** An SLO limit, ms (a day). */
  sloMs: 86_400_000,
  zones: 24,
  /** classes[] (the multi-class chain grows with them) and |priority|. */
  classes: 8,
  priority: 1_000,
  /** States of one replica's multi-class chain solved exactly (engine/classes.ts); larger ones are approximated. */
  classStates: 5_000,
  services: 1_000,
  bundles: 1_000,
  databases: 100,
  shardsPerDatabase: 256,
  externals: 1_000,
  nats: 16,
  traffic: 1_000,
  slo: 1_000,
  callsPerService: 100,
  endpointsPerService: 1_000,
  layout: 10_000,
  /** Characters in a service name (a DNS name's limit). */
  serviceName: 253,
  /** Characters in any other name and the document's name. */
  name: 200,
} as const;
