/**
 * Phase-type stand-ins for an own time given by its mean and cv² (or its first three moments),
 * for the M/PH/c/K chain (mphck.ts): a mixed Erlang(k − 1)/Erlang(k) below cv² 1 (Tijms, §2.3),
 * a hyperexponential above.
 */

/** A phase-type own time: start in phase j with prob alpha[j]; phase i moves to i + 1 at next[i], leaves at exit[i]. */
export interface PhaseType {
  alpha: Float64Array;
  exit: Float64Array;
  next: Float64Array;
  /** The PH is the own time itself (an Erlang of a whole-number shape), not a two-moment stand-in. */
  exact: boolean;
}

/**
 * Most (K + 1) × size³ the level reduction may take (about 4 multiply-adds each: ≈ 0.3 ms). The canvas
 * recomputes every replica class on an edit (hundreds on a large design), so the cap is the per-edit budget.
 */
export const WORK_CAP = 8e4;
/** The largest Erlang order tried (cv 0.125; smaller cvs take it). */
const MAX_ORDER = 64;

const binom = (n: number, k: number) => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

/**
 * The two-moment PH for a mean and cv² ≠ 1 with `workers` workers and K places, Erlang order
 * capped by WORK_CAP; null when not even two phases fit.
 */
export function phaseFit(mean: number, cv2: number, workers: number, K: number, m3?: number): PhaseType | null {
  if (cv2 > 1 && m3 !== undefined) {
    const h = h2ThreeMoments(mean, mean * mean * (1 + cv2), m3);
    if (h) return h;
  }
  if (cv2 > 1) {
    const p1 = (1 + Math.sqrt((cv2 - 1) / (cv2 + 1))) / 2;
    return {
      alpha: Float64Array.of(p1, 1 - p1),
      exit: Float64Array.of((2 * p1) / mean, (2 * (1 - p1)) / mean),
      next: Float64Array.of(0, 0),
      exact: false,
    };
  }
  let k = Math.max(2, Math.min(MAX_ORDER, Math.ceil(1 / Math.max(cv2, 1e-9) - 1e-9)));
  const size = (kk: number) => binom(workers + kk - 1, kk - 1);
  while (k > 2 && (K + 1) * size(k) ** 3 > WORK_CAP) k--;
  if ((K + 1) * size(k) ** 3 > WORK_CAP) return null;
  const target = Math.max(cv2, 1 / k);
  // Erlang(k − 1) w.p. p, Erlang(k) otherwise, one rate (p = 0: a pure Erlang-k).
  const p = Math.max(0, (k * target - Math.sqrt(Math.max(0, k * (1 + target) - k * k * target))) / (1 + target));
  const rate = (k - p) / mean;
  const alpha = new Float64Array(k);
  alpha[0] = 1 - p;
  alpha[1] = (alpha[1] as number) + p;
  const exit = new Float64Array(k);
  exit[k - 1] = rate;
  const next = new Float64Array(k).fill(rate);
  next[k - 1] = 0;
  const whole = Math.abs(1 / cv2 - Math.round(1 / cv2)) < 1e-9 && Math.round(1 / cv2) === k;
  return { alpha, exit, next, exact: whole };
}

/**
 * The hyperexponential with the first three moments m1, m2, m3: phase means a, b with weights p, 1 − p
 * are the two-point "quadrature" of r_k = m_k/k! (r_k = p·a^k + (1 − p)·b^k): a, b are the roots of
 * x² − s·x + t with s = (r1·r2 − r3)/(r1² − r2), t = s·r1 − r2 (Whitt, "Approximating a point process by a
 * renewal process", Oper. Res. 30(1), 1982). null where no H2 has them (m3 < 1.5·m2²/m1).
 */
export function h2ThreeMoments(m1: number, m2: number, m3: number): PhaseType | null {
  const r1 = m1;
  const r2 = m2 / 2;
  const r3 = m3 / 6;
  const den = r1 * r1 - r2;
  if (!(den < 0)) return null;
  const s = (r1 * r2 - r3) / den;
  const t = s * r1 - r2;
  const disc = s * s - 4 * t;
  if (!(disc > 0) || !(t > 0)) return null;
  const a = (s + Math.sqrt(disc)) / 2;
  const b = (s - Math.sqrt(disc)) / 2;
  const p = (r1 - b) / (a - b);
  if (!(b > 0) || !(p > 0 && p < 1)) return null;
  return { alpha: Float64Array.of(p, 1 - p), exit: Float64Array.of(1 / a, 1 / b), next: Float64Array.of(0, 0), exact: false };
}
