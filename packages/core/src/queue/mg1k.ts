/**
 * M/G/1/K exactly (one worker, room for K − 1 to wait, gamma own time or a cache's mixture of
 * gammas): the embedded Markov chain at departures (Gross & Harris, "Fundamentals of Queueing
 * Theory", §5.1.9).
 *
 * - a_k = P(k arrivals during one own time): for a gamma of shape α = 1/cv², rate β = α/mean it
 *   is negative binomial, a_k = Γ(α + k)/(Γ(α) k!) (β/(β + λ))^α (λ/(β + λ))^k; for a fixed
 *   time Poisson(λ·mean); for a hit/miss mixture the same mixture of those. No quadrature.
 * - π_n, n = 0…K−1, the number a departure leaves behind, from the level-crossing balance
 *   π_{j+1} a_0 = π_0 Ā_j + Σ_{i=1…j} π_i Ā_{j−i+1}, Ā_m = P(more than m arrivals): every term
 *   positive (the textbook recursion subtracts and loses digits at long lines).
 * - Time averages: p_n = π_n/(π_0 + ρ) for n < K and the blocking probability
 *   p_K = 1 − 1/(π_0 + ρ), ρ = λ·E[S] (any ρ, also ≥ 1). By PASTA an admitted arrival finds n
 *   with probability p_n/(1 − p_K) = π_n: what departures leave behind.
 * - L = Σ n p_n, and the admitted sojourn's mean W = L/(λ(1 − p_K)) (Little).
 *
 * The admitted sojourn's distribution needs the residual own time of the request in service,
 * which depends on how many an arrival finds: engine/bounded-wait.ts composes it on the lattice
 * from `start` (the number present when a service starts) and the Poisson arrivals during it.
 */
import { MIN_GAMMA_CV } from '../distribution/lattice.ts';
import type { BoundedQueue } from './bounded.ts';

export interface GammaPart {
  weight: number;
  mean: number;
  cv: number;
}

export interface Mg1kChain {
  /** What an admitted arrival finds: seen[n] = π_n, n = 0 … K − 1 (trailing negligible masses dropped). */
  seen: Float64Array;
  /** Blocking probability p_K. */
  block: number;
  /** Mean sojourn and wait of admitted requests (ms); mean number present and waiting. */
  W: number;
  Wq: number;
  L: number;
  Lq: number;
}

/** Below this a_0 (e^{−λ·mean} for a fixed time, ρ in the hundreds) the chain is left to the two-moment approximation. */
const MIN_A0 = 1e-200;
/** Longest line (requests an arrival may find) whose wait is composed exactly. */
const MAX_LINE = 300;
/** Departure probabilities beyond this share of the largest are dropped from `seen` (they hold less than any figure's precision). */
const SEEN_EPS = 1e-15;

/**
 * a_k for k = 0 … until the tail below is negligible, and Ā_k = P(A > k) summed from that tail
 * (no 1 − Σ cancellation). Both as long as the chain needs (K − 1 entries) or until Ā vanishes.
 */
export function arrivalsPerService(lambda: number, parts: readonly GammaPart[], need: number): { a: Float64Array; tail: Float64Array } {
  // How many terms: past the mean count by enough that the remaining mass is below 1e-18.
  let len = 0;
  for (const p of parts) {
    const m = lambda * p.mean;
    const cv2 = p.cv < MIN_GAMMA_CV ? 0 : p.cv * p.cv;
    const sd = Math.sqrt(m + m * m * cv2);
    // A negative binomial decays like q^k, q = λ/(β + λ): 45 e-folds of q past the mean.
    const q = cv2 > 0 ? (lambda * p.mean * cv2) / (1 + lambda * p.mean * cv2) : 0;
    const geo = q > 0 ? 45 / -Math.log(q) : 0;
    len = Math.max(len, Math.ceil(m + 12 * sd + geo + 40));
  }
  len = Math.min(len, Math.max(need + 1, 200_000));
  const a = new Float64Array(len);
  for (const p of parts) {
    const m = lambda * p.mean;
    if (p.cv < MIN_GAMMA_CV) {
      // Poisson(m) in logs from 0 (e^{−m} may be tiny but is > MIN_A0 whenever the chain is used).
      let ln = -m;
      const lnM = Math.log(m);
      for (let k = 0; k < len; k++) {
        a[k] = (a[k] as number) + p.weight * Math.exp(ln);
        ln += lnM - Math.log(k + 1);
      }
    } else {
      const alpha = 1 / (p.cv * p.cv);
      const beta = alpha / p.mean;
      const lnP = Math.log(beta / (beta + lambda));
      const lnQ = Math.log(lambda / (beta + lambda));
      let ln = alpha * lnP;
      for (let k = 0; k < len; k++) {
        a[k] = (a[k] as number) + p.weight * Math.exp(ln);
        ln += Math.log((alpha + k) / (k + 1)) + lnQ;
      }
    }
  }
  const tail = new Float64Array(len);
  let s = 0;
  for (let k = len - 1; k >= 0; k--) {
    tail[k] = s;
    s += a[k] as number;
  }
  return { a, tail };
}

/** The exact M/G/1/K chain (K ≥ 1: queueLimit K − 1). null when it cannot be computed in doubles (a_0 underflows). */
export function mg1kChain(lambda: number, K: number, parts: readonly GammaPart[]): Mg1kChain | null {
  let mean = 0;
  for (const p of parts) mean += p.weight * p.mean;
  const rho = lambda * mean;
  if (!(rho > 0)) return { seen: Float64Array.of(1), block: 0, W: mean, Wq: 0, L: 0, Lq: 0 };
  const { a, tail } = arrivalsPerService(lambda, parts, K);
  const a0 = a[0] as number;
  if (!(a0 > MIN_A0)) return null;
  const J = tail.length;
  const pi = new Float64Array(K);
  pi[0] = 1;
  for (let j = 0; j + 1 < K; j++) {
    // Up-crossings of the cut between j and j + 1 (from 0: more than j arrivals; from i ≥ 1: more than j − i + 1).
    let up = j < J ? (pi[0] as number) * (tail[j] as number) : 0;
    for (let i = Math.max(1, j + 1 - (J - 1)); i <= j; i++) up += (pi[i] as number) * (tail[j - i + 1] as number);
    const next = up / a0;
    pi[j + 1] = next;
    if (next > 1e250) for (let i = 0; i <= j + 1; i++) pi[i] = (pi[i] as number) * 1e-250;
  }
  let S = 0;
  for (let n = 0; n < K; n++) S += pi[n] as number;
  let top = 0;
  for (let n = 0; n < K; n++) {
    const v = (pi[n] as number) / S;
    pi[n] = v;
    if (v > top) top = v;
  }
  let last = K - 1;
  while (last > 0 && (pi[last] as number) < SEEN_EPS * top) last--;
  const pi0 = pi[0] as number;
  const block = Math.max(0, 1 - 1 / (pi0 + rho));
  // L = Σ_{n<K} n·π_n/(π_0 + ρ) + K·p_K.
  let sumN = 0;
  for (let n = 1; n < K; n++) sumN += n * (pi[n] as number);
  const L = sumN / (pi0 + rho) + K * block;
  const admitted = lambda * (1 - block);
  const W = L / admitted;
  // Busy share 1 − p_0 = ρ(1 − p_K).
  const Lq = L - rho * (1 - block);
  return { seen: pi.slice(0, last + 1), block, W, Wq: Math.max(0, W - mean), L, Lq };
}

/** The bounded queue of a one-worker replica with gamma (mixture) own times, exactly; null where the chain underflows. */
export function mg1kQueue(lambda: number, queueLimit: number, parts: readonly GammaPart[]): BoundedQueue | null {
  const K = queueLimit + 1;
  const ch = mg1kChain(lambda, K, parts);
  // A line this long, full (past capacity), would take hundreds of convolutions for the wait: the fallback's.
  if (!ch || ch.seen.length > MAX_LINE) return null;
  let mean = 0;
  for (const p of parts) mean += p.weight * p.mean;
  const C = 1 - (ch.seen[0] as number);
  return {
    capacity: K,
    ratio: 1,
    block: ch.block,
    C: Math.max(0, C),
    firstStage: 1,
    stages: new Float64Array(0),
    stageRate: 1 / mean,
    Wq: ch.Wq,
    W: ch.W,
    Lq: ch.Lq,
    L: ch.L,
    seen: ch.seen,
  };
}
