/**
 * Turns the replications into the engine's result contract (`engine/types.ts`) with
 * `method: "des"` and a 99 % interval inside every latency and sojourn figure.
 */

import { at } from '../checked.ts';
import { dict } from '../dict.ts';
import { limitsOf } from '../engine/limits.ts';
import { sloFor } from '../engine/simulate.ts';
import type {
  BundleResult,
  DatabaseResult,
  EntryResult,
  InFlightResult,
  Percentiles,
  ReplicaResult,
  ServiceResult,
  ShardResult,
  SimulationResult,
  Warning,
} from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { allBudgeted, hasBudget } from './budget.ts';
import { crossFigure, entryFigure, type Layout, queueFigure, serviceFigure } from './figures.ts';
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
export function percentiles(d: SectionedDistribution | undefined): Percentiles | null {
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

const key = (name: string) => JSON.stringify(name);

/** Reads the pooled ratio figures, recording each one's 99 % interval under its path in the result. */
class FigureReader {
  readonly intervals: Record<string, [number, number]> = dict<[number, number]>();

  constructor(
    private readonly reps: RatioFigures,
    readonly plan: DesPlan,
    readonly layout: Layout,
  ) {}

  /** The estimate of figure i, its interval recorded under `path`. */
  measured(i: number, path: string): number {
    const e = this.reps.estimate(i);
    if (e.n > 1) this.intervals[path] = interval(e);
    return fin(e.mean);
  }

  /** A mean that exists only where the replications saw requests (null otherwise or when saturated). */
  maybe(i: number, saturated: boolean, path: string): number | null {
    const e = this.reps.estimate(i);
    if (saturated || e.n === 0) return null;
    if (e.n > 1) this.intervals[path] = interval(e);
    return fin(e.mean);
  }

  /** Forced-flow ρ ≥ 1 on an unbounded queue (a bounded one rejects instead, and is measured). */
  saturated(q: number): boolean {
    return at(this.plan.qRho, q) >= 1 && at(this.plan.qLimit, q) < 0 && !(allBudgeted(this.plan) && at(this.plan.qService, q) >= 0);
  }

  /** Measured ρ of a queue, or the forced-flow ρ of a saturated one (it has no steady state to measure). */
  rho(q: number, path: string): number {
    return this.saturated(q) ? at(this.plan.qRho, q) : this.measured(queueFigure(this.layout, q, 'utilization'), path);
  }
}

export function buildResult(doc: Topology, plan: DesPlan, layout: Layout, stats: DesStats, info: Omit<DesInfo, 'intervals'>): DesResult {
  const figures = new FigureReader(stats.ratios, plan, layout);
  const warnings: Warning[] = [];
  const queueRho = new Float64Array(plan.nQueues);
  const services: Record<string, ServiceResult> = dict<ServiceResult>();
  plan.serviceNames.forEach((name, s) => {
    services[name] = serviceResult(figures, s, stats.services[s], { warnings, queueRho });
  });
  const bundles: Record<string, BundleResult> = dict<BundleResult>();
  plan.bundleNames.forEach((name, b) => {
    bundles[name] = bundleResult(plan, b, queueRho);
  });
  const entries: Record<string, EntryResult> = dict<EntryResult>();
  plan.entryNames.forEach((name, e) => {
    entries[name] = entryResult(doc, figures, e, stats.entries[e]);
  });
  const databases: Record<string, DatabaseResult> = dict<DatabaseResult>();
  plan.dbNames.forEach((name, d) => {
    databases[name] = databaseResult(figures, d, warnings);
  });
  warnings.push(...runWarnings(info));
  return {
    method: 'des',
    scale: plan.scale,
    failedZones: plan.zoneNames.filter((_, z) => plan.failed[z]),
    services,
    bundles,
    entries,
    databases,
    brokers: [],
    crossZoneRps: figures.measured(crossFigure(layout, 'crossZoneRps'), 'crossZoneRps'),
    crossRegionRps: figures.measured(crossFigure(layout, 'crossRegionRps'), 'crossRegionRps'),
    ...limitsOf(services, bundles, databases, []),
    warnings,
    des: { ...info, intervals: figures.intervals },
  };
}

/** What a service's figures add to the whole: warnings and each queue's ρ (for the bundles' CPU). */
interface Sinks {
  warnings: Warning[];
  queueRho: Float64Array;
}

function serviceResult(figures: FigureReader, s: number, sojourn: SectionedDistribution | undefined, sinks: Sinks): ServiceResult {
  const { plan, layout } = figures;
  const name = at(plan.serviceNames, s);
  const queues = at(plan.svcQueues, s);
  const demand = at(plan.svcDemand, s);
  const saturated = queues.some((q) => figures.saturated(q));
  const unavailable = queues.length === 0 && demand > 0;
  const perReplica = (at(plan.svcWorkers, s) * 1000) / at(plan.svcMeanOwn, s);
  const rhos = queues.map((q, k) => figures.rho(q, `services[${key(name)}].replicasDetail[${k}].utilization`));
  queues.forEach((q, k) => {
    sinks.queueRho[q] = at(rhos, k);
  });
  const busiest = rhos.length ? Math.max(...rhos) : 0;
  const meanRho = rhos.length ? rhos.reduce((a, b) => a + b, 0) / rhos.length : 0;
  if (saturated)
    sinks.warnings.push({
      code: 'saturated',
      message: `${name}: a replica is at ρ ${busiest.toFixed(2)} ≥ 1; no latency through it`,
      path: `services[${s}]`,
    });
  if (unavailable) sinks.warnings.push({ code: 'unavailable', message: `${name}: requests arrive but no replica is live`, path: `services[${s}]` });
  const excess = unavailable ? demand : queues.reduce((n, q) => n + Math.max(0, at(plan.qOffered, q) * 1000 - perReplica), 0);
  const replicasDetail = queues.map((q, k) => replicaResult(figures, q, `services[${key(name)}].replicasDetail[${k}]`, at(rhos, k), meanRho));
  return {
    bundle: plan.bundleNames[at(plan.svcBundle, s)] ?? '',
    arrivalRps: unavailable ? demand : figures.measured(serviceFigure(layout, s, 'arrivalRps'), `services[${key(name)}].arrivalRps`),
    replicas: queues.length,
    utilization: busiest,
    meanUtilization: meanRho,
    saturated,
    unavailable,
    excessRps: excess,
    // A lower bound from the total load (the analytic engine sizes zone by zone).
    replicasNeeded: Math.max(Math.ceil(demand / perReplica - 1e-9), saturated ? queues.length + 1 : 0),
    capacityRps: queues.length * perReplica,
    cacheHitRate: plan.svcHasCache[s] ? figures.measured(serviceFigure(layout, s, 'cacheHitRate'), `services[${key(name)}].cacheHitRate`) : null,
    method: 'des',
    sojournMs: saturated || unavailable ? null : percentiles(sojourn),
    rejectedRps: figures.measured(serviceFigure(layout, s, 'rejectedRps'), `services[${key(name)}].rejectedRps`),
    rejectionRate: figures.measured(serviceFigure(layout, s, 'rejectionRate'), `services[${key(name)}].rejectionRate`),
    ...(hasBudget(plan)
      ? {
          timeoutRate: figures.measured(serviceFigure(layout, s, 'timeoutRate'), `services[${key(name)}].timeoutRate`),
          timedOutRps: figures.measured(serviceFigure(layout, s, 'timedOutRps'), `services[${key(name)}].timedOutRps`),
          wastedWorkRate: figures.measured(serviceFigure(layout, s, 'wastedWorkRate'), `services[${key(name)}].wastedWorkRate`),
        }
      : {}),
    ...(plan.svcInFlight[s] ? { inFlight: inFlightOfService(figures, s, name, replicasDetail) } : {}),
    replicasDetail,
  };
}

/** One service queue on one bundle replica, its figures recorded under `path`. */
function replicaResult(figures: FigureReader, q: number, path: string, rho: number, meanRho: number): ReplicaResult {
  const { plan, layout } = figures;
  const r = at(plan.qReplica, q);
  const sat = figures.saturated(q);
  const arrivalRps = figures.measured(queueFigure(layout, q, 'arrivalRps'), `${path}.arrivalRps`);
  const sojournMeanMs = figures.maybe(queueFigure(layout, q, 'sojournMeanMs'), sat, `${path}.sojournMeanMs`);
  return {
    bundle: at(plan.bundleNames, at(plan.replicaBundle, r)),
    zone: at(plan.zoneNames, at(plan.replicaZone, r)),
    index: at(plan.replicaIndex, r),
    arrivalRps,
    utilization: rho,
    sojournMeanMs,
    waitProbability: sat ? null : figures.measured(queueFigure(layout, q, 'waitProbability'), `${path}.waitProbability`),
    meanWaitMs: sat ? null : figures.measured(queueFigure(layout, q, 'meanWaitMs'), `${path}.meanWaitMs`),
    // Little's law over the measured rate and sojourn.
    meanInSystem: sojournMeanMs === null ? null : (arrivalRps * sojournMeanMs) / 1000,
    saturated: sat,
    hot: isHot(rho, meanRho),
    rejectionRate: figures.measured(queueFigure(layout, q, 'rejectionRate'), `${path}.rejectionRate`),
    ...(plan.svcInFlight[at(plan.qService, q)]
      ? { meanInFlight: figures.measured(queueFigure(layout, q, 'meanInFlight'), `${path}.meanInFlight`) }
      : {}),
  };
}

/** In-flight caps and least-connections (routing.ts): cap rejections, and what a replica holds on average. */
function inFlightOfService(figures: FigureReader, s: number, name: string, replicas: ReplicaResult[]): InFlightResult {
  const { plan, layout } = figures;
  const cap = at(plan.svcCap, s);
  const meanInFlight = replicas.length ? replicas.reduce((a, r) => a + (r.meanInFlight ?? 0), 0) / replicas.length : 0;
  return {
    maxInFlight: cap >= 0 ? cap : null,
    routing: plan.svcLeastConn[s] ? 'least-connections' : 'random',
    capRejectedRps: figures.measured(serviceFigure(layout, s, 'capRejectedRps'), `services[${key(name)}].inFlight.capRejectedRps`),
    capRejectionRate: figures.measured(serviceFigure(layout, s, 'capRejectionRate'), `services[${key(name)}].inFlight.capRejectionRate`),
    meanInFlight,
    capUtilization: cap >= 0 ? meanInFlight / cap : null,
    method: 'des',
  };
}

/** CPU per bundle replica: Σ over its services of busy workers ÷ cpu. */
function bundleResult(plan: DesPlan, b: number, queueRho: Float64Array): BundleResult {
  const cpu = new Map<number, number>();
  for (let q = 0; q < plan.nServiceQueues; q++) {
    const r = at(plan.qReplica, q);
    if (plan.replicaBundle[r] !== b) continue;
    cpu.set(r, (cpu.get(r) ?? 0) + (at(queueRho, q) * at(plan.qServers, q)) / at(plan.bundleCpu, b));
  }
  const zones: Record<string, { replicas: number; cpuUtilization: number }> = dict<{ replicas: number; cpuUtilization: number }>();
  for (const [r, u] of cpu) {
    const z = at(plan.zoneNames, at(plan.replicaZone, r));
    const entry = zones[z] ?? { replicas: 0, cpuUtilization: 0 };
    entry.cpuUtilization = (entry.cpuUtilization * entry.replicas + u) / (entry.replicas + 1);
    entry.replicas++;
    zones[z] = entry;
  }
  const all = [...cpu.values()];
  return {
    replicas: at(plan.bundleReplicas, b),
    cpuUtilization: all.length ? Math.max(...all) : 0,
    meanCpuUtilization: all.length ? all.reduce((a, c) => a + c, 0) / all.length : 0,
    zones,
  };
}

function entryResult(doc: Topology, figures: FigureReader, e: number, latency: SectionedDistribution | undefined): EntryResult {
  const { plan, layout } = figures;
  const name = at(plan.entryNames, e);
  const latencyMs = plan.entryStatus[e] === 'ok' ? percentiles(latency) : null;
  const rps = at(plan.entryRps, e);
  // A request fails where it meets a full line or a call to a service with no live replica (sim.ts); an
  // entry that is itself without a replica fails every request (measured too, but it may see none).
  const successRate = at(plan.svcQueues, at(plan.entryService, e)).length
    ? figures.measured(entryFigure(layout, e, 'successRate'), `entries[${key(name)}].successRate`)
    : 0;
  const timeoutRate = hasBudget(plan) ? figures.measured(entryFigure(layout, e, 'timeoutRate'), `entries[${key(name)}].timeoutRate`) : undefined;
  const failureLatencyMs = hasBudget(plan)
    ? figures.maybe(entryFigure(layout, e, 'failureLatencyMs'), false, `entries[${key(name)}].failureLatencyMs`)
    : undefined;
  return {
    rps,
    method: 'des',
    latencyMs,
    successRate,
    goodputRps: rps * successRate,
    ...(timeoutRate === undefined ? {} : { timeoutRate, failureLatencyMs: failureLatencyMs ?? null }),
    reason: latencyMs ? null : (plan.entryReason[e] ?? 'no request completed'),
    // The same checks as the analytic engine's, on the measured figures.
    slo: sloFor({ doc }, name, latencyMs, successRate, timeoutRate),
    zones: plan.entryZoneRps[e] ?? {},
  };
}

function databaseResult(figures: FigureReader, d: number, warnings: Warning[]): DatabaseResult {
  const { plan, layout } = figures;
  const name = at(plan.dbNames, d);
  const shards: ShardResult[] = [];
  const first = at(plan.dbShardStart, d);
  for (let g = first; g < at(plan.dbShardEnd, d); g++) {
    const q = at(plan.shardQueue, g);
    const shard = at(plan.shardNames, g);
    const path = `databases[${key(name)}].shards[${g - first}]`;
    const utilization = figures.rho(q, `${path}.utilization`);
    const sat = figures.saturated(q);
    if (sat)
      warnings.push({
        code: 'shard-saturated',
        message: `${name}/${shard}: ρ ${utilization.toFixed(2)} ≥ 1`,
        path: `databases[${d}].shards[${g - first}]`,
      });
    shards.push({
      name: shard,
      vcpu: at(plan.qServers, q),
      arrivalRps: figures.measured(queueFigure(layout, q, 'arrivalRps'), `${path}.arrivalRps`),
      utilization,
      saturated: sat,
      sojournMeanMs: figures.maybe(queueFigure(layout, q, 'sojournMeanMs'), sat, `${path}.sojournMeanMs`),
    });
  }
  const { needed, available } = at(plan.dbConnections, d);
  if (needed > available)
    warnings.push({
      code: 'connections-overrun',
      message: `${name}: replicas open ${needed} connections, shards allow ${available}`,
      path: `databases[${d}]`,
    });
  return { shards, connections: { needed, available, overrun: Math.max(0, needed - available) } };
}

/** Whether the run itself can be trusted: replications too short, or stopped before the precision. */
function runWarnings(info: Omit<DesInfo, 'intervals'>): Warning[] {
  const slowest = `the slowest queue (${info.slowestQueue}, relaxation time ${fmtMs(info.relaxationMs)})`;
  if (info.shortReplications)
    return [
      {
        code: 'des-not-converged',
        message: `replications of ${info.measuredPerReplication.toLocaleString('en-US')} recorded requests are too short for ${slowest}: the intervals may be too narrow; raise --requests to about ${info.neededRequests.toLocaleString('en-US')}`,
        path: '',
      },
    ];
  if ((info.stoppedBy !== 'cap' && info.stoppedBy !== 'time') || info.converged) return [];
  const why = info.stoppedBy === 'cap' ? `the ${info.requestsCap.toLocaleString('en-US')} request cap` : 'the time budget';
  const need =
    info.neededRequests > info.requests
      ? `; ${slowest} asks for about ${info.neededRequests.toLocaleString('en-US')} requests: raise --requests`
      : '; raise --requests for tighter intervals';
  return [
    {
      code: 'des-not-converged',
      message: `stopped at ${why} with the widest entry P99 interval ±${(info.achievedPrecision * 100).toFixed(1)} % (target ±${(info.precision * 100).toFixed(0)} %)${need}`,
      path: '',
    },
  ];
}
