/**
 * Async messaging in the recommendation (schema v3, issue 18): what subscription events and
 * consumer handlers ask of one replica of a bundle for a trial count vector, so phase 1 holds
 * them to the same ρ and CPU targets as requests (recommend/capacity.ts).
 *
 * Per replica: a `replica` subscription handles every event it matches; a queue group's events
 * are shared by its members' live replicas (this bundle's from the trial counts, others' from the
 * scenario); a consumer's handlers, λ'S worker-seconds per second, are shared evenly by its
 * service's live replicas (against `workers` per replica: its own pool, counted as ρ) and use
 * their cores.
 */
import type { AsyncModel } from './async-model.ts';
import type { Model } from './model.ts';
import type { Placement } from './placement.ts';

const rates = new WeakMap<Placement, Float64Array>();

/** Events per second published on each subject (all zones), from a placement (memoised: phase 1 asks many times). */
function subjectRates(model: Model, am: AsyncModel, pl: Placement): Float64Array {
  let r = rates.get(pl);
  if (r) return r;
  const Z = model.zones.length;
  r = new Float64Array(am.subjects.length);
  am.subjects.forEach((sm, k) => {
    let x = 0;
    for (const p of sm.publishes)
      for (let z = 0; z < Z; z++) x += (pl.lam[p.service * Z + z] as number) * (pl.admit[p.service * Z + z] as number) * p.perRequest;
    (r as Float64Array)[k] = x;
  });
  rates.set(pl, r);
  return r;
}

export interface ReplicaEventWork {
  /** Worker-seconds per second on one replica, per service of the bundle (its position in `bundle.services`). */
  events: Float64Array;
  /** The worst consumer ρ on one replica (handlers busy ÷ its workers per replica). */
  consumerRho: number;
  /** Cores busy per replica with events and consumer handlers. */
  cpu: number;
}

/** What async messaging asks of one replica of bundle b with N live replicas (`live`: per zone), or null when nothing. */
export function replicaEventWork(model: Model, pl: Placement, b: number, live: Int32Array): ReplicaEventWork | null {
  const am = model.async;
  const bundle = model.bundles[b];
  if (!am || !bundle) return null;
  const Z = model.zones.length;
  let N = 0;
  for (let z = 0; z < Z; z++) N += live[z] as number;
  if (N === 0) return null;
  const R = subjectRates(model, am, pl);
  const pos = new Map(bundle.services.map((s, i) => [s, i]));
  const events = new Float64Array(bundle.services.length);
  const count = (service: number) => {
    const sb = model.services[service]?.bundle ?? -1;
    if (sb === b) return N;
    let n = 0;
    for (let z = 0; z < Z; z++) n += pl.scenario.counts[sb * Z + z] as number;
    return n;
  };
  let cpu = 0;
  am.subjects.forEach((sm, k) => {
    const rate = R[k] as number;
    if (!(rate > 0)) return;
    for (const i of sm.subscriptions) {
      const sub = am.subscriptions[i];
      const at = sub ? pos.get(sub.service) : undefined;
      if (!sub || at === undefined) continue;
      let perReplica = rate;
      if (sub.group !== null) {
        let members = 0;
        for (const j of sm.subscriptions)
          if (am.subscriptions[j]?.group === sub.group) members += count((am.subscriptions[j] as { service: number }).service);
        perReplica = members > 0 ? rate / members : 0;
      }
      const work = (perReplica * sub.serviceTimeMs) / 1000;
      events[at] = (events[at] as number) + work;
      cpu += work;
    }
  });
  let consumerRho = 0;
  am.consumers.forEach((c, ci) => {
    if (!pos.has(c.service)) return;
    let lam = 0;
    am.subjects.forEach((sm, k) => {
      if (sm.consumers.includes(ci)) lam += R[k] as number;
    });
    const work = ((lam / (1 - c.failureRate) / 1000) * c.serviceTimeMs) / N;
    cpu += work;
    consumerRho = Math.max(consumerRho, work / c.workers);
  });
  return { events, consumerRho, cpu };
}
