/**
 * What the rehearsal's processes measure and send back, in real (dilated) milliseconds over
 * their measurement window. `summarize` turns them into design-time figures.
 */
import type { HistogramData } from './histogram.ts';

/** One service on one replica. */
export interface ServiceCounters {
  /** Requests that reached a worker queue during the window. */
  arrivals: number;
  /** Worker-busy time inside the window (a hold that straddles an edge counts its part inside). */
  busyMs: number;
  /** Σ own times drawn for holds that started in the window, and what those holds actually lasted. */
  ownTargetMs: number;
  own: HistogramData;
  /** Arrival at the queue → worker released (queue + own time). */
  sojourn: HistogramData;
  /** Arrival at the queue → answer sent (what Microbus's request-duration histogram measures). */
  handler: HistogramData;
}

/** Network cost of calls this process made, against what the design says they cost. */
export interface HopCounters {
  calls: number;
  /** Σ designed cost × dilation. */
  targetMs: number;
  /** Σ measured cost: round trip minus the time the callee held the request. */
  actualMs: number;
  /** Raw NATS one-way times, request leg and answer leg. */
  requestLeg: HistogramData;
  answerLeg: HistogramData;
}

export interface TimerCounters {
  count: number;
  /** Σ (fired − due), ms; negative when a timer fired early. */
  lateMs: number;
  lateSqMs: number;
}

export interface ReplicaReport {
  id: string;
  bundle: string;
  zone: string;
  windowMs: number;
  services: Record<string, ServiceCounters>;
  hops: HopCounters;
  timers: TimerCounters;
  /** CPU the process used in the window, ms. */
  cpuMs: number;
  msgsIn: number;
  msgsOut: number;
}

export interface ShardCounters {
  arrivals: number;
  busyMs: number;
  sojourn: HistogramData;
}

export interface DatabaseReport {
  windowMs: number;
  /** database → shard → counters */
  shards: Record<string, Record<string, ShardCounters>>;
  timers: TimerCounters;
  cpuMs: number;
  msgsIn: number;
  msgsOut: number;
}

export interface EntryCounters {
  sent: number;
  answered: number;
  failed: number;
  /** Arrival at the entry replica → its answer (ingress is free in the model). */
  latency: HistogramData;
  /** Sent by the generator → answer received (the raw NATS legs included). */
  roundTrip: HistogramData;
  /** Requests sent per zone. */
  zones: Record<string, number>;
}

export interface GeneratorReport {
  windowMs: number;
  entries: Record<string, EntryCounters>;
  timers: TimerCounters;
  cpuMs: number;
  msgsIn: number;
  msgsOut: number;
}
