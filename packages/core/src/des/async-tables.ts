/**
 * The tables schema v3's async messaging compiles to (async-plan.ts builds them; the plan carries
 * them as `DesPlan.async`), apart from the compiler so the plan's types need not import it.
 */
import type { StreamPlacement } from './stream-placement.ts';

/** One `publishes[]` entry of one service. */
export interface PubSpec {
  service: number;
  subject: number;
  whole: number;
  frac: number;
  bytes: number;
}

/** One `subscribes[]` entry: what handles a copy (its own time) and where its load lands. */
export interface SubHandler {
  service: number;
  index: number;
  pattern: string;
  delivery: 'service' | 'replica';
  queueGroup: string | null;
  dist: number;
  meanMs: number;
  /** Every replica queue of the service stays below ρ 1 with the copies (the handler's latency exists). */
  finite: boolean;
  reason: string | null;
}

/** Where one subject's copy goes: a shared group (routes per zone) or one replica (`replica` delivery). */
export interface CopyTarget {
  /** Candidates per publisher zone: [queue, handler] pairs at candStart[z]…candStart[z]+candCount[z]. */
  candStart: Int32Array;
  candCount: Int32Array;
  candQueue: Int32Array;
  candHandler: Int32Array;
}

export interface ConsumerSpec {
  name: string;
  stream: number;
  service: number;
  filter: string | null;
  /** Workers over all live replicas, and the ack-pending limit. */
  workers: number;
  maxAckPending: number;
  ackWaitMs: number;
  failureRate: number;
  dist: number;
  meanMs: number;
  cv: number;
  /** Zones of the live replicas whose workers pull (one entry per replica). */
  replicaZones: Int32Array;
  /** Utilization of the tighter of workers and ack slots (forced flow): ≥ 1 cannot keep up. */
  rho: number;
  /** Deliveries per second offered (redeliveries included). */
  deliverRps: number;
}

export interface AsyncPlan {
  subjects: string[];
  /** The stream capturing each subject (−1 none). */
  subjectStream: Int32Array;
  /** Per subject: its copy targets, and the consumers that read it. */
  subjectTargets: CopyTarget[][];
  subjectConsumers: number[][];
  pubs: PubSpec[];
  /** Per service: indices into `pubs`. */
  svcPubs: number[][];
  handlers: SubHandler[];
  streams: StreamPlacement[];
  consumers: ConsumerSpec[];
  /** Per stream, per publisher zone: ms from publish to stored on a quorum (the consumer may read it). */
  storeMs: Float64Array[];
  /** Forced flow (addEventLoad): per subject, publishes per second from each zone; per handler, copies per second. */
  subjectZoneRate: Float64Array[];
  handlerRps: Float64Array;
  /** The plan's network, for the leader → worker hop: natsHopMs, zone-to-zone call delay (a·nZones + b). */
  hopMs: number;
  zoneDelay: Float64Array;
  nZones: number;
}

/** A publish ack a handler waits for: ms from each zone (doc.zones order), per publish. */
export interface AckWait {
  zoneMs: number[];
  perRequest: number;
}
