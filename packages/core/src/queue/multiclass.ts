/**
 * One replica shared by several traffic classes (schema v2 `classes[]`, `services[].admission[]`):
 * c workers, exponential own times of mean 1/μ for every class (the service's), Poisson arrivals
 * λ_k per class. Each class k may hold at most cap_k workers (`maxInFlight`) and have at most
 * N_k requests waiting (`queueLimit` of its admission row); the service-wide `queueLimit` N bounds
 * the whole line as well (both apply). An arrival that finds a free worker it may use starts at
 * once; else it waits if both lines have room; else it is rejected at once. When a worker frees,
 * the waiting class with the highest priority that may use it starts (non-preemptive).
 *
 * - `partitioned`: Σ cap_k ≤ c and Σ N_k ≤ N: nothing is shared, so each class is its own
 *   M/M/cap_k/(cap_k + N_k), solved exactly by bounded.ts (closed form).
 * - `chain`: otherwise the continuous-time Markov chain on (busy_k, waiting_k) per class, solved
 *   numerically (Gauss–Seidel until a sweep moves < 1e-12 of the mass). With distinct priorities among the classes that wait
 *   it is exact for exponential own times; among classes of equal priority it picks the next to
 *   start in proportion to how many of each wait (random order instead of FIFO between them:
 *   `orderExact` false), which the DES measures.
 * - `priority`: no limits and an unbounded line: non-preemptive priority M/M/c (Cobham; Kella &
 *   Yechiali for c servers with equal rates): class k at priority level ℓ waits on average
 *   Wq_ℓ = R / ((1 − σ_{ℓ−1})(1 − σ_ℓ)), R = P(all busy)/(cμ), σ_ℓ = ρ of the levels up to ℓ.
 *   Exact means; a level with σ_ℓ ≥ 1 is saturated, the levels above it are not.
 *
 * Rates per ms, times in ms (as station.ts).
 */
import { erlangC } from './erlang.ts';

export interface ClassLoad {
  /** Arrival rate of the class at this replica, per ms. */
  lambda: number;
  /** Workers it may hold at once (≤ workers). */
  cap: number;
  /** Requests of it that may wait (Infinity: only the service-wide line bounds it). */
  queueLimit: number;
  /** Higher starts first; equal = no preference. */
  priority: number;
}

export interface ClassFigures {
  /** Share of its arrivals rejected at once. */
  block: number;
  /** Probability an admitted request waits for a worker. */
  C: number;
  /** Mean wait (ms) and mean number waiting / present of the admitted requests. */
  Wq: number;
  Lq: number;
  L: number;
  /** No steady state for this class (only with an unbounded line). */
  saturated: boolean;
  /**
   * The chain only: P(admitted, waits, and finds j requests of its own or a higher priority
   * waiting ahead) for j = 0, 1, … (Σ = C): the shape of its wait (engine/traffic-classes.ts).
   */
  ahead?: Float64Array;
}

export type MultiClassMethod = 'partitioned' | 'chain' | 'priority' | 'too-large';

export interface MultiClassResult {
  method: MultiClassMethod;
  /** False where the chain stands in random order for FIFO between classes of equal priority. */
  orderExact: boolean;
  /** States of the chain (0 for the closed forms). */
  states: number;
  classes: ClassFigures[];
}

/**
 * Non-preemptive priority M/M/c without limits (see above). Classes of equal priority form one
 * level, FIFO inside it.
 */
export function priorityMMc(workers: number, mean: number, classes: readonly ClassLoad[]): MultiClassResult {
  const mu = 1 / mean;
  const total = classes.reduce((a, k) => a + k.lambda, 0);
  const rho = (total * mean) / workers;
  // All busy: Erlang C below saturation; past it the workers never idle.
  const busy = rho < 1 ? erlangC(workers, total * mean) : 1;
  const R = busy / (workers * mu);
  const levels = [...new Set(classes.map((k) => k.priority))].sort((a, b) => b - a);
  const sigmaUpTo = levels.map(
    (_, i) =>
      levels.slice(0, i + 1).reduce((a, p) => a + classes.filter((k) => k.priority === p).reduce((s, k) => s + k.lambda * mean, 0), 0) / workers,
  );
  const out = classes.map((k): ClassFigures => {
    const l = levels.indexOf(k.priority);
    const above = l > 0 ? (sigmaUpTo[l - 1] as number) : 0;
    const upTo = sigmaUpTo[l] as number;
    if (!(upTo < 1)) return { block: 0, C: 0, Wq: 0, Lq: 0, L: 0, saturated: true };
    const Wq = k.lambda > 0 || busy > 0 ? R / ((1 - above) * (1 - upTo)) : 0;
    return { block: 0, C: busy, Wq, Lq: k.lambda * Wq, L: k.lambda * (Wq + mean), saturated: false };
  });
  return { method: 'priority', orderExact: true, states: 0, classes: out };
}

/** The chain of one replica (see above); `null` when it would have more than `maxStates` states. */
export function multiClassChain(
  workers: number,
  mean: number,
  queueLimit: number,
  classes: readonly ClassLoad[],
  maxStates: number,
): MultiClassResult | null {
  const K = classes.length;
  const mu = 1 / mean;
  const cap = classes.map((k) => Math.min(workers, k.cap));
  const qlim = classes.map((k) => Math.min(queueLimit, k.queueLimit));
  // Mixed radix over (b_0…b_{K−1}, q_0…q_{K−1}).
  const radix: number[] = [...cap.map((c) => c + 1), ...qlim.map((q) => q + 1)];
  const weight: number[] = [];
  let span = 1;
  for (const r of radix) {
    weight.push(span);
    span *= r;
  }
  if (!(span < 2 ** 50)) return null;

  const space = chainStates(K, workers, queueLimit, cap, qlim, weight, maxStates);
  if (!space) return null;
  const { states, index, encode } = space;

  const n = states.length;
  // Transitions as incoming lists (CSR) for Gauss–Seidel, and each state's total out-rate.
  const out = new Float64Array(n);
  const inFrom: number[][] = Array.from({ length: n }, () => []);
  const inRate: number[][] = Array.from({ length: n }, () => []);
  let orderExact = true;
  const link = (from: number, to: number[], rate: number) => {
    if (rate <= 0) return;
    const j = index.get(encode(to));
    if (j === undefined) throw new Error('multiclass chain: a transition left the state space');
    out[from] = (out[from] as number) + rate;
    (inFrom[j] as number[]).push(from);
    (inRate[j] as number[]).push(rate);
  };
  for (let i = 0; i < n; i++) {
    const s = states[i] as number[];
    let busy = 0;
    let waiting = 0;
    for (let k = 0; k < K; k++) {
      busy += s[k] as number;
      waiting += s[K + k] as number;
    }
    for (let k = 0; k < K; k++) {
      const lam = (classes[k] as ClassLoad).lambda;
      if (lam > 0) {
        if (busy < workers && (s[k] as number) < (cap[k] as number)) link(i, bump(s, k, 1), lam);
        else if ((s[K + k] as number) < (qlim[k] as number) && waiting < queueLimit) link(i, bump(s, K + k, 1), lam);
      }
      const done = (s[k] as number) * mu;
      if (done > 0) {
        const after = bump(s, k, -1);
        // Who may take the freed worker: waiting classes under their cap, highest priority first.
        let best = -Infinity;
        for (let j = 0; j < K; j++)
          if ((after[K + j] as number) > 0 && (after[j] as number) < (cap[j] as number)) best = Math.max(best, (classes[j] as ClassLoad).priority);
        if (best === -Infinity) {
          link(i, after, done);
          continue;
        }
        let ties = 0;
        let tiedClasses = 0;
        for (let j = 0; j < K; j++)
          if ((after[K + j] as number) > 0 && (after[j] as number) < (cap[j] as number) && (classes[j] as ClassLoad).priority === best) {
            ties += after[K + j] as number;
            tiedClasses++;
          }
        if (tiedClasses > 1) orderExact = false;
        for (let j = 0; j < K; j++) {
          if (!((after[K + j] as number) > 0 && (after[j] as number) < (cap[j] as number) && (classes[j] as ClassLoad).priority === best)) continue;
          const next = after.slice();
          next[j] = (next[j] as number) + 1;
          next[K + j] = (next[K + j] as number) - 1;
          link(i, next, (done * (after[K + j] as number)) / ties);
        }
      }
    }
  }

  // Gauss–Seidel on π_j·out_j = Σ_i π_i·r_ij, renormalised each sweep, until a sweep moves less
  // than 1e-12 of the probability mass (every figure here is a sum of π over states). Over-
  // relaxation did not converge on these chains; exact level reduction (block-tridiagonal by
  // requests present) was slower in dense form. ~0.1–0.2 s at 4,000 states.
  const pi = stationary(n, out, inFrom, inRate);

  const figures = classes.map((cl, k): ClassFigures => {
    let blocked = 0;
    let waits = 0;
    let Lq = 0;
    let L = 0;
    const aheadW: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = states[i] as number[];
      const p = pi[i] as number;
      let busy = 0;
      let waiting = 0;
      for (let j = 0; j < K; j++) {
        busy += s[j] as number;
        waiting += s[K + j] as number;
      }
      Lq += p * (s[K + k] as number);
      L += p * ((s[k] as number) + (s[K + k] as number));
      if (busy < workers && (s[k] as number) < (cap[k] as number)) continue;
      if ((s[K + k] as number) < (qlim[k] as number) && waiting < queueLimit) {
        waits += p;
        let before = 0;
        for (let j = 0; j < K; j++) if ((classes[j] as ClassLoad).priority >= cl.priority) before += s[K + j] as number;
        while (aheadW.length <= before) aheadW.push(0);
        aheadW[before] = (aheadW[before] as number) + p;
      } else blocked += p;
    }
    const admitted = cl.lambda * (1 - blocked);
    return {
      block: cl.lambda > 0 ? blocked : 0,
      C: 1 - blocked > 0 ? waits / (1 - blocked) : 0,
      Wq: admitted > 0 ? Lq / admitted : 0,
      Lq,
      L,
      saturated: false,
      ahead: Float64Array.from(aheadW, (w) => (1 - blocked > 0 ? w / (1 - blocked) : 0)),
    };
  });
  return { method: 'chain', orderExact, states: n, classes: figures };
}

/** Sweeps before the solver stops anyway. */
const MAX_SWEEPS = 20_000;
/** Sweeps the last chain took (for tests and the bench). */
export let sweeps = 0;

function bump(s: readonly number[], i: number, by: number): number[] {
  const next = s.slice();
  next[i] = (next[i] as number) + by;
  return next;
}

/** The chain's stationary distribution by Gauss–Seidel (see multiClassChain), from incoming transition lists. */
function stationary(n: number, out: Float64Array, inFrom: number[][], inRate: number[][]): Float64Array {
  const pi = new Float64Array(n).fill(1 / n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let moved = 0;
    for (let j = 0; j < n; j++) {
      if ((out[j] as number) === 0) continue;
      const from = inFrom[j] as number[];
      const rate = inRate[j] as number[];
      let flow = 0;
      for (let t = 0; t < from.length; t++) flow += (pi[from[t] as number] as number) * (rate[t] as number);
      const old = pi[j] as number;
      const next = flow / (out[j] as number);
      moved += Math.abs(next - old);
      pi[j] = next;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += pi[j] as number;
    for (let j = 0; j < n; j++) pi[j] = (pi[j] as number) / sum;
    sweeps = sweep + 1;
    if (moved / sum < 1e-12 && sweep > 2) break;
  }
  return pi;
}

/** The states (b_0…b_{K−1}, q_0…q_{K−1}) a work-conserving replica can be in, keyed by their mixed-radix code; null past maxStates. */
function chainStates(
  K: number,
  workers: number,
  queueLimit: number,
  cap: readonly number[],
  qlim: readonly number[],
  weight: readonly number[],
  maxStates: number,
): { states: number[][]; index: Map<number, number>; encode: (s: readonly number[]) => number } | null {
  // Enumerate the states a work-conserving replica can be in.
  const states: number[][] = [];
  const index = new Map<number, number>();
  const v = new Array<number>(2 * K).fill(0);
  const encode = (s: readonly number[]) => {
    let key = 0;
    for (let i = 0; i < s.length; i++) key += (s[i] as number) * (weight[i] as number);
    return key;
  };
  let tooMany = false;
  const visit = (i: number, busy: number, waiting: number) => {
    if (tooMany) return;
    if (i === 2 * K) {
      for (let k = 0; k < K; k++) if ((v[K + k] as number) > 0 && busy < workers && (v[k] as number) < (cap[k] as number)) return;
      if (states.length >= maxStates) {
        tooMany = true;
        return;
      }
      index.set(encode(v), states.length);
      states.push(v.slice());
      return;
    }
    if (i < K) {
      for (let b = 0; b <= (cap[i] as number) && busy + b <= workers; b++) {
        v[i] = b;
        visit(i + 1, busy + b, waiting);
      }
      v[i] = 0;
    } else {
      for (let q = 0; q <= (qlim[i - K] as number) && waiting + q <= queueLimit; q++) {
        v[i] = q;
        visit(i + 1, busy, waiting + q);
      }
      v[i] = 0;
    }
  };
  visit(0, 0, 0);
  return tooMany ? null : { states, index, encode };
}
