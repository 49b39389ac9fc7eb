/**
 * What a running system measured, as read from Prometheus (Microbus's metrics, MODEL.md §4)
 * and, where there are NATS micro services, their `$SRV` stats: rates per second and times in
 * ms, over one window, already converted to design time when the source was a dilated
 * rehearsal. Pure data: the API reads it, core estimates from it.
 */

/** Cumulative bucket counts per second: `le` in ms (Infinity for +Inf), rate of observations ≤ le. */
export interface BucketRate {
  le: number;
  rate: number;
}

export interface MeasuredServiceStats {
  /** Requests per second it served (all replicas, control port excluded). */
  requestRps: number;
  /** Mean handler duration, ms: queue + own time + the downstream calls it waits for. */
  durationMeanMs: number | null;
  /** Handler duration quantiles as Prometheus's histogram_quantile gives them, ms. */
  durationMs: { p50: number | null; p95: number | null; p99: number | null };
  buckets: BucketRate[];
  /** Requests per second per instance id. */
  instances: Record<string, number>;
  /** Distributed-cache loads per second and how many hit (local or peer). */
  cache: { loadsRps: number; hitsRps: number } | null;
  /** Where the figures came from. */
  source: 'prometheus' | 'nats-micro';
}

export interface MeasuredCall {
  from: string;
  to: string;
  /** Calls per second (acks the caller received). */
  rps: number;
  /** Mean ack round trip, ms (the network part of a call). */
  ackMeanMs: number | null;
  /** Calls per second that timed out. */
  timeoutRps: number;
}

export interface SystemMeasurements {
  windowS: number;
  /** Unix seconds at the end of the window. */
  at: number;
  /** Rates × this and times ÷ this were applied (a rehearsal's dilation; 1 for a real deployment). */
  timeScale: number;
  services: Record<string, MeasuredServiceStats>;
  calls: MeasuredCall[];
  /** Instance id → zone, from the live reader, when a cluster connection was given. */
  instanceZones: Record<string, string>;
}
