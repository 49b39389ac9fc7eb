/**
 * Latency distributions as masses on a lattice (histogram convolution, MODEL.md §2
 * "End-to-end latency"). A distribution holds masses at the points (lo + i)·dt, dt = 2^k ms.
 *
 * Why this shape:
 * - Continuous distributions are put on the lattice with the triangular (linear) kernel:
 *   the mass at point i is ∫ max(0, 1 − |x/dt − i|) f(x) dx. That keeps the mean exact, and a
 *   sum of lattice variables is again on the lattice, so convolution adds no error of its own.
 *   It is computed from H(x) = E[min(X, x)] as −(H(x₊) − 2H(x) + H(x₋))/dt.
 * - Each distribution picks its own step (a power of two) from its spread, so a 0.3 ms cache
 *   hit and a 120 ms payment processor are both resolved; combining two aligns them on the
 *   coarser step (merging pairs of points with the same kernel, which keeps the mean), and a
 *   result longer than MAX_POINTS is coarsened. Percentile error is O(dt²) for smooth
 *   densities: with at least 128 points over the support (to a 1e-13 tail), far below the 2 % the tests ask.
 * - Masses below 1e-13 at either end are dropped (and the rest renormalized).
 */
import { gammaP, gammaQ } from '../queue/special.ts';
import { convolve } from './fft.ts';

export interface Lattice {
  /** dt = 2^k ms. */
  k: number;
  /** Lattice index of p[0]: mass p[i] sits at (lo + i)·dt. */
  lo: number;
  p: Float64Array;
}

/** Points a leaf distribution aims for over its range (its mean plus the tail down to 1e-10); results stay ≤ MAX_POINTS. */
export const LEAF_POINTS = 256;
export const MAX_POINTS = 512;
const EPS = 1e-10;
/** The smallest cv given a gamma shape on the lattice (see gammaLattice). */
export const MIN_GAMMA_CV = 1e-3;
/** −ln(EPS): how many means an exponential tail runs before it is dropped. */
const TAIL = -Math.log(EPS);

export const dtOf = (k: number): number => 2 ** k;

/** The step for a range: the smallest power of two with range/dt ≤ points. */
export function stepFor(range: number, points = LEAF_POINTS): number {
  if (!(range > 0)) return -40;
  return Math.ceil(Math.log2(range / points));
}

/** A fixed value d ≥ 0 (split between its two neighbouring points; the mean stays d). */
export function pointMass(d: number, k: number): Lattice {
  return shift({ k, lo: 0, p: Float64Array.of(1) }, d);
}

/** Zero: the distribution of a step that does nothing. */
export function zero(k = -40): Lattice {
  return { k, lo: 0, p: Float64Array.of(1) };
}

/**
 * Puts a non-negative random variable on the lattice with step 2^k from H(x) = E[min(X, x)],
 * out to where the survival `surv` falls below 1e-13.
 */
export function fromH(H: (x: number) => number, surv: (x: number) => number, k: number): Lattice {
  const dt = dtOf(k);
  const out: number[] = [];
  let hPrev = 0; // H(x_{i−1}); H(−dt) is taken as −dt so the point at 0 gets 1 − H(dt)/dt.
  let hCur = 0; // H(0)
  for (let i = 0; i < 1_000_000; i++) {
    const x = (i + 1) * dt;
    const hNext = H(x);
    const mass = i === 0 ? 1 - hNext / dt : -(hNext - 2 * hCur + hPrev) / dt;
    out.push(mass > 0 ? mass : 0);
    hPrev = hCur;
    hCur = hNext;
    if (i > 2 && surv(x) < EPS) break;
  }
  return limit(normalize({ k, lo: 0, p: Float64Array.from(out) }));
}

/** A gamma with the given mean and cv (cv 0: fixed; cv 1: exponential), on a step fit to its kept support. */
export function gammaLattice(mean: number, cv: number, k = stepFor(mean * (1 + cv * Math.max(6.5, TAIL * cv)))): Lattice {
  // Below cv 1e-3 the spread (< 0.1 % of the mean) is finer than the step (≥ 1/256 of it), and the incomplete
  // gammas of shape 1/cv² > 10⁶ would not converge in their iteration caps: it is a fixed value here.
  if (cv < MIN_GAMMA_CV) return pointMass(mean, k);
  if (cv === 1) return expWait(zero(k), 1, 1 / mean);
  const shape = 1 / (cv * cv);
  const r = shape / mean;
  return fromH(
    (x) => mean * gammaP(shape + 1, r * x) + x * gammaQ(shape, r * x),
    (x) => gammaQ(shape, r * x),
    k,
  );
}

/**
 * a + W where W is 0 with probability 1 − C and exponential (rate θ per ms) with probability
 * C: the queue wait of MODEL.md's stations. The discretized exponential is geometric past its
 * first point, so the convolution is a first-order recursive filter: O(length), no FFT.
 */
export function expWait(a0: Lattice, C: number, theta: number): Lattice {
  if (!(C > 0) || !(theta > 0) || !Number.isFinite(theta)) return a0;
  // Coarsen first if the exponential tail would not fit (TAIL means of the wait).
  const tailRange = TAIL / theta;
  let a = a0;
  while (a.p.length + tailRange / dtOf(a.k) > MAX_POINTS && a.p.length > 1) a = coarsen(a);
  if (a.p.length === 1) a = coarsenTo(a, Math.max(a.k, stepFor(tailRange, LEAF_POINTS)));
  const dt = dtOf(a.k);
  const u = theta * dt;
  const q = Math.exp(-u);
  const oneMinusQ = -Math.expm1(-u);
  const m0 = u < 1e-4 ? u / 2 - (u * u) / 6 + (u * u * u) / 24 : 1 - oneMinusQ / u; // 1 − (1−q)/u
  const m1 = (oneMinusQ * oneMinusQ) / u; // mass at the first point past 0, then × q per point
  const tail = q > 0 ? Math.min(1_000_000, Math.ceil(Math.log(EPS) / Math.log(q))) : 1;
  const n = a.p.length + tail;
  const out = new Float64Array(n);
  let acc = 0; // Σ_{j≥1} q^{j−1} x_{i−j}
  for (let i = 0; i < n; i++) {
    const xi = i < a.p.length ? (a.p[i] as number) : 0;
    const prev = i >= 1 && i - 1 < a.p.length ? (a.p[i - 1] as number) : 0;
    acc = i === 0 ? 0 : prev + q * acc;
    const conv = m0 * xi + m1 * acc;
    out[i] = (1 - C) * xi + C * conv;
  }
  return limit(normalize({ k: a.k, lo: a.lo, p: out }));
}

/** Halves the resolution: a point at an odd index splits evenly between its neighbours. */
export function coarsen(a: Lattice): Lattice {
  const first = a.lo;
  const last = a.lo + a.p.length - 1;
  const lo = Math.floor(first / 2);
  const hi = Math.ceil(last / 2);
  const out = new Float64Array(hi - lo + 1);
  for (let i = 0; i < a.p.length; i++) {
    const j = a.lo + i;
    const m = a.p[i] as number;
    if (m === 0) continue;
    if ((j & 1) === 0) out[j / 2 - lo] = (out[j / 2 - lo] as number) + m;
    else {
      const l = (j - 1) / 2 - lo;
      out[l] = (out[l] as number) + m / 2;
      out[l + 1] = (out[l + 1] as number) + m / 2;
    }
  }
  return { k: a.k + 1, lo, p: out };
}

export function coarsenTo(a: Lattice, k: number): Lattice {
  let out = a;
  while (out.k < k) out = coarsen(out);
  return out;
}

/** Keeps a result within MAX_POINTS by coarsening. */
function limit(a: Lattice): Lattice {
  let out = a;
  while (out.p.length > MAX_POINTS) out = coarsen(out);
  return out;
}

/** Drops negligible masses at both ends and rescales to total 1 (in place: every caller passes a fresh array). */
export function normalize(a: Lattice): Lattice {
  const p0 = a.p;
  let total = 0;
  for (let i = 0; i < p0.length; i++) total += p0[i] as number;
  if (!(total > 0)) return { k: a.k, lo: 0, p: Float64Array.of(1) };
  const cut = EPS * total;
  let first = 0;
  let acc = 0;
  while (first < p0.length - 1 && acc + (p0[first] as number) < cut) acc += p0[first++] as number;
  let last = p0.length - 1;
  let accHi = 0;
  while (last > first && accHi + (p0[last] as number) < cut) accHi += p0[last--] as number;
  const p = first === 0 && last === p0.length - 1 ? p0 : p0.subarray(first, last + 1);
  const scale = 1 / (total - acc - accHi);
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) * scale;
  return { k: a.k, lo: a.lo + first, p };
}

/** X + d for a constant d ≥ 0, splitting each mass between the two nearest points. */
export function shift(a: Lattice, d: number): Lattice {
  if (!(d > 0)) return a;
  const steps = d / dtOf(a.k);
  const whole = Math.floor(steps);
  const frac = steps - whole;
  if (frac < 1e-12) return { k: a.k, lo: a.lo + whole, p: a.p };
  const out = new Float64Array(a.p.length + 1);
  for (let i = 0; i < a.p.length; i++) {
    const m = a.p[i] as number;
    out[i] = (out[i] as number) + m * (1 - frac);
    out[i + 1] = (out[i + 1] as number) + m * frac;
  }
  return limit({ k: a.k, lo: a.lo + whole, p: out });
}

/** X + Y for independent X, Y. */
export function add(a: Lattice, b: Lattice): Lattice {
  const k = Math.max(a.k, b.k);
  const x = coarsenTo(a, k);
  const y = coarsenTo(b, k);
  if (x.p.length === 1 && x.p[0] === 1) return { k, lo: x.lo + y.lo, p: y.p };
  if (y.p.length === 1 && y.p[0] === 1) return { k, lo: x.lo + y.lo, p: x.p };
  return limit(normalize({ k, lo: x.lo + y.lo, p: convolve(x.p, y.p) }));
}

/** The sum of n independent copies (n a whole number ≥ 0), by repeated squaring. */
export function addCopies(a: Lattice, n: number): Lattice {
  let result: Lattice = zero(a.k);
  let base = a;
  let m = n;
  while (m > 0) {
    if (m & 1) result = add(result, base);
    m >>= 1;
    if (m > 0) base = add(base, base);
  }
  return result;
}

/** A mixture Σ wᵢ Xᵢ (weights are normalized). */
export function mix(parts: ReadonlyArray<{ weight: number; dist: Lattice }>): Lattice {
  const live = parts.filter((p) => p.weight > 0);
  if (live.length === 1) return (live[0] as { dist: Lattice }).dist;
  const k = Math.max(...live.map((p) => p.dist.k));
  const aligned = live.map((p) => ({ weight: p.weight, dist: coarsenTo(p.dist, k) }));
  const lo = Math.min(...aligned.map((p) => p.dist.lo));
  const hi = Math.max(...aligned.map((p) => p.dist.lo + p.dist.p.length - 1));
  const total = aligned.reduce((s, p) => s + p.weight, 0);
  const out = new Float64Array(hi - lo + 1);
  for (const { weight, dist } of aligned) {
    const w = weight / total;
    const off = dist.lo - lo;
    for (let i = 0; i < dist.p.length; i++) out[off + i] = (out[off + i] as number) + w * (dist.p[i] as number);
  }
  return limit(normalize({ k, lo, p: out }));
}

/**
 * max over members of (the max of `count` independent copies of X), members independent:
 * the CDF is Π [(1 − f)·F^⌊n⌋ + f·F^{⌊n⌋+1}] — a fractional count n means ⌊n⌋ copies plus
 * one more with probability n − ⌊n⌋ (MODEL.md's perRequest).
 *
 * With `beta` > 1 the members marked `linked` are joined by a Gumbel–Hougaard copula instead
 * (engine/forkjoin.ts): their joint CDF is exp(−(Σ (−ln Gᵢ)^β)^{1/β}), Gᵢ each member's own CDF;
 * unlinked members stay independent of them.
 */
export function maxOf(members: ReadonlyArray<{ dist: Lattice; count: number; linked?: boolean }>, beta = 1): Lattice {
  const k = Math.max(...members.map((m) => m.dist.k));
  const aligned = members.map((m) => ({ dist: coarsenTo(m.dist, k), count: m.count, linked: beta > 1 && m.linked === true }));
  const lo = Math.min(0, ...aligned.map((m) => m.dist.lo));
  const hi = Math.max(...aligned.map((m) => m.dist.lo + m.dist.p.length - 1));
  const n = hi - lo + 1;
  const cdf = new Float64Array(n).fill(1);
  const F = new Float64Array(n);
  const copula = aligned.some((m) => m.linked) ? new Float64Array(n) : null;
  for (const { dist, count, linked } of aligned) {
    const whole = Math.floor(count);
    const f = count - whole;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const j = lo + i - dist.lo;
      if (j >= 0 && j < dist.p.length) c += dist.p[j] as number;
      F[i] = Math.min(1, c);
    }
    for (let i = 0; i < n; i++) {
      const Fi = F[i] as number;
      const pow = whole === 0 ? 1 : whole === 1 ? Fi : Fi ** whole;
      const G = (1 - f) * pow + f * pow * Fi;
      if (copula && linked) copula[i] = (copula[i] as number) + (G > 0 ? (-Math.log(G)) ** beta : Number.POSITIVE_INFINITY);
      else cdf[i] = (cdf[i] as number) * G;
    }
  }
  if (copula) for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) * Math.exp(-((copula[i] as number) ** (1 / beta)));
  const out = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = cdf[i] as number;
    out[i] = Math.max(0, c - prev);
    prev = Math.max(prev, c);
  }
  return limit(normalize({ k, lo, p: out }));
}

/** The mean (exact for the lattice: the kernel keeps it). */
export function mean(a: Lattice): number {
  const dt = dtOf(a.k);
  let s = 0;
  for (let i = 0; i < a.p.length; i++) s += (a.p[i] as number) * (a.lo + i);
  return s * dt;
}

/**
 * The q-quantile, reading each point's mass as spread evenly over [x − dt/2, x + dt/2]
 * (clamped at 0).
 */
export function quantile(a: Lattice, q: number): number {
  const dt = dtOf(a.k);
  let cum = 0;
  for (let i = 0; i < a.p.length; i++) {
    const m = a.p[i] as number;
    if (cum + m >= q && m > 0) {
      const x = (a.lo + i - 0.5 + (q - cum) / m) * dt;
      return Math.max(0, x);
    }
    cum += m;
  }
  return (a.lo + a.p.length - 0.5) * dt;
}
