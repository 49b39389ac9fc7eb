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

export function buildResult(doc: Topology, plan: DesPlan, layout: Layout, reps: Replications, info: Omit<DesInfo, 'intervals'>): DesResult {
  const warnings: Warning[] = [];
  const intervals: Record<string, [number, number]> = {};
  const value = (i: number) => fin(reps.estimate(i).mean);
  /** The estimate of figure i, its interval recorded under `path`. */
  const measured = (i: number, path: string) => {
    const e = reps.estimate(i);
    if (e.n > 0) intervals[path] = interval(e);
    return fin(e.mean);
  };
  const key = (name: string) => JSON.stringify(name);
  const queueRho = (q: number) => ((plan.qRho[q] as number) >= 1 ? (plan.qRho[q] as number) : value(layout.queue + q * QUEUE_FIELDS + 1));

  // Which services some request would reach (an entry, or a callee of a loaded caller).
  const wanted = new Set<number>(Array.from(plan.entryService));
  for (let q = 0; q < plan.nServiceQueues; q++) {
    if ((plan.qOffered[q] as number) <= 0) continue;
    const s = plan.qService[q] as number;
    for (let st = plan.svcStepStart[s] as number; st < (plan.svcStepEnd[s] as number); st++)
      for (let c = plan.stepCallStart[st] as number; c < (plan.stepCallEnd[st] as number); c++)
        if (plan.callDead[c]) wanted.add(plan.callTarget[c] as number);
  }

  const services: Record<string, ServiceResult> = {};
  let worst = -1;
  let bottleneck: string | null = null;
  plan.serviceNames.forEach((name, s) => {
    const queues = plan.svcQueues[s] as number[];
    const o = layout.service + s * SERVICE_FIELDS;
    const offered = queues.reduce((n, q) => n + (plan.qOffered[q] as number), 0) * 1000;
    const saturated = queues.some((q) => (plan.qRho[q] as number) >= 1);
    const unavailable = queues.length === 0 && wanted.has(s);
    const capacityPerReplica = ((plan.svcWorkers[s] as number) * 1000) / (plan.svcMeanOwn[s] as number);
    const needed = Math.ceil(offered / capacityPerReplica - 1e-9);
    const rhos = queues.map((q, k) =>
      (plan.qRho[q] as number) >= 1
        ? (plan.qRho[q] as number)
        : measured(layout.queue + q * QUEUE_FIELDS + 1, `services[${key(name)}].replicasDetail[${k}].utilization`),
    );
    const busiest = rhos.length ? Math.max(...rhos) : 0;
    if (busiest > worst && offered > 0) {
      worst = busiest;
      bottleneck = name;
    }
    if (saturated)
      warnings.push({
        code: 'saturated',
        message: `${name}: a replica is at ρ ≥ 1 (${busiest.toFixed(2)}); no latency through it`,
        path: `services[${s}]`,
      });
    if (unavailable) warnings.push({ code: 'unavailable', message: `${name}: no live replica`, path: `services[${s}]` });
    const replicasDetail: ReplicaResult[] = queues.map((q, k) => {
      const r = plan.qReplica[q] as number;
      const qo = layout.queue + q * QUEUE_FIELDS;
      const sat = (plan.qRho[q] as number) >= 1;
      const soj = reps.estimate(qo + 2);
      return {
        bundle: plan.bundleNames[plan.replicaBundle[r] as number] as string,
        zone: plan.zoneNames[plan.replicaZone[r] as number] as string,
        index: plan.replicaIndex[r] as number,
        arrivalRps: measured(qo, `services[${key(name)}].replicasDetail[${k}].arrivalRps`),
        utilization: rhos[k] as number,
        sojournMeanMs: sat || soj.n === 0 ? null : soj.mean,
      };
    });
    services[name] = {
      arrivalRps: measured(o + 4, `services[${key(name)}].arrivalRps`),
      replicas: queues.length,
      utilization: busiest,
      meanUtilization: rhos.length ? rhos.reduce((a, b) => a + b, 0) / rhos.length : 0,
      saturated,
      unavailable,
      excessRps: saturated ? Math.max(0, offered - queues.length * capacityPerReplica) : 0,
      replicasNeeded: unavailable ? needed : Math.max(needed, saturated ? queues.length + 1 : 0),
      cacheHitRate: plan.svcHasCache[s] ? measured(o + 5, `services[${key(name)}].cacheHitRate`) : null,
      method: 'des',
      sojournMs: saturated ? null : percentiles(reps, o),
      replicasDetail,
    };
  });

  const bundles: Record<string, BundleResult> = {};
  plan.bundleNames.forEach((name, b) => {
    const replicas = plan.bundleReplicas[b] as number;
    let busy = 0;
    for (let q = 0; q < plan.nServiceQueues; q++)
      if (plan.replicaBundle[plan.qReplica[q] as number] === b) busy += queueRho(q) * (plan.qServers[q] as number);
    bundles[name] = { replicas, cpuUtilization: replicas > 0 ? busy / replicas / (plan.bundleCpu[b] as number) : 0 };
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
      slo: checks.length ? { met: checks.every((c) => c.met), checks } : null,
    };
  });

  const databases: Record<string, DatabaseResult> = {};
  plan.dbNames.forEach((name, d) => {
    const shards = [];
    for (let g = plan.dbShardStart[d] as number; g < (plan.dbShardEnd[d] as number); g++) {
      const q = plan.shardQueue[g] as number;
      const at = `databases[${key(name)}].shards[${g - (plan.dbShardStart[d] as number)}]`;
      shards.push({
        name: plan.shardNames[g] as string,
        arrivalRps: measured(layout.queue + q * QUEUE_FIELDS, `${at}.arrivalRps`),
        utilization: (plan.qRho[q] as number) >= 1 ? (plan.qRho[q] as number) : measured(layout.queue + q * QUEUE_FIELDS + 1, `${at}.utilization`),
      });
    }
    const connections = plan.dbConnections[d] as { needed: number; available: number };
    if (connections.needed > connections.available)
      warnings.push({
        code: 'connections',
        message: `${name}: replicas open ${connections.needed} connections, shards allow ${connections.available}`,
        path: `databases[${d}]`,
      });
    databases[name] = { shards, connections };
  });

  if (info.stoppedBy === 'cap' && !info.converged)
    warnings.push({
      code: 'des-not-converged',
      message: `stopped at the ${info.requestsCap} request cap with the widest entry P99 interval at ±${(info.achievedPrecision * 100).toFixed(1)} % (target ±${(info.precision * 100).toFixed(0)} %); raise --requests for tighter intervals`,
      path: '',
    });

  return {
    method: 'des',
    services,
    bundles,
    entries,
    databases,
    brokers: [],
    crossZoneRps: measured(layout.cross, 'crossZoneRps'),
    crossRegionRps: measured(layout.cross + 1, 'crossRegionRps'),
    headroom: worst > 0 ? 1 / worst : 0,
    bottleneck,
    warnings,
    des: { ...info, intervals },
  };
}
