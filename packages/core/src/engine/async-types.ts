/**
 * Figures of async messaging (schema v3, issue 18): events published while requests are handled,
 * core-NATS subscriptions (fan-out), JetStream streams and their consumers. Both the analytic
 * engine (`method: analytic`) and the DES fill these; `SimulationResult.async` is present only
 * when the document publishes, subscribes or has streams.
 *
 * Event latency is publish → handled (the hop to the handler, its wait and its handling), never
 * part of the publisher's request latency, except the stream's publish ack when `publishes[].ack`.
 */
import type { Percentiles } from './percentiles.ts';

/** Publish → handled, for one handler of one subject. null percentiles when the handler cannot keep up. */
export interface EventLatency {
  /** `subscription` (core NATS) or `consumer` (JetStream). */
  kind: 'subscription' | 'consumer';
  /** The subscribing service, or `<stream>/<consumer>`. */
  handler: string;
  latencyMs: Percentiles | null;
  /** Why latencyMs is null (e.g. `consumer ORDERS/fulfil cannot keep up (ρ 1.2): lag grows without bound`). */
  reason: string | null;
}

/** One published subject: who publishes it, how often, how many bytes. */
export interface SubjectFlow {
  subject: string;
  publishers: string[];
  /** Events per second published on it (every publisher together; fan-out not counted). */
  publishRps: number;
  bytesPerSec: number;
  /** The stream that captures it, if any. */
  stream: string | null;
}

/** One `services[].subscribes[]` entry's load. */
export interface SubscriptionResult {
  service: string;
  /** Index in the service's `subscribes[]`. */
  index: number;
  subject: string;
  /** `service` (one copy per service or queue group, shared by replicas) or `replica` (a copy per replica). */
  delivery: 'service' | 'replica';
  /** The queue group the copies are shared in (null for `replica`). */
  queueGroup: string | null;
  /** Copies delivered per second to this service, all its live replicas together. */
  deliverRps: number;
  /**
   * Payload bytes per second of those copies going from the publisher's zone to a replica in
   * another zone of the same region (each subject's `publishes[].payloadBytes`; queue groups pick
   * a replica evenly whatever the zones, async-flows.ts). The DES counts the copies it sends.
   */
  crossZoneBytesPerSec: number;
  /** The same to a replica in another region. */
  crossRegionBytesPerSec: number;
  latency: EventLatency;
}

export interface ConsumerResult {
  name: string;
  stream: string;
  service: string;
  /** Deliveries per second, redeliveries included. */
  deliverRps: number;
  /** Of which redeliveries (after `ackWaitMs`, from `failureRate`). */
  redeliverRps: number;
  /**
   * Handlers at work at once at most: min(live replicas × workers, maxAckPending less the slots
   * failed deliveries hold while they wait out ackWaitMs).
   */
  concurrency: number;
  /** Whether maxAckPending, not the workers, sets `concurrency`. */
  ackPendingLimited: boolean;
  /** Offered load over `concurrency` handlers (≥ 1: cannot keep up). */
  utilization: number;
  stable: boolean;
  /** Mean messages waiting in the stream for this consumer (JetStream's num_pending) in steady state; null when unstable. */
  meanPending: number | null;
  /** Mean messages delivered and not yet acked (num_ack_pending). */
  meanAckPending: number | null;
  /** Messages the what-if adds to its backlog (a burst of B events, or T seconds of outage × its rate); null without such a what-if. */
  backlog: number | null;
  /** Seconds until that backlog drains at the spare rate (fluid: backlog / (capacity − arrival rate)); null without a backlog or when unstable. */
  lagDrainSeconds: number | null;
  latency: EventLatency;
}

/** One replica of a stream on one NATS server. */
export interface StreamReplicaLoad {
  server: string;
  zone: string;
  role: 'leader' | 'follower';
  /** Messages stored per second on this server. */
  msgsPerSec: number;
  bytesPerSec: number;
}

export interface StreamResult {
  name: string;
  cluster: string;
  /** Messages captured per second. */
  ingestRps: number;
  /** Payload bytes captured per second (on the wire; a replica's storage adds the per-message record overhead). */
  bytesPerSec: number;
  /** What one replica's storage grows by per day (payloads and per-message overhead). */
  storageBytesPerDay: number;
  /** The same over its live replicas (R3: three times; two with one zone down). */
  storageBytesPerDayAllReplicas: number;
  /** Steady storage per replica under the retention and limits; null when it grows without a bound. */
  steadyBytes: number | null;
  /** Seconds until a limit is reached (maxBytes, maxMsgs) from empty; null when none will be (or maxAge bounds first). */
  timeToLimitSeconds: number | null;
  limit: 'maxBytes' | 'maxMsgs' | 'maxAge' | null;
  replicas: StreamReplicaLoad[];
  /** Bytes per second between zones: leader → followers in other zones, publishers to a leader elsewhere, deliveries to consumer replicas elsewhere. */
  crossZoneBytesPerSec: number;
  /** What a publisher waiting for the ack pays (publish → stored on a quorum → ack), ms. */
  publishAckMs: number;
  consumers: Record<string, ConsumerResult>;
  /** False when a failed zone took a quorum of its replicas (publishes fail, nothing is stored or delivered); absent means true. */
  available?: boolean;
}

export interface AsyncResult {
  subjects: Record<string, SubjectFlow>;
  subscriptions: SubscriptionResult[];
  streams: Record<string, StreamResult>;
}

/** Per traffic entry: the events its requests cause. */
export interface EntryEvents {
  /** Events published per second by this entry's requests, on every subject. */
  publishedRps: number;
  /** Publish → handled for each handler of those events. */
  handlers: EventLatency[];
}

/** What-ifs of async messaging. */
export interface AsyncWhatIf {
  /** A burst of this many events arrives at once on every stream (each consumer's backlog). */
  eventBurst?: number;
  /** Every consumer stops for this many seconds, then resumes (its backlog: rate × T). */
  consumerOutageSeconds?: number;
}
