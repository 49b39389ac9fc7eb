/**
 * A log-linear histogram of positive times for percentiles without keeping samples: the bin
 * of a value is its float32 exponent and top 10 mantissa bits (HdrHistogram's idea), so a bin
 * spans at most 1/1024 of its value and finding it costs one typed-array write and read, no
 * logarithm. Percentiles interpolate linearly inside the bin and are clamped to the observed
 * minimum and maximum, so a fixed time comes back exactly.
 */
const MANTISSA_BITS = 10;
const SHIFT = 23 - MANTISSA_BITS;
/** Smallest resolved value 2^-20 ms (about a picosecond); smaller values share the first bin. */
const MIN_EXP = 127 - 20;
/** Largest resolved value 2^30 ms (about 12 days); larger values share the last bin. */
const MAX_EXP = 127 + 30;
const BASE = MIN_EXP << MANTISSA_BITS;
export const HISTOGRAM_BINS = (MAX_EXP - MIN_EXP + 1) << MANTISSA_BITS;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The bin a value falls in. */
export function binOf(v: number): number {
  f32[0] = v;
  const i = ((u32[0] as number) >>> SHIFT) - BASE;
  return i < 0 ? 0 : i >= HISTOGRAM_BINS ? HISTOGRAM_BINS - 1 : i;
}

/** The lower edge of a bin. */
export function binLow(i: number): number {
  u32[0] = (i + BASE) << SHIFT;
  return f32[0] as number;
}

export class Histogram {
  readonly counts = new Uint32Array(HISTOGRAM_BINS);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  add(v: number): void {
    f32[0] = v;
    let i = ((u32[0] as number) >>> SHIFT) - BASE;
    if (i < 0) i = 0;
    else if (i >= HISTOGRAM_BINS) i = HISTOGRAM_BINS - 1;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Empties the histogram; only the bins between the smallest and largest value need clearing. */
  reset(): void {
    if (this.count) this.counts.fill(0, binOf(this.min), binOf(this.max) + 1);
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
  }

  /** Adds every sample of `other` (bin by bin, over its occupied range). */
  merge(other: Histogram): void {
    if (!other.count) return;
    const to = binOf(other.max);
    for (let i = binOf(other.min); i <= to; i++) this.counts[i] = (this.counts[i] as number) + (other.counts[i] as number);
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  /**
   * Several quantiles in one pass (qs ascending, each in (0, 1)): the value below which a
   * fraction q of the samples lie.
   */
  quantiles(qs: readonly number[]): number[] {
    return quantilesOf([this], qs);
  }
}

/**
 * Quantiles of the union of several histograms' samples (qs ascending, each in (0, 1)),
 * interpolated linearly inside a bin and clamped to the observed minimum and maximum.
 */
export function quantilesOf(hs: readonly Histogram[], qs: readonly number[]): number[] {
  const out = qs.map(() => 0);
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const h of hs) {
    if (!h.count) continue;
    count += h.count;
    min = Math.min(min, h.min);
    max = Math.max(max, h.max);
  }
  if (!count) return out;
  let k = 0;
  let cum = 0;
  const last = binOf(max);
  for (let i = binOf(min); i <= last && k < qs.length; i++) {
    let c = 0;
    for (const h of hs) c += h.counts[i] as number;
    if (!c) continue;
    while (k < qs.length && cum + c >= (qs[k] as number) * count) {
      const frac = ((qs[k] as number) * count - cum) / c;
      const lo = binLow(i);
      const hi = binLow(i + 1);
      out[k] = Math.min(max, Math.max(min, lo + frac * (hi - lo)));
      k++;
    }
    cum += c;
  }
  for (; k < qs.length; k++) out[k] = max;
  return out;
}
