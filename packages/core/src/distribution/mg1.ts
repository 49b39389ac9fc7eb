/**
 * The M/G/1 waiting time on a lattice, exactly (up to the lattice): the Pollaczek–Khinchine
 * (Beneš) form W = R₁ + … + R_N, N geometric with P(N = n) = (1 − ρ)ρⁿ, Rᵢ independent copies
 * of the service's equilibrium residual (density P(S > x)/E[S]). A compound geometric sum on a
 * lattice is Panjer's recursion: g₀ = (1 − ρ)/(1 − ρr₀), gᵢ = ρ/(1 − ρr₀) · Σⱼ rⱼ gᵢ₋ⱼ.
 *
 * Own times are gamma mixtures (a cached service's hit/miss), each with its mean and cv. The
 * residual is put on the lattice from H_R(x) = E[min(R, x)] with the triangular kernel (so its
 * mean is exact), which needs J(x) = ∫₀ˣ E[min(S, u)] du, closed form for a gamma:
 * J(x) = x·E[S; S < x] − E[S²; S < x]/2 + x²/2·P(S ≥ x).
 */
import { gammaP, gammaQ } from '../queue/special.ts';
import { fromH, type Lattice, stepFor } from './lattice.ts';

export interface GammaPart {
  weight: number;
  mean: number;
  cv: number;
}

/** Residual tail past which the waiting time is cut (the same 1e-10 as the rest of the lattice code). */
const EPS = 1e-10;
/** Most points the recursion may fill before it coarsens and starts again (cost ≤ this × residual length). */
const MAX_WAIT_POINTS = 4096;

function partMoments(parts: readonly GammaPart[]): { m1: number; m2: number } {
  let m1 = 0;
  let m2 = 0;
  for (const p of parts) {
    m1 += p.weight * p.mean;
    m2 += p.weight * p.mean * p.mean * (1 + p.cv * p.cv);
  }
  return { m1, m2 };
}

/** E[min(S, x)] for one gamma part. */
function hGamma(p: GammaPart, x: number): number {
  if (p.cv <= 0) return Math.min(p.mean, x);
  const k = 1 / (p.cv * p.cv);
  const r = k / p.mean;
  return p.mean * gammaP(k + 1, r * x) + x * gammaQ(k, r * x);
}

/** ∫₀ˣ E[min(S, u)] du for one gamma part. */
function jGamma(p: GammaPart, x: number): number {
  if (p.cv <= 0) return x < p.mean ? (x * x) / 2 : p.mean * x - (p.mean * p.mean) / 2;
  const k = 1 / (p.cv * p.cv);
  const r = k / p.mean;
  const rx = r * x;
  return x * p.mean * gammaP(k + 1, rx) - (p.mean * p.mean * (1 + p.cv * p.cv) * gammaP(k + 2, rx)) / 2 + ((x * x) / 2) * gammaQ(k, rx);
}

/** The equilibrium residual of a gamma mixture on the lattice with step 2^k. */
export function residualLattice(parts: readonly GammaPart[], k: number): Lattice {
  const { m1 } = partMoments(parts);
  const H = (x: number) => {
    let s = 0;
    for (const p of parts) s += p.weight * (p.mean * x - jGamma(p, x));
    return s / m1;
  };
  const surv = (x: number) => {
    let s = 0;
    for (const p of parts) s += p.weight * (p.mean - hGamma(p, x));
    return Math.max(0, s / m1);
  };
  // The cut looks two steps back: a residual with a hard end (a fixed own time) keeps its last point.
  const dt = 2 ** k;
  return fromH(H, (x) => surv(Math.max(0, x - 2 * dt)), k);
}

/**
 * The waiting time of an M/G/1 queue at utilization rho < 1 whose service time is the mixture
 * `parts` (P(W = 0) = 1 − ρ). On the lattice it returns, masses from 0.
 */
export function mg1Wait(parts: readonly GammaPart[], rho: number): Lattice {
  const { m1 } = partMoments(parts);
  let maxCv = 0;
  for (const p of parts) maxCv = Math.max(maxCv, p.cv);
  // Where the residual's own tail ends.
  // (a gamma residual of shape k decays like e^{−kx/m}: 23 m/k = 23 m cv² to 1e-10).
  const rRange = m1 * (1 + Math.max(6.5, 23 * maxCv * maxCv));
  // The step follows the residual alone (not ρ), so figures move smoothly with the load; the
  // recursion coarsens only when the wait outgrows MAX_WAIT_POINTS (ρ near 1).
  let k = stepFor(rRange, 512);
  for (;;) {
    const r = residualLattice(parts, k);
    const g = panjer(r.p, rho);
    // The residual may come back coarser than asked (a long-tailed mixture past MAX_POINTS): its step is the wait's.
    if (g) return { k: r.k, lo: 0, p: g };
    k = r.k + 1;
  }
}

/** Compound geometric on a lattice by Panjer's recursion; null when it would need more than MAX_WAIT_POINTS. */
function panjer(r: Float64Array, rho: number): Float64Array | null {
  const r0 = r[0] as number;
  const a = rho / (1 - rho * r0);
  const out = new Float64Array(MAX_WAIT_POINTS);
  out[0] = (1 - rho) / (1 - rho * r0);
  let cum = out[0] as number;
  const L = r.length;
  for (let i = 1; i < MAX_WAIT_POINTS; i++) {
    let s = 0;
    const top = Math.min(i, L - 1);
    for (let j = 1; j <= top; j++) s += (r[j] as number) * (out[i - j] as number);
    const g = a * s;
    out[i] = g;
    cum += g;
    if (1 - cum < EPS && i > 2) {
      const p = out.slice(0, i + 1);
      for (let t = 0; t <= i; t++) p[t] = (p[t] as number) / cum;
      return p;
    }
  }
  return null;
}
