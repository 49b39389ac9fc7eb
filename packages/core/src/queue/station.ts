/**
 * One replica as a queue (MODEL.md §2 "Per-replica queue"): `workers` servers, Poisson
 * arrivals (a random split of a Poisson stream stays Poisson), gamma own times — or, on a
 * cached service, the hit/miss mixture of two gammas.
 *
 * - cv 1 and no cache: exact M/M/c (Erlang C), method `exact`.
 * - otherwise Allen–Cunneen with ca² = 1: the wait probability is still Erlang C, the mean
 *   wait is the M/M/c one × (1 + cs²)/2, and the wait given that one waits is exponential
 *   with mean Wq/C; method `allen-cunneen`.
 *
 * Times are in ms and rates per ms throughout this module.
 */
import { type BoundedQueue, boundedQueue, boundedSojournSurvival } from './bounded.ts';
import { erlangC } from './erlang.ts';
import { type ImpatientQueue, impatientQueue, impatientQueueStop } from './impatient.ts';
import { mg1kQueue } from './mg1k.ts';
import { mphckQueue } from './mphck.ts';
import { gammaQ, lnGamma, phi } from './special.ts';

/** One gamma-distributed component of own time (cv 1 = exponential, cv 0 = fixed). */
export interface TimeComponent {
  weight: number;
  mean: number;
  cv: number;
}

export interface StationInput {
  /** Arrival rate at this replica, per ms. */
  lambda: number;
  /** Servers (the service's `workers`). */
  workers: number;
  /** Own time: one component, or the hit/miss mixture (weights sum to 1). */
  own: TimeComponent[];
  /** A cached service is never `exact` (MODEL.md), even when its mixture happens to be exponential. */
  cached?: boolean;
  /**
   * Batch arrivals (several requests of one parent at the same instant, engine/arrivals.ts):
   * `pairRate` = Σ over batch streams of (batch rate per ms) × E[X(X − 1)]; per arriving request
   * over all arrivals (single arrivals count 0), `ahead` = E[requests of its own batch ahead of
   * it beyond the first `workers`] and `beyond` = P(it stands past the first `workers` of its batch).
   */
  batch?: { pairRate: number; ahead: number; beyond: number };
  /** Schema v2 `queueLimit`: requests that may wait beyond the workers (bounded.ts); absent: unbounded. */
  queueLimit?: number;
  /**
   * Schema v2 time budgets: the deadline from arrival (ms) of the requests it serves, when they
   * carry a budget (impatient.ts, M/M/c+D with the mean own time); a queue limit takes precedence.
   */
  patience?: number;
  /** With `patience`: the worker is freed at the deadline (`onTimeout: stop`, impatient.ts `impatientQueueStop`). */
  stopAtDeadline?: boolean;
}

/**
 * How the wait given that one waits is shaped on the lattice: exponential (M/M/c exact,
 * Allen–Cunneen for cv ≤ 1, batches), a two-phase hyperexponential with the M/G/1 conditional
 * wait's cv (cv > 1, several workers), or the exact M/G/1 wait (one worker).
 */
export type WaitShape = { kind: 'exp' } | { kind: 'h2'; p1: number; rate1: number; rate2: number } | { kind: 'mg1' };

export type StationMethod =
  | 'exact'
  | 'allen-cunneen'
  | 'pollaczek-khinchine'
  | 'batch-poisson'
  | 'mmck'
  | 'mg1k'
  | 'mphck'
  | 'mgck'
  | 'mmcd'
  | 'mgcd';

export interface Station {
  /**
   * `exact` M/M/c; `pollaczek-khinchine` M/G/1 (one worker, any own time: the exact wait);
   * `allen-cunneen` M/G/c; `batch-poisson` M^X/G/c (batch arrivals, see `station`); with a
   * queue limit, `mmck` (exact M/M/c/K), `mg1k` (exact M/G/1/K, one worker, mg1k.ts), `mphck`
   * (M/PH/c/K with a two-moment phase-type own time, mphck.ts) or, where that state space is too
   * large, `mgck` (two-moment M/G/c/K, bounded.ts).
   */
  method: StationMethod;
  lambda: number;
  workers: number;
  own: TimeComponent[];
  /** Mean own time (ms) and its squared coefficient of variation. */
  ownMean: number;
  ownCv2: number;
  /** ρ = λ·E[own]/workers (may exceed 1). */
  rho: number;
  saturated: boolean;
  /** Wait probability, mean wait, mean sojourn (ms), mean number waiting and in the system; 0 when saturated (unused). */
  C: number;
  Wq: number;
  W: number;
  Lq: number;
  L: number;
  /** Rate (per ms) of the exponential wait, given that one waits: C/Wq. */
  waitRate: number;
  /** Some arrivals come in batches. */
  batch: boolean;
  shape: WaitShape;
  /**
   * A bounded queue (bounded.ts): never saturated; C, Wq, W are those of admitted requests and
   * `bounded.block` the share of arrivals rejected. null when the queue is unbounded.
   */
  bounded: BoundedQueue | null;
  /**
   * Schema v3: where subscription events share the workers (engine/async-queues.ts), the wait is
   * that of the whole mix of own times, while `own` is the requests' alone: the M/G/1 wait is
   * computed from these. Absent: `own`.
   */
  waitOwn?: TimeComponent[];
  /**
   * Requests with a time budget (impatient.ts): C, Wq, W are those of the requests that get a
   * worker; `impatient.abandon` the share that leave the queue at their deadline. Absent without a budget.
   */
  impatient?: ImpatientQueue;
}

/** Mean and squared cv of a mixture of gamma components. */
export function mixtureMoments(own: TimeComponent[]): { mean: number; cv2: number } {
  let m1 = 0;
  let m2 = 0;
  for (const c of own) {
    m1 += c.weight * c.mean;
    m2 += c.weight * c.mean * c.mean * (1 + c.cv * c.cv);
  }
  return { mean: m1, cv2: m1 > 0 ? Math.max(0, m2 / (m1 * m1) - 1) : 0 };
}

export function station(input: StationInput): Station {
  const { lambda, workers, own } = input;
  const { mean, cv2 } = mixtureMoments(own);
  const batch = input.batch !== undefined && input.batch.pairRate > 0;
  // One exponential own time (cv 1, no cache mixture): the Markovian case every exact method needs.
  const markovian = !input.cached && own.length === 1 && own[0]?.cv === 1;
  const exact = !batch && markovian;
  const rho = (lambda * mean) / workers;
  const method = batch ? 'batch-poisson' : exact ? 'exact' : workers === 1 ? 'pollaczek-khinchine' : 'allen-cunneen';
  const EXP = { kind: 'exp' } as const;
  if (input.queueLimit !== undefined) {
    // Batches are not modelled with a bounded queue: its arrivals are taken as Poisson (validity says so).
    const { bq, bMethod } = markovian
      ? { bq: boundedQueue(lambda, workers, input.queueLimit, mean, cv2, true), bMethod: 'mmck' as const }
      : boundedOf(lambda, workers, input.queueLimit, own, mean, cv2);
    const { C, Wq, W, Lq, L } = bq;
    const waitRate = Wq > 0 ? C / Wq : 0;
    return {
      method: bMethod,
      lambda,
      workers,
      own,
      ownMean: mean,
      ownCv2: cv2,
      rho,
      saturated: false,
      C,
      Wq,
      W,
      Lq,
      L,
      waitRate,
      batch,
      shape: EXP,
      bounded: bq,
    };
  }
  if (input.patience !== undefined && Number.isFinite(input.patience) && input.patience > 0) {
    // Deadline-bound requests: M/M/c+D, never saturated. Batches are taken as Poisson (validity says so).
    const iq = (input.stopAtDeadline ? impatientQueueStop : impatientQueue)(lambda, workers, mean, input.patience);
    const Wq = iq.servedWq;
    const W = Wq + mean;
    const served = lambda * (1 - iq.abandon);
    const Lq = served * Wq + lambda * iq.abandon * iq.D;
    return {
      method: markovian ? 'mmcd' : 'mgcd',
      lambda,
      workers,
      own,
      ownMean: mean,
      ownCv2: cv2,
      rho,
      saturated: false,
      C: iq.servedC,
      Wq,
      W,
      Lq,
      L: Lq + served * mean,
      waitRate: Wq > 0 ? iq.servedC / Wq : 0,
      batch,
      shape: EXP,
      bounded: null,
      impatient: iq,
    };
  }
  if (!(rho < 1)) {
    const z = { C: 0, Wq: 0, W: 0, Lq: 0, L: 0, waitRate: 0 };
    return { method, lambda, workers, own, ownMean: mean, ownCv2: cv2, rho, saturated: true, ...z, batch, shape: EXP, bounded: null };
  }
  const erlang = erlangC(workers, lambda * mean);
  const theta = workers / mean - lambda; // cμ − λ
  const factor = exact ? 1 : (1 + cv2) / 2;
  let Wq = lambda > 0 ? (erlang / theta) * factor : 0;
  let C = erlang;
  let shape: WaitShape = EXP;
  if (input.batch && batch) {
    // M^X/G/c. A request waits for the work ahead of its batch, then for its own batch-mates.
    // With one worker both are exact (the M^X/G/1 mean): the work a batch finds is the
    // Pollaczek–Khinchine wait of the compound stream, λE[S²]/(2(1 − ρ)) plus
    // Σ λ_b E[X(X − 1)] E[S]²/(2(1 − ρ)) for the chunks; the mates ahead add E[S]·E[X(X − 1)]/(2E[X]).
    // With c workers: the Poisson part stays Allen–Cunneen's (scaled by C/ρ: an arrival often
    // finds a free worker), the chunk part keeps the fast single server (own time / c: a chunk
    // fills every worker), and only mates beyond the first c wait, each for E[S]/c.
    const fast = mean / workers;
    Wq += (input.batch.pairRate * fast * fast) / (2 * (1 - rho)) + input.batch.ahead * fast;
    C = 1 - (1 - erlang) * (1 - input.batch.beyond);
    // Chunks also make some of a batch wait when fewer than c workers are free, which the wait
    // probability above leaves out: keep the wait given that one waits below what a request
    // behind a full queue and its whole batch would see, so C and Wq stay consistent.
    const condMax = (fast * ((1 + cv2) / 2 + input.batch.pairRate / lambda + 1)) / (1 - rho);
    C = Math.min(1, Math.max(C, Wq / condMax));
  } else if (method === 'pollaczek-khinchine') shape = { kind: 'mg1' };
  else if (method === 'allen-cunneen' && cv2 > 1 && Wq > 0) shape = h2Shape(own, workers, rho, Wq / C);
  const W = Wq + mean;
  const waitRate = Wq > 0 ? C / Wq : 0;
  return {
    method,
    lambda,
    workers,
    own,
    ownMean: mean,
    ownCv2: cv2,
    rho,
    saturated: false,
    C,
    Wq,
    W,
    Lq: lambda * Wq,
    L: lambda * W,
    waitRate,
    batch,
    shape,
    bounded: null,
  };
}

const boundedCache = new Map<string, { bq: BoundedQueue; bMethod: 'mg1k' | 'mphck' | 'mgck' }>();
const BOUNDED_CACHE_SIZE = 4096;

/**
 * A bounded queue whose own time is not exponential: exact M/G/1/K for one worker, M/PH/c/K for
 * several, the two-moment M/G/c/K past their size caps. Cached across runs (they cost up to a
 * millisecond, and an edit leaves most replica classes' loads alone).
 */
function boundedOf(lambda: number, workers: number, queueLimit: number, own: TimeComponent[], mean: number, cv2: number) {
  let key = `${lambda}|${workers}|${queueLimit}`;
  for (const c of own) key += `|${c.weight},${c.mean},${c.cv}`;
  const hit = boundedCache.get(key);
  if (hit) return hit;
  const g1 = workers === 1 ? mg1kQueue(lambda, queueLimit, own) : null;
  let m3 = 0;
  for (const c of own) {
    const v = c.cv * c.cv;
    m3 += c.weight * c.mean ** 3 * (1 + v) * (1 + 2 * v);
  }
  const ph = g1 ? null : mphckQueue(lambda, workers, queueLimit, mean, cv2, m3);
  const bq = g1 ?? ph ?? boundedQueue(lambda, workers, queueLimit, mean, cv2, false);
  const out = { bq, bMethod: g1 ? ('mg1k' as const) : ph ? ('mphck' as const) : ('mgck' as const) };
  if (boundedCache.size >= BOUNDED_CACHE_SIZE) boundedCache.delete(boundedCache.keys().next().value as string);
  boundedCache.set(key, out);
  return out;
}

/**
 * The wait given that one waits at an M/G/c with cv > 1: the M/G/1 conditional wait of the
 * same queue with own times divided by c (Boxma, Cohen & Huffels' reduction: same ρ; for
 * exponential own times it is exactly M/M/c's), two-moment fitted by a balanced-means
 * hyperexponential. Its mean is Allen–Cunneen's Wq/C (the two agree); its cv² is
 * ρ·E[W²]/E[W]² − 1 with E[W²] = 2E[W]² + λE[S³]/(3(1 − ρ)).
 */
function h2Shape(own: TimeComponent[], c: number, rho: number, condMean: number): WaitShape {
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  for (const p of own) {
    const m = p.mean / c;
    const v = p.cv * p.cv;
    m1 += p.weight * m;
    m2 += p.weight * m * m * (1 + v);
    m3 += p.weight * m * m * m * (1 + v) * (1 + 2 * v);
  }
  const lam = rho / m1;
  const ew = (lam * m2) / (2 * (1 - rho));
  const ew2 = 2 * ew * ew + (lam * m3) / (3 * (1 - rho));
  const scv = (rho * ew2) / (ew * ew) - 1;
  if (!(scv > 1.0001)) return { kind: 'exp' };
  const p1 = (1 + Math.sqrt((scv - 1) / (scv + 1))) / 2;
  return { kind: 'h2', p1, rate1: (2 * p1) / condMean, rate2: (2 * (1 - p1)) / condMean };
}

/** P(sojourn > t) at a non-saturated station: wait (0 w.p. 1 − C, else Exp) + own time. */
export function sojournSurvival(st: Station, t: number): number {
  if (t <= 0) return 1;
  if (st.bounded && st.method === 'mmck') return boundedSojournSurvival(st.bounded, st.workers, st.ownMean, t);
  let s = 0;
  for (const c of st.own) {
    const own = gammaSurvival(c.mean, c.cv, t);
    const waited = st.C > 0 && st.waitRate > 0 ? expPlusGammaSurvival(st.waitRate, c.mean, c.cv, t) : own;
    s += c.weight * ((1 - st.C) * own + st.C * waited);
  }
  return Math.min(1, Math.max(0, s));
}

/** P(G > t) for a gamma with the given mean and cv (cv 0: a fixed time). */
export function gammaSurvival(mean: number, cv: number, t: number): number {
  if (t <= 0) return 1;
  if (cv <= 0) return t < mean ? 1 : 0;
  if (cv === 1) return Math.exp(-t / mean);
  const k = 1 / (cv * cv);
  return gammaQ(k, (k * t) / mean);
}

/**
 * P(E + G > t) for E ~ Exp(rate θ) and G ~ gamma(mean, cv), independent.
 * = Q(k, rt) + I(t), I(t) = ∫₀ᵗ f_G(s) e^{−θ(t−s)} ds, computed without overflow:
 * - k = 1: r·e^{−min(r,θ)t}·t·φ(|θ−r|t) (the hypoexponential, stable at θ = r);
 * - θ > r: (rt)^k e^{−rt}/Γ(k) · Σₙ Pois(n; (θ−r)t)/(k+n);
 * - θ < r: (rt)^k e^{−rt} · Σₙ ((r−θ)t)ⁿ/Γ(k+n+1), or for large (r−θ)t, (r/(r−θ))^k e^{−θt} P(k, (r−θ)t).
 */
export function expPlusGammaSurvival(theta: number, mean: number, cv: number, t: number): number {
  if (t <= 0) return 1;
  if (cv <= 0) return t < mean ? 1 : Math.exp(-theta * (t - mean));
  const k = 1 / (cv * cv);
  const r = k / mean;
  const tail = gammaQ(k, r * t);
  if (cv === 1) {
    const lo = Math.min(r, theta);
    return Math.min(1, tail + r * Math.exp(-lo * t) * t * phi(Math.abs(theta - r) * t));
  }
  const lnPrefix = k * Math.log(r * t) - r * t; // ln((rt)^k e^{−rt})
  let integral: number;
  if (theta >= r) {
    integral = Math.exp(lnPrefix - lnGamma(k)) * poissonHarmonic((theta - r) * t, k);
  } else {
    const x = (r - theta) * t;
    if (x < k + 40) {
      // Σₙ xⁿ/Γ(k+n+1), every term positive.
      let term = Math.exp(lnPrefix - lnGamma(k + 1));
      let sum = term;
      for (let n = 1; n < 10_000; n++) {
        term *= x / (k + n);
        sum += term;
        if (term < sum * 1e-16) break;
      }
      integral = sum;
    } else {
      integral = Math.exp(k * Math.log(r / (r - theta)) - theta * t) * (1 - gammaQ(k, x));
    }
  }
  return Math.min(1, tail + integral);
}

/** E[1/(k + N)] for N ~ Poisson(m): Σₙ e^{−m} mⁿ/n! / (k + n), summed outward from the mode. */
function poissonHarmonic(m: number, k: number): number {
  if (m < 1e-12) return 1 / k;
  const mode = Math.floor(m);
  const pMode = Math.exp(-m + mode * Math.log(m) - lnGamma(mode + 1));
  let sum = pMode / (k + mode);
  let p = pMode;
  for (let n = mode + 1; ; n++) {
    p *= m / n;
    sum += p / (k + n);
    if (p < 1e-17 * pMode || n > mode + 100_000) break;
  }
  p = pMode;
  for (let n = mode; n > 0; n--) {
    p *= n / m;
    sum += p / (k + n - 1);
    if (p < 1e-17 * pMode) break;
  }
  return sum;
}

/**
 * The q-quantile of a mixture of stations' sojourns (weights: their arrival rates), by Brent's
 * method on the survival function. Every station must be non-saturated.
 */
export function sojournPercentile(parts: ReadonlyArray<{ weight: number; station: Station }>, q: number): number {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0)) return 0;
  const target = 1 - q;
  const surv = (t: number) => {
    let s = 0;
    for (const p of parts) s += p.weight * sojournSurvival(p.station, t);
    return s / total - target;
  };
  let hi = 0;
  for (const p of parts) hi = Math.max(hi, p.station.W);
  hi = Math.max(hi, 1e-12);
  let fHi = surv(hi);
  for (let i = 0; fHi > 0 && i < 200; i++) {
    hi *= 2;
    fHi = surv(hi);
  }
  return brent(surv, 0, hi, 1 - target, fHi);
}

/** Brent's root finder on [a, b] with f(a) > 0 ≥ f(b) (given). */
function brent(f: (x: number) => number, a0: number, b0: number, fa0: number, fb0: number): number {
  let a = a0;
  let b = b0;
  let fa = fa0;
  let fb = fb0;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 200; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2e-15 * Math.abs(b) + 1e-13 * Math.abs(b0 - a0) * 1e-3;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let qq: number;
      if (a === c) {
        p = 2 * m * s;
        qq = 1 - s;
      } else {
        const q1 = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * q1 * (q1 - r) - (b - a) * (r - 1));
        qq = (q1 - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) qq = -qq;
      else p = -p;
      if (2 * p < Math.min(3 * m * qq - Math.abs(tol * qq), Math.abs(e * qq))) {
        e = d;
        d = p / qq;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}
