/**
 * Per-replica queues (MODEL.md §2 "Per-replica queue") for every replica class and database
 * shard of a placement. Rates here are per ms (the queue module's unit); the result types
 * speak requests per second.
 */
import { type Station, station, type TimeComponent } from '../queue/station.ts';
import { type Arrivals, arrivals } from './arrivals.ts';
import type { Model, ServiceModel } from './model.ts';
import type { Placement } from './placement.ts';

export interface Queues {
  /** Station of one replica of class (s, z), or null where the bundle has no live replica: cls[s·Z + z]. */
  cls: (Station | null)[];
  /** Station of each shard of each database. */
  shards: Station[][];
  /** Batches and repeats per replica class (arrivals.ts). */
  arrivals: Arrivals;
}

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

export function buildQueues(model: Model, pl: Placement): Queues {
  const Z = model.zones.length;
  const counts = pl.scenario.counts;
  const cls: (Station | null)[] = new Array(model.services.length * Z).fill(null);
  const arr = arrivals(model, pl);
  for (const s of model.services) {
    const own = ownTime(s, pl.hit[s.index] as number);
    for (let z = 0; z < Z; z++) {
      const n = counts[s.bundle * Z + z] as number;
      if (n === 0) continue;
      const perReplicaRps = (pl.lam[s.index * Z + z] as number) / n;
      const i = s.index * Z + z;
      const pairs = arr.pairs[i] as number;
      const batch =
        // Negligible batches (a fractional perRequest a hair above 1) stay Poisson.
        perReplicaRps > 0 && pairs > 1e-3 * perReplicaRps
          ? { pairRate: pairs / 1000, ahead: (arr.ahead[i] as number) / perReplicaRps, beyond: (arr.beyond[i] as number) / perReplicaRps }
          : undefined;
      cls[s.index * Z + z] = station({ lambda: perReplicaRps / 1000, workers: s.workers, own, cached: s.cache !== null, batch });
    }
  }
  const shards = model.databases.map((db, d) =>
    db.shards.map((sh) =>
      station({
        lambda: ((pl.dbRate[d] as number) * sh.vcpu) / db.totalVcpu / 1000,
        workers: sh.vcpu,
        own: [{ weight: 1, mean: db.queryTimeMs, cv: db.queryTimeCv }],
      }),
    ),
  );
  return { cls, shards, arrivals: arr };
}
