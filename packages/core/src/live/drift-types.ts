/** What drift between a design and what runs is made of (computed in drift.ts). */
import type { LiveService, LiveSnapshot } from './types.ts';

/** A consumer setting the design fixes and JetStream reports. */
export type ConsumerSetting = 'maxAckPending' | 'ackWaitMs' | 'filterSubject' | 'mode';

export type DriftSeverity = 'error' | 'warning';

/** The edit that takes a live replica count into the design. */
export interface DriftFix {
  type: 'setReplicas';
  bundle: string;
  zone: string;
  replicas: number;
}

interface Base {
  severity: DriftSeverity;
  /** The designed service (the live one for `unknown-service`; empty for `server-down`). */
  service: string;
  /** One sentence that says what differs and why it matters. */
  message: string;
  /** Where in the design document it lands, when it does. */
  path: string | null;
  /** The edit that takes what runs into the design, when it is safe to offer. */
  fix: DriftFix | null;
  /** Why no fix is offered although the design and what runs differ. */
  held: string | null;
}

export type Drift = Base &
  (
    | { kind: 'missing-replicas' | 'extra-replicas'; bundle: string; zone: string; designed: number; live: number }
    | { kind: 'replicas-without-zone'; live: number }
    | { kind: 'failover'; bundle: string | null; zone: string | null; replicas: number; fromServer: string; toServer: string }
    | { kind: 'server-down'; server: string; cluster: string; zone: string | null }
    | { kind: 'queue-group-mismatch'; subjects: string[]; group: string; expected: string }
    | { kind: 'fan-out'; subject: string; groups: string[] }
    | { kind: 'no-queue-group'; subjects: string[]; servers: string[] }
    | { kind: 'version-mismatch'; versions: Record<string, number> }
    | { kind: 'service-not-seen' }
    | { kind: 'unknown-service'; liveKind: LiveService['kind']; instances: number }
    // JetStream (drift-jetstream.ts): `service` is the consumer's designed service, '' for a stream.
    | { kind: 'stream-missing' | 'stream-unexpected'; stream: string }
    | { kind: 'stream-replicas'; stream: string; designed: number; live: number; servers: string[] }
    | { kind: 'stream-subjects'; stream: string; designed: string[]; live: string[] }
    | { kind: 'stream-storage' | 'stream-retention'; stream: string; designed: string; live: string }
    | { kind: 'stream-limits'; stream: string; limit: 'maxAgeSeconds' | 'maxBytes' | 'maxMsgs'; designed: number | null; live: number | null }
    | { kind: 'consumer-missing' | 'consumer-unexpected'; stream: string; consumer: string }
    | { kind: 'consumer-config'; stream: string; consumer: string; setting: ConsumerSetting; designed: string | number; live: string | number }
    | { kind: 'consumer-lag-growing'; stream: string; consumer: string; numPending: number; change: number; intervalMs: number | null; reads: number }
    | { kind: 'consumer-ack-pending-full'; stream: string; consumer: string; numAckPending: number; maxAckPending: number }
  );

export type DriftKind = Drift['kind'];

/** `streams`/`jetstream` absent (an older snapshot): no JetStream drift is computed. */
export type SnapshotLike = Pick<LiveSnapshot, 'services' | 'queueGroups' | 'unqueued'> &
  Partial<Pick<LiveSnapshot, 'servers' | 'streams' | 'jetstream' | 'intervalMs'>>;
