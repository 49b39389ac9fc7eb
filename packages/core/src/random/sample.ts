/**
 * Draws from the distributions the model uses, given an `Rng`: exponential, gamma by mean and
 * coefficient of variation (cv 1 = exponential, cv 0 = fixed), standard normal.
 */
import type { Rng } from './rng.ts';

/** An exponential draw with the given mean (1 − u keeps the logarithm finite). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** A standard normal draw (Marsaglia's polar method). */
export function normal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * A gamma draw with the given mean and coefficient of variation: shape k = 1/cv², scale
 * mean·cv². cv 0 returns the mean itself; cv 1 is exponential. Marsaglia–Tsang (2000), with
 * the usual boost for shape < 1.
 */
export function gamma(rng: Rng, mean: number, cv: number): number {
  // Below 1e-6 the draw is the mean to 12 digits, and 1/cv² could overflow to Infinity (and the draw to NaN).
  if (cv < 1e-6) return mean;
  if (cv === 1) return exponential(rng, mean);
  const k = 1 / (cv * cv);
  const scale = mean / k;
  return standardGamma(rng, k) * scale;
}

function standardGamma(rng: Rng, k: number): number {
  if (k < 1) {
    // X_k = X_{k+1} · U^{1/k}
    const u = 1 - rng.next();
    return standardGamma(rng, k + 1) * u ** (1 / k);
  }
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
