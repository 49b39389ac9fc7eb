/**
 * The topology document, schema `busboard.topology/v2` (MODEL.md §1, plus the v2 fields the
 * core README lists: bounded queues `services[].queueLimit` / `rejectWith` and the rejection
 * budget `slo[].maxRejectionRate`). v1 documents are migrated on the way in (migrations.ts).
 *
 * One zod definition serves the web app, the API's tRPC inputs, the CLI and the engine.
 * `TopologyInput` is what a user writes; `Topology` is the same document with every
 * default filled in, which is what the engine reads.
 */
import { z } from 'zod';

export const SCHEMA_V1 = 'busboard.topology/v1';
export const SCHEMA_V2 = 'busboard.topology/v2';
export const CURRENT_SCHEMA = SCHEMA_V2;

import { LIMITS } from './limits.ts';

const positive = () => z.number().finite().positive();
const nonNegative = () => z.number().finite().nonnegative();
const positiveInt = () => z.number().int().positive();
const nonNegativeInt = () => z.number().int().nonnegative();
const name = () => z.string().trim().min(1, 'must not be empty');
/** A bound no capacity plan reaches, which keeps every computation finite (limits.ts; core README, "Limits"). */
const upTo = <T extends z.ZodNumber>(schema: T, max: number, unit = '') =>
  schema.max(max, `at most ${max.toLocaleString('en-US')}${unit}: Busboard's limit (README "Limits"); a larger value is almost surely a typo`);
/** A time in ms: above 0, at least 1 ns, at most an hour. */
const time = () => upTo(positive().min(LIMITS.minTimeMs, `at least ${LIMITS.minTimeMs} ms (1 ns)`), LIMITS.timeMs, ' ms');
const cv = () => upTo(nonNegative(), LIMITS.cv);

export const Zone = z.strictObject({ name: name(), region: name() });

export const Network = z.strictObject({
  natsHopMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').default(0.13),
  crossZoneMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').default(1.0),
  crossRegionMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').default(30),
  shortCircuitMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').default(0.014),
  dbCallMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').default(0.5),
  /**
   * v2 (time budgets): how long a caller waits for a callee's ack before the call fails (404
   * "ack timeout"). Absent: Microbus's 250 ms (connector.go `ackTimeout`). Only a call to a
   * queue group with no live subscriber waits it out: a live replica acks on receipt.
   */
  ackTimeoutMs: upTo(positive(), LIMITS.networkMs, ' ms').optional(),
  /**
   * v2 (time budgets): the budget each hop reserves, Microbus's connector `networkHop` (absent:
   * 250 ms). A call is not sent with this much or less left (408 at once), and a callee's
   * handler gets the budget it was sent minus this.
   */
  timeBudgetHopMs: upTo(nonNegative(), LIMITS.networkMs, ' ms').optional(),
});

export const NatsCluster = z.strictObject({
  name: name(),
  region: name(),
  serversPerZone: upTo(positiveInt(), LIMITS.serversPerZone).default(1),
  maxMsgsPerSecPerServer: upTo(positive(), LIMITS.rps, ' msgs/s').default(1_000_000),
});

/**
 * v2 (issue 17): a failed attempt (rejected by a full queue, or no live replica) is sent again up
 * to `retries` times, waiting `backoffMs` before the first retry and `backoffMultiplier` times
 * longer before each next one (no jitter). Absent: no retries (as in v1). engine/retries.ts.
 */
const retryFields = () => ({
  retries: upTo(nonNegativeInt(), LIMITS.retries).optional(),
  backoffMs: upTo(nonNegative(), LIMITS.timeMs, ' ms').optional(),
  backoffMultiplier: upTo(
    z.number().finite().min(1, 'at least 1 (each backoff is this many times the one before)'),
    LIMITS.backoffMultiplier,
  ).optional(),
});

export const Call = z.strictObject({
  /** A service name, `db:NAME` or `ext:NAME`. */
  to: name(),
  /** ⌊n⌋ calls plus one more with probability n − ⌊n⌋. */
  perRequest: upTo(positive(), LIMITS.perRequest).default(1),
  parallelGroup: name().optional(),
  ...retryFields(),
});

export const Cache = z.strictObject({
  scope: z.enum(['distributed', 'perReplica']).default('distributed'),
  entriesPerReplica: upTo(positiveInt(), LIMITS.keySpace),
  keySpace: upTo(positiveInt(), LIMITS.keySpace),
  zipf: upTo(nonNegative(), LIMITS.zipf).default(1),
  hitTimeMs: time(),
});

/**
 * v2: a traffic class (a tenant). `priority`: higher is served first when a worker frees
 * (non-preemptive); absent on every class = first come, first served among classes.
 */
/** The class of traffic that names none (and of every request in a document without classes). */
export const DEFAULT_CLASS = 'default';
/** Class names are identifiers: they appear in figures, CLI output and SLO messages. */
export const CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const CLASS_NAME_RULE = 'a letter or _ first, then letters, digits, _ or -';

export const TrafficClass = z.strictObject({
  name: name(),
  priority: upTo(z.number().int().min(-LIMITS.priority), LIMITS.priority).optional(),
});

/** v2: one class's admission limits at one replica of a service. */
export const Admission = z.strictObject({
  /** A name from `classes[]`. */
  class: name(),
  /** At most this many requests of the class waiting for a worker at one replica. */
  queueLimit: upTo(nonNegativeInt(), LIMITS.queueLimit).optional(),
  /** At most this many requests of the class holding workers at one replica at once. */
  maxInFlight: upTo(positiveInt(), LIMITS.workers).optional(),
});

export const Service = z.strictObject({
  name: name(),
  serviceTimeMs: time(),
  serviceTimeCv: cv().default(1),
  workers: upTo(positiveInt(), LIMITS.workers).default(1),
  calls: z.array(Call).default([]),
  cache: Cache.optional(),
  endpoints: z.array(name()).optional(),
  /**
   * v2: how many requests may wait at one replica beyond the `workers` it serves at once; an
   * arrival that finds them all taken is rejected at once. Absent: unbounded (as in v1).
   */
  queueLimit: upTo(nonNegativeInt(), LIMITS.queueLimit).optional(),
  /** v2: the status a rejected request gets (429 when absent); only with `queueLimit` or `maxInFlight`. */
  rejectWith: z.literal([429, 503]).optional(),
  /**
   * v2 traffic classes: per-class admission limits at one replica (a tenant's own line and
   * budget). Both these and the service-wide `queueLimit` apply; `queueLimit` is required with them.
   */
  admission: z.array(Admission).optional(),
  /**
   * v2 (time budgets): what a request's in-service work does when its deadline passes:
   * `finish` (absent; Go code that does not watch its context runs to the end, wasted work
   * holding the worker) or `stop` (the handler honours its context: the worker is freed at
   * the deadline). Either way the request has failed.
   */
  onTimeout: z.enum(['finish', 'stop']).optional(),
  /**
   * v2: requests one replica holds at once, from admission to its response, downstream waits
   * included (flow8's channel pool); an arrival that finds it full is rejected at once. Absent: no cap.
   */
  maxInFlight: upTo(positiveInt(), LIMITS.maxInFlight).optional(),
  /**
   * v2: how a caller picks this service's replica among those locality allows: absent = the NATS
   * queue group's random choice; `least-connections` = the one with the fewest requests in flight
   * (a load balancer in front of the tier), ties at random.
   */
  routing: z.literal(['least-connections']).optional(),
});

export const External = z.strictObject({
  name: name(),
  latencyMs: time(),
  latencyCv: cv().default(0),
});

export const Autoscale = z.strictObject({
  min: upTo(positiveInt(), LIMITS.totalReplicas),
  max: upTo(positiveInt(), LIMITS.totalReplicas),
  targetUtilization: positive().max(1),
});

export const Bundle = z.strictObject({
  name: name(),
  services: z.array(name()),
  /** zone name → replica count in that zone. */
  replicas: z.record(z.string(), upTo(nonNegativeInt(), LIMITS.replicasPerZone, ' per zone')),
  cpu: upTo(positive(), LIMITS.cpu, ' cores').default(1),
  memoryMiB: upTo(positive(), LIMITS.memoryMiB, ' MiB').default(256),
  image: name().optional(),
  autoscale: Autoscale.optional(),
});

export const Shard = z.strictObject({
  name: name(),
  vcpu: upTo(positiveInt(), LIMITS.cpu),
  maxConnections: upTo(positiveInt(), LIMITS.connections),
});

export const Database = z.strictObject({
  name: name(),
  shards: z.array(Shard).min(1, 'a database needs at least one shard'),
  queryTimeMs: time(),
  queryTimeCv: cv().default(1),
  poolPerReplica: upTo(positiveInt(), LIMITS.connections).default(10),
});

export const Traffic = z.strictObject({
  entry: name(),
  rps: upTo(positive(), LIMITS.rps, ' rps'),
  /** zone name → share; defaults to even over the zones where the entry's bundle runs. */
  zones: z.record(z.string(), upTo(positive(), LIMITS.share)).optional(),
  /** v2: the traffic class (tenant) of these requests, kept down the call graph; absent = the default class. */
  class: name().optional(),
  /**
   * v2: the time budget these requests carry from the ingress (Microbus's httpingress
   * `TimeBudget`, 20 s by default there). Absent: no budget (as in v1).
   */
  timeBudgetMs: time().optional(),
  /** v2: the clients' retries of a rejected request (a retry storm is usually client-driven). */
  ...retryFields(),
});

export const Slo = z.strictObject({
  entry: name(),
  p50Ms: upTo(positive(), LIMITS.sloMs, ' ms').optional(),
  p95Ms: upTo(positive(), LIMITS.sloMs, ' ms').optional(),
  p99Ms: upTo(positive(), LIMITS.sloMs, ' ms').optional(),
  /** v2: the most of the entry's requests that may fail by rejection (a fraction, 0.01 = 1 %). */
  maxRejectionRate: nonNegative().max(1, 'at most 1 (a fraction of the requests: 0.01 is 1 %)').optional(),
  /** v2: the SLO holds for this class's requests at the entry only (absent: all the entry's requests). */
  class: name().optional(),
  /** v2: the most of the entry's requests that may fail by running out of time budget (a fraction). */
  maxTimeoutRate: nonNegative().max(1, 'at most 1 (a fraction of the requests: 0.01 is 1 %)').optional(),
});

export const Position = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

export const TopologySchema = z.strictObject({
  schema: z.literal(SCHEMA_V2),
  name: z.string().default(''),
  zones: z.array(Zone).min(1, 'a design needs at least one zone'),
  network: Network.default(Network.parse({})),
  routing: z.enum(['locality', 'random']).default('locality'),
  /** v2: traffic classes (tenants); absent = one implicit default class, as in v1. */
  classes: z.array(TrafficClass).optional(),
  nats: z.array(NatsCluster).default([]),
  services: z.array(Service).default([]),
  externals: z.array(External).default([]),
  bundles: z.array(Bundle).default([]),
  databases: z.array(Database).default([]),
  traffic: z.array(Traffic).default([]),
  slo: z.array(Slo).default([]),
  layout: z.record(z.string(), Position).optional(),
});

export type Topology = z.output<typeof TopologySchema>;
export type TopologyInput = z.input<typeof TopologySchema>;
export type ZoneT = z.output<typeof Zone>;
export type ServiceT = z.output<typeof Service>;
export type CallT = z.output<typeof Call>;
export type BundleT = z.output<typeof Bundle>;
export type DatabaseT = z.output<typeof Database>;
export type ExternalT = z.output<typeof External>;
export type TrafficT = z.output<typeof Traffic>;
export type SloT = z.output<typeof Slo>;
export type TrafficClassT = z.output<typeof TrafficClass>;
export type AdmissionT = z.output<typeof Admission>;
export type CacheT = z.output<typeof Cache>;
export type NetworkT = z.output<typeof Network>;
export type NatsClusterT = z.output<typeof NatsCluster>;
