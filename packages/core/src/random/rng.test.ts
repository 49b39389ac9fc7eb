import { describe, expect, it } from 'vitest';
import { createRng, rngFromState, seedFromString } from './rng.ts';
import { exponential, gamma, normal } from './sample.ts';

/** An independent xoshiro128** in BigInt arithmetic, straight from the reference C code. */
function referenceXoshiro(state: [number, number, number, number], n: number): number[] {
  const M = 0xffffffffn;
  let [a, b, c, d] = state.map(BigInt) as [bigint, bigint, bigint, bigint];
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number((rotl((b * 5n) & M, 7n) * 9n) & M));
    const t = (b << 9n) & M;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11n);
  }
  return out;
}

describe('createRng', () => {
  it('is xoshiro128**: matches the reference algorithm word for word', () => {
    const state: [number, number, number, number] = [1, 2, 3, 4];
    const rng = rngFromState(...state);
    const ours = Array.from({ length: 1000 }, () => rng.nextUint32());
    expect(ours).toEqual(referenceXoshiro(state, 1000));
    expect(ours.slice(0, 4)).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    expect(createRng('checkout').next()).toBe(createRng('checkout').next());
    expect(seedFromString('a')).not.toBe(seedFromString('b'));
  });

  it('draws uniformly in [0, 1): every decile within 4 σ of 10 % over 100,000 draws', () => {
    const rng = createRng(7);
    const n = 100_000;
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    const sd = Math.sqrt(n * 0.1 * 0.9);
    for (const k of bins) expect(Math.abs(k - n / 10)).toBeLessThan(4 * sd);
  });

  it('nextInt is unbiased over small ranges and fork gives an independent stream', () => {
    const rng = createRng(3);
    const counts = new Uint32Array(3);
    for (let i = 0; i < 30_000; i++) {
      const k = rng.nextInt(3);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const k of counts) expect(Math.abs(k - 10_000)).toBeLessThan(4 * Math.sqrt(30_000 * (1 / 3) * (2 / 3)));
    const parent = createRng(9);
    const child = parent.fork();
    const p = Array.from({ length: 50 }, () => parent.next());
    const q = Array.from({ length: 50 }, () => child.next());
    expect(p).not.toEqual(q);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
  });
});

describe('samplers', () => {
  const moments = (draw: () => number, n = 200_000) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    return { mean, cv: Math.sqrt(s2 / n - mean * mean) / mean };
  };

  it('exponential has its mean and cv 1', () => {
    const rng = createRng(11);
    const m = moments(() => exponential(rng, 5));
    expect(m.mean).toBeCloseTo(5, 1);
    expect(m.cv).toBeCloseTo(1, 1);
  });

  it.each([0.3, 0.7, 1.5, 2.5])('gamma(mean 10, cv %f) has that mean and cv', (cv) => {
    const rng = createRng(13);
    const m = moments(() => gamma(rng, 10, cv));
    expect(Math.abs(m.mean - 10) / 10).toBeLessThan(0.02);
    expect(Math.abs(m.cv - cv) / cv).toBeLessThan(0.03);
  });

  it('gamma with cv 0 is fixed; normal is standard', () => {
    const rng = createRng(17);
    expect(gamma(rng, 4, 0)).toBe(4);
    const m = moments(() => 10 + normal(rng));
    expect(m.mean).toBeCloseTo(10, 1);
    expect(m.cv * m.mean).toBeCloseTo(1, 1);
  });
});
