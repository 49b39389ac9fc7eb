import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.ts';
import { DistTable, Rng, seedFrom } from './rng.ts';

describe('seeded randomness', () => {
  it('one seed gives one stream; another seed or stream gives another', () => {
    const a = new Rng(seedFrom(42));
    const b = new Rng(seedFrom(42));
    const c = new Rng(seedFrom(43));
    const d = new Rng(seedFrom(42), 1);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(Array.from({ length: 5 }, () => d.next())).not.toEqual(xs);
    expect(seedFrom('checkout')).toBe(seedFrom('checkout'));
    expect(seedFrom('checkout')).not.toBe(seedFrom('checkou'));
  });

  it('uniforms are uniform (mean ½, variance 1/12, every decile ≈ 10 %)', () => {
    const r = new Rng(7);
    const n = 200_000;
    const bins = new Array(10).fill(0);
    let sum = 0;
    let sq = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.004);
  });

  for (const [mean, cv] of [
    [5, 0],
    [5, 1],
    [120, 0.5],
    [10, 1.2],
    [2, 2],
  ] as const) {
    it(`gamma times keep the document's mean ${mean} and cv ${cv}`, () => {
      const t = new DistTable();
      const id = t.add(mean, cv);
      const r = new Rng(seedFrom(`gamma-${cv}`));
      const n = 400_000;
      let s = 0;
      let s2 = 0;
      let lo = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const x = t.sample(r, id);
        lo = Math.min(lo, x);
        s += x;
        s2 += x * x;
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      const m = s / n;
      const sd = Math.sqrt(Math.max(0, s2 / n - m * m));
      expect(Math.abs(m - mean) / mean).toBeLessThan(0.01);
      expect(Math.abs(sd / m - cv)).toBeLessThan(0.015 * Math.max(1, cv));
    });
  }

  it('exponential draws (ziggurat) follow the exponential law: every tenth of probability, the far tail, the moments', () => {
    const r = new Rng(99);
    const n = 1_000_000;
    const deciles = new Array(10).fill(0);
    let far = 0;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.exp(2);
      s += x;
      s2 += x * x;
      // F(x) = 1 − e^{−x/2}: each tenth of F should hold a tenth of the draws.
      deciles[Math.min(9, Math.floor((1 - Math.exp(-x / 2)) * 10))]++;
      if (x > 2 * 9) far++; // beyond 9 means: e^-9 ≈ 1.2e-4, past the ziggurat's base strip
    }
    for (const d of deciles) expect(Math.abs(d / n - 0.1)).toBeLessThan(0.0015);
    expect(far / n).toBeGreaterThan(Math.exp(-9) * 0.8);
    expect(far / n).toBeLessThan(Math.exp(-9) * 1.2);
    expect(s / n).toBeCloseTo(2, 1);
    expect(s2 / n).toBeCloseTo(8, 0);
  });
});

describe('log-linear histogram', () => {
  it('percentiles of 1…100,000 within 0.1 %; a fixed value comes back exactly', () => {
    const h = new Histogram();
    for (let i = 1; i <= 100_000; i++) h.add(i / 100);
    const [p50, p95, p99] = h.quantiles([0.5, 0.95, 0.99]);
    expect(Math.abs((p50 as number) / 500 - 1)).toBeLessThan(0.001);
    expect(Math.abs((p95 as number) / 950 - 1)).toBeLessThan(0.001);
    expect(Math.abs((p99 as number) / 990 - 1)).toBeLessThan(0.001);
    expect(h.mean()).toBeCloseTo(500.005, 6);
    const fixed = new Histogram();
    for (let i = 0; i < 10; i++) fixed.add(3.7);
    expect(fixed.quantiles([0.5, 0.99])).toEqual([3.7, 3.7]);
  });
});
