/**
 * `desTimeline(doc, { from, to })`: the DES with time (issue 19) over a window of the day, as
 * independent replications of the same window (pinned seeds), minute by minute in the analytic
 * timeline's shape (timeline/types.ts) with 99 % intervals on every percentile. The pods follow
 * the analytic timeline's scale events (or a schedule given), so the two run the same replicas
 * and differ only in how they turn them into latencies: pointwise-stationary formulas there,
 * requests queueing here. Hooks: des/timevarying.ts; pods: des/pod-schedule.ts.
 */
import { at } from '../checked.ts';
import type { Problem } from '../problems.ts';
import type { Topology } from '../schema/topology.ts';
import { profileFactor } from '../timeline/profile.ts';
import { autoscalersFor, timeline } from '../timeline/run.ts';
import type { ScaleEvent, TimelineBundleSeries, TimelineEntrySeries, TimelineResult } from '../timeline/types.ts';
import { Histogram } from './histogram.ts';
import { buildPlan, type DesPlan } from './plan.ts';
import { podCounts, podSchedule } from './pod-schedule.ts';
import { Rng, seedFrom } from './rng.ts';
import { DesSim } from './sim.ts';
import { t995 } from './stats.ts';
import { DesTimeVarying, MinuteRecords, type WindowSpec } from './timevarying.ts';

export interface DesTimelineOptions {
  /** The window recorded, minutes [from, to) of the timeline (default 0 to 60). */
  from?: number;
  to?: number;
  /** Minutes simulated before `from` and not recorded, so the queues are loaded at `from` (default 5). */
  warmupMinutes?: number;
  policy?: string;
  seed?: number | string;
  /** Independent replications of the window (default 8; at least 2 for intervals). */
  replications?: number;
  /** The Deployments' scale events (default: the analytic timeline's own over the same day). */
  schedule?: ScaleEvent[];
}

/** A percentile's 99 % interval per minute (null: fewer than two replications recorded it). */
type Intervals = ([number, number] | null)[];

export interface DesTimelineEntrySeries extends TimelineEntrySeries {
  p50Ci: Intervals;
  p95Ci: Intervals;
  p99Ci: Intervals;
  /** Requests recorded per minute, over all replications. */
  samples: number[];
}

export interface DesTimelineResult {
  method: 'des';
  policy: string | null;
  from: number;
  to: number;
  warmupMinutes: number;
  seed: number | string;
  replications: number;
  series: {
    /** The minute of the timeline each index stands for. */
    minutes: number[];
    factors: number[][];
    entries: Record<string, DesTimelineEntrySeries>;
    bundles: Record<string, TimelineBundleSeries>;
    failedZones: string[][];
    /** The analytic timeline over the same minutes: its P99 per entry and whether it trusts itself. */
    analytic: { p99Ms: Record<string, (number | null)[]>; stationary: boolean[] };
  };
  scaleEvents: ScaleEvent[];
  totals: { sloMinutesMissed: number; peakP99Ms: number | null; peakP99Minute: number | null; rejected: number; requests: number; events: number };
}

export type DesTimelineOutcome = { ok: true; result: DesTimelineResult } | { ok: false; problems: Problem[] };

/** Runs the window. */
export function desTimeline(doc: Topology, options: DesTimelineOptions = {}): DesTimelineOutcome {
  const from = options.from ?? 0;
  const to = options.to ?? from + 60;
  if (!(Number.isInteger(from) && Number.isInteger(to) && to > from))
    return { ok: false, problems: [{ path: 'from', message: `the window must be whole minutes with from < to, got ${from}–${to}` }] };
  const start = from - Math.max(0, Math.floor(options.warmupMinutes ?? 5));
  const picked = autoscalersFor(doc, options.policy);
  if (!picked.ok) return picked;
  const analytic = timeline(doc, { policy: options.policy, minutes: Math.max(to, 1) });
  if (!analytic.ok) return analytic;
  const schedule = options.schedule ?? analytic.timeline.scaleEvents;
  const zones = doc.zones.map((z) => z.name);
  const Z = zones.length;
  const initial = new Int32Array(doc.bundles.length * Z);
  doc.bundles.forEach((b, i) => {
    const a = picked.autoscalers[i];
    zones.forEach((z, zi) => {
      const n = b.replicas[z] ?? 0;
      initial[i * Z + zi] = n > 0 && a ? Math.min(a.max, Math.max(a.min, n)) : n;
    });
  });
  const zoneEvents = [...(doc.timeline ?? [])]
    .sort((a, b) => a.atMinute - b.atMinute)
    .map((e) => ({ at: e.atMinute * 60, zone: zones.indexOf(e.failZone ?? e.restoreZone ?? ''), fail: e.failZone !== undefined }))
    .filter((e) => e.zone >= 0);
  const pods = podSchedule({
    nZones: Z,
    initial,
    delay: Float64Array.from(doc.bundles, (b) => b.startup?.delaySeconds ?? 0),
    events: schedule,
    zoneEvents,
    bundleIndex: new Map(doc.bundles.map((b, i) => [b.name, i])),
    zoneIndex: new Map(zones.map((z, i) => [z, i])),
  });
  // Every slot a pod ever takes is a replica of the plan; the hooks decide which serve.
  const wide: Topology = {
    ...doc,
    bundles: doc.bundles.map((b, i) => ({ ...b, replicas: Object.fromEntries(zones.map((z, zi) => [z, at(pods.slots, i * Z + zi)])) })),
  };
  const plan = buildPlan(wide);
  // Over a window a queue overloaded at factor 1 is still simulated, and every request ends (arrivals stop at `to`).
  plan.entryStatus = plan.entryStatus.map((s) => (s === 'saturated' ? 'ok' : s));
  plan.entryFinite = plan.entryFinite.map(() => true);
  const w = windowSpec(doc, zones, zoneEvents, start, from, to);
  const M = to - from;
  const rec = new MinuteRecords(plan.entryNames.length, M, doc.bundles.length * Z);
  const slot = new Map<number, number>();
  plan.replicaBundle.forEach((b, r) => {
    slot.set((b * Z + at(plan.replicaZone, r)) * 100_000 + at(plan.replicaIndex, r), r);
  });
  const caches = plan.serviceNames.map((name, s) => {
    const c = doc.services.find((x) => x.name === name)?.cache;
    return c?.scope === 'perReplica' ? { keySpace: c.keySpace, zipf: c.zipf, cap: at(plan.svcHitRate, s) } : null;
  });
  const tv = new DesTimeVarying(wide, plan, w, pods, (b, z, k) => slot.get((b * Z + z) * 100_000 + k) ?? 0, caches, rec);
  const dummy = new Histogram();
  const sim = new DesSim(
    plan,
    plan.entryNames.map(() => dummy),
    plan.serviceNames.map(() => dummy),
  );
  sim.tv = tv;
  const R = Math.max(2, Math.floor(options.replications ?? 8));
  const seed = options.seed ?? 1;
  const seed32 = seedFrom(seed);
  const pooled = rec.samples.map((e) => e.map(() => [] as number[]));
  const perRep = rec.samples.map((e) => e.map(() => [] as (number[] | null)[]));
  let events = 0;
  for (let k = 0; k < R; k++) {
    sim.begin(new Rng(seed32, k), 0, 0);
    while (!sim.run(1_000_000)) {}
    events += sim.events;
    rec.samples.forEach((e, ei) => {
      e.forEach((xs, m) => {
        xs.sort((a, b) => a - b);
        at(at(perRep, ei), m).push(quantiles(xs));
        const pool = at(at(pooled, ei), m);
        for (const x of xs) pool.push(x);
        xs.length = 0;
      });
    });
  }
  const ctx = { doc, plan, zones, from, to, R, rec, pooled, perRep, pods, w, analytic: analytic.timeline };
  return { ok: true, result: assemble(ctx, options, schedule, events) };
}

function windowSpec(
  doc: Topology,
  zones: string[],
  zoneEvents: { at: number; zone: number; fail: boolean }[],
  start: number,
  from: number,
  to: number,
): WindowSpec {
  const factors: Float64Array[] = [];
  const failed: Uint8Array[] = [];
  for (let m = start; m < to; m++) {
    // Before minute 0 the timeline has no history: its first minute's rates (the analytic timeline starts steady there too).
    factors.push(Float64Array.from(doc.traffic, (t) => profileFactor(t.profile, Math.max(0, m))));
    const f = new Uint8Array(zones.length);
    for (const e of zoneEvents) if (e.at <= m * 60) f[e.zone] = e.fail ? 1 : 0;
    failed.push(f);
  }
  return {
    start,
    from,
    to,
    factors,
    failed,
    warmup: Float64Array.from(doc.bundles, (b) => b.startup?.warmupSeconds ?? 0),
    warmFactor: Float64Array.from(doc.bundles, (b) => b.startup?.warmupFactor ?? 1),
  };
}

const QS = [0.5, 0.95, 0.99];

/** P50, P95, P99 of sorted samples (linear between order statistics), or null without samples. */
function quantiles(xs: readonly number[]): number[] | null {
  if (!xs.length) return null;
  return QS.map((q) => {
    const h = (xs.length - 1) * q;
    const i = Math.floor(h);
    const a = at(xs, i);
    return i + 1 < xs.length ? a + (at(xs, i + 1) - a) * (h - i) : a;
  });
}

interface Ctx {
  doc: Topology;
  plan: DesPlan;
  zones: string[];
  from: number;
  to: number;
  R: number;
  rec: MinuteRecords;
  pooled: number[][][];
  perRep: (number[] | null)[][][];
  pods: ReturnType<typeof podSchedule>;
  w: WindowSpec;
  analytic: TimelineResult;
}

/** The pooled percentile and its sectioning interval: t(R−1)·√(Σ(qⱼ − q̂)²/(R(R−1))) over the replications that recorded the minute. */
function minuteFigures(pool: number[], reps: (number[] | null)[]): { q: (number | null)[]; ci: ([number, number] | null)[] } {
  pool.sort((a, b) => a - b);
  const point = quantiles(pool);
  const got = reps.filter((r): r is number[] => r !== null);
  if (!point) return { q: [null, null, null], ci: [null, null, null] };
  const n = got.length;
  const ci = point.map((p, i) => {
    if (n < 2) return null;
    const ss = got.reduce((s, r) => s + (at(r, i) - p) ** 2, 0);
    const half = t995(n - 1) * Math.sqrt(ss / (n * (n - 1)));
    return [Math.max(0, p - half), p + half] as [number, number];
  });
  return { q: point, ci };
}

function assemble(c: Ctx, options: DesTimelineOptions, schedule: ScaleEvent[], events: number): DesTimelineResult {
  const { doc, plan, zones, from, to, R, rec } = c;
  const M = to - from;
  const Z = zones.length;
  const entries: Record<string, DesTimelineEntrySeries> = {};
  let missed = 0;
  let peak: number | null = null;
  let peakMinute: number | null = null;
  let rejected = 0;
  let requests = 0;
  const missedMinute = new Uint8Array(M);
  plan.entryNames.forEach((name, e) => {
    const s: DesTimelineEntrySeries = {
      rps: [],
      p50Ms: [],
      p95Ms: [],
      p99Ms: [],
      sloMet: [],
      rejected: [],
      timedOut: [],
      p50Ci: [],
      p95Ci: [],
      p99Ci: [],
      samples: [],
    };
    const slos = doc.slo.filter((x) => x.entry === name && x.class === undefined);
    for (let m = 0; m < M; m++) {
      const pool = at(at(c.pooled, e), m);
      s.samples.push(pool.length);
      const f = minuteFigures(pool, at(at(c.perRep, e), m));
      const [p50, p95, p99] = f.q as [number | null, number | null, number | null];
      s.p50Ms.push(p50);
      s.p95Ms.push(p95);
      s.p99Ms.push(p99);
      s.p50Ci.push(at(f.ci, 0));
      s.p95Ci.push(at(f.ci, 1));
      s.p99Ci.push(at(f.ci, 2));
      const arrivals = at(rec.arrivals, e * M + m);
      requests += arrivals;
      s.rps.push(arrivals / (R * 60));
      const rej = at(rec.rejected, e * M + m) / R;
      rejected += rej;
      s.rejected.push(rej);
      s.timedOut.push(0);
      const limits: [number | undefined, number | null][] = slos.flatMap(
        (x) =>
          [
            [x.p50Ms, p50],
            [x.p95Ms, p95],
            [x.p99Ms, p99],
          ] as [number | undefined, number | null][],
      );
      const met = slos.length ? limits.every(([lim, v]) => lim === undefined || (v !== null && v <= lim)) : null;
      s.sloMet.push(met);
      if (met === false) missedMinute[m] = 1;
      if (p99 !== null && (peak === null || p99 > peak)) {
        peak = p99;
        peakMinute = from + m;
      }
    }
    entries[name] = s;
  });
  for (const x of missedMinute) missed += x;
  const counts = podCounts(c.pods, Z, doc.bundles.length, from, to);
  const bundles: Record<string, TimelineBundleSeries> = {};
  doc.bundles.forEach((b, bi) => {
    const series: TimelineBundleSeries = { replicas: [], ready: [], zones: {} };
    zones.forEach((z, zi) => {
      const k = bi * Z + zi;
      if (!at(c.pods.slots, k)) return;
      const zs = { replicas: [] as number[], ready: [] as number[], cpuUtilization: [] as number[] };
      for (let m = 0; m < M; m++) {
        const ready = at(at(counts.ready, m), k);
        zs.replicas.push(at(at(counts.count, m), k));
        zs.ready.push(ready);
        zs.cpuUtilization.push(ready > 0 ? at(rec.busy, k * M + m) / (R * 60_000 * b.cpu * ready) : 0);
      }
      series.zones[z] = zs;
    });
    for (let m = 0; m < M; m++) {
      series.replicas.push(Object.values(series.zones).reduce((n, zs) => n + at(zs.replicas, m), 0));
      series.ready.push(Object.values(series.zones).reduce((n, zs) => n + at(zs.ready, m), 0));
    }
    bundles[b.name] = series;
  });
  const minutes = Array.from({ length: M }, (_, m) => from + m);
  const a = c.analytic;
  const slice = <T>(xs: T[]) => minutes.map((m) => (m >= 0 && m < xs.length ? (xs[m] as T) : null));
  return {
    method: 'des',
    policy: options.policy ?? null,
    from,
    to,
    warmupMinutes: from - c.w.start,
    seed: options.seed ?? 1,
    replications: R,
    series: {
      minutes,
      factors: minutes.map((m) => Array.from(at(c.w.factors, m - c.w.start))),
      entries,
      bundles,
      failedZones: minutes.map((m) => zones.filter((_, zi) => at(at(c.w.failed, m - c.w.start), zi))),
      analytic: {
        p99Ms: Object.fromEntries(Object.entries(a.series.entries).map(([n, s]) => [n, slice(s.p99Ms).map((x) => x ?? null)])),
        stationary: slice(a.series.stationary).map((x) => x ?? true),
      },
    },
    scaleEvents: schedule.filter((e) => e.atSecond < to * 60),
    totals: { sloMinutesMissed: missed, peakP99Ms: peak, peakP99Minute: peakMinute, rejected, requests: requests / R, events },
  };
}
