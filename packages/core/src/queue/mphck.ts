/**
 * M/PH/c/K: several workers, a bounded queue, and own times replaced by a phase-type
 * distribution with the same mean and cv² — Erlang(k − 1)/Erlang(k) mixed with one rate for
 * cv² < 1 (Tijms, "A First Course in Stochastic Models", §2.3: exactly the gamma when 1/cv² is a
 * whole number k), a balanced-means two-phase hyperexponential for cv² > 1. The queue with PH
 * own times is a CTMC, solved exactly; only the PH-for-gamma swap is an approximation (its
 * error against the DES is measured in src/des/AGREEMENT.md, "Bounded queues").
 *
 * - State: n present (0…K) and how many busy workers sit in each phase (a multiset of
 *   min(n, c) phases). Levels n ↔ n ± 1 only: the stationary vector by linear level reduction
 *   (S_K = A⁰_K, S_n = A⁰_n + A⁺_n(−S_{n+1})⁻¹A⁻_{n+1}; π_{n+1} = π_n A⁺_n(−S_{n+1})⁻¹), every
 *   matrix product of non-negative terms. Blocking = P(n = K) (PASTA).
 * - The wait of an admitted arrival that finds n ≥ c in phase configuration φ: the time for
 *   n − c + 1 departures of the all-busy chain (D₀: phase moves, D₁: a departure and the next
 *   request starting in its first phase) from φ. Uniformized at rate Λ (the largest outflow), the
 *   mass still waiting after m jumps, u_m, gives P(W > t) = Σ_m Pois(m; Λt)·u_m: the wait is
 *   a mixture of Erlang(m, Λ) stages with weights u_{m−1} − u_m — the same shape as M/M/c/K's
 *   stages (bounded.ts), so the same survival, E[min(W, t)] and lattice code serve both.
 *
 * Size: the levels' phase configurations are multisets, C(c + k − 1, k − 1) at level c for k
 * phases. The Erlang order is capped so that the reduction (K levels × size³) stays within
 * WORK_CAP; the cap, when it bites, makes the PH less regular than the own time (the figure is
 * then further from exact, and says so through `exactPh`).
 */
import type { BoundedQueue } from './bounded.ts';

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
const WORK_CAP = 8e4;
/** The largest Erlang order tried (cv 0.125; smaller cvs take it). */
const MAX_ORDER = 64;
/** Most uniformized jumps × states × moves for the wait (≈ 1 ms); beyond, the caller falls back. */
const WAIT_CAP = 1.5e6;
/** The wait's stages end where less than this share of the waiting mass is left (the lattice's own cut, distribution/lattice.ts). */
const WAIT_EPS = 1e-10;

const configCache = new Map<string, { list: Int32Array[]; index: Map<string, number> }>();

/** configs(), kept across calls (the same few worker counts and phase numbers come back on every edit). */
function configsOf(m: number, b: number): { list: Int32Array[]; index: Map<string, number> } {
  const key = `${m}|${b}`;
  let hit = configCache.get(key);
  if (!hit) {
    hit = configs(m, b);
    if (configCache.size > 256) configCache.clear();
    configCache.set(key, hit);
  }
  return hit;
}

/** Multisets of `b` phases out of `m` (count vectors), and an index from each one's key. */
function configs(m: number, b: number): { list: Int32Array[]; index: Map<string, number> } {
  const list: Int32Array[] = [];
  const cur = new Int32Array(m);
  const rec = (i: number, left: number) => {
    if (i === m - 1) {
      cur[i] = left;
      list.push(cur.slice());
      return;
    }
    for (let x = left; x >= 0; x--) {
      cur[i] = x;
      rec(i + 1, left - x);
    }
  };
  if (m === 1) list.push(Int32Array.of(b));
  else rec(0, b);
  const index = new Map<string, number>();
  list.forEach((v, i) => {
    index.set(v.join(','), i);
  });
  return { list, index };
}

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

/** Dense row-major square matrix helpers (sizes are small: ≤ a few dozen). */
function invertNeg(S: Float64Array, d: number): Float64Array {
  // (−S)⁻¹ by Gauss–Jordan with partial pivoting.
  const a = new Float64Array(d * 2 * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * 2 * d + j] = -(S[i * d + j] as number);
    a[i * 2 * d + d + i] = 1;
  }
  const w = 2 * d;
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * w + col] as number) > Math.abs(a[piv * w + col] as number)) piv = r;
    if (piv !== col)
      for (let j = 0; j < w; j++) {
        const t = a[col * w + j] as number;
        a[col * w + j] = a[piv * w + j] as number;
        a[piv * w + j] = t;
      }
    const inv = 1 / (a[col * w + col] as number);
    for (let j = 0; j < w; j++) a[col * w + j] = (a[col * w + j] as number) * inv;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r * w + col] as number;
      if (f === 0) continue;
      for (let j = 0; j < w; j++) a[r * w + j] = (a[r * w + j] as number) - f * (a[col * w + j] as number);
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = a[i * w + d + j] as number;
  return out;
}

/** A sparse list of transitions from one state: [to, rate] pairs. */
type Moves = { to: number[]; rate: number[] };

/**
 * The M/PH/c/K queue of one replica: λ per ms, c workers, N = queueLimit, own-time mean (ms) and
 * cv². null when the state space or the wait's stages would be too large (the caller keeps the
 * two-moment approximation).
 */
export function mphckQueue(
  lambda: number,
  workers: number,
  queueLimit: number,
  mean: number,
  cv2: number,
  m3?: number,
): (BoundedQueue & { exactPh: boolean }) | null {
  const c = workers;
  if (!(lambda > 0)) {
    const empty = new Float64Array(0);
    return {
      capacity: c + queueLimit,
      ratio: 1,
      block: 0,
      C: 0,
      firstStage: 1,
      stages: empty,
      stageRate: c / mean,
      Wq: 0,
      W: mean,
      Lq: 0,
      L: 0,
      exactPh: false,
    };
  }
  const rho = (lambda * mean) / c;
  // Below capacity, levels far past c hold nothing a figure can show: the chain stops where the queue's
  // two-moment decay ρ^{2/(1+cs²)} has taken it below 1e-18 (a long line then rejects nothing, as exactly it
  // rejects < 1e-18). Past capacity the whole line fills.
  const decay = rho ** (2 / (1 + cv2));
  const reach = decay < 1 ? c + Math.ceil(Math.log(1e-18) / Math.log(decay)) + 5 : Number.POSITIVE_INFINITY;
  const truncated = reach < c + queueLimit;
  const K = truncated ? reach : c + queueLimit;
  const ph = phaseFit(mean, cv2, c, K, m3);
  if (!ph) return null;
  // A full line past capacity asks about N departures' worth of uniformized jumps: too many is the fallback's.
  let fastest = 0;
  for (let i = 0; i < ph.alpha.length; i++) fastest = Math.max(fastest, (ph.exit[i] as number) + (ph.next[i] as number));
  if (decay >= 1 && queueLimit * (c + 1) * (ph.alpha.length + 2) * (2 * fastest * queueLimit * mean + 50) > WAIT_CAP) return null;
  const m = ph.alpha.length;
  const { lv, W_, down, dOf, A0, Aup, Adown } = levelBlocks(ph, c, K, lambda);
  const { pi, level } = levelProbabilities(K, dOf, A0, Aup, Adown);
  const block = truncated ? 0 : (level[K] as number);
  const admitted = 1 - block;
  let L = 0;
  let Lq = 0;
  for (let n = 1; n <= K; n++) {
    L += n * (level[n] as number);
    if (n > c) Lq += (n - c) * (level[n] as number);
  }
  const W = L / (lambda * admitted);
  const none = {
    capacity: c + queueLimit,
    ratio: 1,
    block,
    C: 0,
    firstStage: 1,
    stages: new Float64Array(0),
    stageRate: 1 / mean,
    Wq: 0,
    W,
    Lq,
    L,
    exactPh: ph.exact,
  };
  if (!(lambda > 0) || queueLimit === 0) return none;
  const stages = waitStages(c, K, m, ph, lv[c] as { list: Int32Array[] }, W_[c] as Moves[], down(c, true), pi, admitted, mean);
  if (!stages) return null;
  return { ...none, C: stages.C, firstStage: stages.first, stages: stages.w, stageRate: stages.rate, Wq: W - mean };
}

/**
 * The chain's blocks, built from the phase type: each level's phase configurations (multisets of
 * min(n, c) phases), the moves out of one (within: a phase move; down: a departure, `restart` when
 * a waiting request takes the worker), and the dense blocks A⁰_n, A⁺_n, A⁻_n on demand.
 */
function levelBlocks(ph: PhaseType, c: number, K: number, lambda: number) {
  const m = ph.alpha.length;
  const lv = Array.from({ length: c + 1 }, (_, b) => configsOf(m, b));
  const dOf = (n: number) => (lv[Math.min(n, c)] as { list: Int32Array[] }).list.length;
  // Moves out of a configuration of b busy workers: up (an arrival), within (a phase move), down (a departure).
  const key = (v: Int32Array) => v.join(',');
  const within = (b: number): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      for (let i = 0; i + 1 < m; i++) {
        const x = v[i] as number;
        const r = ph.next[i] as number;
        if (x === 0 || r === 0) continue;
        const u = v.slice();
        u[i] = x - 1;
        u[i + 1] = (u[i + 1] as number) + 1;
        mv.to.push((lv[b] as { index: Map<string, number> }).index.get(key(u)) as number);
        mv.rate.push(x * r);
      }
      return mv;
    });
  // Departure from phase i; `restart`: the next request starts (same b), else b − 1.
  const down = (b: number, restart: boolean): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      const tb = restart ? b : b - 1;
      for (let i = 0; i < m; i++) {
        const x = v[i] as number;
        const r = ph.exit[i] as number;
        if (x === 0 || r === 0) continue;
        const u = v.slice();
        u[i] = x - 1;
        if (!restart) {
          mv.to.push((lv[tb] as { index: Map<string, number> }).index.get(key(u)) as number);
          mv.rate.push(x * r);
          continue;
        }
        for (let j = 0; j < m; j++) {
          const aj = ph.alpha[j] as number;
          if (aj === 0) continue;
          const w = u.slice();
          w[j] = (w[j] as number) + 1;
          mv.to.push((lv[tb] as { index: Map<string, number> }).index.get(key(w)) as number);
          mv.rate.push(x * r * aj);
        }
      }
      return mv;
    });
  const up = (b: number): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      if (b === c) return mv;
      for (let j = 0; j < m; j++) {
        const aj = ph.alpha[j] as number;
        if (aj === 0) continue;
        const u = v.slice();
        u[j] = (u[j] as number) + 1;
        mv.to.push((lv[b + 1] as { index: Map<string, number> }).index.get(key(u)) as number);
        mv.rate.push(lambda * aj);
      }
      return mv;
    });
  const W_ = lv.map((_, b) => within(b));
  const outflow = (b: number, n: number, s: number): number => {
    let o = n < K ? lambda : 0;
    for (const r of (W_[b] as Moves[])[s]?.rate ?? []) o += r;
    const v = (lv[b] as { list: Int32Array[] }).list[s] as Int32Array;
    for (let i = 0; i < m; i++) o += (v[i] as number) * (ph.exit[i] as number);
    return o;
  };
  // A⁰_n (dense d×d, diagonal −outflow), A⁺_n (d_n × d_{n+1}), A⁻_n (d_n × d_{n−1}), built on demand.
  const dense = (rows: number, cols: number, moves: Moves[], diag?: (s: number) => number): Float64Array => {
    const a = new Float64Array(rows * cols);
    moves.forEach((mv, s) => {
      for (let t = 0; t < mv.to.length; t++)
        a[s * cols + (mv.to[t] as number)] = (a[s * cols + (mv.to[t] as number)] as number) + (mv.rate[t] as number);
      if (diag) a[s * cols + s] = (a[s * cols + s] as number) - diag(s);
    });
    return a;
  };
  // Levels c…K − 1 share their blocks (and c + 1…K their A⁻): built once. A⁰ is handed out as a copy (the reduction adds to it).
  const memo = new Map<string, Float64Array>();
  const once = (key: string, build: () => Float64Array) => {
    let a = memo.get(key);
    if (!a) {
      a = build();
      memo.set(key, a);
    }
    return a;
  };
  const A0 = (n: number) => {
    const b = Math.min(n, c);
    const key = n < c ? `0|${n}` : n < K ? '0|mid' : '0|top';
    return once(key, () => dense(dOf(n), dOf(n), W_[b] as Moves[], (s) => outflow(b, n, s))).slice();
  };
  const Aup = (n: number) => {
    const b = Math.min(n, c);
    if (b < c) return once(`+|${n}`, () => dense(dOf(n), dOf(n + 1), up(b)));
    return once('+|full', () => {
      const d = dOf(n);
      const a = new Float64Array(d * d);
      for (let s = 0; s < d; s++) a[s * d + s] = lambda;
      return a;
    });
  };
  const Adown = (n: number) => {
    const b = Math.min(n, c);
    return once(n > c ? '-|restart' : `-|${n}`, () => dense(dOf(n), dOf(n - 1), down(b, n > c)));
  };
  return { lv, W_, down, dOf, A0, Aup, Adown };
}

/**
 * The stationary vector, level by level (linear level reduction, see the module comment): π[n] over
 * level n's configurations and level[n] = P(n present). Every product is of non-negative terms.
 */
function levelProbabilities(
  K: number,
  dOf: (n: number) => number,
  A0: (n: number) => Float64Array,
  Aup: (n: number) => Float64Array,
  Adown: (n: number) => Float64Array,
): { pi: Float64Array[]; level: Float64Array } {
  // Linear level reduction, top down: R_n = A⁺_n (−S_{n+1})⁻¹.
  const R: Float64Array[] = new Array(K);
  let S = A0(K);
  for (let n = K - 1; n >= 0; n--) {
    const dn = dOf(n);
    const d1 = dOf(n + 1);
    const inv = invertNeg(S, d1);
    const Ap = Aup(n);
    const Rn = new Float64Array(dn * d1);
    for (let i = 0; i < dn; i++)
      for (let l = 0; l < d1; l++) {
        const x = Ap[i * d1 + l] as number;
        if (x === 0) continue;
        for (let j = 0; j < d1; j++) Rn[i * d1 + j] = (Rn[i * d1 + j] as number) + x * (inv[l * d1 + j] as number);
      }
    R[n] = Rn;
    const Am = Adown(n + 1);
    S = A0(n);
    for (let i = 0; i < dn; i++)
      for (let l = 0; l < d1; l++) {
        const x = Rn[i * d1 + l] as number;
        if (x === 0) continue;
        for (let j = 0; j < dn; j++) S[i * dn + j] = (S[i * dn + j] as number) + x * (Am[l * dn + j] as number);
      }
  }
  // π_0 = 1 (one state), then up; scaled per level in logs so that long lines past capacity do not overflow.
  const pi: Float64Array[] = [Float64Array.of(1)];
  const lnScale = new Float64Array(K + 1);
  for (let n = 0; n < K; n++) {
    const dn = dOf(n);
    const d1 = dOf(n + 1);
    const Rn = R[n] as Float64Array;
    const prev = pi[n] as Float64Array;
    const next = new Float64Array(d1);
    for (let i = 0; i < dn; i++) {
      const x = prev[i] as number;
      if (x === 0) continue;
      for (let j = 0; j < d1; j++) next[j] = (next[j] as number) + x * (Rn[i * d1 + j] as number);
    }
    let mx = 0;
    for (let j = 0; j < d1; j++) mx = Math.max(mx, next[j] as number);
    let sc = lnScale[n] as number;
    if (mx > 0 && (mx > 1e100 || mx < 1e-100)) {
      for (let j = 0; j < d1; j++) next[j] = (next[j] as number) / mx;
      sc += Math.log(mx);
    }
    lnScale[n + 1] = sc;
    pi.push(next);
  }
  let top = Number.NEGATIVE_INFINITY;
  for (let n = 0; n <= K; n++) top = Math.max(top, lnScale[n] as number);
  const level = new Float64Array(K + 1);
  let total = 0;
  for (let n = 0; n <= K; n++) {
    const f = Math.exp((lnScale[n] as number) - top);
    const v = pi[n] as Float64Array;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) * f;
    let s = 0;
    for (let j = 0; j < v.length; j++) s += v[j] as number;
    level[n] = s;
    total += s;
  }
  for (let n = 0; n <= K; n++) {
    level[n] = (level[n] as number) / total;
    const v = pi[n] as Float64Array;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / total;
  }
  return { pi, level };
}

/** The admitted wait as Erlang(m, Λ) stages (see the module comment); null past WAIT_CAP. */
function waitStages(
  c: number,
  K: number,
  m: number,
  ph: PhaseType,
  busy: { list: Int32Array[] },
  within: Moves[],
  down: Moves[],
  pi: Float64Array[],
  admitted: number,
  mean: number,
): { C: number; first: number; w: Float64Array; rate: number } | null {
  const d = busy.list.length;
  const N = K - c;
  const out = new Float64Array(d);
  let Lambda = 0;
  for (let s = 0; s < d; s++) {
    let o = 0;
    for (const r of (within[s] as Moves).rate) o += r;
    const v = busy.list[s] as Int32Array;
    for (let i = 0; i < m; i++) o += (v[i] as number) * (ph.exit[i] as number);
    out[s] = o;
    Lambda = Math.max(Lambda, o);
  }
  // v[r][s]: still needing r departures (r = 1…N), in configuration s. An arrival finding n = c + r − 1.
  let v = new Float64Array(N * d);
  let C = 0;
  for (let r = 1; r <= N; r++) {
    const p = pi[c + r - 1] as Float64Array;
    for (let s = 0; s < d; s++) {
      const x = (p[s] as number) / admitted;
      v[(r - 1) * d + s] = x;
      C += x;
    }
  }
  if (!(C > 0)) return { C: 0, first: 1, w: new Float64Array(0), rate: Lambda };
  let rMax = N;
  while (rMax > 1) {
    let s = 0;
    for (let j = 0; j < d; j++) s += v[(rMax - 1) * d + j] as number;
    if (s > 1e-16 * C) break;
    rMax--;
  }
  // Bail out before the work when the longest line alone would pass the cap (about 2 × its mean wait in jumps).
  if (rMax * d * (m + 2) * (2 * Lambda * ((rMax * mean) / c) + 50) > WAIT_CAP) return null;
  const weights: number[] = [];
  let u = C;
  let next = new Float64Array(N * d);
  let work = 0;
  while (u > WAIT_EPS * C) {
    next.fill(0, 0, rMax * d);
    for (let r = 1; r <= rMax; r++) {
      const base = (r - 1) * d;
      for (let s = 0; s < d; s++) {
        const x = v[base + s] as number;
        if (x === 0) continue;
        // Stay (uniformization's self-loop), phase moves, departures (to r − 1; r = 1 leaves the wait).
        next[base + s] = (next[base + s] as number) + x * (1 - (out[s] as number) / Lambda);
        const wm = within[s] as Moves;
        for (let t = 0; t < wm.to.length; t++)
          next[base + (wm.to[t] as number)] = (next[base + (wm.to[t] as number)] as number) + (x * (wm.rate[t] as number)) / Lambda;
        if (r === 1) continue;
        const dm = down[s] as Moves;
        const lower = base - d;
        for (let t = 0; t < dm.to.length; t++)
          next[lower + (dm.to[t] as number)] = (next[lower + (dm.to[t] as number)] as number) + (x * (dm.rate[t] as number)) / Lambda;
      }
    }
    let left = 0;
    for (let i = 0; i < rMax * d; i++) left += next[i] as number;
    weights.push(Math.max(0, u - left));
    u = left;
    [v, next] = [next, v];
    work += rMax * d * (m + 2);
    if (work > WAIT_CAP) return null;
  }
  let lo = 0;
  let wMax = 0;
  for (const x of weights) wMax = Math.max(wMax, x);
  while (lo < weights.length - 1 && (weights[lo] as number) < 1e-16 * wMax) lo++;
  return { C: Math.min(1, C), first: lo + 1, w: Float64Array.from(weights.slice(lo)), rate: Lambda };
}
