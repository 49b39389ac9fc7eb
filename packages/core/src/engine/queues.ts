/**
 * Per-replica queues (MODEL.md §2 "Per-replica queue") for every replica class and database
 * shard of a placement. Rates here are per ms (the queue module's unit); the result types
 * speak requests per second.
 */
import { type Station, station } from '../queue/station.ts';
import { type Arrivals, arrivals } from './arrivals.ts';
import type { EventLoad } from './async-flows.ts';
import { sharedStation } from './async-queues.ts';
import type { Model } from './model.ts';
import { ownTime } from './own-time.ts';
import type { Placement } from './placement.ts';

export interface Queues {
  /** Station of one replica of class (s, z), or null where the bundle has no live replica: cls[s·Z + z]. */
  cls: (Station | null)[];
  /** Station of each shard of each database. */
  shards: Station[][];
  /** Batches and repeats per replica class (arrivals.ts). */
  arrivals: Arrivals;
  /**
   * Schema v3: where subscription events share a class's workers, the whole station (requests and
   * events: the events' wait) by class, and the events' worker-seconds per second (all replicas
   * of the class). Absent without subscriptions; `cls` then holds the requests' view (async-queues.ts).
   */
  events?: { stations: (Station | null)[]; work: Float64Array };
  /** Schema v3: what a request at class (s, z) waits for its stream publish acks (ms; async-streams.ts). */
  publishAckMs?: Float64Array;
}

export { ownTime } from './own-time.ts';

export function buildQueues(model: Model, pl: Placement, events?: EventLoad): Queues {
  const Z = model.zones.length;
  const counts = pl.scenario.counts;
  const cls: (Station | null)[] = new Array(model.services.length * Z).fill(null);
  const arr = arrivals(model, pl);
  const evStations: (Station | null)[] | null = events ? new Array(model.services.length * Z).fill(null) : null;
  for (const s of model.services) {
    const own = ownTime(s, pl.hit[s.index] as number);
    for (let z = 0; z < Z; z++) {
      const n = counts[s.bundle * Z + z] as number;
      if (n === 0) continue;
      const perReplicaRps = (pl.lam[s.index * Z + z] as number) / n;
      const i = s.index * Z + z;
      // A bounded queue's station was built by the placement (its rejections thin what flows on).
      const bounded = pl.bounded[i];
      if (bounded) {
        cls[i] = bounded;
        continue;
      }
      // Budgeted requests: the M/M/c+D station the placement built (budget.ts).
      const impatient = pl.budget?.stations[i];
      if (impatient) {
        cls[i] = impatient;
        continue;
      }
      const pairs = arr.pairs[i] as number;
      const batch =
        // Negligible batches (a fractional perRequest a hair above 1) stay Poisson.
        perReplicaRps > 0 && pairs > 1e-3 * perReplicaRps
          ? { pairRate: pairs / 1000, ahead: (arr.ahead[i] as number) / perReplicaRps, beyond: (arr.beyond[i] as number) / perReplicaRps }
          : undefined;
      const evRps = events ? (events.rate[i] as number) / n : 0;
      if (evStations && evRps > 0) {
        // Subscription events share the workers (schema v3): one station, seen by requests and events alike.
        const shared = sharedStation(perReplicaRps, evRps, s.workers, own, events?.own[i] ?? [], s.cache !== null, batch);
        cls[i] = shared.requests;
        evStations[i] = shared.all;
        continue;
      }
      cls[i] = station({ lambda: perReplicaRps / 1000, workers: s.workers, own, cached: s.cache !== null, batch });
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
  return { cls, shards, arrivals: arr, ...(events && evStations ? { events: { stations: evStations, work: events.work } } : {}) };
}
