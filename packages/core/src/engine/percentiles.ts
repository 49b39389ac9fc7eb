/** A latency distribution's summary (ms). */
export interface Percentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** 99 % confidence intervals, present on DES results. */
  ci?: { mean: [number, number]; p50: [number, number]; p95: [number, number]; p99: [number, number] };
}
