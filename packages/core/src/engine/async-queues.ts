/**
 * Subscription events share a service's workers with its requests (schema v3: a handler holds
 * one of the service's own workers, first come first served with the requests). One station
 * serves both; the requests see its wait with their own time, the events with their handler's.
 */
import { mixtureMoments, type Station, station, type TimeComponent } from '../queue/station.ts';

/** Components weighted by their share of arrivals, equal (mean, cv) merged (one exponential stays `exact`). */
function mergeOwn(parts: ReadonlyArray<{ share: number; own: readonly TimeComponent[] }>): TimeComponent[] {
  const out: TimeComponent[] = [];
  for (const p of parts) {
    if (!(p.share > 0)) continue;
    for (const c of p.own) {
      const same = out.find((o) => o.mean === c.mean && o.cv === c.cv);
      if (same) same.weight += p.share * c.weight;
      else out.push({ weight: p.share * c.weight, mean: c.mean, cv: c.cv });
    }
  }
  return out;
}

export interface SharedStation {
  /** The station as the requests see it: the whole station's ρ and wait, their own time (`own`), `waitOwn` the mix. */
  requests: Station;
  /** The whole station (requests and events): the events' wait. */
  all: Station;
}

/**
 * One replica's station fed by requests (rps, with own-time components `reqOwn`) and events
 * (rps, handler components `evOwn`), per replica. Batches (arrivals.ts) are requests' only: the
 * per-arrival figures `ahead` and `beyond` are diluted by the events' share.
 */
export function sharedStation(
  reqRps: number,
  evRps: number,
  workers: number,
  reqOwn: TimeComponent[],
  evOwn: readonly TimeComponent[],
  cached: boolean,
  batch?: { pairRate: number; ahead: number; beyond: number },
): SharedStation {
  const total = reqRps + evRps;
  const reqShare = reqRps / total;
  const own = mergeOwn([
    { share: reqShare, own: reqOwn },
    { share: 1 - reqShare, own: evOwn },
  ]);
  const all = station({
    lambda: total / 1000,
    workers,
    own,
    cached: cached && reqRps > 0,
    batch: batch ? { pairRate: batch.pairRate, ahead: batch.ahead * reqShare, beyond: batch.beyond * reqShare } : undefined,
  });
  const { mean, cv2 } = mixtureMoments(reqOwn);
  const requests: Station = { ...all, lambda: reqRps / 1000, own: reqOwn, ownMean: mean, ownCv2: cv2, W: all.Wq + mean, waitOwn: all.own };
  return { requests, all };
}
