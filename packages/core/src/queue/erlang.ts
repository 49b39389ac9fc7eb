/**
 * Erlang B and C, and the M/M/c figures built on them. Stable for c up to 10,000 and beyond:
 * the Erlang B recursion B(k) = a·B(k−1)/(k + a·B(k−1)) never overflows (every term is a
 * probability), unlike the textbook sum of a^k/k!.
 */

/** Erlang B: blocking probability of c servers offered a = λ/μ erlangs. */
export function erlangB(c: number, a: number): number {
  if (a <= 0) return 0;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang C: the probability that an arrival waits, for c servers offered a = λ/μ erlangs.
 * 1 when a ≥ c (the queue grows without bound).
 */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= c) return 1;
  const b = erlangB(c, a);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/** Figures of an M/M/c queue (rates in any one unit, times in its inverse). */
export interface MmcFigures {
  /** ρ = λ/(cμ). */
  rho: number;
  /** Wait probability (Erlang C). */
  C: number;
  /** Mean wait in queue. */
  Wq: number;
  /** Mean sojourn (wait + service). */
  W: number;
  /** Mean number waiting. */
  Lq: number;
  /** Mean number in the system. */
  L: number;
}

/** M/M/c figures; throws on ρ ≥ 1 (callers check saturation first). */
export function mmc(lambda: number, mu: number, c: number): MmcFigures {
  const a = lambda / mu;
  const rho = a / c;
  if (!(rho < 1)) throw new RangeError(`M/M/${c} with ρ = ${rho} has no steady state`);
  const C = erlangC(c, a);
  const Wq = lambda > 0 ? C / (c * mu - lambda) : 0;
  const W = Wq + 1 / mu;
  return { rho, C, Wq, W, Lq: lambda * Wq, L: lambda * W };
}
