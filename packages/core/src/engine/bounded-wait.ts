/**
 * The wait of an admitted request at a one-worker bounded queue (M/G/1/K, queue/mg1k.ts) on
 * the lattice, exactly up to the lattice.
 *
 * An admitted arrival that finds n ≥ 1 waits for the residual own time R of the request in
 * service, then n − 1 whole own times. R depends on n: a long service lets more arrive. By the
 * supplementary-variable argument (the time average seen by Poisson arrivals, PASTA), the
 * chance of finding n with elapsed service x and residual r is proportional to
 *   Σ_{i=1…n} s_i · Pois(n − i; λx) · g(x + r),
 * s_i the share of services that start with i present (s_1 = π_0 + π_1: a departure that leaves
 * the queue empty starts the next service with one; s_i = π_i) and g the own-time density; its
 * mass over (x, r) is π_n. So with H_j(r) = ∫ Pois(j; λx) g(x + r) dx,
 *   f_n(r) = Σ_{j<n} s_{n−j} H_j(r),   W = π_0·δ_0 + Σ_{n≥1} f_n ∗ g^{∗(n−1)},
 * put together by Horner's rule (f_1 + g ∗ (f_2 + g ∗ (f_3 + …))), one convolution per n. On the
 * lattice the elapsed/residual split of a service of m steps takes the uniform's triangular
 * kernel (half weight at both ends), and each f_n is rescaled to its exact mass π_n.
 */
import { convolve } from '../distribution/fft.ts';
import { coarsen, gammaLattice, type Lattice, MAX_POINTS, MIN_GAMMA_CV, mix, normalize, stepFor } from '../distribution/lattice.ts';
import type { GammaPart } from '../queue/mg1k.ts';
import { lnGamma } from '../queue/special.ts';

/** Masses below this share are cut from the running sum's tail (far below the lattice's 1e-10). */
const TRIM = 1e-16;

/** The one-service support the lattice code keeps (gammaLattice's range: the mean plus the tail to 1e-10). */
function support(p: GammaPart): number {
  return p.cv < MIN_GAMMA_CV ? p.mean : p.mean * (1 + p.cv * Math.max(6.5, 23.03 * p.cv));
}

/**
 * The admitted wait at an M/G/1/K replica: λ per ms, own time the gamma mixture `parts`, `seen`
 * what an admitted arrival finds (queue/mg1k.ts). Masses from 0.
 */
export function mg1kWait(lambda: number, parts: readonly GammaPart[], seen: Float64Array): Lattice {
  const nMax = seen.length - 1;
  let mean = 0;
  let m2 = 0;
  let one = 0;
  for (const p of parts) {
    mean += p.weight * p.mean;
    m2 += p.weight * p.mean * p.mean * (1 + (p.cv < MIN_GAMMA_CV ? 0 : p.cv * p.cv));
    one = Math.max(one, support(p));
  }
  if (nMax < 1) return { k: stepFor(mean), lo: 0, p: Float64Array.of(1) };
  const sd = Math.sqrt(Math.max(0, m2 - mean * mean));
  const k = stepFor(one + (nMax - 1) * mean + 8 * Math.sqrt(nMax) * sd, MAX_POINTS);
  const dt = 2 ** k;
  const gl = mix(parts.map((p) => ({ weight: p.weight, dist: gammaLattice(p.mean, p.cv, k) })));
  const M = gl.lo + gl.p.length;
  const g = new Float64Array(M);
  g.set(gl.p, gl.lo);
  // H_j(l), j < nMax, l < M: Σ_a Pois(j; λ·a·dt)·g[l + a]·(½ at a = 0 and a = m, else 1).
  const H = new Float64Array(nMax * M);
  const pois = new Float64Array(nMax);
  for (let a = 0; a < M; a++) {
    const x = lambda * a * dt;
    const spread = 12 * Math.sqrt(x) + 10;
    const jLo = Math.max(0, Math.floor(x - spread));
    const jHi = Math.min(nMax - 1, Math.ceil(x + spread));
    if (jLo > jHi) continue;
    if (x === 0) pois[0] = 1;
    else {
      const lnX = Math.log(x);
      for (let j = jLo; j <= jHi; j++) pois[j] = Math.exp(-x + j * lnX - lnGamma(j + 1));
    }
    for (let m = Math.max(a, 1); m < M; m++) {
      const gm = (g[m] as number) * (a === 0 || a === m ? 0.5 : 1);
      if (gm === 0) continue;
      const l = m - a;
      for (let j = jLo; j <= jHi; j++) H[j * M + l] = (H[j * M + l] as number) + gm * (pois[j] as number);
    }
  }
  // f_n = Σ_{j<n} s_{n−j} H_j, rescaled to mass π_n; Horner from the longest line down.
  let acc: Float64Array = new Float64Array(0);
  const f = new Float64Array(M);
  for (let n = nMax; n >= 1; n--) {
    f.fill(0);
    for (let j = 0; j < n; j++) {
      const s = n - j === 1 ? (seen[0] as number) + (seen[1] as number) : (seen[n - j] as number);
      if (s === 0) continue;
      const row = j * M;
      for (let l = 0; l < M; l++) f[l] = (f[l] as number) + s * (H[row + l] as number);
    }
    let mass = 0;
    for (let l = 0; l < M; l++) mass += f[l] as number;
    const scale = mass > 0 ? (seen[n] as number) / mass : 0;
    const next = acc.length ? convolve(g, acc) : new Float64Array(M);
    const out = next.length >= M ? next : new Float64Array(M);
    if (out !== next) out.set(next);
    for (let l = 0; l < M; l++) out[l] = (out[l] as number) + scale * (f[l] as number);
    acc = trimTail(out);
  }
  const p = new Float64Array(acc.length);
  p.set(acc);
  p[0] = (p[0] as number) + (seen[0] as number);
  let out = normalize({ k, lo: 0, p });
  while (out.p.length > MAX_POINTS) out = coarsen(out);
  return out;
}

/** Drops the tail whose total mass is below TRIM of the whole. */
function trimTail(a: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] as number;
  let end = a.length;
  let cut = 0;
  while (end > 1 && cut + (a[end - 1] as number) < TRIM * total) cut += a[--end] as number;
  return end === a.length ? a : a.subarray(0, end);
}
