/** The timeline's per-minute series and the day's totals (types.ts), filled minute by minute. */
import type { Model } from '../engine/model.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { AutoscaleT } from '../schema/over-time.ts';
import type { Deployment } from './deployment.ts';
import type { Instant } from './evaluate.ts';
import { SHAPE_STEP } from './interpolate.ts';
import { customMetric } from './metrics.ts';
import type { ScaleEvent, TimelineBundleSeries, TimelineEntrySeries, TimelineResult } from './types.ts';

/** A replica relaxing slower than this (seconds) does not follow a load that changes by the minute. */
export const RELAXATION_LIMIT_S = 6;

export class Recorder {
  private readonly factors: number[][];
  private readonly entries: Record<string, TimelineEntrySeries> = {};
  private readonly bundles: Record<string, TimelineBundleSeries> = {};
  private readonly failedZones: string[][] = [];
  private readonly stationary: boolean[] = [];
  private readonly stationaryWhy: (string | null)[] = [];
  private readonly relaxation: (number | null)[] = [];
  private readonly podMinutes: number[];
  private maxEstimate: number | null = null;
  private interpolated = 0;

  constructor(
    private readonly model: Model,
    private readonly deps: (Deployment | null)[],
    private readonly autoscalers: (AutoscaleT | null)[],
  ) {
    this.factors = model.traffic.map(() => []);
    this.podMinutes = model.bundles.map(() => 0);
    for (const e of model.entries) {
      const name = model.services[e]?.name as string;
      this.entries[name] = { rps: [], p50Ms: [], p95Ms: [], p99Ms: [], sloMet: [], rejected: [], timedOut: [] };
    }
    const Z = model.zones.length;
    for (const b of model.bundles) {
      const zones: TimelineBundleSeries['zones'] = {};
      for (let z = 0; z < Z; z++) {
        const d = deps[b.index * Z + z];
        if (!d) continue;
        const metric = autoscalers[b.index]?.metric;
        const custom = d.hpa && metric !== undefined && metric !== 'cpu';
        zones[model.zones[z] as string] = { replicas: [], ready: [], cpuUtilization: [], ...(custom ? { metric: [] } : {}) };
      }
      this.bundles[b.name] = { replicas: [], ready: [], zones };
    }
  }

  minute(inst: Instant, res: SimulationResult, failed: Set<string>, backlog: Float64Array, estimate: number | null = null): void {
    const model = this.model;
    if (estimate !== null) {
      this.maxEstimate = Math.max(this.maxEstimate ?? 0, estimate);
      this.interpolated++;
    }
    const Z = model.zones.length;
    for (let i = 0; i < inst.factors.length; i++) this.factors[i]?.push(inst.factors[i] as number);
    for (const [name, s] of Object.entries(this.entries)) {
      const e = res.entries[name];
      const rps = e?.rps ?? 0;
      const timeout = e?.timeoutRate ?? 0;
      s.rps.push(rps);
      s.p50Ms.push(e?.latencyMs?.p50 ?? null);
      s.p95Ms.push(e?.latencyMs?.p95 ?? null);
      s.p99Ms.push(e?.latencyMs?.p99 ?? null);
      s.sloMet.push(e?.slo ? e.slo.met : null);
      s.rejected.push(rps * Math.max(0, 1 - (e?.successRate ?? 1) - timeout) * 60);
      s.timedOut.push(rps * timeout * 60);
    }
    for (const b of model.bundles) {
      const series = this.bundles[b.name] as TimelineBundleSeries;
      let total = 0;
      let ready = 0;
      for (let z = 0; z < Z; z++) {
        const d = this.deps[b.index * Z + z];
        const zs = series.zones[model.zones[z] as string];
        if (!d || !zs) continue;
        const r = inst.ready[b.index * Z + z] as number;
        zs.replicas.push(d.spec);
        zs.ready.push(r);
        zs.cpuUtilization.push(res.bundles[b.name]?.zones[model.zones[z] as string]?.cpuUtilization ?? 0);
        const metric = this.autoscalers[b.index]?.metric;
        if (zs.metric && metric && metric !== 'cpu') zs.metric.push(r > 0 ? customMetric(model, res, metric, b.index, z, backlog) : null);
        total += d.spec;
        ready += r;
        this.podMinutes[b.index] = (this.podMinutes[b.index] as number) + d.pods.length;
      }
      series.replicas.push(total);
      series.ready.push(ready);
    }
    this.failedZones.push([...failed]);
    const { tau, saturated } = relaxation(res);
    const queued = backlog.some((x) => x > 1e-9);
    this.relaxation.push(saturated ? null : tau);
    const why: string[] = [];
    if (saturated) why.push('a replica is saturated');
    if (queued) why.push('a backlog from earlier minutes is draining');
    if (!saturated && tau > RELAXATION_LIMIT_S) why.push(`a replica relaxes in ${tau.toFixed(1)} s (over ${RELAXATION_LIMIT_S} s)`);
    why.push(...this.warmingNotes(inst));
    this.stationary.push(why.length === 0);
    this.stationaryWhy.push(why.length ? why.join('; ') : null);
  }

  /** Bundles with pods warming up this minute: their latency is the warm/warming mixture (warming.ts), an approximation. */
  private warmingNotes(inst: Instant): string[] {
    const Z = this.model.zones.length;
    const out: string[] = [];
    for (const b of this.model.bundles) {
      let w = 0;
      for (let z = 0; z < Z; z++) w += inst.warming?.[b.index * Z + z] ?? 0;
      if (w <= 0) continue;
      const f = this.model.doc.bundles[b.index]?.startup?.warmupFactor ?? 1;
      out.push(
        `${b.name}: pods warming up (${w.toFixed(1)} pod-minutes at 1/${f} of the pace, each with its full share): the latency mixes warm and warming pods, whose queues start empty and change pace within the minute`,
      );
    }
    return out;
  }

  result(policy: string | null, tickSeconds: number, scaleEvents: ScaleEvent[], evaluations: number, tolerance: number): TimelineResult {
    const minutes = this.failedZones.length;
    const byEntry: Record<string, number> = {};
    let missed = 0;
    let saturatedMinutes = 0;
    let peak: number | null = null;
    let peakMinute: number | null = null;
    let rejected = 0;
    let timedOut = 0;
    for (let m = 0; m < minutes; m++) {
      let miss = false;
      let sat = false;
      for (const [name, s] of Object.entries(this.entries)) {
        if (s.sloMet[m] === false) {
          miss = true;
          byEntry[name] = (byEntry[name] ?? 0) + 1;
        }
        const p99 = s.p99Ms[m];
        if (p99 === null || p99 === undefined) sat ||= (s.rps[m] ?? 0) > 0;
        else if (peak === null || p99 > peak) {
          peak = p99;
          peakMinute = m;
        }
        rejected += s.rejected[m] ?? 0;
        timedOut += s.timedOut[m] ?? 0;
      }
      if (miss) missed++;
      if (sat) saturatedMinutes++;
    }
    const replicaHours: Record<string, number> = {};
    let total = 0;
    this.model.bundles.forEach((b, i) => {
      const h = (this.podMinutes[i] as number) / 60;
      replicaHours[b.name] = h;
      total += h;
    });
    return {
      method: 'pointwise-stationary',
      accuracy: accuracy(tolerance, this.maxEstimate, this.interpolated),
      policy,
      minutes,
      tickSeconds,
      series: {
        factors: this.factors,
        entries: this.entries,
        bundles: this.bundles,
        failedZones: this.failedZones,
        stationary: this.stationary,
        stationaryWhy: this.stationaryWhy,
        relaxationSeconds: this.relaxation,
      },
      scaleEvents,
      totals: {
        sloMinutesMissed: missed,
        sloMinutesMissedByEntry: byEntry,
        replicaHours,
        replicaHoursTotal: total,
        rejected,
        timedOut,
        peakP99Ms: peak,
        peakP99Minute: peakMinute,
        saturatedMinutes,
        nonStationaryMinutes: this.stationary.filter((x) => !x).length,
      },
      evaluations,
    };
  }
}

/** The longest relaxation time 1 ÷ (cμ(1 − ρ)²) = ρ ÷ (λ(1 − ρ)²) of any loaded replica, and whether one is saturated. */
function relaxation(res: SimulationResult): { tau: number; saturated: boolean } {
  let tau = 0;
  let saturated = false;
  for (const s of Object.values(res.services)) {
    if (s.saturated || s.unavailable) saturated = true;
    for (const r of s.replicasDetail) {
      if (r.arrivalRps <= 0 || r.utilization <= 0) continue;
      if (r.utilization >= 1) {
        if (r.rejectionRate === 0) saturated = true;
        continue;
      }
      tau = Math.max(tau, r.utilization / (r.arrivalRps * (1 - r.utilization) ** 2));
    }
  }
  return { tau, saturated };
}

/** How the minutes were computed, in words and figures (interpolate.ts). */
function accuracy(tolerance: number, maxEstimate: number | null, interpolated: number): TimelineResult['accuracy'] {
  if (!(tolerance > 0))
    return {
      method: 'pointwise-stationary, exact (one engine run per distinct minute)',
      tolerance: null,
      maxEstimatedError: null,
      interpolatedMinutes: 0,
    };
  const pct = (x: number) => `${+(x * 100).toPrecision(2)} %`;
  return {
    method: `pointwise-stationary, interpolated on a rate grid ≤ ${pct(tolerance)} (the largest midpoint discrepancy met: ${pct(maxEstimate ?? 0)}; item shares rounded to ${pct(SHAPE_STEP)})`,
    tolerance,
    maxEstimatedError: maxEstimate,
    interpolatedMinutes: interpolated,
  };
}
