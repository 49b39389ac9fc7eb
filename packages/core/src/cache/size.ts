/**
 * Cache sizing by target hit rate: a planner knows "90 % hits", not how many entries that
 * takes. Che's hit rate grows with capacity, so the smallest capacity that reaches a target
 * is found by bisection over whole entries, each step one forward Che computation.
 */
import { cheHitRate } from './che.ts';

/** Hit rates this close below the target count as reaching it (floating-point slack). */
const SLACK = 1e-12;

/**
 * The smallest whole capacity (entries in the cache as a whole) whose Che hit rate over
 * `keySpace` keys with Zipf(`zipf`) popularity reaches `target`. 0 for a target of 0 or less;
 * the whole key space for a target of 1 or more.
 */
export function cheCapacityForHitRate(keySpace: number, zipf: number, target: number): number {
  if (!(keySpace >= 1) || !(target > 0)) return 0;
  const n = Math.floor(keySpace);
  if (target >= 1) return n;
  // Invariant: cheHitRate(lo) < target ≤ cheHitRate(hi); cheHitRate(0) = 0, cheHitRate(n) = 1.
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (cheHitRate(n, zipf, mid) >= target - SLACK) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface CacheSizing {
  /** Entries each replica holds (the document's `entriesPerReplica`). */
  entriesPerReplica: number;
  /** The hit rate those entries give (at least the target, unless the key space caps it). */
  hitRate: number;
}

/**
 * `entriesPerReplica` for a cache to reach `target` hits with `replicas` live replicas:
 * a `distributed` cache shards its capacity over the replicas (entries × replicas), a
 * `perReplica` cache holds it whole in each (MODEL.md §2 "Cache").
 */
export function cacheEntriesForHitRate(
  cache: { scope: 'distributed' | 'perReplica'; keySpace: number; zipf: number },
  replicas: number,
  target: number,
): CacheSizing {
  const shards = cache.scope === 'perReplica' ? 1 : Math.max(1, Math.floor(replicas));
  const capacity = cheCapacityForHitRate(cache.keySpace, cache.zipf, target);
  const entriesPerReplica = Math.max(1, Math.ceil(capacity / shards));
  return { entriesPerReplica, hitRate: cheHitRate(cache.keySpace, cache.zipf, entriesPerReplica * shards) };
}
