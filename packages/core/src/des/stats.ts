/**
 * Confidence intervals from independent replications. Each replication yields one estimate of
 * every figure (its own mean, P50, P95, P99…); the replications are independent and identically
 * distributed, so Student's t over them gives an honest interval even though sojourns inside
 * one replication are autocorrelated (the reason not to use within-run order statistics).
 */

/** Two-sided 99 % Student t critical values t(0.995, ν) for ν = 1…30. */
const T995 = [
  63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831,
  2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75,
];
const Z995 = 2.5758293035489;

/** t(0.995, ν): the table up to 30, then the Cornish–Fisher expansion around the normal. */
export function t995(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T995[Math.floor(df) - 1] as number;
  const z = Z995;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface Estimate {
  mean: number;
  /** Half-width of the 99 % interval (0 with fewer than two replications). */
  halfWidth: number;
  n: number;
}

/**
 * Collects one row of figures per replication (NaN where a replication has no value) and
 * summarises each figure over the replications.
 */
export class Replications {
  readonly rows: Float64Array[] = [];
  constructor(readonly width: number) {}

  add(row: Float64Array): void {
    this.rows.push(row);
  }

  get count(): number {
    return this.rows.length;
  }

  estimate(i: number): Estimate {
    let n = 0;
    let sum = 0;
    for (const r of this.rows) {
      const v = r[i] as number;
      if (!Number.isNaN(v)) {
        n++;
        sum += v;
      }
    }
    if (n === 0) return { mean: Number.NaN, halfWidth: 0, n: 0 };
    const mean = sum / n;
    if (n < 2) return { mean, halfWidth: 0, n };
    let ss = 0;
    for (const r of this.rows) {
      const v = r[i] as number;
      if (!Number.isNaN(v)) ss += (v - mean) ** 2;
    }
    return { mean, halfWidth: (t995(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n), n };
  }
}

/** An interval that never reaches below zero (every figure here is a time or a rate). */
export function interval(e: Estimate): [number, number] {
  return [Math.max(0, e.mean - e.halfWidth), e.mean + e.halfWidth];
}
