/**
 * What the engine returns: the `busboard simulate --json` contract (issue 3). Every figure
 * is a finite, non-negative number or null; never NaN or Infinity. Rates are requests (or
 * messages) per second, times are milliseconds, utilizations are fractions (1 = saturated).
 *
 * Methods say where a figure comes from: `exact` (M/M/c, Erlang C), `allen-cunneen` (the
 * approximation for cv ≠ 1 and cached services), `composed` (distributions composed along
 * the path by histogram convolution), `des` (the discrete-event cross-check).
 */
import type { StationMethod } from '../queue/station.ts';
import type { AsyncResult, AsyncWhatIf, EntryEvents } from './async-types.ts';
import type { Percentiles } from './percentiles.ts';

export type { Percentiles } from './percentiles.ts';

export type Method = 'analytic' | 'des';
/**
 * How a service's sojourn was obtained: `exact` M/M/c; `pollaczek-khinchine` M/G/1 (one worker,
 * the exact wait distribution); `allen-cunneen` M/G/c; `batch-poisson` M^X/G/c (requests arriving
 * in batches); with a queue limit (schema v2), `mmck` (exact M/M/c/K, cv 1 and no cache), `mg1k`
 * (exact M/G/1/K, one worker, queue/mg1k.ts), `mphck` (M/PH/c/K, several workers, a phase-type
 * stand-in for the own time, queue/mphck.ts) or `mgck` (the two-moment M/G/c/K approximation,
 * queue/bounded.ts, past the M/PH/c/K's size caps); with a time budget (schema v2),
 * `mmcd` (M/M/c+D, queue/impatient.ts) or `mgcd` (the same with the mean own time); `des` when the
 * discrete-event simulation measured it.
 */
export type QueueMethod = StationMethod | 'des';

/**
 * Why an analytic figure is an approximation outside its comfort zone (engine/README.md,
 * "Validity"): `batch` (requests arrive several at once), `fork-join` (a parallel group's
 * members share arrival instants), `rho-above-0.9`, `cv-far-from-1` (several workers and own
 * times far from exponential), `short-circuit-repeats` (a request comes back to a replica it
 * has just left), `bounded-approximation` (a bounded queue whose own times are not exponential,
 * or are a cache's mixture: the two-moment M/G/c/K), `multiclass` (traffic classes at a service
 * that treats them apart: what of engine/traffic-classes.ts is approximate there),
 * `budget-approximation` (time budgets: the
 * deadline a downstream service sees is taken at its mean, or own times are not exponential, or
 * `onTimeout: stop` truncates them: engine/budget.ts).
 */
export type ValidityCode =
  | 'batch'
  | 'fork-join'
  | 'rho-above-0.9'
  | 'cv-far-from-1'
  | 'short-circuit-repeats'
  | 'bounded-approximation'
  | 'multiclass'
  | 'budget-approximation'
  | 'retry-approximation'
  | 'least-connections-approx'
  | 'in-flight-approx';

export interface ValidityNote {
  code: ValidityCode;
  /** Plain words, naming the service (e.g. `leaf.example receives batches of up to 10 requests at once`). */
  message: string;
}

/** `ok`: inside the method's comfort zone; otherwise every reason the figure may be off. */
export type Validity = 'ok' | ValidityNote[];

/** One replica of a service (all replicas of a bundle in one zone see the same load). */
export interface ReplicaResult {
  bundle: string;
  zone: string;
  /** Index of this replica within its bundle and zone (0-based). */
  index: number;
  arrivalRps: number;
  /** ρ = λ·E[own time]/workers (may exceed 1). */
  utilization: number;
  /** Mean queue + own time; null when saturated. */
  sojournMeanMs: number | null;
  /** Erlang C: the probability a request waits for a worker; null when saturated. */
  waitProbability: number | null;
  /** Mean wait for a worker; null when saturated. */
  meanWaitMs: number | null;
  /** Mean requests at the replica (waiting + in service), Little's L; null when saturated. */
  meanInSystem: number | null;
  saturated: boolean;
  /** ρ well above the service's mean (see engine/README.md for the rule). */
  hot: boolean;
  /** Share of this replica's arrivals rejected because its queue was full (0 without a queue limit). */
  rejectionRate: number;
  /** Schema v2 `maxInFlight` / least-connections only: requests this replica holds on average, admission to response (Little). */
  meanInFlight?: number;
}

/** Schema v2 in-flight caps and routing of one service (present only when it has `maxInFlight` or `routing`). */
export interface InFlightResult {
  /** The cap per replica (null: least-connections without a cap). */
  maxInFlight: number | null;
  routing: 'least-connections' | 'random';
  /** Requests per second the cap turns away (part of the service's `rejectedRps`). */
  capRejectedRps: number;
  /** Share of arrivals the cap turns away (part of `rejectionRate`). */
  capRejectionRate: number;
  /** Mean requests held per replica, averaged over its live replicas. */
  meanInFlight: number;
  /** meanInFlight ÷ maxInFlight (null without a cap). */
  capUtilization: number | null;
  /** `mmck`: a leaf's cap is its line limit (exact with cv 1); `erlang-b`: a loss system on the whole response; `pooled` when least-connections pools the replicas. */
  method: 'mmck' | 'erlang-b' | 'pooled-mmck' | 'pooled-erlang-b' | 'pooled' | 'des';
}

export interface ServiceResult {
  bundle: string;
  /** Requests per second sent to the service (all replicas; includes requests that find no replica). */
  arrivalRps: number;
  /** Live replicas. */
  replicas: number;
  /** The busiest replica's ρ (may exceed 1). */
  utilization: number;
  /** ρ averaged over live replicas: total load ÷ total capacity. */
  meanUtilization: number;
  /** Some replica at ρ ≥ 1 with an unbounded queue: it has no steady state, so no latency (a bounded queue is never saturated: it rejects). */
  saturated: boolean;
  /** Requests arrive but its bundle has no live replica (e.g. every zone it runs in failed). */
  unavailable: boolean;
  /** Requests per second beyond what the saturated replicas can serve (all of it when unavailable). */
  excessRps: number;
  /** Fewest replicas of its bundle that carry this service with every replica below ρ 1, keeping today's zones and routing. */
  replicasNeeded: number;
  /** What its live replicas serve at ρ 1 when the load is spread evenly: replicas × workers ÷ mean own time. */
  capacityRps: number;
  cacheHitRate: number | null;
  method: QueueMethod;
  /** Whether `sojournMs` is inside its method's comfort zone (always set by the analytic engine). */
  validity?: Validity;
  /** Queue + own time over all its (admitted) requests (weighted by replica load), no downstream; null when saturated or unavailable. */
  sojournMs: Percentiles | null;
  /** Requests per second rejected by full queues (schema v2 `queueLimit`; 0 without one). */
  rejectedRps: number;
  /** Share of the requests arriving at its replicas that are rejected (0 without a queue limit). */
  rejectionRate: number;
  /**
   * Schema v2 time budgets (present only when some traffic carries `timeBudgetMs`): the share of
   * its arrivals that time out here (left the queue at their deadline, ran past it in service, or
   * could not send a call in time), their rate, and the own time spent on them in CPU-seconds per
   * second (`finish`: all of it; `stop`: up to the deadline).
   */
  timeoutRate?: number;
  timedOutRps?: number;
  wastedWorkRate?: number;
  /**
   * Schema v2 retries, present only when some call or traffic item of the document retries:
   * `arrivalRps` (every attempt) ÷ what the same design offers this service with no retries at
   * all (1 = retries add nothing; engine/retries.ts). Absent without retries.
   */
  retryAmplification?: number;
  /** With retries: the offered rps of the same design without any retries (the base of `retryAmplification`). */
  offeredWithoutRetriesRps?: number;
  /** Schema v2 in-flight caps and least-connections (absent when the service has neither). */
  inFlight?: InFlightResult;
  replicasDetail: ReplicaResult[];
  /** Schema v2 traffic classes (only when the document uses them): per class reaching the service. */
  classes?: Record<string, ServiceClassResult>;
  /**
   * How its replicas treat the classes: `shared` (one line for all), `partitioned` (each class its
   * own exact M/M/c/K), `chain` (the per-class Markov chain), `priority` (Cobham's priority M/M/c),
   * `too-large` (the chain was too large: one shared line). Only when the document uses classes.
   */
  classMethod?: 'shared' | 'partitioned' | 'chain' | 'priority' | 'too-large';
}

/** One traffic class at one service (all its replicas). */
export interface ServiceClassResult {
  arrivalRps: number;
  /** Rejected at once by a full line (the class's own or the service's) or its in-flight cap. */
  rejectedRps: number;
  rejectionRate: number;
  /** Mean wait for a worker of its admitted requests; null when the class has no steady state there. */
  meanWaitMs: number | null;
}

/** One traffic class entering at one entry. */
export interface EntryClassResult {
  rps: number;
  /** Share of the class's requests that succeed (no replica on their path rejected them). */
  successRate: number;
  goodputRps: number;
  /** End-to-end latency of its successful requests; null as for the entry (reason says why). */
  latencyMs: Percentiles | null;
  reason: string | null;
  /** The SLOs set for this class at this entry (`slo[].class`). */
  slo: { met: boolean; checks: SloCheck[]; rejection?: RejectionCheck } | null;
}

export interface BundleResult {
  /** Live replicas. */
  replicas: number;
  /** CPU utilization of the busiest replica: Σ over its services of λ·own time ÷ cpu. */
  cpuUtilization: number;
  /** CPU utilization averaged over live replicas. */
  meanCpuUtilization: number;
  /** Per zone with live replicas: count and one replica's CPU utilization. */
  zones: Record<string, { replicas: number; cpuUtilization: number }>;
}

export interface SloCheck {
  percentile: 'p50' | 'p95' | 'p99';
  limitMs: number;
  valueMs: number | null;
  met: boolean;
}

/** An entry's rejection budget (schema v2 `slo[].maxRejectionRate`) against its rejection rate (1 − successRate). */
export interface RejectionCheck {
  limit: number;
  value: number;
  met: boolean;
}

export interface EntryResult {
  rps: number;
  method: 'composed' | 'des';
  /**
   * Whether `latencyMs` is inside the composition's comfort zone: the union of what every
   * service on the entry's path says, and `fork-join` where a parallel group links queues
   * (always set by the analytic engine; `ok` when there is no latency).
   */
  validity?: Validity;
  /** End-to-end latency of successful requests; null when a request can meet a saturated or missing replica. */
  latencyMs: Percentiles | null;
  /**
   * Share of its requests that succeed: no replica on their path rejected them and none of their calls went to a
   * service with no live replica (1 without queue limits or missing replicas; 0 when every request calls a missing one).
   */
  successRate: number;
  /** Requests per second that succeed: rps × successRate. */
  goodputRps: number;
  /**
   * Schema v2 time budgets (present only when some traffic carries one): the share of its requests
   * that fail by running out of budget somewhere on their path (the failures beyond those the same
   * design has without budgets), and the mean time a failed request takes to learn it failed
   * (a timeout, a fail-fast, or an ack timeout: a call to a service with no live replica fails
   * after `ackTimeoutMs`, not after the whole budget).
   */
  timeoutRate?: number;
  failureLatencyMs?: number | null;
  /** Why latencyMs is null (e.g. `cart.example is saturated in us-east-1c (ρ 1.12)`). */
  reason: string | null;
  slo: { met: boolean; checks: SloCheck[]; rejection?: RejectionCheck; timeout?: RejectionCheck } | null;
  /** Requests per second entering in each zone. */
  zones: Record<string, number>;
  /** Schema v2 traffic classes (only when the document uses them): per class entering here. */
  classes?: Record<string, EntryClassResult>;
  /** Schema v3: the events this entry's requests publish and their latency to each handler (only when it publishes). */
  events?: EntryEvents;
}

export interface ShardResult {
  name: string;
  vcpu: number;
  arrivalRps: number;
  utilization: number;
  saturated: boolean;
  /** Mean queue + query time at the shard; null when saturated. */
  sojournMeanMs: number | null;
}

export interface DatabaseResult {
  shards: ShardResult[];
  /** needed = Σ over live replicas of bundles that call it × poolPerReplica; available = Σ maxConnections. */
  connections: { needed: number; available: number; overrun: number };
}

export interface BrokerResult {
  cluster: string;
  zone: string;
  server: string;
  msgsPerSec: number;
  utilization: number;
}

/** The kinds of resource that can run out first (see `binding`). */
export type Constraint = 'rho' | 'cpu' | 'shard' | 'broker' | 'consumer' | 'unavailable';

/** The resource that bounds headroom, and which kind of constraint it is. */
export interface Binding {
  /**
   * `rho`: a service replica's workers; `cpu`: a bundle replica's cores; `shard`: a database
   * shard's vCPU; `broker`: a NATS server's message limit; `consumer` (schema v3): a JetStream
   * consumer's handlers (min(replicas × workers, maxAckPending)); `unavailable`: a loaded service
   * with no live replica (headroom 0).
   */
  constraint: Constraint;
  /** The same id as `bottleneck`: `<service>`, `cpu:<bundle>/<zone>`, `db:<name>/<shard>`, `nats:<cluster>/<server>`, `consumer:<stream>/<name>`. */
  resource: string;
  /** The service, bundle, `<database>/<shard>`, `<cluster>/<server>` or `<stream>/<consumer>`. */
  name: string;
  /** Where the busiest one runs (null for shards and unavailable services). */
  zone: string | null;
  /** Its utilization (ρ, CPU fraction or fraction of the message limit); headroom = 1 / this. */
  utilization: number;
}

export interface Warning {
  /**
   * `saturated`, `unavailable`, `hot-replica`, `zone-first-replica`, `connections-overrun`,
   * `shard-saturated`, `broker-saturated`, `cpu-overcommitted`, `workers-exceed-cores`, `slo-missed`,
   * `rejecting` (queue limits), `timing-out` (time budgets).
   */
  code: string;
  message: string;
  /** The document path of what the warning names (e.g. `bundles[1].replicas["us-east-1c"]`). */
  path: string;
}

export interface SimulationResult {
  method: Method;
  /** The traffic multiplier and failed zones this result is for. */
  scale: number;
  failedZones: string[];
  services: Record<string, ServiceResult>;
  bundles: Record<string, BundleResult>;
  /** One per traffic entry; with `skipEndToEnd` their latency is null (reason says so) and slo null. */
  entries: Record<string, EntryResult>;
  databases: Record<string, DatabaseResult>;
  brokers: BrokerResult[];
  /** Service-to-service calls per second whose replicas sit in different zones (cross-region included; ingress never). */
  crossZoneRps: number;
  crossRegionRps: number;
  /**
   * The traffic factor at which the first resource runs out — a service replica's workers, a
   * bundle replica's CPU, a database shard or a NATS server: 1 / the highest utilization.
   * Below 1 when something is already saturated; 0 when a loaded service has no live replica
   * (a failed zone took them all); null when nothing carries load.
   */
  headroom: number | null;
  /**
   * The busiest resource: `<service>`, `cpu:<bundle>/<zone>`, `db:<name>/<shard>` or
   * `nats:<cluster>/<server>`; null when nothing carries load.
   */
  bottleneck: string | null;
  /** Which constraint binds headroom (the bottleneck, with its kind and utilization); null when nothing carries load. */
  binding: Binding | null;
  warnings: Warning[];
  /** Schema v3 async messaging: present only when the document publishes, subscribes or has streams. */
  async?: AsyncResult;
}

export interface SimulateOptions {
  /** Traffic multiplier (default 1). */
  scale?: number;
  /** Zones whose replicas and NATS servers are gone. */
  failZones?: string[];
  /** Skip end-to-end composition (the per-edit fast path): entries carry rates but no latency. */
  skipEndToEnd?: boolean;
  /** Schema v3 what-ifs: a burst of events, an outage of the consumers. */
  async?: AsyncWhatIf;
}
