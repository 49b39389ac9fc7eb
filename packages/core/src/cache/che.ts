/**
 * LRU hit rate under Zipf(α) popularity over `keySpace` keys, by Che's approximation
 * (MODEL.md §2 "Cache"): find the characteristic time T with Σᵢ (1 − e^{−pᵢT}) = capacity,
 * then h = Σᵢ pᵢ(1 − e^{−pᵢT}).
 *
 * The sums run over rank buckets, not key by key, so the cost does not grow with the key
 * space: the first 64 ranks one by one, then buckets whose width grows by 1/32 of their start
 * (about 32·ln(N/64) buckets), each summed by Simpson's rule over [a − ½, b + ½] (the
 * integral that best matches a sum over integer ranks). Against the key-by-key sums the
 * relative error is below 1e-5 (see the tests).
 */

interface Nodes {
  x: Float64Array;
  w: Float64Array;
}

const nodeCache = new Map<number, Nodes>();
const EXACT_RANKS = 64;
const GROWTH = 1 / 32;

function nodesFor(keySpace: number): Nodes {
  const hit = nodeCache.get(keySpace);
  if (hit) return hit;
  const xs: number[] = [];
  const ws: number[] = [];
  const exact = Math.min(keySpace, EXACT_RANKS);
  for (let i = 1; i <= exact; i++) {
    xs.push(i);
    ws.push(1);
  }
  let a = exact + 1;
  while (a <= keySpace) {
    const b = Math.min(keySpace, a + Math.max(1, Math.floor(a * GROWTH)) - 1);
    const lo = a - 0.5;
    const hi = b + 0.5;
    const width = hi - lo;
    xs.push(lo, (lo + hi) / 2, hi);
    ws.push(width / 6, (4 * width) / 6, width / 6);
    a = b + 1;
  }
  const nodes = { x: Float64Array.from(xs), w: Float64Array.from(ws) };
  if (nodeCache.size > 64) nodeCache.clear();
  nodeCache.set(keySpace, nodes);
  return nodes;
}

const resultCache = new Map<string, number>();

/**
 * Che's hit rate for an LRU cache of `capacity` entries over `keySpace` keys with Zipf(`zipf`)
 * popularity. 1 when everything fits, 0 for no capacity.
 */
export function cheHitRate(keySpace: number, zipf: number, capacity: number): number {
  if (!(capacity > 0) || !(keySpace > 0)) return 0;
  if (capacity >= keySpace) return 1;
  const key = `${keySpace}|${zipf}|${capacity}`;
  const cached = resultCache.get(key);
  if (cached !== undefined) return cached;

  const { x, w } = nodesFor(keySpace);
  const n = x.length;
  const p = new Float64Array(n);
  let z = 0;
  for (let j = 0; j < n; j++) {
    const v = (x[j] as number) ** -zipf;
    p[j] = v;
    z += (w[j] as number) * v;
  }
  for (let j = 0; j < n; j++) p[j] = (p[j] as number) / z;

  // Solve F(T) = Σ wⱼ(1 − e^{−pⱼT}) = capacity. F is increasing and concave: Newton from
  // below converges monotonically; a bracket keeps it safe.
  const F = (T: number) => {
    let f = 0;
    let d = 0;
    for (let j = 0; j < n; j++) {
      const pj = p[j] as number;
      const e = Math.exp(-pj * T);
      f += (w[j] as number) * -Math.expm1(-pj * T);
      d += (w[j] as number) * pj * e;
    }
    return { f: f - capacity, d };
  };
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let T = capacity;
  for (let iter = 0; iter < 200; iter++) {
    const { f, d } = F(T);
    if (f < 0) lo = T;
    else hi = T;
    let next = T - f / d;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = Number.isFinite(hi) ? (lo + hi) / 2 : T * 2;
    if (Math.abs(next - T) <= 1e-13 * T) {
      T = next;
      break;
    }
    T = next;
  }
  let h = 0;
  for (let j = 0; j < n; j++) {
    const pj = p[j] as number;
    h += (w[j] as number) * pj * -Math.expm1(-pj * T);
  }
  h = Math.min(1, Math.max(0, h));
  if (resultCache.size > 4096) resultCache.clear();
  resultCache.set(key, h);
  return h;
}

/**
 * The hit rate of an LRU cache that started empty, after it has seen `requests` requests
 * (Zipf(`zipf`) over `keySpace` keys): Che's sum with the request count in place of the
 * characteristic time, Σᵢ pᵢ(1 − e^{−pᵢ·n}) — key i is in the cache if it was asked for since
 * the start. Valid until the cache fills; past that the steady `cheHitRate` holds, and the
 * smaller of the two is the hit rate at any time (the sum grows with n, and equals the steady
 * rate at n = T).
 */
export function cheHitRateAfter(keySpace: number, zipf: number, requests: number): number {
  if (!(requests > 0) || !(keySpace > 0)) return 0;
  const { x, w } = nodesFor(keySpace);
  let z = 0;
  let h = 0;
  for (let j = 0; j < x.length; j++) z += (w[j] as number) * (x[j] as number) ** -zipf;
  for (let j = 0; j < x.length; j++) {
    const pj = (x[j] as number) ** -zipf / z;
    h += (w[j] as number) * pj * -Math.expm1(-pj * requests);
  }
  return Math.min(1, Math.max(0, h));
}
