/**
 * The timeline's minutes between rate-grid points (issue 19, speed): a minute's traffic is
 * split into a level s (the largest item's factor) and a shape (each item's factor ÷ s, rounded
 * to `SHAPE_STEP`); the engine runs at the shape × a few levels on a geometric grid, and the
 * minute's figures are interpolated linearly in s between the two grid levels around it. With
 * the structure fixed (ready replicas, warm-up, caches, failed zones) the figures move smoothly
 * with the load until a replica saturates, so a few levels serve a whole day.
 *
 * The error is measured, not assumed: each grid segment [lo, hi] is accepted only when the
 * engine's own figures at its midpoint (geometric) agree with the chord within the tolerance
 * (every entry's P50/P95/P99 and every replica's requests in flight and ρ); otherwise it is
 * halved, down to `MAX_DEPTH` halvings. A minute is then interpolated on the half it falls in,
 * piecewise-linear through lo, mid and hi, whose error is at most the midpoint's discrepancy
 * for a convex curve (usually a quarter of it). Where a replica saturates at either end (no
 * latency), the minute runs exactly.
 */
import type { EntryResult, SimulationResult } from '../engine/types.ts';

/** The grid's coarsest step: levels (1 + 25 %)^k. */
export const BASE_STEP = 1;
/** Halvings of a segment at most (25 % → ~1.4 % at the finest). */
export const MAX_DEPTH = 6;
/** Each item's share of the level is rounded to this relative step (±0.5 %). */
export const SHAPE_STEP = 0.01;

type Blendable = Pick<SimulationResult, 'entries' | 'bundles' | 'services'>;

const lerp = (a: number, b: number, w: number) => a + (b - a) * w;
const lerpN = (a: number | null | undefined, b: number | null | undefined, w: number): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : lerp(a, b, w);

/** Whether a result can be an end of an interpolation: every entry has its latency, no replica saturated or missing. */
export function blendable(r: SimulationResult): boolean {
  for (const e of Object.values(r.entries)) if (e.rps > 0 && !e.latencyMs) return false;
  for (const s of Object.values(r.services)) if (s.saturated || s.unavailable) return false;
  return true;
}

function blendEntry(a: EntryResult, b: EntryResult, w: number): EntryResult {
  const la = a.latencyMs;
  const lb = b.latencyMs;
  const latencyMs = la && lb ? { ...la, p50: lerp(la.p50, lb.p50, w), p95: lerp(la.p95, lb.p95, w), p99: lerp(la.p99, lb.p99, w) } : null;
  const successRate = lerp(a.successRate, b.successRate, w);
  const timeoutRate = a.timeoutRate === undefined || b.timeoutRate === undefined ? undefined : lerp(a.timeoutRate, b.timeoutRate, w);
  let slo = a.slo;
  if (a.slo && b.slo && latencyMs) {
    const checks = a.slo.checks.map((c, i) => {
      const valueMs = lerpN(c.valueMs, b.slo?.checks[i]?.valueMs, w);
      return { ...c, valueMs, met: valueMs !== null && valueMs <= c.limitMs };
    });
    const budget = (x: { limit: number; value: number } | undefined, y: { value: number } | undefined) => {
      if (!x || !y) return undefined;
      const value = lerp(x.value, y.value, w);
      return { limit: x.limit, value, met: value <= x.limit };
    };
    const rejection = budget(a.slo.rejection, b.slo.rejection);
    const timeout = budget(a.slo.timeout, b.slo.timeout);
    slo = {
      checks,
      ...(rejection ? { rejection } : {}),
      ...(timeout ? { timeout } : {}),
      met: checks.every((c) => c.met) && (rejection?.met ?? true) && (timeout?.met ?? true),
    };
  }
  return { ...a, rps: lerp(a.rps, b.rps, w), latencyMs, successRate, ...(timeoutRate === undefined ? {} : { timeoutRate }), slo };
}

/**
 * The figures the timeline records, interpolated between two results of the same structure:
 * entries (rps, percentiles, SLO checks, success and time-out rates), per-zone CPU, per-replica
 * arrivals, ρ, in flight and waits. Everything else is a's, and a service keeps only
 * `saturated`, `unavailable` and those replica figures.
 */
export function blend(a: SimulationResult, b: SimulationResult, w: number): SimulationResult {
  if (w <= 0) return a;
  if (w >= 1) return b;
  const entries: SimulationResult['entries'] = {};
  for (const [name, e] of Object.entries(a.entries)) {
    const f = b.entries[name];
    entries[name] = f ? blendEntry(e, f, w) : e;
  }
  const bundles: SimulationResult['bundles'] = {};
  for (const [name, x] of Object.entries(a.bundles)) {
    const y = b.bundles[name];
    const zones: (typeof x)['zones'] = {};
    for (const [z, v] of Object.entries(x.zones))
      zones[z] = { ...v, cpuUtilization: lerp(v.cpuUtilization, y?.zones[z]?.cpuUtilization ?? v.cpuUtilization, w) };
    bundles[name] = { ...x, cpuUtilization: lerp(x.cpuUtilization, y?.cpuUtilization ?? x.cpuUtilization, w), zones };
  }
  // Only what the timeline reads of a service (record.ts, metrics.ts): a day blends 1,440 of these.
  const services: SimulationResult['services'] = {};
  for (const name in a.services) {
    const s = a.services[name] as SimulationResult['services'][string];
    const t = b.services[name];
    const replicasDetail = s.replicasDetail.map((r, i) => {
      const q = t?.replicasDetail[i];
      if (!q || q.zone !== r.zone) return r;
      return {
        zone: r.zone,
        arrivalRps: lerp(r.arrivalRps, q.arrivalRps, w),
        utilization: lerp(r.utilization, q.utilization, w),
        meanInSystem: lerpN(r.meanInSystem, q.meanInSystem, w),
        meanWaitMs: lerpN(r.meanWaitMs, q.meanWaitMs, w),
        rejectionRate: lerp(r.rejectionRate, q.rejectionRate, w),
      } as typeof r;
    });
    services[name] = { saturated: s.saturated, unavailable: s.unavailable, replicasDetail } as unknown as SimulationResult['services'][string];
  }
  return { ...a, entries, bundles, services };
}

const rel = (x: number, y: number, floor: number) => Math.abs(x - y) / Math.max(Math.abs(x), floor);

/**
 * How far the chord's figures are from the engine's at the same load, relatively: the largest
 * over entries' P50/P95/P99 (floor 0.1 ms) and replicas' in flight (floor 0.05) and ρ (floor 0.05).
 */
export function discrepancy(exact: Blendable, chord: Blendable): number {
  let worst = 0;
  for (const [name, e] of Object.entries(exact.entries)) {
    const c = chord.entries[name]?.latencyMs;
    if (!e.latencyMs || !c) continue;
    worst = Math.max(worst, rel(e.latencyMs.p50, c.p50, 0.1), rel(e.latencyMs.p95, c.p95, 0.1), rel(e.latencyMs.p99, c.p99, 0.1));
  }
  for (const [name, s] of Object.entries(exact.services)) {
    const t = chord.services[name];
    s.replicasDetail.forEach((r, i) => {
      const q = t?.replicasDetail[i];
      if (!q) return;
      worst = Math.max(worst, rel(r.utilization, q.utilization, 0.05));
      if (r.meanInSystem !== null && q.meanInSystem !== null) worst = Math.max(worst, rel(r.meanInSystem, q.meanInSystem, 0.05));
    });
  }
  return worst;
}
