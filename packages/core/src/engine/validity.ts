/**
 * Every figure's comfort zone (issue 12; engine/README.md "Validity"). A service's sojourn is
 * `ok` when its queue is one its method answers well; an entry's latency is `ok` when every
 * service on its path is, and no parallel group on it links queues through shared arrival
 * instants. The thresholds are where the accuracy battery (src/des/AGREEMENT.md) measured the
 * analytic figures leaving 5 % of long DES runs.
 */
import type { Station } from '../queue/station.ts';
import { forkLoad } from './forkjoin.ts';
import { CALL_DB, CALL_SERVICE, type Model } from './model.ts';
import type { Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import type { QueueMethod, Validity, ValidityNote } from './types.ts';

/** Above this ρ queues are flagged (the tail becomes sensitive to every modelling choice). */
export const RHO_LIMIT = 0.9;
/** Repeats flagged when this share of a replica's arrivals are follow-ups of a request already served there. */
export const REPEAT_SHARE = 0.1;
/** Shared load (forkjoin.ts) from which a parallel group is flagged. */
export const FORK_LOAD = 0.02;

/** Own-time cv² outside this band, with several workers, is flagged (Allen–Cunneen's shape). */
export function cvFarFromOne(st: Station): boolean {
  return st.ownCv2 > 2 || (st.workers > 1 && st.ownCv2 < 0.1);
}

/** The method of a service's sojourn, from its replica classes' stations. */
export function serviceMethod(stations: readonly Station[]): QueueMethod {
  // A bounded queue takes its arrivals as Poisson (batches are flagged in its validity).
  if (stations.some((st) => st.bounded)) {
    for (const m of ['mgck', 'mphck', 'mg1k'] as const) if (stations.some((st) => st.method === m)) return m;
    return 'mmck';
  }
  if (stations.some((st) => st.impatient)) return stations.some((st) => st.method === 'mgcd') ? 'mgcd' : 'mmcd';
  if (stations.some((st) => st.batch)) return 'batch-poisson';
  const first = stations[0];
  if (!first) return 'exact';
  return first.method === 'batch-poisson' ? 'allen-cunneen' : first.method;
}

export function serviceNotes(model: Model, pl: Placement, q: Queues, s: number): ValidityNote[] {
  const Z = model.zones.length;
  const svc = model.services[s];
  if (!svc) return [];
  const notes: ValidityNote[] = [];
  let batch = false;
  let rho = 0;
  let cv = false;
  let cv2 = 0;
  let repeats = 0;
  let approxBounded = false;
  let boundedHow = '';
  let approxBudget = false;
  for (let z = 0; z < Z; z++) {
    const st = q.cls[s * Z + z];
    if (!st || st.saturated || !(st.lambda > 0)) continue;
    const n = pl.scenario.counts[svc.bundle * Z + z] as number;
    const perReplica = (pl.lam[s * Z + z] as number) / n;
    batch ||= st.batch;
    // Exact: M/M/c/K, M/G/1/K, and M/PH/c/K whose phase-type own time is the gamma itself (whole shape 1/cv²).
    // A traffic classes' joint station (capacity 0, engine/traffic-classes.ts) carries its own note.
    const joint = st.method === 'mgck' && st.bounded?.capacity === 0;
    approxBounded ||= (st.method === 'mgck' && !joint) || (st.method === 'mphck' && st.bounded?.exactPh !== true);
    if (st.method === 'mgck' && !joint) boundedHow = 'two-moment M/G/c/K';
    else if (st.method === 'mphck' && boundedHow === '') boundedHow = 'M/PH/c/K with a phase-type stand-in for the own time';
    approxBudget ||= st.impatient !== undefined && (st.method === 'mgcd' || svc.onTimeout === 'stop' || (pl.budget?.callRate[s * Z + z] ?? 0) > 0);
    // A bounded queue at any ρ is exact M/M/c/K or flagged below; ρ near 1 says nothing more there.
    if (!st.bounded && !st.impatient) rho = Math.max(rho, st.rho);
    if (cvFarFromOne(st)) {
      cv = true;
      cv2 = st.ownCv2;
    }
    if (st.rho >= 0.1) repeats = Math.max(repeats, (q.arrivals.repeats[s * Z + z] as number) / perReplica);
  }
  if (batch)
    notes.push({
      code: 'batch',
      message: `${svc.name} receives several requests of one caller at the same instant (a parallel group): batch-arrival approximation`,
    });
  if (rho > RHO_LIMIT)
    notes.push({
      code: 'rho-above-0.9',
      message: `${svc.name} runs at ρ ${rho.toFixed(2)}: near saturation its tail is sensitive to every modelling choice`,
    });
  if (cv)
    notes.push({
      code: 'cv-far-from-1',
      message: `${svc.name}: own-time cv ${Math.sqrt(cv2).toFixed(2)} with ${svc.workers} workers: the M/G/c wait is approximated`,
    });
  if (approxBounded)
    notes.push({
      code: 'bounded-approximation',
      message: `${svc.name}: a bounded queue with ${svc.cache ? 'a cache (hit/miss own times)' : `own-time cv ${svc.serviceTimeCv}`}: ${boundedHow} approximation of its rejections and wait`,
    });
  if (approxBudget)
    notes.push({
      code: 'budget-approximation',
      message: `${svc.name}: its requests' deadlines are taken at their mean (a downstream service, own times not exponential, or onTimeout stop): M/M/c+D approximation of its timeouts and wait`,
    });
  const retried = pl.retry?.solutions[s];
  if (retried && svc.queueLimit !== null && (pl.offered[s] as number) > 0 && retried.offeredRps > 0)
    notes.push({
      code: 'retry-approximation',
      message: `${svc.name}: retried attempts come back while the queue is still busy (not a Poisson stream): effective-rate approximation of its rejections (retries.ts; measured against the DES in the core README)`,
    });
  if (repeats >= REPEAT_SHARE)
    notes.push({
      code: 'short-circuit-repeats',
      message: `${svc.name}: ${(repeats * 100).toFixed(0)} % of its arrivals come back to the replica they just left (repeated calls): they find less queue than fresh arrivals, the figure is high`,
    });
  return notes;
}

/** Services (and databases) an entry's requests can reach, in call order. */
function reach(model: Model, pl: Placement, entry: number): { services: number[]; databases: number[] } {
  const services: number[] = [];
  const databases = new Set<number>();
  const seen = new Uint8Array(model.services.length);
  const stack = [entry];
  while (stack.length) {
    const s = stack.pop() as number;
    if (seen[s]) continue;
    seen[s] = 1;
    services.push(s);
    if ((pl.hit[s] as number) >= 1) continue;
    for (const c of model.services[s]?.calls ?? []) {
      if (c.perRequest <= 0) continue;
      if (c.kind === CALL_SERVICE) stack.push(c.target);
      else if (c.kind === CALL_DB) databases.add(c.target);
    }
  }
  return { services, databases: [...databases] };
}

export function entryValidity(model: Model, pl: Placement, q: Queues, entry: number, notesOf: (s: number) => ValidityNote[]): Validity {
  const Z = model.zones.length;
  const { services, databases } = reach(model, pl, entry);
  const notes: ValidityNote[] = [];
  for (const s of services) {
    notes.push(...notesOf(s));
    const svc = model.services[s];
    if (!svc) continue;
    for (const step of svc.steps) {
      if (!step.parallel) continue;
      let worst = 0;
      let linked = 0;
      for (let z = 0; z < Z; z++) {
        if (!((pl.lam[s * Z + z] as number) > 0)) continue;
        const f = forkLoad(model, pl, q, s, z, step);
        if (f.linked >= 2 && f.rho > worst) {
          worst = f.rho;
          linked = f.linked;
        }
      }
      if (worst >= FORK_LOAD)
        notes.push({
          code: 'fork-join',
          message: `${svc.name} calls ${linked} services at one instant (shared load ${worst.toFixed(2)}): their waits are correlated, joined by the Nelson–Tantawi copula`,
        });
    }
  }
  for (const d of databases) {
    const db = model.databases[d];
    const worst = Math.max(0, ...(q.shards[d] ?? []).filter((st) => !st.saturated).map((st) => st.rho));
    if (db && worst > RHO_LIMIT) notes.push({ code: 'rho-above-0.9', message: `db:${db.name} has a shard at ρ ${worst.toFixed(2)}` });
  }
  if (!notes.length) return 'ok';
  // One note per reason: the first service's words, and how many more share the reason.
  const byCode = new Map<string, { note: ValidityNote; more: number }>();
  for (const n of notes) {
    const seen = byCode.get(n.code);
    if (seen) seen.more++;
    else byCode.set(n.code, { note: n, more: 0 });
  }
  return [...byCode.values()].map(({ note, more }) =>
    more ? { code: note.code, message: `${note.message} (and ${more} more on this entry's path)` } : note,
  );
}
