/**
 * The processes' real-time counters → design-time figures: times ÷ dilation, rates × dilation
 * (ρ needs neither). Also what the emulator itself cost, so a reader can tell the model's
 * error from the emulator's.
 */
import { dict } from '../dict.ts';
import {
  histogramCv as cv,
  type HistogramData,
  histogramMean as mean,
  mergeHistograms,
  histogramQuantile as quantile,
  scaleHistogram,
} from './histogram.ts';
import type { RehearsalPlan } from './plan.ts';
import type { DatabaseReport, GeneratorReport, ReplicaReport, TimerCounters } from './reports.ts';

export interface MeasuredPercentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface MeasuredEntry {
  rps: number;
  /** Requests answered in the window (how much the percentiles rest on). */
  samples: number;
  failed: number;
  latencyMs: MeasuredPercentiles | null;
  /** As the load generator saw it: sent → answer received, the ingress NATS legs included (the model counts ingress as free). */
  roundTripMs: MeasuredPercentiles | null;
  /** Requests per second entering in each zone. */
  zones: Record<string, number>;
}

export interface MeasuredReplica {
  id: string;
  zone: string;
  index: number;
  arrivalRps: number;
  utilization: number;
}

export interface MeasuredService {
  arrivalRps: number;
  /** The busiest zone's replicas (the engine's replicas of one bundle in one zone are alike), averaged. */
  utilization: number;
  /** Per zone: requests per second and ρ averaged over the zone's replicas. */
  zones: Record<string, { arrivalRps: number; utilization: number; replicas: number }>;
  /** Total busy time ÷ total capacity. */
  meanUtilization: number;
  sojournMs: MeasuredPercentiles | null;
  /** What the worker holds lasted (mean, cv) against what was drawn: the emulator's timer error. */
  ownTimeMs: { mean: number; cv: number | null; drawnMean: number } | null;
  replicas: MeasuredReplica[];
}

export interface MeasuredShard {
  arrivalRps: number;
  utilization: number;
  sojournMeanMs: number | null;
}

export interface Measured {
  /** Measurement window, real seconds. */
  windowS: number;
  entries: Record<string, MeasuredEntry>;
  services: Record<string, MeasuredService>;
  databases: Record<string, Record<string, MeasuredShard>>;
}

export interface EmulatorOverhead {
  dilation: number;
  /** Timer lateness (fired − due) in design ms: mean and standard deviation, over every timed wait. */
  timerLateMs: { mean: number; sd: number; count: number };
  /** Network cost per call in design ms: what the design says and what was measured (mean). */
  hopMs: { designed: number; measured: number; calls: number } | null;
  /** Raw NATS one-way time on this machine, real µs (median), request and answer legs. */
  natsOneWayUs: { request: number | null; answer: number | null };
  /** Cores the emulator's processes used (CPU time ÷ window), all together and the busiest process. */
  cpuCores: { total: number; busiestProcess: number };
  /** NATS messages per second (real) the emulator published and received. */
  natsMsgsPerSec: number;
}

const pct = (h: HistogramData): MeasuredPercentiles | null =>
  h.count === 0
    ? null
    : { mean: mean(h) as number, p50: quantile(h, 0.5) as number, p95: quantile(h, 0.95) as number, p99: quantile(h, 0.99) as number };

function timerStats(all: TimerCounters[], k: number): EmulatorOverhead['timerLateMs'] {
  const count = all.reduce((a, t) => a + t.count, 0);
  const sum = all.reduce((a, t) => a + t.lateMs, 0);
  const sumSq = all.reduce((a, t) => a + t.lateSqMs, 0);
  if (count === 0) return { mean: 0, sd: 0, count: 0 };
  const m = sum / count;
  return { mean: m / k, sd: Math.sqrt(Math.max(0, sumSq / count - m * m)) / k, count };
}

export function summarize(
  plan: RehearsalPlan,
  reports: { replicas: ReplicaReport[]; generator: GeneratorReport; database: DatabaseReport | null },
): { measured: Measured; overhead: EmulatorOverhead } {
  const k = plan.dilation;
  const { replicas, generator, database } = reports;
  const rate = (count: number, windowMs: number) => (windowMs > 0 ? (count * 1000 * k) / windowMs : 0);

  const entries: Record<string, MeasuredEntry> = dict<MeasuredEntry>();
  for (const [name, e] of Object.entries(generator.entries)) {
    entries[name] = {
      rps: rate(e.sent, generator.windowMs),
      samples: e.answered,
      failed: e.failed,
      latencyMs: pct(scaleHistogram(e.latency, k)),
      roundTripMs: pct(scaleHistogram(e.roundTrip, k)),
      zones: Object.fromEntries(Object.entries(e.zones).map(([z, n]) => [z, rate(n, generator.windowMs)])),
    };
  }

  const services: Record<string, MeasuredService> = dict<MeasuredService>();
  const indexOf = new Map(plan.replicas.map((r) => [r.id, r.index]));
  for (const [name, svc] of Object.entries(plan.services)) {
    const mine = replicas.filter((r) => r.services[name]);
    const detail: MeasuredReplica[] = mine.map((r) => {
      const c = r.services[name] as ReplicaReport['services'][string];
      return {
        id: r.id,
        zone: r.zone,
        index: indexOf.get(r.id) ?? 0,
        arrivalRps: rate(c.arrivals, r.windowMs),
        utilization: r.windowMs > 0 ? c.busyMs / (svc.workers * r.windowMs) : 0,
      };
    });
    const zones: MeasuredService['zones'] = {};
    for (const d of detail) {
      const z = zones[d.zone] ?? { arrivalRps: 0, utilization: 0, replicas: 0 };
      z.arrivalRps += d.arrivalRps;
      z.utilization += d.utilization;
      z.replicas++;
      zones[d.zone] = z;
    }
    let busiest = 0;
    for (const z of Object.values(zones)) {
      z.utilization /= z.replicas;
      busiest = Math.max(busiest, z.utilization);
    }
    const counters = mine.map((r) => r.services[name] as ReplicaReport['services'][string]);
    const busy = counters.reduce((a, c) => a + c.busyMs, 0);
    const capacity = mine.reduce((a, r) => a + svc.workers * r.windowMs, 0);
    const own = mergeHistograms(counters.map((c) => c.own));
    services[name] = {
      arrivalRps: detail.reduce((a, d) => a + d.arrivalRps, 0),
      utilization: busiest,
      zones,
      meanUtilization: capacity > 0 ? busy / capacity : 0,
      sojournMs: pct(scaleHistogram(mergeHistograms(counters.map((c) => c.sojourn)), k)),
      ownTimeMs:
        own.count > 0
          ? { mean: own.sum / own.count / k, cv: cv(own), drawnMean: counters.reduce((a, c) => a + c.ownTargetMs, 0) / own.count / k }
          : null,
      replicas: detail.sort((a, b) => a.zone.localeCompare(b.zone) || a.index - b.index),
    };
  }

  const databases: Measured['databases'] = {};
  for (const [db, shards] of Object.entries(database?.shards ?? {})) {
    const spec = plan.databases[db];
    databases[db] = {};
    for (const [shard, c] of Object.entries(shards)) {
      const vcpu = spec?.shards.find((s) => s.name === shard)?.vcpu ?? 1;
      const w = database?.windowMs ?? 0;
      (databases[db] as Record<string, MeasuredShard>)[shard] = {
        arrivalRps: rate(c.arrivals, w),
        utilization: w > 0 ? c.busyMs / (vcpu * w) : 0,
        sojournMeanMs: c.sojourn.count ? c.sojourn.sum / c.sojourn.count / k : null,
      };
    }
  }

  const processes = [...replicas, generator, ...(database ? [database] : [])];
  const windowMs = generator.windowMs;
  const calls = replicas.reduce((a, r) => a + r.hops.calls, 0);
  const requestLeg = mergeHistograms(replicas.map((r) => r.hops.requestLeg));
  const answerLeg = mergeHistograms(replicas.map((r) => r.hops.answerLeg));
  const overhead: EmulatorOverhead = {
    dilation: k,
    timerLateMs: timerStats(
      processes.map((p) => p.timers),
      k,
    ),
    hopMs:
      calls > 0
        ? {
            designed: replicas.reduce((a, r) => a + r.hops.targetMs, 0) / calls / k,
            measured: replicas.reduce((a, r) => a + r.hops.actualMs, 0) / calls / k,
            calls,
          }
        : null,
    natsOneWayUs: {
      request: requestLeg.count ? (quantile(requestLeg, 0.5) as number) * 1000 : null,
      answer: answerLeg.count ? (quantile(answerLeg, 0.5) as number) * 1000 : null,
    },
    cpuCores: {
      total: windowMs > 0 ? processes.reduce((a, p) => a + p.cpuMs, 0) / windowMs : 0,
      busiestProcess: Math.max(0, ...processes.map((p) => (p.windowMs > 0 ? p.cpuMs / p.windowMs : 0))),
    },
    natsMsgsPerSec: windowMs > 0 ? (processes.reduce((a, p) => a + p.msgsOut + p.msgsIn, 0) * 1000) / windowMs : 0,
  };
  return { measured: { windowS: windowMs / 1000, entries, services, databases }, overhead };
}
