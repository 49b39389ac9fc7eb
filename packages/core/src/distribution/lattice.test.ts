import { describe, expect, it } from 'vitest';
import { gammaSurvival } from '../queue/station.ts';
import { convolve, convolveDirect } from './fft.ts';
import { add, addCopies, expWait, gammaLattice, type Lattice, maxOf, mean, mix, pointMass, quantile, shift } from './lattice.ts';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

/** Quantile of a survival function by bisection (the independent reference). */
function survQuantile(S: (t: number) => number, q: number, hi = 1000): number {
  let lo = 0;
  let h = hi;
  for (let i = 0; i < 200; i++) {
    const m = (lo + h) / 2;
    if (S(m) > 1 - q) lo = m;
    else h = m;
  }
  return (lo + h) / 2;
}

describe('FFT convolution', () => {
  it('equals direct convolution', () => {
    const a = Float64Array.from({ length: 700 }, (_, i) => Math.exp(-i / 50));
    const b = Float64Array.from({ length: 900 }, (_, i) => 1 / (1 + ((i - 300) / 40) ** 2));
    const f = convolve(a, b);
    const d = convolveDirect(a, b);
    expect(f.length).toBe(d.length);
    let worst = 0;
    for (let i = 0; i < f.length; i++) worst = Math.max(worst, Math.abs((f[i] as number) - (d[i] as number)));
    expect(worst).toBeLessThan(1e-10);
  });
});

describe('lattice distributions', () => {
  it.each([
    [1, 1],
    [5, 0.5],
    [2, 2],
    [120, 0.5],
  ])('gamma(mean %f, cv %f) keeps its mean and its p50/p95/p99 within 0.5 %', (m, cv) => {
    const g = gammaLattice(m, cv);
    expect(rel(mean(g), m)).toBeLessThan(1e-6);
    // cv 2 puts half the mass below 0.17·mean under a density singular at 0: one uniform
    // lattice resolves that median only to about one step (4 % here); the tail stays exact.
    for (const q of cv > 1.5 ? [0.95, 0.99] : [0.5, 0.95, 0.99]) {
      const want = survQuantile((t) => gammaSurvival(m, cv, t), q, m * 100);
      expect(rel(quantile(g, q), want)).toBeLessThan(0.005);
    }
  });

  it('MODEL.md §3: two M/M/1 in tandem (μ−λ = 1 and 2): mean 1.5, p50 1.2280, p95 3.6761, p99 5.2958', () => {
    const t = add(gammaLattice(1, 1), gammaLattice(0.5, 1));
    expect(rel(mean(t), 1.5)).toBeLessThan(1e-6);
    expect(rel(quantile(t, 0.5), 1.228)).toBeLessThan(0.002);
    expect(rel(quantile(t, 0.95), 3.6761)).toBeLessThan(0.002);
    expect(rel(quantile(t, 0.99), 5.2958)).toBeLessThan(0.002);
  });

  it.each([
    [1, 4.605],
    [2, 5.296],
    [5, 6.211],
    [10, 6.903],
    [100, 9.205],
  ])('MODEL.md §3: max of %i iid Exp(1) has p99 %f', (n, p99) => {
    const m = maxOf([{ dist: gammaLattice(1, 1), count: n }]);
    expect(rel(quantile(m, 0.99), p99)).toBeLessThan(0.002);
  });

  it('a fractional count mixes ⌊n⌋ and ⌈n⌉ copies; sums of copies add means', () => {
    const e = gammaLattice(1, 1);
    const half = maxOf([{ dist: e, count: 1.5 }]);
    // P(max ≤ t) = 0.5 F + 0.5 F² → median solves F(1+F)/2 = 1/2.
    const F = (Math.sqrt(5) - 1) / 2;
    expect(rel(quantile(half, 0.5), -Math.log(1 - F))).toBeLessThan(0.003);
    expect(rel(mean(addCopies(e, 7)), 7)).toBeLessThan(1e-6);
  });

  it('the queue wait: (1−C)·X + C·(X + Exp(θ)) matches the M/M/1 sojourn', () => {
    // M/M/1 λ=8 μ=10 per ms: own Exp(mean 0.1), C = 0.8, θ = 2 → sojourn Exp(2).
    const w = expWait(gammaLattice(0.1, 1), 0.8, 2);
    expect(rel(mean(w), 0.5)).toBeLessThan(1e-4);
    expect(rel(quantile(w, 0.99), Math.log(100) / 2)).toBeLessThan(0.003);
  });

  it('shifts and fixed values keep means exactly; mixtures weight them', () => {
    const d = pointMass(2.37, -4);
    expect(mean(d)).toBeCloseTo(2.37, 12);
    const s = shift(gammaLattice(1, 1), 0.014);
    expect(mean(s)).toBeCloseTo(1.014, 6);
    const m: Lattice = mix([
      { weight: 0.9, dist: gammaLattice(0.3, 1) },
      { weight: 0.1, dist: gammaLattice(50, 1) },
    ]);
    expect(rel(mean(m), 0.9 * 0.3 + 0.1 * 50)).toBeLessThan(1e-5);
    // p99 of the mixture: 0.9(1−e^{−t/0.3}) + 0.1(1−e^{−t/50}) = 0.99 → about 50·ln(10).
    const want = survQuantile((t) => 0.9 * Math.exp(-t / 0.3) + 0.1 * Math.exp(-t / 50), 0.99);
    expect(rel(quantile(m, 0.99), want)).toBeLessThan(0.005);
  });
});
