/**
 * Convolution of two non-negative real sequences: direct for short inputs, otherwise one
 * complex radix-2 FFT of both packed together (a + i·b) and one inverse.
 */

interface Plan {
  n: number;
  rev: Uint32Array;
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  const hit = plans.get(n);
  if (hit) return hit;
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  const p = { n, rev, cos, sin };
  plans.set(n, p);
  return p;
}

/** In-place FFT (sign −1 forward, +1 inverse, unscaled) of re/im of length n = 2^m. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, rev, cos, sin } = plan(re.length);
  for (let i = 0; i < n; i++) {
    const j = rev[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step] as number;
        const wi = sign * (sin[k * step] as number);
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

/** Full linear convolution, length a.length + b.length − 1; tiny negative FFT noise is clamped to 0. */
export function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const la = a.length;
  const lb = b.length;
  const len = la + lb - 1;
  let m = 1;
  while (m < len) m <<= 1;
  if (la * lb <= 4 * m * Math.log2(m) + 256) return convolveDirect(a, b);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  re.set(a);
  im.set(b);
  fft(re, im, false);
  // Unpack A and B from Z = A + iB, multiply: P_k = A_k·B_k.
  const pr = new Float64Array(m);
  const pi = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const j = (m - k) & (m - 1);
    const zr = re[k] as number;
    const zi = im[k] as number;
    const cr = re[j] as number;
    const ci = -(im[j] as number);
    const ar = (zr + cr) / 2;
    const ai = (zi + ci) / 2;
    const br = (zi - ci) / 2;
    const bi = -(zr - cr) / 2;
    pr[k] = ar * br - ai * bi;
    pi[k] = ar * bi + ai * br;
  }
  fft(pr, pi, true);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const v = (pr[i] as number) / m;
    out[i] = v > 0 ? v : 0;
  }
  return out;
}

export function convolveDirect(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] as number) + ai * (b[j] as number);
  }
  return out;
}
