/**
 * RTT histograms with log-spaced buckets (×√2 from 10 µs to ~10 s), so one shape serves a
 * loopback probe (0.1 ms) and a cross-region one (60 ms) alike. Percentiles are read from the
 * samples themselves (exact); the buckets are for drawing.
 */
import type { RttHistogram } from './types.ts';

export const RTT_BOUNDS_MS: readonly number[] = Array.from({ length: 41 }, (_, i) => Number((0.01 * Math.SQRT2 ** i).toPrecision(3)));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  // Nearest-rank: the smallest sample with at least q of the samples at or below it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/** A histogram of round-trip times in ms; null for no samples. Negative or non-finite samples are ignored. */
export function rttHistogram(samplesMs: readonly number[]): RttHistogram | null {
  const xs = samplesMs.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const counts = new Array<number>(RTT_BOUNDS_MS.length + 1).fill(0);
  for (const x of xs) {
    let i = 0;
    while (i < RTT_BOUNDS_MS.length && x > (RTT_BOUNDS_MS[i] as number)) i++;
    counts[i] = (counts[i] as number) + 1;
  }
  // Trim empty buckets at both ends so the picture shows only the range that was seen.
  let lo = 0;
  while (counts[lo] === 0) lo++;
  let hi = counts.length - 1;
  while (counts[hi] === 0) hi--;
  const bounds = [...RTT_BOUNDS_MS, Number.MAX_VALUE].slice(lo, hi + 1).map((b) => (b === Number.MAX_VALUE ? (xs[xs.length - 1] as number) : b));
  const sum = xs.reduce((a, b) => a + b, 0);
  return {
    count: xs.length,
    minMs: xs[0] as number,
    maxMs: xs[xs.length - 1] as number,
    meanMs: sum / xs.length,
    p50Ms: quantile(xs, 0.5),
    p95Ms: quantile(xs, 0.95),
    p99Ms: quantile(xs, 0.99),
    bounds,
    counts: counts.slice(lo, hi + 1),
  };
}
