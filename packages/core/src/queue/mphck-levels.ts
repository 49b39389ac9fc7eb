/**
 * The M/PH/c/K chain's levels (mphck.ts): the phase configurations of each level, the moves out of
 * them, the dense blocks A⁰_n, A⁺_n, A⁻_n, and the stationary vector by linear level reduction.
 */
import type { PhaseType } from './phase-type.ts';

const configCache = new Map<string, { list: Int32Array[]; index: Map<string, number> }>();

/** configs(), kept across calls (the same few worker counts and phase numbers come back on every edit). */
function configsOf(m: number, b: number): { list: Int32Array[]; index: Map<string, number> } {
  const key = `${m}|${b}`;
  let hit = configCache.get(key);
  if (!hit) {
    hit = configs(m, b);
    if (configCache.size > 256) configCache.clear();
    configCache.set(key, hit);
  }
  return hit;
}

/** Multisets of `b` phases out of `m` (count vectors), and an index from each one's key. */
function configs(m: number, b: number): { list: Int32Array[]; index: Map<string, number> } {
  const list: Int32Array[] = [];
  const cur = new Int32Array(m);
  const rec = (i: number, left: number) => {
    if (i === m - 1) {
      cur[i] = left;
      list.push(cur.slice());
      return;
    }
    for (let x = left; x >= 0; x--) {
      cur[i] = x;
      rec(i + 1, left - x);
    }
  };
  if (m === 1) list.push(Int32Array.of(b));
  else rec(0, b);
  const index = new Map<string, number>();
  list.forEach((v, i) => {
    index.set(v.join(','), i);
  });
  return { list, index };
}
/** Dense row-major square matrix helpers (sizes are small: ≤ a few dozen). */
function invertNeg(S: Float64Array, d: number): Float64Array {
  // (−S)⁻¹ by Gauss–Jordan with partial pivoting.
  const a = new Float64Array(d * 2 * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * 2 * d + j] = -(S[i * d + j] as number);
    a[i * 2 * d + d + i] = 1;
  }
  const w = 2 * d;
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * w + col] as number) > Math.abs(a[piv * w + col] as number)) piv = r;
    if (piv !== col)
      for (let j = 0; j < w; j++) {
        const t = a[col * w + j] as number;
        a[col * w + j] = a[piv * w + j] as number;
        a[piv * w + j] = t;
      }
    const inv = 1 / (a[col * w + col] as number);
    for (let j = 0; j < w; j++) a[col * w + j] = (a[col * w + j] as number) * inv;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r * w + col] as number;
      if (f === 0) continue;
      for (let j = 0; j < w; j++) a[r * w + j] = (a[r * w + j] as number) - f * (a[col * w + j] as number);
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = a[i * w + d + j] as number;
  return out;
}

/** A sparse list of transitions from one state: [to, rate] pairs. */
export type Moves = { to: number[]; rate: number[] };
/**
 * The chain's blocks, built from the phase type: each level's phase configurations (multisets of
 * min(n, c) phases), the moves out of one (within: a phase move; down: a departure, `restart` when
 * a waiting request takes the worker), and the dense blocks A⁰_n, A⁺_n, A⁻_n on demand.
 */
export function levelBlocks(ph: PhaseType, c: number, K: number, lambda: number) {
  const m = ph.alpha.length;
  const lv = Array.from({ length: c + 1 }, (_, b) => configsOf(m, b));
  const dOf = (n: number) => (lv[Math.min(n, c)] as { list: Int32Array[] }).list.length;
  // Moves out of a configuration of b busy workers: up (an arrival), within (a phase move), down (a departure).
  const key = (v: Int32Array) => v.join(',');
  const within = (b: number): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      for (let i = 0; i + 1 < m; i++) {
        const x = v[i] as number;
        const r = ph.next[i] as number;
        if (x === 0 || r === 0) continue;
        const u = v.slice();
        u[i] = x - 1;
        u[i + 1] = (u[i + 1] as number) + 1;
        mv.to.push((lv[b] as { index: Map<string, number> }).index.get(key(u)) as number);
        mv.rate.push(x * r);
      }
      return mv;
    });
  // Departure from phase i; `restart`: the next request starts (same b), else b − 1.
  const down = (b: number, restart: boolean): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      const tb = restart ? b : b - 1;
      for (let i = 0; i < m; i++) {
        const x = v[i] as number;
        const r = ph.exit[i] as number;
        if (x === 0 || r === 0) continue;
        const u = v.slice();
        u[i] = x - 1;
        if (!restart) {
          mv.to.push((lv[tb] as { index: Map<string, number> }).index.get(key(u)) as number);
          mv.rate.push(x * r);
          continue;
        }
        for (let j = 0; j < m; j++) {
          const aj = ph.alpha[j] as number;
          if (aj === 0) continue;
          const w = u.slice();
          w[j] = (w[j] as number) + 1;
          mv.to.push((lv[tb] as { index: Map<string, number> }).index.get(key(w)) as number);
          mv.rate.push(x * r * aj);
        }
      }
      return mv;
    });
  const up = (b: number): Moves[] =>
    (lv[b] as { list: Int32Array[] }).list.map((v) => {
      const mv: Moves = { to: [], rate: [] };
      if (b === c) return mv;
      for (let j = 0; j < m; j++) {
        const aj = ph.alpha[j] as number;
        if (aj === 0) continue;
        const u = v.slice();
        u[j] = (u[j] as number) + 1;
        mv.to.push((lv[b + 1] as { index: Map<string, number> }).index.get(key(u)) as number);
        mv.rate.push(lambda * aj);
      }
      return mv;
    });
  const W_ = lv.map((_, b) => within(b));
  const outflow = (b: number, n: number, s: number): number => {
    let o = n < K ? lambda : 0;
    for (const r of (W_[b] as Moves[])[s]?.rate ?? []) o += r;
    const v = (lv[b] as { list: Int32Array[] }).list[s] as Int32Array;
    for (let i = 0; i < m; i++) o += (v[i] as number) * (ph.exit[i] as number);
    return o;
  };
  // A⁰_n (dense d×d, diagonal −outflow), A⁺_n (d_n × d_{n+1}), A⁻_n (d_n × d_{n−1}), built on demand.
  const dense = (rows: number, cols: number, moves: Moves[], diag?: (s: number) => number): Float64Array => {
    const a = new Float64Array(rows * cols);
    moves.forEach((mv, s) => {
      for (let t = 0; t < mv.to.length; t++)
        a[s * cols + (mv.to[t] as number)] = (a[s * cols + (mv.to[t] as number)] as number) + (mv.rate[t] as number);
      if (diag) a[s * cols + s] = (a[s * cols + s] as number) - diag(s);
    });
    return a;
  };
  // Levels c…K − 1 share their blocks (and c + 1…K their A⁻): built once. A⁰ is handed out as a copy (the reduction adds to it).
  const memo = new Map<string, Float64Array>();
  const once = (key: string, build: () => Float64Array) => {
    let a = memo.get(key);
    if (!a) {
      a = build();
      memo.set(key, a);
    }
    return a;
  };
  const A0 = (n: number) => {
    const b = Math.min(n, c);
    const key = n < c ? `0|${n}` : n < K ? '0|mid' : '0|top';
    return once(key, () => dense(dOf(n), dOf(n), W_[b] as Moves[], (s) => outflow(b, n, s))).slice();
  };
  const Aup = (n: number) => {
    const b = Math.min(n, c);
    if (b < c) return once(`+|${n}`, () => dense(dOf(n), dOf(n + 1), up(b)));
    return once('+|full', () => {
      const d = dOf(n);
      const a = new Float64Array(d * d);
      for (let s = 0; s < d; s++) a[s * d + s] = lambda;
      return a;
    });
  };
  const Adown = (n: number) => {
    const b = Math.min(n, c);
    return once(n > c ? '-|restart' : `-|${n}`, () => dense(dOf(n), dOf(n - 1), down(b, n > c)));
  };
  return { lv, W_, down, dOf, A0, Aup, Adown };
}

/**
 * The stationary vector, level by level (linear level reduction, see the module comment): π[n] over
 * level n's configurations and level[n] = P(n present). Every product is of non-negative terms.
 */
export function levelProbabilities(
  K: number,
  dOf: (n: number) => number,
  A0: (n: number) => Float64Array,
  Aup: (n: number) => Float64Array,
  Adown: (n: number) => Float64Array,
): { pi: Float64Array[]; level: Float64Array } {
  // Linear level reduction, top down: R_n = A⁺_n (−S_{n+1})⁻¹.
  const R: Float64Array[] = new Array(K);
  let S = A0(K);
  for (let n = K - 1; n >= 0; n--) {
    const dn = dOf(n);
    const d1 = dOf(n + 1);
    const inv = invertNeg(S, d1);
    const Ap = Aup(n);
    const Rn = new Float64Array(dn * d1);
    for (let i = 0; i < dn; i++)
      for (let l = 0; l < d1; l++) {
        const x = Ap[i * d1 + l] as number;
        if (x === 0) continue;
        for (let j = 0; j < d1; j++) Rn[i * d1 + j] = (Rn[i * d1 + j] as number) + x * (inv[l * d1 + j] as number);
      }
    R[n] = Rn;
    const Am = Adown(n + 1);
    S = A0(n);
    for (let i = 0; i < dn; i++)
      for (let l = 0; l < d1; l++) {
        const x = Rn[i * d1 + l] as number;
        if (x === 0) continue;
        for (let j = 0; j < dn; j++) S[i * dn + j] = (S[i * dn + j] as number) + x * (Am[l * dn + j] as number);
      }
  }
  // π_0 = 1 (one state), then up; scaled per level in logs so that long lines past capacity do not overflow.
  const pi: Float64Array[] = [Float64Array.of(1)];
  const lnScale = new Float64Array(K + 1);
  for (let n = 0; n < K; n++) {
    const dn = dOf(n);
    const d1 = dOf(n + 1);
    const Rn = R[n] as Float64Array;
    const prev = pi[n] as Float64Array;
    const next = new Float64Array(d1);
    for (let i = 0; i < dn; i++) {
      const x = prev[i] as number;
      if (x === 0) continue;
      for (let j = 0; j < d1; j++) next[j] = (next[j] as number) + x * (Rn[i * d1 + j] as number);
    }
    let mx = 0;
    for (let j = 0; j < d1; j++) mx = Math.max(mx, next[j] as number);
    let sc = lnScale[n] as number;
    if (mx > 0 && (mx > 1e100 || mx < 1e-100)) {
      for (let j = 0; j < d1; j++) next[j] = (next[j] as number) / mx;
      sc += Math.log(mx);
    }
    lnScale[n + 1] = sc;
    pi.push(next);
  }
  let top = Number.NEGATIVE_INFINITY;
  for (let n = 0; n <= K; n++) top = Math.max(top, lnScale[n] as number);
  const level = new Float64Array(K + 1);
  let total = 0;
  for (let n = 0; n <= K; n++) {
    const f = Math.exp((lnScale[n] as number) - top);
    const v = pi[n] as Float64Array;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) * f;
    let s = 0;
    for (let j = 0; j < v.length; j++) s += v[j] as number;
    level[n] = s;
    total += s;
  }
  for (let n = 0; n <= K; n++) {
    level[n] = (level[n] as number) / total;
    const v = pi[n] as Float64Array;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / total;
  }
  return { pi, level };
}
