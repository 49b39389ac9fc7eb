import { describe, expect, it } from 'vitest';
import { cheHitRate } from './che.ts';
import { cacheEntriesForHitRate, cheCapacityForHitRate } from './size.ts';

describe('cache size by target hit rate (Che, solved back)', () => {
  it('uniform popularity (α = 0): the hit rate is capacity / key space, so 90 % of 10,000 keys takes 9,000 entries', () => {
    // Che with pᵢ = 1/N: N(1 − e^{−T/N}) = C gives h = 1 − e^{−T/N} = C/N exactly.
    expect(cheCapacityForHitRate(10_000, 0, 0.9)).toBe(9000);
    expect(cheCapacityForHitRate(10_000, 0, 0.25)).toBe(2500);
    expect(cheCapacityForHitRate(1_000_000, 0, 0.123456)).toBe(123_456);
  });

  it('is the smallest capacity whose forward Che hit rate reaches the target', () => {
    for (const [n, alpha, target] of [
      [10_000, 1, 0.3905],
      [100_000, 0.9, 0.5],
      [400_000, 0.8, 0.9],
      [1e9, 1.1, 0.95],
      [5000, 1.5, 0.99],
    ] as const) {
      const c = cheCapacityForHitRate(n, alpha, target);
      expect(cheHitRate(n, alpha, c)).toBeGreaterThanOrEqual(target - 1e-12);
      expect(cheHitRate(n, alpha, c - 1)).toBeLessThan(target);
    }
  });

  it('MODEL.md §3 in reverse: 0.3905 over 10,000 keys at α 1 takes about 100 entries', () => {
    expect(Math.abs(cheCapacityForHitRate(10_000, 1, 0.3905) - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(cheCapacityForHitRate(100_000, 0.9, 0.3421) - 1000)).toBeLessThanOrEqual(2);
  });

  it('edges: nothing for 0 %, the whole key space for 100 %', () => {
    expect(cheCapacityForHitRate(1000, 1, 0)).toBe(0);
    expect(cheCapacityForHitRate(1000, 1, 1)).toBe(1000);
    expect(cheCapacityForHitRate(1000, 1, 1.5)).toBe(1000);
  });

  it('a distributed cache splits the capacity over the replicas; a per-replica cache holds it whole', () => {
    const cache = { keySpace: 10_000, zipf: 0 };
    const dist = cacheEntriesForHitRate({ ...cache, scope: 'distributed' }, 6, 0.9);
    expect(dist.entriesPerReplica).toBe(1500);
    expect(dist.hitRate).toBeCloseTo(0.9, 12);
    const per = cacheEntriesForHitRate({ ...cache, scope: 'perReplica' }, 6, 0.9);
    expect(per.entriesPerReplica).toBe(9000);
    expect(per.hitRate).toBeCloseTo(0.9, 12);
    // 7 replicas: 9,000 / 7 rounds up to 1,286 each, 9,002 in all.
    const seven = cacheEntriesForHitRate({ ...cache, scope: 'distributed' }, 7, 0.9);
    expect(seven.entriesPerReplica).toBe(1286);
    expect(seven.hitRate).toBeCloseTo(9002 / 10_000, 12);
  });
});
