/**
 * The flat tables the DES event loop reads, compiled from a document by `buildPlan`. Each
 * sub-table is what one compiler phase (plan.ts) produces; the plan is all of them side by side,
 * flat, so the event loop reads `plan.qServers[q]` with no detour through a sub-object.
 */
import type { AsyncPlan } from './async-tables.ts';
import type { DistTable } from './rng.ts';
import type { InFlightTable } from './routing.ts';

export const CALL_SERVICE = 0;
export const CALL_DB = 1;
export const CALL_EXT = 2;

/** How far a broker call travels (`zoneCross`, and the index of `crossCalls` in a replication's totals). */
export const SAME_ZONE = 0;
export const CROSS_ZONE = 1;
export const CROSS_REGION = 2;

export type EntryStatus = 'ok' | 'saturated' | 'unavailable';

/** Zones, in document order, and which of them the what-if fails. */
export interface ZoneTable {
  zoneNames: string[];
  zoneRegion: string[];
  failed: boolean[];
  nZones: number;
}

/** Per service: where it lives in its bundle, its workers, and its own time with any cache. */
export interface ServiceTable {
  serviceNames: string[];
  serviceIndex: Map<string, number>;
  svcBundle: Int32Array;
  svcPos: Int32Array;
  svcWorkers: Int32Array;
  svcHitRate: Float64Array;
  /** Mean own time (hit/miss mixture), ms. */
  svcMeanOwn: Float64Array;
  svcHasCache: Uint8Array;
  svcCv: Float64Array;
}

/** Live bundle replicas and the service queues each carries. */
export interface ReplicaTable {
  /** Live bundle replicas. */
  replicaBundle: Int32Array;
  replicaZone: Int32Array;
  /** Index of the replica within its bundle and zone (as the analytic result numbers them). */
  replicaIndex: Int32Array;
  /** Queue of the bundle's first service on this replica; the service at position p is base + p. */
  replicaQueueBase: Int32Array;
  bundleNames: string[];
  bundleCpu: Float64Array;
  bundleReplicas: Int32Array;
  /** The queues of each service, one per live replica of its bundle. */
  svcQueues: number[][];
}

/** Databases and their shards; a shard's queue follows every service queue. */
export interface DatabaseTable {
  dbNames: string[];
  dbShardStart: Int32Array;
  dbShardEnd: Int32Array;
  /** Cumulative vcpu share of each global shard within its database. */
  shardCum: Float64Array;
  shardQueue: Int32Array;
  shardNames: string[];
  shardDb: Int32Array;
  dbConnections: { needed: number; available: number }[];
}

/** Every queue: servers, what it serves, and the distributions of its own time. */
export interface QueueTable {
  nQueues: number;
  /** Queues [0, nServiceQueues) are service replicas, the rest database shards. */
  nServiceQueues: number;
  qServers: Int32Array;
  /** Schema v2 `queueLimit` of a service queue (requests that may wait beyond its servers), −1 unbounded (every shard). */
  qLimit: Int32Array;
  /** Service index of a service queue, −1 for a shard. */
  qService: Int32Array;
  /** Global shard index of a shard queue, −1 for a service queue. */
  qShard: Int32Array;
  qZone: Int32Array;
  qReplica: Int32Array;
  qDist: Int32Array;
  qHitDist: Int32Array;
  qHitProb: Float64Array;
}

/** Where a queue group sends a message from each zone: queues routeQueues[start, start + count) of service·nZones + zone. */
export interface RouteTable {
  routeStart: Int32Array;
  routeCount: Int32Array;
  routeQueues: Int32Array;
}

/** Each service's steps (a single call or a parallel group) and each step's calls. */
export interface StepTable {
  svcStepStart: Int32Array;
  svcStepEnd: Int32Array;
  /** Schema v3: the first of each service's publish-ack steps (after its calls; svcStepEnd when none). */
  svcAckStart: Int32Array;
  stepGroup: Uint8Array;
  stepCallStart: Int32Array;
  stepCallEnd: Int32Array;
  callKind: Int32Array;
  /** Service index, database index, or external distribution id. */
  callTarget: Int32Array;
  callWhole: Int32Array;
  callFrac: Float64Array;
  callSameBundle: Uint8Array;
  /** A call to a service with no live replica: not sent, and it fails the request (its entries are unavailable). */
  callDead: Uint8Array;
  /** A publish ack (schema v3): `callTarget` is the delay from the first zone, + the caller's zone index the one from its zone. */
  callZoned: Uint8Array;
  /** Schema v2 retries of each call (0: none), its first backoff (ms) and multiplier (des/retries.ts). */
  callRetries: Int32Array;
  callBackoff: Float64Array;
  callBackoffMult: Float64Array;
}

/** What a call costs on the way. */
export interface NetworkTable {
  /** Network cost of a broker call from zone a to zone b, at a·nZones + b. */
  zoneDelay: Float64Array;
  /** SAME_ZONE, CROSS_ZONE (another zone of the region) or CROSS_REGION. */
  zoneCross: Int32Array;
  shortCircuitMs: number;
  dbCallMs: number;
}

/** Ingress streams and the entries they feed. */
export interface IngressTable {
  /** Ingress streams: entry index, zone and the cumulative probability of each. */
  srcEntry: Int32Array;
  /** The traffic item (index into doc.traffic) of each source: its class (schema v2) comes from it. */
  srcItem: Int32Array;
  srcZone: Int32Array;
  srcCum: Float64Array;
  /** Schema v2: the time budget (ms) of each traffic source, Infinity for none (des/budget.ts). */
  srcBudget: Float64Array;
  /** Total ingress rate, per ms. */
  ingressRate: number;
  entryNames: string[];
  entryService: Int32Array;
  entryRps: Float64Array;
  /** Requests per second entering each entry in each zone. */
  entryZoneRps: Record<string, number>[];
  /** Schema v2 client retries of each ingress stream (0: none), first backoff (ms) and multiplier. */
  srcRetries: Int32Array;
  srcBackoff: Float64Array;
  srcBackoffMult: Float64Array;
}

/** Forced-flow load along the compiled routes, known before the run (plan-flow.ts). */
export interface LoadTable {
  /** Forced-flow arrival rate (per ms) and utilization of each queue. */
  qOffered: Float64Array;
  qRho: Float64Array;
  /** Forced-flow requests per second sent to each service, including those that find no replica. */
  svcDemand: Float64Array;
}

/** Whether each entry can be simulated, from the load. */
export interface EntryStatusTable {
  entryStatus: EntryStatus[];
  /** Why an entry has no latency (null when it has one). */
  entryReason: (string | null)[];
  /** Whether every request of the entry ends in finite time (none can reach a saturated queue). */
  entryFinite: boolean[];
}

/** The compiled routes and costs, before any load is known. */
export interface RoutedPlan
  extends ZoneTable,
    ServiceTable,
    ReplicaTable,
    DatabaseTable,
    QueueTable,
    RouteTable,
    StepTable,
    NetworkTable,
    IngressTable,
    InFlightTable {
  scale: number;
  dists: DistTable;
}

export interface DesPlan extends RoutedPlan, LoadTable, EntryStatusTable {
  /** Schema v3 async messaging (async-plan.ts); null for a document without it. */
  async: AsyncPlan | null;
}

export interface PlanOptions {
  scale?: number;
  failZones?: readonly string[];
}
