/**
 * A seeded pseudo-random number generator for everything in core that draws at random
 * (Monte Carlo, the discrete-event simulation, the benchmark's design generator). Core never
 * uses a global random source: a run is reproducible from its seed.
 *
 * The generator is xoshiro128** (Blackman & Vigna), 128 bits of state in four 32-bit words,
 * seeded through splitmix32 so that nearby seeds give unrelated streams. It is fast with
 * 32-bit integer arithmetic (`Math.imul`), passes BigCrush, and has period 2^128 − 1.
 */

/** A stream of uniform numbers. Stable API: the DES and the generator depend on it. */
export interface Rng {
  /** A uniform number in [0, 1) with 53 random bits (never 1; 0 with probability 2^−53). */
  next(): number;
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform integer in [0, n) for n ≥ 1 (unbiased). */
  nextInt(n: number): number;
  /** An independent generator derived from this one (for sub-streams: one per replica, per run…). */
  fork(): Rng;
}

/** A 32-bit seed from any string (FNV-1a, then mixed): `createRng(seedFromString(doc.name))`. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A generator seeded by `seed` (a number — integers are used as given, other numbers are
 * hashed through their decimal text — or a string). The same seed always gives the same stream.
 */
export function createRng(seed: number | string = 0): Rng {
  const s32 = typeof seed === 'string' ? seedFromString(seed) : Number.isInteger(seed) ? seed >>> 0 : seedFromString(String(seed));
  // splitmix32 expands the seed into the four state words (never all zero).
  let sm = s32 | 0;
  const splitmix = () => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  return rngFromState(splitmix(), splitmix(), splitmix(), splitmix() | 1);
}

/** A generator from an explicit xoshiro128** state (for reproducing a reference stream); not all zero. */
export function rngFromState(a0: number, b0: number, c0: number, d0: number): Rng {
  if ((a0 | b0 | c0 | d0) >>> 0 === 0) throw new RangeError('xoshiro128** state must not be all zero');
  let a = a0 | 0;
  let b = b0 | 0;
  let c = c0 | 0;
  let d = d0 | 0;
  const nextUint32 = (): number => {
    // xoshiro128**: result = rotl(b * 5, 7) * 9
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r >>> 0;
  };
  const rng: Rng = {
    nextUint32,
    next() {
      const hi = nextUint32() >>> 5; // 27 bits
      const lo = nextUint32() >>> 6; // 26 bits
      return (hi * 67108864 + lo) / 9007199254740992;
    },
    nextInt(n: number) {
      if (!(n >= 1) || !Number.isFinite(n)) throw new RangeError(`nextInt needs n ≥ 1, got ${n}`);
      const m = Math.floor(n);
      if (m <= 0x100000000) {
        // Lemire-free rejection: reject the top partial block so every value is equally likely.
        const limit = 0x100000000 - (0x100000000 % m);
        for (;;) {
          const x = nextUint32();
          if (x < limit) return x % m;
        }
      }
      return Math.floor(rng.next() * m);
    },
    fork() {
      return rngFromState(nextUint32() ^ 0x6a09e667, nextUint32() ^ 0xbb67ae85, nextUint32() ^ 0x3c6ef372, (nextUint32() ^ 0xa54ff53a) | 1);
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
