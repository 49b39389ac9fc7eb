export { cheHitRate, cheHitRateAfter } from './che.ts';
export { type CacheSizing, cacheEntriesForHitRate, cheCapacityForHitRate } from './size.ts';
