/**
 * The topology document, schema `busboard.topology/v3` (MODEL.md §1, plus the fields the core
 * README lists: v2's overload fields — bounded queues, classes, time budgets, retries, in-flight
 * caps — and v3's async messaging: `services[].publishes` / `subscribes`, `streams[]` and
 * `consumers[]`). v1 and v2 documents are migrated on the way in (migrations.ts).
 *
 * One zod definition serves the web app, the API's tRPC inputs, the CLI and the engine.
 * `TopologyInput` is what a user writes; `Topology` is the same document with every
 * default filled in, which is what the engine reads.
 */
import { z } from 'zod';

export const SCHEMA_V1 = 'busboard.topology/v1';
export const SCHEMA_V2 = 'busboard.topology/v2';
export const SCHEMA_V3 = 'busboard.topology/v3';
export const CURRENT_SCHEMA = SCHEMA_V3;

import { PriceBook } from './cost.ts';
import { LIMITS } from './limits.ts';
import { Autoscale, AutoscalePolicy, Startup, TimelineEvent, TrafficProfile } from './over-time.ts';
import { Scenario } from './scenarios.ts';

export { Autoscale } from './over-time.ts';

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

/**
 * v3 (issue 18): NATS subjects. A published subject is literal (tokens of letters, digits, `_`,
 * `-`, `$` separated by dots); a subscription's or a stream's subject may also hold `*` (one
 * token) and a final `>` (one or more tokens), as NATS reads them.
 */
export const PUBLISH_SUBJECT = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
export const SUBSCRIBE_SUBJECT = /^([A-Za-z0-9_$-]+|\*)(\.([A-Za-z0-9_$-]+|\*))*(\.>)?$|^>$/;
const publishSubject = () =>
  name().regex(
    PUBLISH_SUBJECT,
    'not a subject to publish on: dot-separated tokens of letters, digits, _, - or $ (no wildcards, no spaces), e.g. "orders.created"',
  );
const subscribeSubject = () =>
  name().regex(
    SUBSCRIBE_SUBJECT,
    'not a subject: dot-separated tokens of letters, digits, _, - or $, where a token may be * and the last may be >, e.g. "orders.*" or "orders.>"',
  );
/** JetStream stream and consumer names: no whitespace, dots, `*`, `>`, slashes (the server's own rule). */
export const JS_NAME = /^[^\s.*>/\\]+$/;
const jsName = () => name().regex(JS_NAME, 'JetStream refuses this name: no spaces, dots, *, >, / or \\');

/**
 * v3: events a service publishes while it handles one request (fire and forget: the request
 * does not wait for them), `perRequest` as calls count them. With `ack` and a stream capturing
 * the subject, the handler waits for the stream's publish ack (its stored write) before it replies.
 */
export const Publish = z.strictObject({
  subject: publishSubject(),
  perRequest: upTo(positive(), LIMITS.perRequest).default(1),
  payloadBytes: upTo(positiveInt(), LIMITS.payloadBytes, ' bytes').default(512),
  ack: z.boolean().optional(),
});

/**
 * v3: a core-NATS subscription of a service. Absent `delivery`: Microbus's way, one copy per
 * service shared by its replicas (a queue group named after the service); `replica`: every
 * replica gets its own copy (a plain subscription: cache invalidation, say). `queueGroup`: the
 * queue group's name when several services share one (one copy per group). The handler holds
 * one of the service's workers for `serviceTimeMs` (absent: the service's own) and makes no calls.
 */
export const Subscription = z.strictObject({
  subject: subscribeSubject(),
  delivery: z.enum(['service', 'replica']).optional(),
  queueGroup: name().optional(),
  serviceTimeMs: time().optional(),
  serviceTimeCv: cv().optional(),
});

/**
 * v3: a JetStream stream: the subjects it captures, R1/R3 (up to R5) replicas placed on the
 * NATS cluster's servers, storage, retention and limits (absent: unlimited, as JetStream's own
 * defaults). `cluster`: which of `nats[]` holds it (absent: the first).
 */
export const Stream = z.strictObject({
  name: jsName(),
  subjects: z.array(subscribeSubject()).min(1, 'a stream captures at least one subject'),
  replicas: upTo(positiveInt(), 5, ' (JetStream allows R1 to R5)').default(1),
  storage: z.enum(['file', 'memory']).default('file'),
  retention: z.enum(['limits', 'interest', 'workqueue']).default('limits'),
  maxAgeSeconds: upTo(positive(), LIMITS.streamAgeSeconds, ' s').optional(),
  maxBytes: upTo(positiveInt(), LIMITS.streamBytes, ' bytes').optional(),
  maxMsgs: upTo(positiveInt(), LIMITS.streamMsgs).optional(),
  cluster: name().optional(),
});

/**
 * v3: a durable (or ephemeral) JetStream consumer whose handlers run on `service`'s replicas:
 * `workers` concurrent handlers per replica (a pool of its own, beside the service's request
 * workers), at most `maxAckPending` messages unacknowledged at once (JetStream's default 1000),
 * redelivery of an unacknowledged message after `ackWaitMs` (default 30 s), `batch` messages per
 * pull. `failureRate`: the fraction of deliveries the handler does not ack (redelivered).
 */
export const Consumer = z.strictObject({
  name: jsName(),
  stream: name(),
  service: name(),
  filterSubject: subscribeSubject().optional(),
  mode: z.enum(['pull', 'push']).default('pull'),
  durable: z.boolean().default(true),
  workers: upTo(positiveInt(), LIMITS.workers).default(1),
  maxAckPending: upTo(positiveInt(), LIMITS.maxAckPending).default(1000),
  ackWaitMs: time().default(30_000),
  batch: upTo(positiveInt(), LIMITS.maxAckPending).default(1),
  serviceTimeMs: time().optional(),
  serviceTimeCv: cv().optional(),
  failureRate: nonNegative().max(0.99, 'at most 0.99 (a fraction of deliveries: 0.01 is 1 %)').optional(),
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
  /** v3: events this service publishes per request it handles (fire and forget). */
  publishes: z.array(Publish).optional(),
  /** v3: core-NATS subscriptions whose events this service handles. */
  subscribes: z.array(Subscription).optional(),
});

export const External = z.strictObject({
  name: name(),
  latencyMs: time(),
  latencyCv: cv().default(0),
});

export const Bundle = z.strictObject({
  name: name(),
  services: z.array(name()),
  /** zone name → replica count in that zone. */
  replicas: z.record(z.string(), upTo(nonNegativeInt(), LIMITS.replicasPerZone, ' per zone')),
  cpu: upTo(positive(), LIMITS.cpu, ' cores').default(1),
  memoryMiB: upTo(positive(), LIMITS.memoryMiB, ' MiB').default(256),
  image: name().optional(),
  /** Its autoscaler (a Kubernetes HPA v2 per zone's Deployment; over-time.ts). The engine's steady figures ignore it; the timeline runs it. */
  autoscale: Autoscale.optional(),
  /** v3 over time: how a new replica starts (start delay, then slower own times while it warms up). */
  startup: Startup.optional(),
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
  /** v3 over time: the item's 24-hour curve (factor × rps each minute). Absent: constant, `rps` all day. */
  profile: TrafficProfile.optional(),
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
  schema: z.literal(SCHEMA_V3),
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
  /** v3: JetStream streams (absent: none; JetStream off). */
  streams: z.array(Stream).optional(),
  /** v3: JetStream consumers of those streams. */
  consumers: z.array(Consumer).optional(),
  /** v3 over time: named alternatives to the bundles' autoscalers, compared on the same day (`timeline --policy`). */
  autoscalePolicies: z.array(AutoscalePolicy).optional(),
  /** v3 over time: what-if events of the timeline (a zone fails at a minute, comes back at another). */
  timeline: z.array(TimelineEvent).optional(),
  /** v3 cost (issue 20): the price book (a preset and any figures overriding it; cost.ts). Absent: the default preset. */
  cost: PriceBook.optional(),
  /** v3 scenarios (issue 20): named variants of this design, each a change set and a what-if (scenarios.ts). */
  scenarios: z.array(Scenario).optional(),
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
export type PublishT = z.output<typeof Publish>;
export type SubscriptionT = z.output<typeof Subscription>;
export type StreamT = z.output<typeof Stream>;
export type ConsumerT = z.output<typeof Consumer>;
