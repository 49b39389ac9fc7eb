/** Per-service, per-bundle and per-database figures from a placement and its queues. */
import { dict } from '../dict.ts';
import { cpuShare } from './budget.ts';
import { budgetServiceFigures } from './budget-figures.ts';
import { hasInFlight } from './inflight.ts';
import { type InFlight, inFlightNotes, inFlightResult, replicaRejection } from './inflight-figures.ts';
import type { Model } from './model.ts';
import { liveReplicas, type Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import { serviceSojourn } from './sojourn.ts';
import type { BundleResult, DatabaseResult, ReplicaResult, ServiceResult, ValidityNote } from './types.ts';
import { serviceMethod, serviceNotes } from './validity.ts';

/** A replica is hot when its ρ is at least this many times its service's mean ρ … */
export const HOT_RATIO = 1.25;
/** … and at least this high (below it queueing is negligible whatever the ratio). */
export const HOT_MIN_RHO = 0.2;

export function isHot(rho: number, meanRho: number): boolean {
  return rho >= HOT_MIN_RHO && rho >= HOT_RATIO * meanRho && meanRho > 0;
}

export function serviceResults(
  model: Model,
  pl: Placement,
  q: Queues,
  notesOut?: ValidityNote[][],
  inflight?: InFlight,
): Record<string, ServiceResult> {
  const Z = model.zones.length;
  const counts = pl.scenario.counts;
  const out: Record<string, ServiceResult> = dict<ServiceResult>();
  const locality = model.doc.routing === 'locality';
  for (const s of model.services) {
    const bundle = model.bundles[s.bundle];
    const replicas = liveReplicas(model, pl.scenario, s.bundle);
    const offered = pl.offered[s.index] as number;
    let busiest = 0;
    let work = 0; // Σ λ·E[own] in worker-seconds per second
    let saturated = false;
    let excess = 0;
    let needed = 0;
    let ownMean = s.serviceTimeMs;
    let totalLam = 0;
    let rejected = 0;
    const parts: { weight: number; station: NonNullable<Queues['cls'][number]> }[] = [];
    for (let z = 0; z < Z; z++) {
      const st = q.cls[s.index * Z + z];
      if (!st) continue;
      const n = counts[s.bundle * Z + z] as number;
      const lam = pl.lam[s.index * Z + z] as number;
      ownMean = st.ownMean;
      busiest = Math.max(busiest, st.rho);
      // Schema v3: subscription events hold the same workers (queues.ts `events`).
      const evWork = q.events ? (q.events.work[s.index * Z + z] as number) : 0;
      work += (lam * st.ownMean) / 1000 + evWork;
      totalLam += lam;
      const capPerReplica = (s.workers * 1000) / st.ownMean;
      if ((lam > 0 || evWork > 0) && st.saturated) {
        saturated = true;
        excess += Math.max(0, lam - n * capPerReplica);
      }
      if (lam > 0) needed += Math.floor(lam / capPerReplica) + 1;
      // A bounded queue's sojourn is that of the requests it admits (past the in-flight cap, then the line).
      // With retries the admitted share of attempts is not the station's blocking (retries.ts).
      const cb = pl.capBlock[s.index * Z + z] as number;
      const block = pl.retry && st.bounded ? 1 - (pl.admit[s.index * Z + z] as number) : (st.bounded?.block ?? 0);
      if (cb > 0) {
        rejected += lam * (cb + (1 - cb) * block);
        parts.push({ weight: lam * (1 - cb) * (1 - block), station: st });
        continue;
      }
      rejected += lam * block;
      const abandon = st.impatient?.abandon ?? 0;
      parts.push({ weight: block > 0 ? lam * (1 - block) : abandon > 0 ? lam * (1 - abandon) : lam, station: st });
    }
    const capPerReplica = (s.workers * 1000) / ownMean;
    const unavailable = replicas === 0 && offered > 0;
    if (unavailable) excess = offered;
    if (!locality || unavailable) needed = offered > 0 ? Math.floor(offered / capPerReplica) + 1 : 0;
    const meanRho = replicas > 0 ? work / (s.workers * replicas) : 0;
    let sojournMs: ServiceResult['sojournMs'] = null;
    if (!saturated && parts.length > 0) {
      const weighted = totalLam > 0 ? parts.filter((p) => p.weight > 0) : parts.map((p) => ({ weight: 1, station: p.station }));
      sojournMs = serviceSojourn(weighted);
    }
    const stations = parts.map((p) => p.station);
    const notes = sojournMs ? serviceNotes(model, pl, q, s.index) : [];
    if (sojournMs && hasInFlight(s)) notes.push(...inFlightNotes(s));
    if (notesOut) notesOut[s.index] = notes;
    const replicasDetail: ReplicaResult[] = [];
    for (let z = 0; z < Z; z++) {
      const st = q.cls[s.index * Z + z];
      if (!st) continue;
      const n = counts[s.bundle * Z + z] as number;
      const perReplica = (pl.lam[s.index * Z + z] as number) / n;
      for (let index = 0; index < n; index++) {
        replicasDetail.push({
          bundle: bundle?.name ?? '',
          zone: model.zones[z] as string,
          index,
          arrivalRps: perReplica,
          utilization: st.rho,
          sojournMeanMs: st.saturated ? null : st.W,
          waitProbability: st.saturated ? null : st.C,
          meanWaitMs: st.saturated ? null : st.Wq,
          meanInSystem: st.saturated ? null : st.L,
          saturated: st.saturated && (perReplica > 0 || (q.events?.work[s.index * Z + z] ?? 0) > 0),
          hot: isHot(st.rho, meanRho),
          rejectionRate: replicaRejection(pl.capBlock[s.index * Z + z] as number, st.bounded?.block ?? 0),
        });
      }
    }
    const inFlight = hasInFlight(s) ? inFlightResult(model, pl, q, s, replicasDetail, inflight) : undefined;
    out[s.name] = {
      bundle: bundle?.name ?? '',
      arrivalRps: offered,
      replicas,
      utilization: busiest,
      meanUtilization: meanRho,
      saturated,
      unavailable,
      excessRps: excess,
      replicasNeeded: needed,
      capacityRps: replicas * capPerReplica,
      cacheHitRate: s.cache ? (pl.hit[s.index] as number) : null,
      method: serviceMethod(stations),
      validity: notes.length ? notes : 'ok',
      sojournMs,
      rejectedRps: rejected,
      rejectionRate: totalLam > 0 ? rejected / totalLam : 0,
      ...(inFlight ? { inFlight } : {}),
      replicasDetail,
    };
    // Time budgets (schema v2): their figures, only when some traffic carries a budget.
    const budget = budgetServiceFigures(model, pl, s.index);
    if (budget) Object.assign(out[s.name] as ServiceResult, budget);
  }
  return out;
}

/** CPU per bundle replica: Σ over its services of λ·E[own time] ÷ cpu. */
export function bundleResults(model: Model, pl: Placement, q: Queues): Record<string, BundleResult> {
  const Z = model.zones.length;
  const out: Record<string, BundleResult> = dict<BundleResult>();
  for (const b of model.bundles) {
    const zones: BundleResult['zones'] = dict();
    let busiest = 0;
    let total = 0;
    let replicas = 0;
    for (let z = 0; z < Z; z++) {
      const n = pl.scenario.counts[b.index * Z + z] as number;
      if (n === 0) continue;
      let busy = 0;
      for (const s of b.services) {
        const st = q.cls[s * Z + z];
        // Only admitted requests use the CPU (a bounded queue rejects the rest at once).
        // Budgeted requests: only the served ones' work (budget.ts `cpuShare`); with retries, the admitted share of attempts.
        const done = st?.bounded
          ? pl.retry
            ? (pl.admit[s * Z + z] as number)
            : 1 - st.bounded.block
          : st?.impatient
            ? cpuShare(st, model.services[s]?.onTimeout ?? 'finish')
            : 1;
        if (st) busy += ((pl.lam[s * Z + z] as number) / n / 1000) * st.ownMean * done;
      }
      const cpu = busy / b.cpu;
      zones[model.zones[z] as string] = { replicas: n, cpuUtilization: cpu };
      busiest = Math.max(busiest, cpu);
      total += cpu * n;
      replicas += n;
    }
    out[b.name] = { replicas, cpuUtilization: busiest, meanCpuUtilization: replicas > 0 ? total / replicas : 0, zones };
  }
  return out;
}

export function databaseResults(model: Model, pl: Placement, q: Queues): Record<string, DatabaseResult> {
  const out: Record<string, DatabaseResult> = dict<DatabaseResult>();
  model.databases.forEach((db, d) => {
    let needed = 0;
    for (const b of model.bundles) if (b.databases.includes(d)) needed += liveReplicas(model, pl.scenario, b.index) * db.poolPerReplica;
    const available = db.shards.reduce((n, s) => n + s.maxConnections, 0);
    out[db.name] = {
      shards: db.shards.map((sh, j) => {
        const st = q.shards[d]?.[j];
        const rps = ((pl.dbRate[d] as number) * sh.vcpu) / db.totalVcpu;
        const saturated = (st?.saturated ?? false) && rps > 0;
        return {
          name: sh.name,
          vcpu: sh.vcpu,
          arrivalRps: rps,
          utilization: st?.rho ?? 0,
          saturated,
          sojournMeanMs: st && !st.saturated ? st.W : null,
        };
      }),
      connections: { needed, available, overrun: Math.max(0, needed - available) },
    };
  });
  return out;
}
