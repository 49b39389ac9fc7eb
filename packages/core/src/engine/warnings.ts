/**
 * Warnings a planner needs to see, each naming the document path to change.
 * Rules (also in engine/README.md):
 * - `saturated`: a service with a replica at ρ ≥ 1 (path: the service).
 * - `unavailable`: requests reach a service whose bundle has no live replica (path: the bundle's replicas).
 * - `zone-first-replica`: with locality routing, a bundle's only replica in a zone takes that
 *   zone's whole traffic and runs hot (the `hot-replica` rule below) while other zones hold more.
 * - `hot-replica`: a zone's replicas run at ρ ≥ 1.25 × the service's mean and ≥ 0.2 (path: that zone's count).
 * - `connections-overrun`, `shard-saturated`, `broker-saturated`, `cpu-overcommitted` (CPU > 100 %),
 *   `slo-missed`.
 * - `rejecting`: a service with a queue limit or an in-flight cap rejects ≥ 1 % of its requests (path: its queueLimit, or its maxInFlight when the cap does most of it).
 * - `timing-out`: a service times out ≥ 1 % of its requests (time budgets; path: the service).
 * - `workers-exceed-cores`: a service with more workers than its bundle replica has cores (ρ and
 *   CPU then tell different stories; path: the service's workers).
 */
import { formatPath } from '../problems.ts';
import { CALL_SERVICE, type Model } from './model.ts';
import type { Placement } from './placement.ts';
import { isHot } from './results.ts';
import { sloWarnings } from './slo-warnings.ts';
import type { SimulationResult, Warning } from './types.ts';

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
/** A service that rejects at least this share of its requests is warned about (1 %). */
export const REJECTING = 0.01;
const rho = (x: number) => x.toFixed(2);
const rps = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/**
 * How many replicas would carry a saturated service, in the terms a planner acts on. Under
 * locality each zone carries its own traffic, so the advice is per saturated zone (a bundle
 * can hold more replicas in total than "would carry it" and still saturate where it is thin);
 * under random routing it is the bundle's total.
 */
function carryAdvice(model: Model, pl: Placement, bundle: number, res: SimulationResult['services'][string], locality: boolean): string {
  const Z = model.zones.length;
  const name = res.bundle;
  if (!locality) return `about ${res.replicasNeeded} replicas of ${name} would carry it (it has ${res.replicas})`;
  const parts: string[] = [];
  for (let z = 0; z < Z; z++) {
    const zone = model.zones[z] as string;
    const rows = res.replicasDetail.filter((x) => x.zone === zone);
    const row = rows[0];
    if (!row || row.utilization < 1) continue;
    const n = pl.scenario.counts[bundle * Z + z] as number;
    // λ_z / capacity per replica = n·ρ: the fewest replicas below ρ 1 is ⌊n·ρ⌋ + 1.
    parts.push(`${Math.floor(n * row.utilization + 1e-9) + 1} in ${zone} (it has ${n} there)`);
  }
  return parts.length ? `${name} needs about ${parts.join(' and ')}` : `about ${res.replicasNeeded} replicas of ${name} would carry it`;
}

export function warnings(model: Model, pl: Placement, r: Omit<SimulationResult, 'warnings'>): Warning[] {
  const out: Warning[] = [];
  const Z = model.zones.length;
  const locality = model.doc.routing === 'locality';

  out.push(...serviceWarnings(model, pl, r, locality));

  out.push(...retryWarnings(model, pl, r));

  // Hot replicas, one warning per bundle and zone, naming its hottest service.
  for (const b of model.bundles) {
    for (let z = 0; z < Z; z++) {
      const n = pl.scenario.counts[b.index * Z + z] as number;
      if (n === 0) continue;
      let worst: { service: string; rho: number; mean: number } | null = null;
      for (const si of b.services) {
        const name = model.services[si]?.name as string;
        const res = r.services[name];
        const row = res?.replicasDetail.find((x) => x.zone === model.zones[z]);
        if (!res || !row || !isHot(row.utilization, res.meanUtilization)) continue;
        if (!worst || row.utilization / res.meanUtilization > worst.rho / worst.mean)
          worst = { service: name, rho: row.utilization, mean: res.meanUtilization };
      }
      if (!worst) continue;
      const zone = model.zones[z] as string;
      const path = formatPath(['bundles', b.index, 'replicas', zone]);
      let most = 0;
      for (let y = 0; y < Z; y++) if (y !== z) most = Math.max(most, pl.scenario.counts[b.index * Z + y] as number);
      if (locality && n === 1 && most > 1) {
        out.push({
          code: 'zone-first-replica',
          message: `bundle ${b.name} has a single replica in ${zone}: with locality routing it takes all of ${zone}'s traffic (${worst.service} at ρ ${rho(worst.rho)}, mean ${rho(worst.mean)}); add replicas in ${zone} or spread the bundle evenly`,
          path,
        });
      } else {
        out.push({
          code: 'hot-replica',
          message: `bundle ${b.name}'s ${n} replica${n === 1 ? '' : 's'} in ${zone} run hot: ${worst.service} at ρ ${rho(worst.rho)} against a mean of ${rho(worst.mean)}${locality ? `; locality routing keeps ${zone}'s traffic on them — spread replicas in proportion to each zone's traffic` : ''}`,
          path,
        });
      }
    }
  }

  model.databases.forEach((db, d) => {
    const res = r.databases[db.name];
    if (!res) return;
    if (res.connections.overrun > 0) {
      out.push({
        code: 'connections-overrun',
        message: `database ${db.name}: bundle replicas open ${res.connections.needed} connections (${db.poolPerReplica} each) but its shards accept ${res.connections.available}; lower poolPerReplica or raise maxConnections`,
        path: `databases[${d}].poolPerReplica`,
      });
    }
    res.shards.forEach((sh, j) => {
      if (sh.saturated)
        out.push({
          code: 'shard-saturated',
          message: `shard ${db.name}/${sh.name} is saturated: ρ ${rho(sh.utilization)} at ${rps(sh.arrivalRps)} queries/s on ${sh.vcpu} vCPU; add vCPU or shards`,
          path: `databases[${d}].shards[${j}]`,
        });
    });
  });

  const worstBroker = new Map<string, SimulationResult['brokers'][number]>();
  for (const br of r.brokers) {
    if (br.utilization < 1) continue;
    const prev = worstBroker.get(br.cluster);
    if (!prev || br.utilization > prev.utilization) worstBroker.set(br.cluster, br);
  }
  for (const [cluster, br] of worstBroker) {
    const i = model.doc.nats.findIndex((n) => n.name === cluster);
    out.push({
      code: 'broker-saturated',
      message: `NATS server ${br.server} carries ${rps(br.msgsPerSec)} msgs/s, ${pct(br.utilization)} of its limit; add servers per zone`,
      path: `nats[${i}].maxMsgsPerSecPerServer`,
    });
  }

  for (const b of model.bundles) {
    const res = r.bundles[b.name];
    if (res && res.cpuUtilization > 1) {
      const [zone] = Object.entries(res.zones).reduce((a, x) => (x[1].cpuUtilization > a[1].cpuUtilization ? x : a));
      out.push({
        code: 'cpu-overcommitted',
        message: `bundle ${b.name}'s replicas in ${zone} need ${pct(res.cpuUtilization)} of their ${b.cpu} CPU; raise cpu to ${Math.ceil(res.cpuUtilization * b.cpu * 1e6) / 1e6} or run at least ${Math.ceil(res.cpuUtilization * (res.zones[zone]?.replicas ?? 1) - 1e-9)} replicas in ${zone}`,
        path: `bundles[${b.index}].cpu`,
      });
    }
    // ρ counts `workers` requests running at once, CPU counts cores: when a service has more
    // workers than its replica has cores, ρ reads low while the cores run out first.
    const cores = Math.max(1, b.cpu);
    for (const si of b.services) {
      const s = model.services[si];
      if (!s || s.workers <= cores) continue;
      out.push({
        code: 'workers-exceed-cores',
        message: `${s.name} runs ${s.workers} workers on bundle ${b.name}'s ${b.cpu}-core replicas: ρ assumes ${s.workers} requests compute at once, but only ${b.cpu} core${b.cpu === 1 ? '' : 's'} can; set services[${s.index}].workers to ${Math.max(1, Math.floor(b.cpu))} (or raise bundles[${b.index}].cpu to ${s.workers} if its requests mostly wait on I/O)`,
        path: `services[${s.index}].workers`,
      });
    }
  }

  out.push(...sloWarnings(model.doc, r.entries));
  return out;
}

/** Per service: unavailable, saturated, rejecting (queue limit, in-flight cap or per-class admission) and timing out. */
function serviceWarnings(model: Model, pl: Placement, r: Omit<SimulationResult, 'warnings'>, locality: boolean): Warning[] {
  const out: Warning[] = [];
  for (const s of model.services) {
    const res = r.services[s.name];
    if (!res) continue;
    const b = model.bundles[s.bundle];
    if (res.unavailable && b) {
      out.push({
        code: 'unavailable',
        message: `${s.name} receives ${rps(res.arrivalRps)} rps but bundle ${b.name} has no live replica; requests through it fail`,
        path: formatPath(['bundles', b.index, 'replicas']),
      });
    } else if (res.saturated) {
      const worst = res.replicasDetail.reduce(
        (a, x) => (x.utilization > a.utilization ? x : a),
        res.replicasDetail[0] ?? { utilization: 0, zone: '' },
      );
      out.push({
        code: 'saturated',
        message: `${s.name} is saturated: ρ ${rho(worst.utilization)} per replica in ${worst.zone}, ${rps(res.excessRps)} rps beyond capacity; ${carryAdvice(model, pl, s.bundle, res, locality)}`,
        path: `services[${s.index}]`,
      });
    } else if (res.rejectionRate >= REJECTING && res.inFlight && res.inFlight.capRejectionRate >= res.rejectionRate / 2) {
      // Mostly the in-flight cap (schema v2 maxInFlight): the replicas hold too much for too long.
      out.push({
        code: 'rejecting',
        message: `${s.name} rejects ${(res.rejectionRate * 100).toFixed(1)} % of its requests (${rps(res.rejectedRps)} rps, ${s.rejectWith}) at its cap of ${s.maxInFlight} in flight per replica (${res.inFlight.meanInFlight.toFixed(1)} held on average): more replicas, a larger cap, or faster callees`,
        path: `services[${s.index}].maxInFlight`,
      });
    } else if (res.rejectionRate >= REJECTING) {
      // A bounded queue past its capacity: not saturated, but failing requests (schema v2).
      const perClass = res.classMethod !== undefined && res.classMethod !== 'shared';
      // Traffic classes treated apart: which class the rejections fall on, and its own limits.
      const byClass = perClass
        ? ` — ${Object.entries(res.classes ?? {})
            .map(([c, x]) => `${c} ${(x.rejectionRate * 100).toFixed(1)} %`)
            .join(', ')} —`
        : '';
      out.push({
        code: 'rejecting',
        message: `${s.name} rejects ${(res.rejectionRate * 100).toFixed(1)} % of its requests (${rps(res.rejectedRps)} rps, ${s.rejectWith})${byClass} at ${perClass ? `its per-class admission limits (a line of ${s.queueLimit} in all)` : `its queue limit of ${s.queueLimit}`}; ρ ${rho(res.utilization)} on its busiest replica: more replicas or workers, or a longer line`,
        path: perClass && model.doc.services[s.index]?.admission ? `services[${s.index}].admission` : `services[${s.index}].queueLimit`,
      });
    }
    if (!res.unavailable && (res.timeoutRate ?? 0) >= REJECTING) {
      // Time budgets: past its capacity it sheds by timeouts (schema v2).
      out.push({
        code: 'timing-out',
        message: `${s.name} times out ${((res.timeoutRate ?? 0) * 100).toFixed(1)} % of its requests (${rps(res.timedOutRps ?? 0)} rps; ${(res.wastedWorkRate ?? 0).toFixed(2)} cores of wasted work); ρ ${rho(res.utilization)} on its busiest replica: more replicas or workers, or a longer budget`,
        path: `services[${s.index}]`,
      });
    }
  }
  return out;
}

/** A service whose retried load is at least this many times its load without retries: a retry storm. */
export const RETRY_STORM = 1.5;

/** The path of the first retry policy that sends attempts to service t (a call's or a traffic item's `retries`). */
function retryPath(model: Model, t: number): string {
  for (const s of model.services)
    for (const c of s.calls) if (c.retry && c.target === t && c.kind === CALL_SERVICE) return `services[${s.index}].calls[${c.docIndex}].retries`;
  const item = model.traffic.find((x) => x.retry && x.entry === t);
  return item ? `traffic[${item.docIndex}].retries` : `services[${t}]`;
}

/**
 * Schema v2 retries (retries.ts): `retry-storm` where retries multiply a service's load by
 * RETRY_STORM or more, `retry-metastable` where a second, stormy fixed point exists (a burst can
 * tip the design into it and it stays), `retry-unconverged` where the iteration hit its cap.
 */
function retryWarnings(model: Model, pl: Placement, r: Omit<SimulationResult, 'warnings'>): Warning[] {
  const out: Warning[] = [];
  if (!pl.retry) return out;
  for (const s of model.services) {
    const res = r.services[s.name];
    const sol = pl.retry.solutions[s.index];
    const amp = res?.retryAmplification ?? 1;
    if (res && amp >= RETRY_STORM)
      out.push({
        code: 'retry-storm',
        message: `retries multiply ${s.name}'s load ${amp.toFixed(2)}× (${rps(res.arrivalRps)} rps offered, ${rps(res.offeredWithoutRetriesRps ?? 0)} without retries): fewer retries, a longer backoff, or capacity so that first attempts succeed`,
        path: retryPath(model, s.index),
      });
    if (sol?.stormOfferedRps != null)
      out.push({
        code: 'retry-metastable',
        message: `${s.name} has a second, stormy steady state at ${rps(sol.stormOfferedRps)} rps offered (vs ${rps(sol.offeredRps)}): a burst can tip it into a retry storm that outlasts the burst; fewer retries or a longer queue limit`,
        path: retryPath(model, s.index),
      });
    if (sol && !sol.converged)
      out.push({
        code: 'retry-unconverged',
        message: `the load ↔ rejection fixed point of ${s.name} did not settle in ${sol.iterations} iterations; its figures are the last iterate`,
        path: retryPath(model, s.index),
      });
  }
  return out;
}
