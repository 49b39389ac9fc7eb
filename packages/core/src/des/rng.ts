/**
 * A seeded pseudo-random source for the discrete-event simulation, and the samplers it needs.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and only adds, shifts and xors on 32-bit integers, which V8 keeps unboxed. The
 * counter guarantees a period of at least 2^32 from any seed. One seed gives the same stream
 * on every machine: no global random source, no clock.
 */

/** splitmix32: spreads a seed (or a seed and a stream number) over 32 well-mixed bits. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit seed from a number or a string (FNV-1a over the UTF-16 code units). */
export function seedFrom(seed: number | string): number {
  if (typeof seed === 'number') {
    // Non-integers and large integers keep their low and high halves.
    const hi = Math.floor(seed / 4294967296);
    return mix32((seed >>> 0) ^ mix32(hi | 0)) >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO_NEG_32 = 2.3283064365386963e-10;

/*
 * Marsaglia & Tsang's ziggurat for the standard exponential (2000), 256 layers: about 99 % of
 * draws cost one 32-bit integer, a table look-up and a multiply — no logarithm, which is the
 * dearest thing the event loop would otherwise do per service time.
 */
const ZIG_R = 7.697117470131487;
const zigK = new Float64Array(256);
const zigW = new Float64Array(256);
const zigF = new Float64Array(256);
{
  const m2 = 4294967296;
  const v = 3.949659822581572e-3;
  let d = ZIG_R;
  let t = d;
  const q = v / Math.exp(-d);
  zigK[0] = (d / q) * m2;
  zigK[1] = 0;
  zigW[0] = q / m2;
  zigW[255] = d / m2;
  zigF[0] = 1;
  zigF[255] = Math.exp(-d);
  for (let i = 254; i >= 1; i--) {
    d = -Math.log(v / d + Math.exp(-d));
    zigK[i + 1] = (d / t) * m2;
    t = d;
    zigF[i] = Math.exp(-d);
    zigW[i] = d / m2;
  }
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second normal of a polar-method pair, kept for the next call. */
  private spare = 0;
  private hasSpare = false;

  /** A stream for `seed`; different `stream` numbers give independent streams (replications). */
  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x6a09e667);
    this.b = mix32(seed + Math.imul(stream + 1, 0x3c6ef372));
    this.c = mix32(this.b ^ stream ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** The next 32 random bits as a signed integer. */
  next(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t;
  }

  /** Uniform in [0, 1), 32 bits of resolution (ample for latency percentiles). */
  uniform(): number {
    return (this.next() >>> 0) * TWO_NEG_32;
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  uniformPos(): number {
    return ((this.next() >>> 0) + 1) * TWO_NEG_32;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return this.exp1() * mean;
  }

  /** Standard exponential (mean 1), by the ziggurat. */
  exp1(): number {
    for (;;) {
      const j = this.next() >>> 0;
      const i = j & 255;
      if (j < (zigK[i] as number)) return j * (zigW[i] as number);
      if (i === 0) return ZIG_R - Math.log(this.uniformPos());
      const x = j * (zigW[i] as number);
      if ((zigF[i] as number) + this.uniform() * ((zigF[i - 1] as number) - (zigF[i] as number)) < Math.exp(-x)) return x;
    }
  }

  /** Standard normal (Marsaglia's polar method, both values of each pair used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Gamma with shape k ≥ 1 and scale 1 (Marsaglia & Tsang 2000), given d = k − 1/3 and
   * c = 1/√(9d) precomputed by the caller.
   */
  gammaMT(d: number, c: number): number {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformPos();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }
}

/** Distribution kinds in a {@link DistTable}. */
export const FIXED = 0;
export const EXPONENTIAL = 1;
/** Gamma with shape ≥ 1. */
export const GAMMA = 2;
/** Gamma with shape < 1: a shape-(k+1) draw times U^(1/k). */
export const GAMMA_SMALL = 3;

/**
 * Positive time distributions given by mean and coefficient of variation (the document's
 * `serviceTimeMs`/`serviceTimeCv`, `latencyMs`/`latencyCv`, `queryTimeMs`/`queryTimeCv`):
 * cv 0 fixed, cv 1 exponential, otherwise gamma with shape 1/cv² and scale mean·cv².
 * Stored as flat arrays so sampling in the event loop allocates nothing.
 */
export class DistTable {
  kind = new Int32Array(8);
  mean = new Float64Array(8);
  scale = new Float64Array(8);
  d = new Float64Array(8);
  c = new Float64Array(8);
  invShape = new Float64Array(8);
  size = 0;

  /** Adds a distribution and returns its id. */
  add(mean: number, cv: number): number {
    if (this.size === this.kind.length) this.grow();
    const id = this.size++;
    this.mean[id] = mean;
    if (cv === 0) this.kind[id] = FIXED;
    else if (cv === 1) this.kind[id] = EXPONENTIAL;
    else {
      const shape = 1 / (cv * cv);
      this.scale[id] = mean / shape;
      const k = shape >= 1 ? shape : shape + 1;
      this.kind[id] = shape >= 1 ? GAMMA : GAMMA_SMALL;
      this.d[id] = k - 1 / 3;
      this.c[id] = 1 / Math.sqrt(9 * (k - 1 / 3));
      this.invShape[id] = 1 / shape;
    }
    return id;
  }

  sample(rng: Rng, id: number): number {
    switch (this.kind[id]) {
      case FIXED:
        return this.mean[id] as number;
      case EXPONENTIAL:
        return rng.exp1() * (this.mean[id] as number);
      case GAMMA:
        return rng.gammaMT(this.d[id] as number, this.c[id] as number) * (this.scale[id] as number);
      default:
        return (
          rng.gammaMT(this.d[id] as number, this.c[id] as number) * rng.uniformPos() ** (this.invShape[id] as number) * (this.scale[id] as number)
        );
    }
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const k = new Int32Array(n);
    k.set(this.kind);
    this.kind = k;
    this.mean = g64(this.mean);
    this.scale = g64(this.scale);
    this.d = g64(this.d);
    this.c = g64(this.c);
    this.invShape = g64(this.invShape);
  }
}
