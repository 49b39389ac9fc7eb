import { describe, expect, it } from 'vitest';
import { cheHitRate } from './che.ts';

/** Che key by key, independently: bisection on T over every rank. */
function cheKeyByKey(n: number, alpha: number, capacity: number): number {
  const p = new Float64Array(n);
  let z = 0;
  for (let i = 0; i < n; i++) z += p[i] = (i + 1) ** -alpha;
  for (let i = 0; i < n; i++) p[i] = (p[i] as number) / z;
  const fill = (T: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += 1 - Math.exp(-(p[i] as number) * T);
    return s;
  };
  let lo = 0;
  let hi = 1;
  while (fill(hi) < capacity) hi *= 2;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) < capacity) lo = mid;
    else hi = mid;
  }
  const T = (lo + hi) / 2;
  let h = 0;
  for (let i = 0; i < n; i++) h += (p[i] as number) * (1 - Math.exp(-(p[i] as number) * T));
  return h;
}

describe("Che's approximation over rank buckets", () => {
  it('MODEL.md §3: N=10,000, α=1.0, capacity 100 → 0.3905; N=100,000, α=0.9, capacity 1,000 → 0.3421', () => {
    expect(Math.abs(cheHitRate(10_000, 1, 100) - 0.3905) / 0.3905).toBeLessThan(1e-3);
    expect(Math.abs(cheHitRate(100_000, 0.9, 1000) - 0.3421) / 0.3421).toBeLessThan(1e-3);
  });

  it.each([
    [5000, 0.6, 50],
    [20_000, 1.2, 2000],
    [300, 0.8, 299],
    [100_000, 0.0, 25_000],
    [50_000, 1.5, 10],
  ])('agrees with the key-by-key sum (N %i, α %f, capacity %i) within 1e-5', (n, alpha, cap) => {
    const want = cheKeyByKey(n, alpha, cap);
    expect(Math.abs(cheHitRate(n, alpha, cap) - want) / want).toBeLessThan(1e-5);
  });

  it('costs the same for a billion keys and grows with capacity', () => {
    const t0 = cheHitRate(1e9, 0.9, 1e6);
    expect(t0).toBeGreaterThan(0);
    expect(t0).toBeLessThan(1);
    expect(cheHitRate(1e9, 0.9, 2e6)).toBeGreaterThan(t0);
    expect(cheHitRate(1000, 1, 1000)).toBe(1);
    expect(cheHitRate(1000, 1, 0)).toBe(0);
  });
});
