/**
 * Turns the replications into the engine's result contract (`engine/types.ts`) with
 * `method: "des"` and a 99 % interval inside every latency and sojourn figure.
 */
import type {
  BundleResult,
  DatabaseResult,
  EntryResult,
  Percentiles,
  ReplicaResult,
  ServiceResult,
  ShardResult,
  SimulationResult,
  SloCheck,
  Warning,
} from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { ENTRY_FIELDS, type Layout, QUEUE_FIELDS, SERVICE_FIELDS } from './figures.ts';
import type { DesPlan } from './plan.ts';
import { type Estimate, interval, type Replications } from './stats.ts';

/** How the run went: what a reader needs to judge the intervals. */
export interface DesInfo {
  seed: number | string;
  replications: number;
  /** Requests simulated, warm-up included. */
  requests: number;
  /** The cap (`--requests`). */
  requestsCap: number;
  warmupPerReplication: number;
  measuredPerReplication: number;
  events: number;
  /** Target: every entry's P99 half-width ≤ precision × its P99. */
  precision: number;
  /** The widest entry P99 half-width relative to its P99 (0 when no entry has a latency). */
  achievedPrecision: number;
  stoppedBy: 'precision' | 'cap' | 'cancelled' | 'running';
  converged: boolean;
  /**
   * 99 % intervals of the figures that have no `ci` slot in the contract (rates, utilizations,
   * hit rates), keyed by their path in the result, e.g.
   * `services["cart.checkout"].replicasDetail[2].utilization`.
   */
  intervals: Record<string, [number, number]>;
}

export interface DesResult extends SimulationResult {
  method: 'des';
  des: DesInfo;
}

const fin = (v: number) => (Number.isFinite(v) ? v : 0);

function percentiles(reps: Replications, base: number): Percentiles | null {
  const e: Estimate[] = [0, 1, 2, 3].map((k) => reps.estimate(base + k));
  if (e.some((x) => x.n === 0)) return null;
  const [mean, p50, p95, p99] = e as [Estimate, Estimate, Estimate, Estimate];
  return {
    mean: mean.mean,
    p50: p50.mean,
    p95: p95.mean,
    p99: p99.mean,
    ci: { mean: interval(mean), p50: interval(p50), p95: interval(p95), p99: interval(p99) },
  };
}

/** The same rule as the analytic engine's `hot` flag: ρ ≥ 0.2 and ≥ 1.25 × the service's mean ρ. */
function isHot(rho: number, mean: number): boolean {
  return rho >= 0.2 && mean > 0 && rho >= 1.25 * mean;
}

export function buildResult(doc: Topology, plan: DesPlan, layout: Layout, reps: Replications, info: Omit<DesInfo, 'intervals'>): DesResult {
  const warnings: Warning[] = [];
  const intervals: Record<string, [number, number]> = {};
  /** The estimate of figure i, its interval recorded under `path`. */
  const measured = (i: number, path: string) => {
    const e = reps.estimate(i);
    if (e.n > 0) intervals[path] = interval(e);
    return fin(e.mean);
  };
  /** A mean that exists only where the replications saw requests (null otherwise or when saturated). */
  const maybe = (i: number, saturated: boolean) => {
    const e = reps.estimate(i);
    return saturated || e.n === 0 ? null : fin(e.mean);
  };
  const key = (name: string) => JSON.stringify(name);
  const saturatedQ = (q: number) => (plan.qRho[q] as number) >= 1;
  /** Measured ρ of a queue, or the forced-flow ρ of a saturated one (it has no steady state to measure). */
  const rhoOf = (q: number, path: string) => (saturatedQ(q) ? (plan.qRho[q] as number) : measured(layout.queue + q * QUEUE_FIELDS + 1, path));

  const services: Record<string, ServiceResult> = {};
  const queueRho = new Float64Array(plan.nQueues);
  let worst = 0;
  let bottleneck: string | null = null;
  plan.serviceNames.forEach((name, s) => {
    const queues = plan.svcQueues[s] as number[];
    const o = layout.service + s * SERVICE_FIELDS;
    const demand = plan.svcDemand[s] as number;
    const saturated = queues.some(saturatedQ);
    const unavailable = queues.length === 0 && demand > 0;
    const perReplica = ((plan.svcWorkers[s] as number) * 1000) / (plan.svcMeanOwn[s] as number);
    const rhos = queues.map((q, k) => rhoOf(q, `services[${key(name)}].replicasDetail[${k}].utilization`));
    queues.forEach((q, k) => {
      queueRho[q] = rhos[k] as number;
    });
    const busiest = rhos.length ? Math.max(...rhos) : 0;
    const meanRho = rhos.length ? rhos.reduce((a, b) => a + b, 0) / rhos.length : 0;
    if (busiest > worst) {
      worst = busiest;
      bottleneck = name;
    }
    if (saturated)
      warnings.push({
        code: 'saturated',
        message: `${name}: a replica is at ρ ${busiest.toFixed(2)} ≥ 1; no latency through it`,
        path: `services[${s}]`,
      });
    if (unavailable) warnings.push({ code: 'unavailable', message: `${name}: requests arrive but no replica is live`, path: `services[${s}]` });
    const excess = unavailable ? demand : queues.reduce((n, q) => n + Math.max(0, (plan.qOffered[q] as number) * 1000 - perReplica), 0);
    const replicasDetail: ReplicaResult[] = queues.map((q, k) => {
      const r = plan.qReplica[q] as number;
      const qo = layout.queue + q * QUEUE_FIELDS;
      const sat = saturatedQ(q);
      const at = `services[${key(name)}].replicasDetail[${k}]`;
      const arrivalRps = measured(qo, `${at}.arrivalRps`);
      const sojournMeanMs = maybe(qo + 2, sat);
      return {
        bundle: plan.bundleNames[plan.replicaBundle[r] as number] as string,
        zone: plan.zoneNames[plan.replicaZone[r] as number] as string,
        index: plan.replicaIndex[r] as number,
        arrivalRps,
        utilization: rhos[k] as number,
        sojournMeanMs,
        waitProbability: sat ? null : measured(qo + 3, `${at}.waitProbability`),
        meanWaitMs: sat ? null : measured(qo + 4, `${at}.meanWaitMs`),
        // Little's law over the measured rate and sojourn.
        meanInSystem: sojournMeanMs === null ? null : (arrivalRps * sojournMeanMs) / 1000,
        saturated: sat,
        hot: isHot(rhos[k] as number, meanRho),
      };
    });
    services[name] = {
      bundle: plan.bundleNames[plan.svcBundle[s] as number] ?? '',
      arrivalRps: unavailable ? demand : measured(o + 4, `services[${key(name)}].arrivalRps`),
      replicas: queues.length,
      utilization: busiest,
      meanUtilization: meanRho,
      saturated,
      unavailable,
      excessRps: excess,
      // A lower bound from the total load (the analytic engine sizes zone by zone).
      replicasNeeded: Math.max(Math.ceil(demand / perReplica - 1e-9), saturated ? queues.length + 1 : 0),
      capacityRps: queues.length * perReplica,
      cacheHitRate: plan.svcHasCache[s] ? measured(o + 5, `services[${key(name)}].cacheHitRate`) : null,
      method: 'des',
      sojournMs: saturated || unavailable ? null : percentiles(reps, o),
      replicasDetail,
    };
  });

  const bundles: Record<string, BundleResult> = {};
  plan.bundleNames.forEach((name, b) => {
    // CPU per bundle replica: Σ over its services of busy workers ÷ cpu.
    const cpu = new Map<number, number>();
    for (let q = 0; q < plan.nServiceQueues; q++) {
      const r = plan.qReplica[q] as number;
      if (plan.replicaBundle[r] !== b) continue;
      cpu.set(r, (cpu.get(r) ?? 0) + ((queueRho[q] as number) * (plan.qServers[q] as number)) / (plan.bundleCpu[b] as number));
    }
    const zones: Record<string, { replicas: number; cpuUtilization: number }> = {};
    for (const [r, u] of cpu) {
      const z = plan.zoneNames[plan.replicaZone[r] as number] as string;
      const entry = zones[z] ?? { replicas: 0, cpuUtilization: 0 };
      entry.cpuUtilization = (entry.cpuUtilization * entry.replicas + u) / (entry.replicas + 1);
      entry.replicas++;
      zones[z] = entry;
    }
    const all = [...cpu.values()];
    bundles[name] = {
      replicas: plan.bundleReplicas[b] as number,
      cpuUtilization: all.length ? Math.max(...all) : 0,
      meanCpuUtilization: all.length ? all.reduce((a, c) => a + c, 0) / all.length : 0,
      zones,
    };
  });

  const entries: Record<string, EntryResult> = {};
  plan.entryNames.forEach((name, e) => {
    const latencyMs = plan.entryStatus[e] === 'ok' ? percentiles(reps, layout.entry + e * ENTRY_FIELDS) : null;
    const checks: SloCheck[] = [];
    for (const slo of doc.slo) {
      if (slo.entry !== name) continue;
      for (const [percentile, limitMs] of [
        ['p50', slo.p50Ms],
        ['p95', slo.p95Ms],
        ['p99', slo.p99Ms],
      ] as const) {
        if (limitMs === undefined) continue;
        const valueMs = latencyMs ? latencyMs[percentile] : null;
        checks.push({ percentile, limitMs, valueMs, met: valueMs !== null && valueMs <= limitMs });
      }
    }
    entries[name] = {
      rps: plan.entryRps[e] as number,
      method: 'des',
      latencyMs,
      reason: latencyMs ? null : (plan.entryReason[e] ?? 'no request completed'),
      slo: checks.length ? { met: checks.every((c) => c.met), checks } : null,
      zones: plan.entryZoneRps[e] ?? {},
    };
  });

  const databases: Record<string, DatabaseResult> = {};
  plan.dbNames.forEach((name, d) => {
    const shards: ShardResult[] = [];
    for (let g = plan.dbShardStart[d] as number; g < (plan.dbShardEnd[d] as number); g++) {
      const q = plan.shardQueue[g] as number;
      const at = `databases[${key(name)}].shards[${g - (plan.dbShardStart[d] as number)}]`;
      const utilization = rhoOf(q, `${at}.utilization`);
      const sat = saturatedQ(q);
      if (utilization > worst) {
        worst = utilization;
        bottleneck = `db:${name}/${plan.shardNames[g]}`;
      }
      if (sat)
        warnings.push({
          code: 'shard-saturated',
          message: `${name}/${plan.shardNames[g]}: ρ ${utilization.toFixed(2)} ≥ 1`,
          path: `databases[${d}].shards[${g - (plan.dbShardStart[d] as number)}]`,
        });
      shards.push({
        name: plan.shardNames[g] as string,
        vcpu: plan.qServers[q] as number,
        arrivalRps: measured(layout.queue + q * QUEUE_FIELDS, `${at}.arrivalRps`),
        utilization,
        saturated: sat,
        sojournMeanMs: maybe(layout.queue + q * QUEUE_FIELDS + 2, sat),
      });
    }
    const { needed, available } = plan.dbConnections[d] as { needed: number; available: number };
    if (needed > available)
      warnings.push({
        code: 'connections-overrun',
        message: `${name}: replicas open ${needed} connections, shards allow ${available}`,
        path: `databases[${d}]`,
      });
    databases[name] = { shards, connections: { needed, available, overrun: Math.max(0, needed - available) } };
  });

  if (info.stoppedBy === 'cap' && !info.converged)
    warnings.push({
      code: 'des-not-converged',
      message: `stopped at the ${info.requestsCap} request cap with the widest entry P99 interval at ±${(info.achievedPrecision * 100).toFixed(1)} % (target ±${(info.precision * 100).toFixed(0)} %); raise --requests for tighter intervals`,
      path: '',
    });

  return {
    method: 'des',
    scale: plan.scale,
    failedZones: plan.zoneNames.filter((_, z) => plan.failed[z]),
    services,
    bundles,
    entries,
    databases,
    brokers: [],
    crossZoneRps: measured(layout.cross, 'crossZoneRps'),
    crossRegionRps: measured(layout.cross + 1, 'crossRegionRps'),
    headroom: worst > 0 ? 1 / worst : null,
    bottleneck,
    warnings,
    des: { ...info, intervals },
  };
}
