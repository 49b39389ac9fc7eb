/** Own time of a service's requests at one replica (MODEL.md §2 "Per-replica queue"). */
import type { TimeComponent } from '../queue/station.ts';
import type { ServiceModel } from './model.ts';

/** Own-time components of a service: its gamma, or on a cached service the hit/miss mixture. */
export function ownTime(s: ServiceModel, hit: number): TimeComponent[] {
  if (!s.cache || hit <= 0) return [{ weight: 1, mean: s.serviceTimeMs, cv: s.serviceTimeCv }];
  // A hit holds the worker for hitTimeMs with the service's own cv (MODEL.md leaves the hit cv open).
  if (hit >= 1) return [{ weight: 1, mean: s.cache.hitTimeMs, cv: s.serviceTimeCv }];
  return [
    { weight: hit, mean: s.cache.hitTimeMs, cv: s.serviceTimeCv },
    { weight: 1 - hit, mean: s.serviceTimeMs, cv: s.serviceTimeCv },
  ];
}
