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
import { levelBlocks, levelProbabilities, type Moves } from './mphck-levels.ts';
import { WAIT_CAP, waitStages } from './mphck-wait.ts';
import { phaseFit } from './phase-type.ts';

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
