import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedQueue, boundedWaitSurvival } from './bounded.ts';
import { mmc } from './erlang.ts';
import { sojournPercentile, station } from './station.ts';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

/** A replica with a bounded queue, exponential own time (rates per unit time, as the closed forms). */
const mmck = (lambda: number, mu: number, c: number, queueLimit: number) =>
  station({ lambda, workers: c, own: [{ weight: 1, mean: 1 / mu, cv: 1 }], queueLimit });

/**
 * M/M/c/K against values computed apart from this code (mpmath, 20 digits: the truncated
 * birth–death chain for the blocking probability and L/λ_eff, and the sojourn survival by
 * numerical integration of the Erlang-mixture wait convolved with Exp(μ), percentiles by
 * bisection). The core README lists them.
 */
const REFERENCE = [
  { name: 'M/M/1/5, λ 8, μ 10', lambda: 8, mu: 10, c: 1, N: 4, block: 0.088819499, W: 0.25630652, p50: 0.20604892, p95: 0.66787524, p99: 0.92015364 },
  {
    name: 'M/M/4/10, λ 0.35, μ 0.1',
    lambda: 0.35,
    mu: 0.1,
    c: 4,
    N: 6,
    block: 0.058280702,
    W: 14.735014,
    p50: 12.162404,
    p95: 37.203305,
    p99: 53.328748,
  },
  {
    name: 'M/M/2/7, λ 3, μ 1 (ρ 1.5)',
    lambda: 3,
    mu: 1,
    c: 2,
    N: 5,
    block: 0.35042461,
    W: 2.7604835,
    p50: 2.5544589,
    p95: 5.6453309,
    p99: 7.3815354,
  },
  { name: 'M/M/1/10, λ 5, μ 1 (ρ 5)', lambda: 5, mu: 1, c: 1, N: 9, block: 0.80000002, W: 9.750001, p50: 9.421299, p95: 15.467819, p99: 18.548199 },
  { name: 'M/M/2/2 (Erlang loss), λ 1, μ 1', lambda: 1, mu: 1, c: 2, N: 0, block: 0.2, W: 1, p50: Math.LN2, p95: Math.log(20), p99: Math.log(100) },
];

describe('M/M/c/K (bounded queues, exact)', () => {
  for (const r of REFERENCE) {
    it(`${r.name}: blocking ${r.block}, admitted sojourn mean ${r.W}, p50/p95/p99 ${r.p50}/${r.p95}/${r.p99}`, () => {
      const st = mmck(r.lambda, r.mu, r.c, r.N);
      expect(st.method).toBe('mmck');
      expect(st.saturated).toBe(false);
      const b = st.bounded;
      expect(b).not.toBeNull();
      if (!b) return;
      expect(rel(b.block, r.block)).toBeLessThan(1e-6);
      expect(rel(st.W, r.W)).toBeLessThan(1e-6);
      // Little: L = λ(1 − P_K)·W.
      expect(rel(st.L, r.lambda * (1 - b.block) * st.W)).toBeLessThan(1e-9);
      const parts = [{ weight: 1, station: st }];
      expect(rel(sojournPercentile(parts, 0.5), r.p50)).toBeLessThan(1e-5);
      expect(rel(sojournPercentile(parts, 0.95), r.p95)).toBeLessThan(1e-5);
      expect(rel(sojournPercentile(parts, 0.99), r.p99)).toBeLessThan(1e-5);
    });
  }

  it('M/M/1/K at ρ = 1: P_K = 1/(K + 1)', () => {
    expect(rel(mmck(2, 2, 1, 9).bounded?.block ?? 0, 1 / 11)).toBeLessThan(1e-12);
  });

  it('a long queue is the unbounded M/M/c (PDQ: W 24.7572, T p99 99.843)', () => {
    const st = mmck(0.35, 0.1, 4, 2000);
    expect(st.bounded?.block).toBeLessThan(1e-100);
    expect(rel(st.W, mmc(0.35, 0.1, 4).W)).toBeLessThan(1e-9);
    expect(rel(sojournPercentile([{ weight: 1, station: st }], 0.99), 99.843)).toBeLessThan(1e-4);
  });

  it('large c and K stay finite (c 10,000, N 100,000, ρ 1.2)', () => {
    const b = boundedQueue(12_000, 10_000, 100_000, 1, 1, true);
    expect(Number.isFinite(b.block) && Number.isFinite(b.W)).toBe(true);
    // At ρ > 1 with a long line, nearly everyone rejected is the excess: P_K ≈ 1 − 1/ρ.
    expect(rel(b.block, 1 - 1 / 1.2)).toBeLessThan(1e-3);
    expect(boundedWaitSurvival(b, 0)).toBeCloseTo(b.C, 12);
  });

  it('a larger queueLimit never raises the rejection rate (any load, workers, cv)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(0, 0.5, 1, 2),
        (rho, c, n, more, cv) => {
          const lambda = rho * c;
          const a = boundedQueue(lambda, c, n, 1, cv * cv, cv === 1);
          const b = boundedQueue(lambda, c, n + more, 1, cv * cv, cv === 1);
          return b.block <= a.block * (1 + 1e-12) + 1e-300;
        },
      ),
      { seed: 17, numRuns: 400 },
    );
  });

  it('two-moment M/G/c/K: exact at cv 1, fixed own times reject less below ρ 1 and pile up more above it', () => {
    const exp = boundedQueue(0.8, 2, 5, 1, 1, false);
    expect(rel(exp.block, boundedQueue(0.8, 2, 5, 1, 1, true).block)).toBeLessThan(1e-12);
    expect(boundedQueue(0.8, 2, 5, 1, 0, false).block).toBeLessThan(exp.block);
    expect(boundedQueue(0.8, 2, 5, 1, 4, false).block).toBeGreaterThan(exp.block);
    // The station takes M/PH/c/K (mphck.ts) now, and one worker the exact M/G/1/K (mg1k.ts).
    const st = station({ lambda: 0.8, workers: 2, own: [{ weight: 1, mean: 1, cv: 0.5 }], queueLimit: 5 });
    expect(st.method).toBe('mphck');
    expect(st.bounded?.exactPh).toBe(true);
    expect(station({ lambda: 0.8, workers: 1, own: [{ weight: 1, mean: 1, cv: 0.5 }], queueLimit: 5 }).method).toBe('mg1k');
  });
});
