/**
 * The reference values the DES coverage is measured against are themselves checked: the
 * Beneš-equation M/G/1 solver against M/M/1's closed form and Crommelin's M/D/1 formula, and the
 * closed forms against MODEL.md §3's table.
 */
import { describe, expect, it } from 'vitest';
import { batchMM1, erlangC, forkJoin2Mean, gammaP, maxOfExponentials, mg1, mmc, tandem } from './queue-reference.ts';

/** Crommelin (1932): P(W ≤ t) for M/D/1 with D = 1, ρ = λ; fine in doubles while λt stays small. */
function crommelin(rho: number, t: number): number {
  let s = 0;
  let factorial = 1;
  for (let j = 0; j <= Math.floor(t); j++) {
    if (j > 0) factorial *= j;
    s += (Math.exp(rho * (t - j)) * (-rho * (t - j)) ** j) / factorial;
  }
  return (1 - rho) * s;
}

function crommelinQuantile(rho: number, p: number): number {
  let lo = 0;
  let hi = 20;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (crommelin(rho, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('queue reference values', () => {
  it('reproduce MODEL.md §3', () => {
    expect(mmc(8, 10, 1).p99).toBeCloseTo(Math.LN10, 5);
    expect(erlangC(4, 3.5)).toBeCloseTo(0.73786, 5);
    expect(mmc(0.35, 0.1, 4).p99).toBeCloseTo(99.843, 2);
    expect(mmc(0.35, 0.1, 4).mean).toBeCloseTo(24.7572, 4);
    const mm2 = mmc(1, 1, 2);
    expect([mm2.p50, mm2.p95, mm2.p99].map((v) => +v.toFixed(4))).toEqual([0.9744, 3.8165, 5.666]);
    expect(mmc(8, 1, 10).p99).toBeCloseTo(4.9461, 4);
    const t = tandem();
    expect(t.p50).toBeCloseTo(1.228, 3);
    expect(t.p95).toBeCloseTo(3.6761, 4);
    expect(t.p99).toBeCloseTo(5.2958, 4);
    expect([1, 2, 5, 10, 100].map((n) => +maxOfExponentials(n).p99.toFixed(3))).toEqual([4.605, 5.296, 6.211, 6.903, 9.205]);
  });

  it('the incomplete gamma function matches known values', () => {
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(gammaP(0.5, 0.5)).toBeCloseTo(0.6826894921, 9); // erf(√0.5)
    expect(gammaP(0.25, 40)).toBeCloseTo(1, 12);
    expect(gammaP(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12);
  });

  it('the Beneš solver gives M/M/1 (cv 1) to 5e-5 and M/D/1 (cv 0) to 1e-5 on an 8,000-cell grid', () => {
    for (const rho of [0.5, 0.8, 0.9]) {
      const exact = mmc(rho, 1, 1);
      const solved = mg1(rho, 1, 1, 8000);
      for (const k of ['mean', 'p50', 'p95', 'p99'] as const) expect(Math.abs(solved[k] / exact[k] - 1)).toBeLessThan(5e-5);
    }
    for (const rho of [0.5, 0.8]) {
      const solved = mg1(rho, 1, 0, 8000);
      expect(solved.mean).toBeCloseTo(1 + rho / (2 * (1 - rho)), 12);
      for (const [k, p] of [
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const)
        expect(Math.abs(solved[k] / (1 + crommelinQuantile(rho, p)) - 1)).toBeLessThan(1e-5);
    }
  });

  it('fork–join and batch means', () => {
    expect(forkJoin2Mean(0.05, 0.1)).toBeCloseTo(28.75, 12);
    // ρ → 0: the later of two independent Exp(μ) has mean 1.5/μ.
    expect(forkJoin2Mean(1e-9, 1)).toBeCloseTo(1.5, 6);
    // n = 1 is an ordinary M/M/1.
    expect(batchMM1(0.5, 1, 1).customerSojournMean).toBeCloseTo(2, 12);
    expect(batchMM1(0.05, 0.1, 5).customerSojournMean).toBeCloseTo(60, 12);
    expect(batchMM1(0.05, 0.1, 5).batchDoneMean).toBeCloseTo(80, 12);
  });
});
