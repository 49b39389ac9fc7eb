import { describe, expect, it } from 'vitest';
import { cheHitRate } from './che.ts';

/** Che's fixed point summed key by key: the definition, for checking the bucketed solver. */
function bruteForce(keys: number, alpha: number, capacity: number): number {
  const q = new Float64Array(keys);
  let norm = 0;
  for (let i = 0; i < keys; i++) {
    q[i] = (i + 1) ** -alpha;
    norm += q[i] as number;
  }
  for (let i = 0; i < keys; i++) q[i] = (q[i] as number) / norm;
  const filled = (T: number) => {
    let s = 0;
    for (let i = 0; i < keys; i++) s -= Math.expm1(-(q[i] as number) * T);
    return s;
  };
  let lo = 1e-9;
  let hi = 1;
  while (filled(hi) < capacity) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (filled(mid) < capacity) lo = mid;
    else hi = mid;
  }
  const T = Math.sqrt(lo * hi);
  let h = 0;
  for (let i = 0; i < keys; i++) h -= (q[i] as number) * Math.expm1(-(q[i] as number) * T);
  return h;
}

describe("Che's approximation (the DES's own solver)", () => {
  it('matches MODEL.md §3: N=10,000, α=1.0, capacity 100 → 0.3905; N=100,000, α=0.9, capacity 1,000 → 0.3421', () => {
    expect(cheHitRate(10_000, 1.0, 100)).toBeCloseTo(0.3905, 4);
    expect(cheHitRate(100_000, 0.9, 1_000)).toBeCloseTo(0.3421, 4);
  });

  it('agrees with the key-by-key sum where buckets are used (200,000 keys)', () => {
    expect(cheHitRate(200_000, 0.8, 10_000)).toBeCloseTo(bruteForce(200_000, 0.8, 10_000), 7);
  });

  it('uniform popularity gives capacity/keys; a full cache hits always; an empty one never', () => {
    expect(cheHitRate(1_000, 0, 250)).toBeCloseTo(0.25, 6);
    expect(cheHitRate(1_000, 1, 1_000)).toBe(1);
    expect(cheHitRate(1_000, 1, 0)).toBe(0);
  });

  it('costs grow with log(keySpace): a billion keys solve in well under a second', () => {
    const h = cheHitRate(1_000_000_000, 0.9, 1_000_000);
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(1);
  });
});
