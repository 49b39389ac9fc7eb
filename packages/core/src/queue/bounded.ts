/**
 * A replica with a bounded queue (schema v2 `queueLimit`): c workers and room for N more
 * requests to wait, K = c + N in all. An arrival that finds K requests is rejected at once.
 *
 * Exact M/M/c/K (Poisson arrivals, exponential own time; cv 1, no cache). With a = λ/μ and
 * ρ = a/c the stationary probabilities are p_n ∝ aⁿ/n! for n ≤ c and p_c·ρ^{n−c} for
 * c < n ≤ K (a truncated birth–death chain; any ρ, also ρ ≥ 1). By PASTA an arrival sees p_n:
 *
 * - it is rejected with probability p_K (the blocking probability);
 * - admitted, it finds n < K with probability p_n / (1 − p_K). Finding n < c it starts at once;
 *   finding n = c + k − 1 (k = 1…N) it waits for k departures while all c workers are busy,
 *   each after an Exp(cμ) time: an Erlang(k, cμ) wait. So the wait of an admitted request is
 *   the finite mixture 0 w.p. 1 − C, Erlang(k, cμ) w.p. w_k = p_{c+k−1}/(1 − p_K), C = Σ w_k,
 *   and its sojourn adds the independent own time Exp(μ).
 * - Its survival, with x = cμt, π_j = e^{−x}x^j/j! and v = (c − 1)/c:
 *   P(T > t) = (1 − C)e^{−μt} + Σ_k w_k [Q(k, x) + A_k(x)], Q(k, x) = Σ_{j<k} π_j (the Erlang
 *   tail), A_k(x) = Σ_{j≥k} π_j v^{j−k} = ∫₀ᵗ f_{Erlang(k,cμ)}(s) e^{−μ(t−s)} ds (the own time
 *   outlasting the wait; expand e^{−μ(t−s)} = e^{−cμ(t−s)} e^{(c−1)μ(t−s)} in a power series).
 *   Every term is positive: no cancellation at any k. c = 1 gives v = 0, Erlang(k + 1, μ).
 * - Mean sojourn of admitted requests W = Σ_k w_k·k/(cμ) + 1/μ (= L / (λ(1 − p_K)), Little).
 *
 * Otherwise (own-time cv ≠ 1, or a cached service's hit/miss mixture) the station takes the exact
 * M/G/1/K (mg1k.ts) for one worker and M/PH/c/K (mphck.ts) for several; past their size caps, the
 * two-moment M/G/c/K approximation below (its error: src/des/AGREEMENT.md, the grid's "before"). The shape of the state distribution below K keeps M/M/c/K's form with the
 * queue part's ratio ρ replaced by ρ^{2/(1 + cs²)} (rescaled so that, unbounded, the mass of
 * "every worker busy" stays Erlang C, as in Allen–Cunneen), the ratio of the diffusion limit of the
 * queue length (a reflected Brownian motion with drift λ − cμ and variance λ(ca² + cs²),
 * ca² = 1; cf. Whitt, "A diffusion approximation for the G/GI/n/m queue", Oper. Res. 52(6),
 * 2004); the blocking probability then follows from the throughput law λ(1 − P_K) = μ·E[busy]
 * (Tijms' device for finite-buffer heuristics), so P_K ≥ 1 − 1/ρ always holds and the loss
 * system (N = 0) keeps Erlang B, which is insensitive to the own-time distribution. It is exact
 * at cs² = 1 and keeps the unbounded queue's heavy-traffic wait as N → ∞. Its figures carry a
 * validity note (never `ok`).
 *
 * Times in ms, rates per ms, as in station.ts.
 */
import { gammaQ, lnGamma } from './special.ts';

export interface BoundedQueue {
  /** K = workers + queueLimit. */
  capacity: number;
  /** Ratio of the queue part of the chain: ρ (exact), ρ^{2/(1+cs²)} (two-moment). */
  ratio: number;
  /** Probability an arrival finds K requests and is rejected. */
  block: number;
  /** Probability an admitted request waits for a worker (Σ of the stage weights). */
  C: number;
  /** Stage weights w_k for k = firstStage … firstStage + stages.length − 1 (negligible ones dropped). */
  firstStage: number;
  stages: Float64Array;
  /** Rate (per ms) at which the line moves while every worker is busy: workers / mean own time. */
  stageRate: number;
  /** Mean wait and sojourn of admitted requests (ms); mean requests waiting and present. */
  Wq: number;
  W: number;
  Lq: number;
  L: number;
  /**
   * One worker, own time not exponential (exact M/G/1/K, mg1k.ts): what an admitted arrival finds, n = 0, 1, …
   * (the wait is composed from it on the lattice, engine/bounded-wait.ts); the stages above are then empty.
   */
  seen?: Float64Array;
  /** M/PH/c/K (mphck.ts): the phase-type own time is the gamma itself (an Erlang of whole shape), not a stand-in. */
  exactPh?: boolean;
}

/** Stage weights below this share of the largest are dropped (their mass is far below any figure's precision). */
const STAGE_EPS = 1e-16;

/**
 * The bounded queue of one replica: λ per ms, c workers, N = queueLimit, own time mean (ms) and
 * cv². `exact`: exponential own time (M/M/c/K); otherwise the two-moment ratio above.
 */
export function boundedQueue(lambda: number, workers: number, queueLimit: number, mean: number, cv2: number, exact: boolean): BoundedQueue {
  const c = workers;
  const N = queueLimit;
  const K = c + N;
  const theta = c / mean;
  const a = lambda * mean;
  const rho = a / c;
  const ratio = exact ? rho : rho ** (2 / (1 + cv2));
  const none = { capacity: K, ratio, block: 0, C: 0, firstStage: 1, stages: new Float64Array(0), stageRate: theta, Wq: 0, W: mean, Lq: 0, L: 0 };
  if (!(a > 0)) return none;
  // The shape s_n (n < K), in logs scaled by their largest: n ln a − ln n! below c; from c on, κ·s_c·ratio^{n−c} with
  // κ = (ratio − 1)/(ρ − 1), which keeps the unbounded queue's mass of "all workers busy" (Erlang C, as Allen–Cunneen
  // does) and so its throughput (κ = 1 in the exact case).
  const lnA = Math.log(a);
  const lnR = Math.log(ratio);
  const g = (1 + cv2) / 2;
  const kappa = exact ? 1 : Math.abs(rho - 1) < 1e-12 ? 1 / g : Math.expm1(Math.log(rho) / g) / Math.expm1(Math.log(rho));
  const lnSc = c * lnA - lnGamma(c + 1);
  const ls = new Float64Array(K);
  let max = lnSc + N * lnR;
  for (let n = 0; n < K; n++) {
    const v = n < c ? n * lnA - lnGamma(n + 1) : lnSc + Math.log(kappa) + (n - c) * lnR;
    ls[n] = v;
    if (v > max) max = v;
  }
  const sh = new Float64Array(K);
  let S = 0;
  for (let n = 0; n < K; n++) {
    const v = Math.exp((ls[n] as number) - max);
    sh[n] = v;
    S += v;
  }
  // The blocking probability from the throughput law λ(1 − P_K) = μ·E[busy workers], with p_n = γ·s_n below K:
  // P_K = (aS − B)/((a + c)S − B), B = Σ min(n, c)·s_n, and aS − B telescopes to c·s_c·ratio^N: no cancellation.
  // Exact M/M/c/K at ratio ρ (s_c·ρ^N = s_K); Erlang B, insensitive to the own-time distribution, at N = 0.
  const excess = Math.exp(lnSc + N * lnR - max);
  const block = excess / (excess + S);
  const gamma = (1 - block) / S;
  let L = 0;
  let Lq = 0;
  for (let n = 1; n < K; n++) {
    const pn = gamma * (sh[n] as number);
    L += n * pn;
    if (n > c) Lq += (n - c) * pn;
  }
  L += K * block;
  Lq += N * block;
  const p = (n: number) => (sh[n] as number) * gamma;
  const admitted = 1 - block;
  // Stages k = 1…N: w_k = p_{c+k−1}/(1 − p_K).
  const w = new Float64Array(N);
  let wMax = 0;
  let C = 0;
  let wait = 0;
  for (let k = 1; k <= N; k++) {
    const v = p(c + k - 1) / admitted;
    w[k - 1] = v;
    C += v;
    wait += (v * k) / theta;
    if (v > wMax) wMax = v;
  }
  let lo = 0;
  let hi = N - 1;
  while (lo <= hi && (w[lo] as number) < STAGE_EPS * wMax) lo++;
  while (hi >= lo && (w[hi] as number) < STAGE_EPS * wMax) hi--;
  const stages = hi >= lo ? w.slice(lo, hi + 1) : new Float64Array(0);
  return { capacity: K, ratio, block, C: Math.min(1, C), firstStage: lo + 1, stages, stageRate: theta, Wq: wait, W: wait + mean, Lq, L };
}

/**
 * Walks the Poisson(x) probabilities π_j for j = from, from + 1, … (computed in logs, so a start
 * far from the mode does not underflow the whole walk).
 */
function poissonFrom(x: number, from: number): () => number {
  const lnX = Math.log(x);
  let j = from;
  let ln = -x + from * lnX - lnGamma(from + 1);
  return () => {
    const v = Math.exp(ln);
    j++;
    ln += lnX - Math.log(j);
    return v;
  };
}

/**
 * P(T > t) for an admitted request at an M/M/c/K replica (see the module comment): own time
 * Exp(1/mean), wait the stage mixture of `q`.
 */
export function boundedSojournSurvival(q: BoundedQueue, workers: number, mean: number, t: number): number {
  if (t <= 0) return 1;
  const own = Math.exp(-t / mean);
  const n = q.stages.length;
  if (n === 0) return own;
  const x = q.stageRate * t;
  const lnX = Math.log(x);
  const v = (workers - 1) / workers;
  const k0 = q.firstStage;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const pi = scratch;
  // π_j for j = k0 … k0 + n − 1 (in logs, so a start far from the mode does not underflow the walk).
  let ln = -x + k0 * lnX - lnGamma(k0 + 1);
  for (let i = 0; i < n; i++) {
    pi[i] = Math.exp(ln);
    ln += lnX - Math.log(k0 + i + 1);
  }
  // A_{k0+n} = Σ_{m ≥ 0} π_{k0+n+m} v^m, then downward A_k = π_k + v·A_{k+1} (positive terms only).
  let A = 0;
  let vm = 1;
  for (let m = 0; m < 1_000_000 && vm > 0; m++) {
    const term = Math.exp(ln) * vm;
    A += term;
    vm *= v;
    ln += lnX - Math.log(k0 + n + m + 1);
    if (term <= 1e-18 * A && k0 + n + m > x) break;
  }
  // Q(k, x) upward from Q(k0, x).
  let s = (1 - q.C) * own;
  let qk = gammaQ(k0, x);
  let tailSum = 0;
  // Σ_k w_k Q(k, x) upward, Σ_k w_k A_k downward.
  for (let i = 0; i < n; i++) {
    tailSum += (q.stages[i] as number) * qk;
    qk += pi[i] as number;
  }
  for (let i = n - 1; i >= 0; i--) {
    A = (pi[i] as number) + v * A;
    s += (q.stages[i] as number) * A;
  }
  return Math.min(1, Math.max(0, s + tailSum));
}

/** Scratch for boundedSojournSurvival (it runs inside root finders: no allocation per call). */
let scratch = new Float64Array(64);

/** P(W > t) for the wait of an admitted request (0 w.p. 1 − C): Σ_k w_k Q(k, cμt). */
export function boundedWaitSurvival(q: BoundedQueue, t: number): number {
  if (t < 0) return 1;
  const n = q.stages.length;
  if (n === 0 || t === 0) return t === 0 ? q.C : 0;
  const x = q.stageRate * t;
  const next = poissonFrom(x, q.firstStage);
  let qk = gammaQ(q.firstStage, x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += (q.stages[i] as number) * qk;
    qk += next();
  }
  return Math.min(1, Math.max(0, s));
}

/**
 * E[min(W, t)] for the same wait: Σ_k w_k [(k/θ)(1 − Q(k + 1, θt)) + t·Q(k, θt)] (what the
 * lattice's triangular kernel reads, distribution/lattice.ts `fromH`).
 */
export function boundedWaitH(q: BoundedQueue, t: number): number {
  if (t <= 0) return 0;
  const n = q.stages.length;
  if (n === 0) return 0;
  const theta = q.stageRate;
  const x = theta * t;
  const next = poissonFrom(x, q.firstStage);
  let qk = gammaQ(q.firstStage, x);
  let h = 0;
  for (let i = 0; i < n; i++) {
    const k = q.firstStage + i;
    const qk1 = qk + next();
    h += (q.stages[i] as number) * ((k / theta) * (1 - Math.min(1, qk1)) + t * Math.min(1, qk));
    qk = qk1;
  }
  return h;
}
