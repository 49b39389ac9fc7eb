/**
 * Confidence intervals from independent replications (MODEL.md §2 "Cross-check": 99 %).
 *
 * Two kinds of figure:
 * - **Ratios and rates** (a replica's arrival rate, utilization, mean sojourn, wait probability):
 *   each replication contributes a numerator and a denominator (sojourn total and count, say).
 *   The estimate is the pooled ratio Σnum / Σden, not the mean of per-replication ratios: a
 *   replication that saw more requests weighs more, as it should (averaging ratios gives a quiet
 *   replication the same weight as a busy one, and busy replications have the long sojourns).
 *   Its interval is the ratio estimator's (delta method over the independent replications).
 * - **Distributions** (an entry's latency, a service's sojourn): see {@link SectionedDistribution}.
 */
import { at } from '../checked.ts';
import { Histogram, quantilesOf } from './histogram.ts';

/** Two-sided 99 % Student t critical values t(0.995, ν) for ν = 1…30. */
const T995 = [
  63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831,
  2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75,
];
const Z995 = 2.5758293035489;

/** t(0.995, ν): the table up to 30, then the Cornish–Fisher expansion around the normal. */
export function t995(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return at(T995, Math.floor(df) - 1);
  const z = Z995;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface Estimate {
  mean: number;
  /** Half-width of the 99 % interval (+∞ with fewer than two independent sections). */
  halfWidth: number;
  /** Independent replications or sections behind the estimate. */
  n: number;
}

/** Student's t interval of a point estimate from n independent sections' squared deviations. */
function estimate(point: number, sumSq: number, n: number, scale = 1): Estimate {
  if (n < 2) return { mean: point, halfWidth: Number.POSITIVE_INFINITY, n };
  return { mean: point, halfWidth: (t995(n - 1) * Math.sqrt(sumSq / (n - 1) / n)) / scale, n };
}

/**
 * One numerator and one denominator per replication for each figure (den 0 where the
 * replication has no value; den 1 for a rate), kept as running sums so an estimate costs the
 * same after ten replications as after a thousand.
 */
export class RatioFigures {
  private readonly n: Float64Array;
  private readonly sn: Float64Array;
  private readonly sd: Float64Array;
  private readonly snn: Float64Array;
  private readonly snd: Float64Array;
  private readonly sdd: Float64Array;
  count = 0;

  constructor(readonly width: number) {
    this.n = new Float64Array(width);
    this.sn = new Float64Array(width);
    this.sd = new Float64Array(width);
    this.snn = new Float64Array(width);
    this.snd = new Float64Array(width);
    this.sdd = new Float64Array(width);
  }

  add(num: Float64Array, den: Float64Array): void {
    this.count++;
    for (let i = 0; i < this.width; i++) {
      const d = at(den, i);
      if (!(d > 0)) continue;
      const v = at(num, i);
      this.n[i] = at(this.n, i) + 1;
      this.sn[i] = at(this.sn, i) + v;
      this.sd[i] = at(this.sd, i) + d;
      this.snn[i] = at(this.snn, i) + v * v;
      this.snd[i] = at(this.snd, i) + v * d;
      this.sdd[i] = at(this.sdd, i) + d * d;
    }
  }

  estimate(i: number): Estimate {
    const n = at(this.n, i);
    if (n === 0) return { mean: Number.NaN, halfWidth: Number.POSITIVE_INFINITY, n: 0 };
    const sd = at(this.sd, i);
    const ratio = at(this.sn, i) / sd;
    // Σ(num − R·den)², expanded; rounding can leave a hair below zero when every replication agrees.
    const ss = Math.max(0, at(this.snn, i) - 2 * ratio * at(this.snd, i) + ratio * ratio * at(this.sdd, i));
    return estimate(ratio, ss, n, sd / n);
  }
}

/** The percentiles every distribution reports. */
export const QS = [0.5, 0.95, 0.99] as const;

export interface DistributionEstimate {
  mean: Estimate;
  p50: Estimate;
  p95: Estimate;
  p99: Estimate;
  /** Samples behind the point estimates. */
  samples: number;
  /** The smallest and largest sample: the only honest bounds before two sections exist. */
  range: [number, number];
}

/**
 * A latency distribution estimated by **sectioning** (Asmussen & Glynn, *Stochastic Simulation*,
 * §III.5a; Nakayama 2014 for quantiles). The point estimate of every percentile comes from the
 * histogram merged over all replications, so it converges to the true value as the run grows:
 * averaging each replication's own P99 instead converges to the mean of a short run's P99,
 * which sits below the truth (a replication with few samples of an entry, or shorter than its
 * busy periods, rarely sees the tail). The interval comes from the spread of independent
 * sections, each `group` consecutive replications, around that merged estimate:
 * half-width t(n−1) · √(Σ(qⱼ − q̂)² / (n(n−1))). Deviations are taken from the merged estimate,
 * not from the sections' own mean, so whatever small-sample bias a section still has widens the
 * interval instead of shifting it. `group` is chosen so a section holds enough samples for its
 * own P99 (sizing.ts). The simulator writes into {@link current}; a replication counts only once
 * it has finished (a cancelled one leaves no trace).
 */
export class SectionedDistribution {
  /** The replication being simulated (the simulator adds to it). */
  readonly current = new Histogram();
  /** Finished replications of the section being filled (only when sections span several). */
  private readonly open: Histogram | null;
  private readonly closed = new Histogram();
  /** Per closed section: count, sum, P50, P95, P99. */
  private readonly sections: number[] = [];
  private inSection = 0;

  constructor(readonly group: number) {
    this.open = group > 1 ? new Histogram() : null;
  }

  /** Called after every replication: closes the section after `group` of them. */
  endReplication(): void {
    let h = this.current;
    if (this.open) {
      this.open.merge(h);
      h.reset();
      if (++this.inSection < this.group) return;
      this.inSection = 0;
      h = this.open;
    }
    if (h.count > 0) this.sections.push(h.count, h.sum, ...h.quantiles(QS));
    this.closed.merge(h);
    h.reset();
  }

  get sectionCount(): number {
    return this.sections.length / 5;
  }

  /** Null before any sample. */
  estimate(): DistributionEstimate | null {
    const parts = this.open ? [this.closed, this.open] : [this.closed];
    const samples = parts.reduce((n, h) => n + h.count, 0);
    if (!samples) return null;
    const point = quantilesOf(parts, QS);
    const mean = parts.reduce((n, h) => n + h.sum, 0) / samples;
    const s = this.sections;
    const n = s.length / 5;
    let ssMean = 0;
    const ssQ = [0, 0, 0];
    for (let j = 0; j < s.length; j += 5) {
      ssMean += (at(s, j + 1) - mean * at(s, j)) ** 2;
      for (let k = 0; k < 3; k++) ssQ[k] = at(ssQ, k) + (at(s, j + 2 + k) - at(point, k)) ** 2;
    }
    // The mean is a ratio (sum over count) across sections of random size: the delta-method interval.
    const meanCount = n > 0 ? this.closed.count / n : 1;
    return {
      mean: estimate(mean, ssMean, n, meanCount),
      p50: estimate(at(point, 0), at(ssQ, 0), n),
      p95: estimate(at(point, 1), at(ssQ, 1), n),
      p99: estimate(at(point, 2), at(ssQ, 2), n),
      samples,
      range: [Math.min(...parts.map((h) => h.min)), Math.max(...parts.map((h) => h.max))],
    };
  }
}

/**
 * An interval that never reaches below zero (every figure here is a time or a rate); `fallback`
 * where there is no interval yet (fewer than two sections).
 */
export function interval(e: Estimate, fallback: [number, number] = [0, 0]): [number, number] {
  if (!Number.isFinite(e.halfWidth)) return fallback;
  return [Math.max(0, e.mean - e.halfWidth), e.mean + e.halfWidth];
}
