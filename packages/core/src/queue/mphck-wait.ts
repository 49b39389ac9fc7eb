/**
 * The admitted wait of the M/PH/c/K queue (mphck.ts) as a mixture of Erlang(m, Λ) stages, by
 * uniformizing the all-busy chain (see mphck.ts's module comment).
 */
import type { Moves } from './mphck-levels.ts';
import type { PhaseType } from './phase-type.ts';

/** Most uniformized jumps × states × moves for the wait (≈ 1 ms); beyond, the caller falls back. */
export const WAIT_CAP = 1.5e6;
/** The wait's stages end where less than this share of the waiting mass is left (the lattice's own cut, distribution/lattice.ts). */
const WAIT_EPS = 1e-10;

/** The admitted wait as Erlang(m, Λ) stages (see the module comment); null past WAIT_CAP. */
export function waitStages(
  c: number,
  K: number,
  m: number,
  ph: PhaseType,
  busy: { list: Int32Array[] },
  within: Moves[],
  down: Moves[],
  pi: Float64Array[],
  admitted: number,
  mean: number,
): { C: number; first: number; w: Float64Array; rate: number } | null {
  const d = busy.list.length;
  const N = K - c;
  const out = new Float64Array(d);
  let Lambda = 0;
  for (let s = 0; s < d; s++) {
    let o = 0;
    for (const r of (within[s] as Moves).rate) o += r;
    const v = busy.list[s] as Int32Array;
    for (let i = 0; i < m; i++) o += (v[i] as number) * (ph.exit[i] as number);
    out[s] = o;
    Lambda = Math.max(Lambda, o);
  }
  // v[r][s]: still needing r departures (r = 1…N), in configuration s. An arrival finding n = c + r − 1.
  let v = new Float64Array(N * d);
  let C = 0;
  for (let r = 1; r <= N; r++) {
    const p = pi[c + r - 1] as Float64Array;
    for (let s = 0; s < d; s++) {
      const x = (p[s] as number) / admitted;
      v[(r - 1) * d + s] = x;
      C += x;
    }
  }
  if (!(C > 0)) return { C: 0, first: 1, w: new Float64Array(0), rate: Lambda };
  let rMax = N;
  while (rMax > 1) {
    let s = 0;
    for (let j = 0; j < d; j++) s += v[(rMax - 1) * d + j] as number;
    if (s > 1e-16 * C) break;
    rMax--;
  }
  // Bail out before the work when the longest line alone would pass the cap (about 2 × its mean wait in jumps).
  if (rMax * d * (m + 2) * (2 * Lambda * ((rMax * mean) / c) + 50) > WAIT_CAP) return null;
  const weights: number[] = [];
  let u = C;
  let next = new Float64Array(N * d);
  let work = 0;
  while (u > WAIT_EPS * C) {
    next.fill(0, 0, rMax * d);
    for (let r = 1; r <= rMax; r++) {
      const base = (r - 1) * d;
      for (let s = 0; s < d; s++) {
        const x = v[base + s] as number;
        if (x === 0) continue;
        // Stay (uniformization's self-loop), phase moves, departures (to r − 1; r = 1 leaves the wait).
        next[base + s] = (next[base + s] as number) + x * (1 - (out[s] as number) / Lambda);
        const wm = within[s] as Moves;
        for (let t = 0; t < wm.to.length; t++)
          next[base + (wm.to[t] as number)] = (next[base + (wm.to[t] as number)] as number) + (x * (wm.rate[t] as number)) / Lambda;
        if (r === 1) continue;
        const dm = down[s] as Moves;
        const lower = base - d;
        for (let t = 0; t < dm.to.length; t++)
          next[lower + (dm.to[t] as number)] = (next[lower + (dm.to[t] as number)] as number) + (x * (dm.rate[t] as number)) / Lambda;
      }
    }
    let left = 0;
    for (let i = 0; i < rMax * d; i++) left += next[i] as number;
    weights.push(Math.max(0, u - left));
    u = left;
    [v, next] = [next, v];
    work += rMax * d * (m + 2);
    if (work > WAIT_CAP) return null;
  }
  let lo = 0;
  let wMax = 0;
  for (const x of weights) wMax = Math.max(wMax, x);
  while (lo < weights.length - 1 && (weights[lo] as number) < 1e-16 * wMax) lo++;
  return { C: Math.min(1, C), first: lo + 1, w: Float64Array.from(weights.slice(lo)), rate: Lambda };
}
