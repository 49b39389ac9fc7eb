/**
 * Latency samples from the rehearsal's processes, kept as a sparse log-linear histogram so a
 * process can send what it measured as plain JSON and the orchestrator can merge them.
 * Bins are 1 % of their value wide (bin i holds [1.01^i, 1.01^(i+1)) µs); percentiles
 * interpolate inside a bin, so they are good to about 0.5 %.
 */

const GROWTH = Math.log(1.01);

/** Plain JSON: bin index → count, with the exact count, sum and sum of squares. */
export interface HistogramData {
  bins: Record<string, number>;
  count: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

export function emptyHistogram(): HistogramData {
  return { bins: {}, count: 0, sum: 0, sumSq: 0, min: 0, max: 0 };
}

function binOf(ms: number): number {
  const us = ms * 1000;
  return us <= 1 ? 0 : Math.floor(Math.log(us) / GROWTH);
}

const binLow = (i: number) => Math.exp(i * GROWTH) / 1000;

/** Adds one value (ms) to a histogram, in place. */
export function recordSample(h: HistogramData, ms: number): void {
  const v = ms > 0 ? ms : 0;
  const bin = String(binOf(v));
  h.bins[bin] = (h.bins[bin] ?? 0) + 1;
  h.min = h.count === 0 ? v : Math.min(h.min, v);
  h.max = h.count === 0 ? v : Math.max(h.max, v);
  h.count++;
  h.sum += v;
  h.sumSq += v * v;
}

/** A new histogram holding the samples of all the given ones. */
export function mergeHistograms(parts: readonly HistogramData[]): HistogramData {
  const out = emptyHistogram();
  for (const p of parts) {
    if (p.count === 0) continue;
    for (const [bin, n] of Object.entries(p.bins)) out.bins[bin] = (out.bins[bin] ?? 0) + n;
    out.min = out.count === 0 ? p.min : Math.min(out.min, p.min);
    out.max = out.count === 0 ? p.max : Math.max(out.max, p.max);
    out.count += p.count;
    out.sum += p.sum;
    out.sumSq += p.sumSq;
  }
  return out;
}

/** Every value divided by `k` (real time → design time under dilation k). */
export function scaleHistogram(h: HistogramData, k: number): HistogramData {
  const out = emptyHistogram();
  const shift = Math.round(Math.log(k) / GROWTH);
  for (const [bin, n] of Object.entries(h.bins)) {
    const i = Math.max(0, Number(bin) - shift);
    out.bins[String(i)] = (out.bins[String(i)] ?? 0) + n;
  }
  out.count = h.count;
  out.sum = h.sum / k;
  out.sumSq = h.sumSq / (k * k);
  out.min = h.min / k;
  out.max = h.max / k;
  return out;
}

/** The q-quantile (0 < q < 1) in ms, or null for an empty histogram. */
export function histogramQuantile(h: HistogramData, q: number): number | null {
  if (h.count === 0) return null;
  const bins = Object.entries(h.bins)
    .map(([b, n]) => [Number(b), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const target = q * h.count;
  let seen = 0;
  for (const [bin, n] of bins) {
    if (seen + n >= target) {
      const lo = binLow(bin);
      const hi = binLow(bin + 1);
      const v = lo + ((target - seen) / n) * (hi - lo);
      return Math.min(h.max, Math.max(h.min, v));
    }
    seen += n;
  }
  return h.max;
}

export function histogramMean(h: HistogramData): number | null {
  return h.count === 0 ? null : h.sum / h.count;
}

/** Coefficient of variation (sd / mean), or null with fewer than two samples. */
export function histogramCv(h: HistogramData): number | null {
  if (h.count < 2 || h.sum === 0) return null;
  const m = h.sum / h.count;
  const variance = Math.max(0, h.sumSq / h.count - m * m);
  return Math.sqrt(variance) / m;
}
