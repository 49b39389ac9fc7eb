/**
 * Turns the replications into the engine's result contract (`engine/types.ts`) with
 * `method: "des"` and a 99 % interval inside every latency and sojourn figure.
 */
import { dict } from '../dict.ts';
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
import { type Layout, QUEUE_FIELDS, SERVICE_FIELDS } from './figures.ts';
import type { DesPlan } from './plan.ts';
import { interval, type RatioFigures, type SectionedDistribution } from './stats.ts';

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
  /** Relaxation time of the slowest queue (ms), which sizes warm-up and replications. */
  relaxationMs: number;
  /** That queue, e.g. `catalog.example in us-east-1b #0 (ρ 0.96)`. */
  slowestQueue: string | null;
  /** Requests the sizing rule asks for (minimum replications at full length). */
  neededRequests: number;
  events: number;
  /** Target: every entry's P99 half-width ≤ precision × its P99. */
  precision: number;
  /** The widest entry P99 half-width relative to its P99 (0 when no entry has a latency). */
  achievedPrecision: number;
  stoppedBy: 'precision' | 'cap' | 'time' | 'cancelled' | 'running';
  /**
   * The cap forced replications shorter than the sizing rule's minimum (100 relaxation times of
   * the slowest queue): the intervals may be too narrow, and the run is never `converged`.
   */
  shortReplications: boolean;
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
const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toPrecision(3)} s` : `${ms.toPrecision(3)} ms`);

/** Point estimates from the merged histogram, intervals by sectioning (stats.ts). */
function percentiles(d: SectionedDistribution | undefined): Percentiles | null {
  const e = d?.estimate();
  if (!e) return null;
  const { mean, p50, p95, p99, range } = e;
  return {
    mean: mean.mean,
    p50: p50.mean,
    p95: p95.mean,
    p99: p99.mean,
    ci: { mean: interval(mean, range), p50: interval(p50, range), p95: interval(p95, range), p99: interval(p99, range) },
  };
}

/** What the replications measured. */
export interface DesStats {
  ratios: RatioFigures;
  entries: SectionedDistribution[];
  services: SectionedDistribution[];
}

/** The same rule as the analytic engine's `hot` flag: ρ ≥ 0.2 and ≥ 1.25 × the service's mean ρ. */
function isHot(rho: number, mean: number): boolean {
  return rho >= 0.2 && mean > 0 && rho >= 1.25 * mean;
}

export function buildResult(doc: Topology, plan: DesPlan, layout: Layout, stats: DesStats, info: Omit<DesInfo, 'intervals'>): DesResult {
  const reps = stats.ratios;
  const warnings: Warning[] = [];
  const intervals: Record<string, [number, number]> = dict<[number, number]>();
  /** The estimate of figure i, its interval recorded under `path`. */
  const measured = (i: number, path: string) => {
    const e = reps.estimate(i);
    if (e.n > 1) intervals[path] = interval(e);
    return fin(e.mean);
  };
  /** A mean that exists only where the replications saw requests (null otherwise or when saturated). */
  const maybe = (i: number, saturated: boolean, path: string) => {
    const e = reps.estimate(i);
    if (saturated || e.n === 0) return null;
    if (e.n > 1) intervals[path] = interval(e);
    return fin(e.mean);
  };
  const key = (name: string) => JSON.stringify(name);
  const saturatedQ = (q: number) => (plan.qRho[q] as number) >= 1;
  /** Measured ρ of a queue, or the forced-flow ρ of a saturated one (it has no steady state to measure). */
  const rhoOf = (q: number, path: string) => (saturatedQ(q) ? (plan.qRho[q] as number) : measured(layout.queue + q * QUEUE_FIELDS + 1, path));

  const services: Record<string, ServiceResult> = dict<ServiceResult>();
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
      const sojournMeanMs = maybe(qo + 2, sat, `${at}.sojournMeanMs`);
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
      arrivalRps: unavailable ? demand : measured(o, `services[${key(name)}].arrivalRps`),
      replicas: queues.length,
      utilization: busiest,
      meanUtilization: meanRho,
      saturated,
      unavailable,
      excessRps: excess,
      // A lower bound from the total load (the analytic engine sizes zone by zone).
      replicasNeeded: Math.max(Math.ceil(demand / perReplica - 1e-9), saturated ? queues.length + 1 : 0),
      capacityRps: queues.length * perReplica,
      cacheHitRate: plan.svcHasCache[s] ? measured(o + 1, `services[${key(name)}].cacheHitRate`) : null,
      method: 'des',
      sojournMs: saturated || unavailable ? null : percentiles(stats.services[s]),
      replicasDetail,
    };
  });

  const bundles: Record<string, BundleResult> = dict<BundleResult>();
  plan.bundleNames.forEach((name, b) => {
    // CPU per bundle replica: Σ over its services of busy workers ÷ cpu.
    const cpu = new Map<number, number>();
    for (let q = 0; q < plan.nServiceQueues; q++) {
      const r = plan.qReplica[q] as number;
      if (plan.replicaBundle[r] !== b) continue;
      cpu.set(r, (cpu.get(r) ?? 0) + ((queueRho[q] as number) * (plan.qServers[q] as number)) / (plan.bundleCpu[b] as number));
    }
    const zones: Record<string, { replicas: number; cpuUtilization: number }> = dict<{ replicas: number; cpuUtilization: number }>();
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

  const entries: Record<string, EntryResult> = dict<EntryResult>();
  plan.entryNames.forEach((name, e) => {
    const latencyMs = plan.entryStatus[e] === 'ok' ? percentiles(stats.entries[e]) : null;
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

  const databases: Record<string, DatabaseResult> = dict<DatabaseResult>();
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
        sojournMeanMs: maybe(layout.queue + q * QUEUE_FIELDS + 2, sat, `${at}.sojournMeanMs`),
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

  const slowest = `the slowest queue (${info.slowestQueue}, relaxation time ${fmtMs(info.relaxationMs)})`;
  if (info.shortReplications)
    warnings.push({
      code: 'des-not-converged',
      message: `replications of ${info.measuredPerReplication.toLocaleString('en-US')} recorded requests are too short for ${slowest}: the intervals may be too narrow; raise --requests to about ${info.neededRequests.toLocaleString('en-US')}`,
      path: '',
    });
  else if ((info.stoppedBy === 'cap' || info.stoppedBy === 'time') && !info.converged) {
    const why = info.stoppedBy === 'cap' ? `the ${info.requestsCap.toLocaleString('en-US')} request cap` : 'the time budget';
    const need =
      info.neededRequests > info.requests
        ? `; ${slowest} asks for about ${info.neededRequests.toLocaleString('en-US')} requests: raise --requests`
        : '; raise --requests for tighter intervals';
    warnings.push({
      code: 'des-not-converged',
      message: `stopped at ${why} with the widest entry P99 interval ±${(info.achievedPrecision * 100).toFixed(1)} % (target ±${(info.precision * 100).toFixed(0)} %)${need}`,
      path: '',
    });
  }

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
