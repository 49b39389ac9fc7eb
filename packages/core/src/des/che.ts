/**
 * Che's approximation of an LRU cache's hit rate under Zipf(α) popularity (MODEL.md §2,
 * "Cache"). The DES draws cache hits with this probability. The analytic engine has its own
 * solver (`cheHitRate`, issue 3); this one is kept apart so the cross-check does not inherit
 * a bug from the side it checks.
 *
 * Solve Σ_i (1 − e^{−p_i·T}) = capacity for the characteristic time T, then
 * h = Σ_i p_i (1 − e^{−p_i·T}), with p_i = i^{−α} / H. Ranks up to EXACT_RANKS are summed one
 * by one; beyond, ranks are grouped in buckets 0.5 % wide in rank and each bucket's sum is the
 * integral over it (Euler–Maclaurin midpoint form), so the cost grows with log(keySpace).
 */
import { at } from '../checked.ts';

const EXACT_RANKS = 2000;
const BUCKET_RATIO = 1.005;

interface Buckets {
  /** Representative rank (fractional) of each term. */
  rank: Float64Array;
  /** How many keys each term stands for. */
  weight: Float64Array;
}

function buckets(keySpace: number): Buckets {
  const rank: number[] = [];
  const weight: number[] = [];
  const exact = Math.min(keySpace, EXACT_RANKS);
  for (let i = 1; i <= exact; i++) {
    rank.push(i);
    weight.push(1);
  }
  let a = exact + 1;
  while (a <= keySpace) {
    const b = Math.min(keySpace, Math.max(a, Math.floor(a * BUCKET_RATIO)));
    // Ranks a..b: integrate over [a − ½, b + ½] with 2-point Gauss–Legendre in log(rank),
    // exact enough for the smooth functions summed here.
    const lo = Math.log(a - 0.5);
    const hi = Math.log(b + 0.5);
    const mid = (lo + hi) / 2;
    const half = (hi - lo) / 2;
    const g = half / Math.sqrt(3);
    for (const x of [mid - g, mid + g]) {
      const r = Math.exp(x);
      rank.push(r);
      // dx in rank = r · d(log r); each Gauss node has weight `half`.
      weight.push(r * half);
    }
    a = b + 1;
  }
  return { rank: Float64Array.from(rank), weight: Float64Array.from(weight) };
}

/**
 * Hit rate of an LRU cache holding `capacity` entries over `keySpace` keys with Zipf(α)
 * popularity. 1 when everything fits; 0 for an empty cache.
 */
export function cheHitRate(keySpace: number, alpha: number, capacity: number): number {
  if (capacity <= 0 || keySpace <= 0) return 0;
  if (capacity >= keySpace) return 1;
  const { rank, weight } = buckets(keySpace);
  const n = rank.length;
  const p = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const v = at(rank, i) ** -alpha;
    p[i] = v;
    norm += v * at(weight, i);
  }
  for (let i = 0; i < n; i++) p[i] = at(p, i) / norm;
  const filled = (T: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += at(weight, i) * -Math.expm1(-at(p, i) * T);
    return s;
  };
  // filled(T) rises from 0 to keySpace: bisect on log T.
  let lo = 1e-12;
  let hi = 1;
  while (filled(hi) < capacity) hi *= 4;
  for (let it = 0; it < 200 && hi / lo > 1 + 1e-12; it++) {
    const mid = Math.sqrt(lo * hi);
    if (filled(mid) < capacity) lo = mid;
    else hi = mid;
  }
  const T = Math.sqrt(lo * hi);
  let h = 0;
  for (let i = 0; i < n; i++) h += at(weight, i) * at(p, i) * -Math.expm1(-at(p, i) * T);
  return Math.min(1, Math.max(0, h));
}
