/**
 * The exact bounded queues with non-exponential own times (issue 17): M/G/1/K (queue/mg1k.ts, with
 * the wait composed on the lattice by bounded-wait.ts) and M/PH/c/K (queue/mphck.ts), against
 * computations built here apart from them:
 * - M/E_k/1/K and M/E_k/2/K: a brute-force CTMC over (n, phase of each worker, workers told
 *   apart), solved densely; for one worker the admitted sojourn is an Erlang mixture (an arrival
 *   finding n with j phases left in service waits j + (n − 1)k phases, then its own k).
 * - M/D/1/K (cv 0) below capacity: the infinite M/D/1's queue-length law (Erlang's alternating
 *   sum) truncated: P_K = (1 − ρ)Q_K/(1 − ρQ_K), Q_K = P(N_∞ ≥ K) (Gross & Harris §5.1.9; M/M/1
 *   gives back (1 − ρ)ρ^K/(1 − ρ^{K+1})).
 */
import { describe, expect, it } from 'vitest';
import { mg1kChain } from '../queue/mg1k.ts';
import { mphckQueue } from '../queue/mphck.ts';
import { gammaQ, lnGamma } from '../queue/special.ts';
import { type Station, station } from '../queue/station.ts';
import { serviceSojourn } from './sojourn.ts';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

/** Stationary vector of a dense generator Q (n × n, row-major) by Gaussian elimination with one equation replaced by Σπ = 1. */
function stationary(Q: Float64Array, n: number): Float64Array {
  // Solve πQ = 0: Qᵀπᵀ = 0, last row → ones.
  const A = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * (n + 1) + j] = Q[j * n + i] as number;
  for (let j = 0; j < n; j++) A[(n - 1) * (n + 1) + j] = 1;
  A[(n - 1) * (n + 1) + n] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * (n + 1) + col] as number) > Math.abs(A[piv * (n + 1) + col] as number)) piv = r;
    for (let j = 0; j <= n; j++) {
      const t = A[col * (n + 1) + j] as number;
      A[col * (n + 1) + j] = A[piv * (n + 1) + j] as number;
      A[piv * (n + 1) + j] = t;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (A[r * (n + 1) + col] as number) / (A[col * (n + 1) + col] as number);
      if (f === 0) continue;
      for (let j = col; j <= n; j++) A[r * (n + 1) + j] = (A[r * (n + 1) + j] as number) - f * (A[col * (n + 1) + j] as number);
    }
  }
  const pi = new Float64Array(n);
  for (let i = 0; i < n; i++) pi[i] = (A[i * (n + 1) + n] as number) / (A[i * (n + 1) + i] as number);
  return pi;
}

/**
 * M/E_k/c/K (c ≤ 2) by brute force: workers told apart, each idle (0) or with 1…k phases left; FIFO
 * line of n − busy. Own time mean 1 (phase rate k). Returns the blocking probability, the admitted
 * mean sojourn, and what an admitted arrival finds (for c = 1: P(n, j phases left)).
 */
function erlangQueue(lambda: number, k: number, c: 1 | 2, K: number) {
  const states: { n: number; ph: number[] }[] = [];
  const index = new Map<string, number>();
  const add = (n: number, ph: number[]) => {
    const key = `${n}|${ph.join(',')}`;
    if (!index.has(key)) {
      index.set(key, states.length);
      states.push({ n, ph });
    }
  };
  const phs =
    c === 1 ? Array.from({ length: k + 1 }, (_, a) => [a]) : Array.from({ length: (k + 1) ** 2 }, (_, i) => [i % (k + 1), Math.floor(i / (k + 1))]);
  for (let n = 0; n <= K; n++)
    for (const ph of phs) {
      const busy = ph.filter((x) => x > 0).length;
      if (busy === Math.min(n, c)) add(n, ph);
    }
  const S = states.length;
  const Q = new Float64Array(S * S);
  const to = (from: number, n: number, ph: number[], rate: number) => {
    const j = index.get(`${n}|${ph.join(',')}`);
    if (j === undefined) throw new Error(`no state ${n}|${ph}`);
    Q[from * S + j] = (Q[from * S + j] as number) + rate;
    Q[from * S + from] = (Q[from * S + from] as number) - rate;
  };
  states.forEach(({ n, ph }, i) => {
    if (n < K) {
      const free = ph.indexOf(0);
      if (free >= 0) {
        // Split evenly between free workers (their labels do not matter to any figure).
        const frees = ph.map((x, w) => (x === 0 ? w : -1)).filter((w) => w >= 0);
        for (const w of frees) {
          const next = ph.slice();
          next[w] = k;
          to(i, n + 1, next, lambda / frees.length);
        }
      } else to(i, n + 1, ph, lambda);
    }
    ph.forEach((x, w) => {
      if (x === 0) return;
      const next = ph.slice();
      if (x > 1) next[w] = x - 1;
      else next[w] = n > c ? k : 0;
      to(i, x > 1 ? n : n - 1, next, k);
    });
  });
  const pi = stationary(Q, S);
  let block = 0;
  let L = 0;
  states.forEach(({ n }, i) => {
    if (n === K) block += pi[i] as number;
    L += n * (pi[i] as number);
  });
  return { block, W: L / (lambda * (1 - block)), states, pi };
}

/** P99 of the M/E_k/1/K admitted sojourn: Erlang(j + (n − 1)k + k, k) mixed over what arrivals find (bisection). */
function erlangSojournP99(lambda: number, k: number, K: number): number {
  const { states, pi, block } = erlangQueue(lambda, k, 1, K);
  const parts: { w: number; m: number }[] = [];
  states.forEach(({ n, ph }, i) => {
    if (n === K) return;
    const j = ph[0] as number;
    parts.push({ w: (pi[i] as number) / (1 - block), m: n === 0 ? k : j + (n - 1) * k + k });
  });
  const surv = (t: number) => parts.reduce((s, p) => s + p.w * gammaQ(p.m, k * t), 0);
  let lo = 0;
  let hi = 1;
  while (surv(hi) > 0.01) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (surv(mid) > 0.01) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The infinite M/D/1's P(N = n), own time 1 (Erlang's alternating sum; fine for the small n used here). */
function md1(rho: number, n: number): number {
  if (n === 0) return 1 - rho;
  if (n === 1) return (1 - rho) * (Math.exp(rho) - 1);
  let s = 0;
  for (let j = 1; j <= n; j++) {
    const x = j * rho;
    let t = Math.exp(j * rho) * (x ** (n - j) / Math.exp(lnGamma(n - j + 1)));
    if (n - j - 1 >= 0) t += Math.exp(j * rho) * (x ** (n - j - 1) / Math.exp(lnGamma(n - j)));
    s += (n - j) % 2 === 0 ? t : -t;
  }
  return (1 - rho) * s;
}

const erlangOwn = (k: number) => [{ weight: 1, mean: 1, cv: 1 / Math.sqrt(k) }];
const p99Of = (st: Station) => serviceSojourn([{ weight: 1, station: st }]).p99;

describe('M/G/1/K exactly (one worker, own time not exponential)', () => {
  for (const [k, lambda, N] of [
    [2, 0.8, 4],
    [4, 0.9, 9],
    [4, 1.2, 3],
    [3, 2, 10],
    [8, 0.5, 1],
  ] as const) {
    it(`M/E_${k}/1/${N + 1} at ρ ${lambda}: blocking and admitted mean as the brute-force CTMC (1e-9), P99 as its Erlang mixture (0.5 %)`, () => {
      const ref = erlangQueue(lambda, k, 1, N + 1);
      const st = station({ lambda, workers: 1, own: erlangOwn(k), queueLimit: N });
      expect(st.method).toBe('mg1k');
      expect(rel(st.bounded?.block ?? 0, ref.block)).toBeLessThan(1e-9);
      expect(rel(st.W, ref.W)).toBeLessThan(1e-9);
      expect(rel(p99Of(st), erlangSojournP99(lambda, k, N + 1))).toBeLessThan(0.005);
    });
  }

  for (const [rho, K] of [
    [0.5, 2],
    [0.8, 3],
    [0.8, 6],
    [0.95, 5],
  ] as const) {
    it(`M/D/1/${K} at ρ ${rho}: blocking (1 − ρ)Q_K/(1 − ρQ_K) from the M/D/1 queue-length law`, () => {
      let below = 0;
      for (let n = 0; n < K; n++) below += md1(rho, n);
      const QK = 1 - below;
      const want = ((1 - rho) * QK) / (1 - rho * QK);
      const ch = mg1kChain(rho, K, [{ weight: 1, mean: 1, cv: 0 }]);
      expect(rel(ch?.block ?? 0, want)).toBeLessThan(1e-9);
    });
  }

  it('M/D/1/K admitted sojourn: never above K own times, and its P99 within the lattice of the largest line', () => {
    // Fixed own time 1: an arrival finding n waits a residual plus n − 1 whole times, so sojourn ≤ K (= n + 1 at n = K − 1).
    const st = station({ lambda: 2, workers: 1, own: [{ weight: 1, mean: 1, cv: 0 }], queueLimit: 3 });
    const p99 = p99Of(st);
    expect(p99).toBeLessThan(4 * 1.005);
    expect(p99).toBeGreaterThan(3.9);
  });

  it('a cache-like hit/miss mixture is exact too: the mixture of negative binomials (checked at a 50/50 mix of Erlang-2 and Erlang-2)', () => {
    const half = [
      { weight: 0.5, mean: 1, cv: 1 / Math.SQRT2 },
      { weight: 0.5, mean: 1, cv: 1 / Math.SQRT2 },
    ];
    const a = station({ lambda: 0.9, workers: 1, own: half, queueLimit: 4, cached: true });
    const ref = erlangQueue(0.9, 2, 1, 5);
    expect(a.method).toBe('mg1k');
    expect(rel(a.bounded?.block ?? 0, ref.block)).toBeLessThan(1e-9);
  });
});

describe('M/PH/c/K (several workers)', () => {
  it('no traffic: nothing rejected, the admitted sojourn is the own time (both methods)', () => {
    for (const workers of [1, 3])
      for (const cv of [0, 0.5, 2]) {
        const st = station({ lambda: 0, workers, own: [{ weight: 1, mean: 2, cv }], queueLimit: 4 });
        expect([st.method, st.W, st.bounded?.block]).toEqual([workers === 1 ? 'mg1k' : 'mphck', 2, 0]);
      }
  });

  for (const [k, lambda, N] of [
    [2, 1.6, 3],
    [4, 1.8, 6],
    [4, 2.4, 2],
    [3, 4, 5],
  ] as const) {
    it(`M/E_${k}/2/${N + 2} at ρ ${lambda / 2}: the Erlang own time is a phase type exactly, blocking and mean as the brute-force CTMC (1e-9)`, () => {
      const ref = erlangQueue(lambda, k, 2, N + 2);
      const st = station({ lambda, workers: 2, own: erlangOwn(k), queueLimit: N });
      expect(st.method).toBe('mphck');
      expect(st.bounded?.exactPh).toBe(true);
      expect(rel(st.bounded?.block ?? 0, ref.block)).toBeLessThan(1e-9);
      expect(rel(st.W, ref.W)).toBeLessThan(1e-9);
      // The wait's Erlang stages carry the same mean.
      const b = st.bounded;
      let wq = 0;
      b?.stages.forEach((w, i) => {
        wq += (w * (b.firstStage + i)) / b.stageRate;
      });
      expect(rel(wq, st.Wq)).toBeLessThan(1e-9);
    });
  }

  it('one worker through both exact routes: M/G/1/K (lattice) and M/PH/1/K (Erlang stages) give the same P99 (0.5 %)', () => {
    const g = station({ lambda: 0.9, workers: 1, own: erlangOwn(4), queueLimit: 6 });
    expect(g.method).toBe('mg1k');
    const ph: Station = { ...g, method: 'mphck', bounded: null };
    ph.bounded = mphckQueue(0.9, 1, 6, 1, 0.25);
    expect(rel(ph.bounded?.block ?? 0, g.bounded?.block ?? 0)).toBeLessThan(1e-9);
    expect(rel(p99Of(ph), p99Of(g))).toBeLessThan(0.005);
  });
});
