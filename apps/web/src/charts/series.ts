/**
 * What the sweep charts draw, shaped from the engine's results so that a chart cannot mislead:
 * a count or a load where something saturates is drawn as saturated (not left out, which would
 * make a saturated count look faster than a healthy one), the SLO always sits inside the axis,
 * the fewest replicas that meet the SLO are named, and load is absolute requests per second.
 */
import type { SimulationResult } from '@busboard/core';

export interface SweepRow {
  /** Replicas (replica sweep) or entry rps (load sweep). */
  x: number;
  /** The traffic factor of this point (load sweep) or 1. */
  scale: number;
  entryP99: number | null;
  p50: number | null;
  p95: number | null;
  /** The bundle's (replica sweep) or the system's (load sweep) busiest service ρ. */
  rho: number;
  /** The bundle's (replica sweep) or the system's (load sweep) busiest replica CPU. */
  cpu: number;
  /** Some replica at ρ ≥ 1, a bundle replica over 100 % CPU, or an unavailable service on the way. */
  saturated: boolean;
  /** Why, in a few words (`api ρ 1.20`, `CPU of edge 150 %`), or null. */
  why: string | null;
}

export interface Series {
  rows: SweepRow[];
  /** The y-axis upper bound: the data and the SLO line both fit, with a little room. */
  yMax: number;
  /** The SLO the chart draws (P99 budget of the entry), when there is one. */
  slo: number | null;
  /** The fewest replicas (replica sweep) whose entry P99 meets the SLO, with nothing saturated. */
  minMeeting: number | null;
  /** The saturated stretch of x (lowest to highest saturated x), for a shaded band. */
  band: { from: number; to: number } | null;
}

function saturation(r: SimulationResult, services: string[] | null, bundles: string[] | null): string | null {
  const names = services ?? Object.keys(r.services);
  for (const name of names) {
    const s = r.services[name];
    if (s?.unavailable && s.arrivalRps > 0) return `${name} unavailable`;
    if (s?.saturated) return `${name} ρ ${s.utilization.toFixed(2)}`;
  }
  for (const name of bundles ?? Object.keys(r.bundles)) {
    const b = r.bundles[name];
    if (b && b.cpuUtilization > 1) return `CPU of ${name} ${(b.cpuUtilization * 100).toFixed(0)} %`;
  }
  // Something off the bundle saturated the entry's path: it has no latency either.
  for (const e of Object.values(r.entries)) if (e.latencyMs === null && e.reason && /saturated|no live replica/.test(e.reason)) return e.reason;
  return null;
}

function finish(rows: SweepRow[], slo: number | null, replicaSweep: boolean): Series {
  let top = 0;
  for (const r of rows) for (const v of [r.entryP99, r.p95, r.p50]) if (v !== null) top = Math.max(top, v);
  const yMax = niceCeil(Math.max(top, slo ?? 0) * 1.1 || 1);
  const sat = rows.filter((r) => r.saturated).map((r) => r.x);
  const band = sat.length ? { from: Math.min(...sat), to: Math.max(...sat) } : null;
  let minMeeting: number | null = null;
  if (replicaSweep && slo !== null)
    for (const r of rows)
      if (!r.saturated && r.entryP99 !== null && r.entryP99 <= slo) {
        minMeeting = r.x;
        break;
      }
  return { rows, yMax, slo, minMeeting, band };
}

/** 1, 2, 2.5, 5 × 10^k at or above x: tidy tick tops. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x - 1e-12 * p) return m * p;
  return 10 * p;
}

/** P99 vs replicas of one bundle: each point one replica count, spread evenly over its zones. */
export function replicaSeries(
  points: { x: number; result: SimulationResult }[],
  opts: { entry: string; bundle: string; services: string[]; slo: number | null },
): Series {
  const rows = points.map(({ x, result: r }): SweepRow => {
    const why = saturation(r, null, null);
    const e = r.entries[opts.entry]?.latencyMs ?? null;
    return {
      x,
      scale: 1,
      entryP99: why ? null : (e?.p99 ?? null),
      p50: why ? null : (e?.p50 ?? null),
      p95: why ? null : (e?.p95 ?? null),
      rho: Math.max(0, ...opts.services.map((s) => r.services[s]?.utilization ?? 0)),
      cpu: r.bundles[opts.bundle]?.cpuUtilization ?? 0,
      saturated: why !== null,
      why,
    };
  });
  return finish(rows, opts.slo, true);
}

/** Latency vs load: x is the entry's absolute rps at each traffic factor. */
export function loadSeries(points: { x: number; result: SimulationResult }[], opts: { entry: string; slo: number | null }): Series {
  const rows = points.map(({ x, result: r }): SweepRow => {
    const why = saturation(r, null, null);
    const e = r.entries[opts.entry];
    const lat = e?.latencyMs ?? null;
    return {
      x: e?.rps ?? x,
      scale: x,
      entryP99: why ? null : (lat?.p99 ?? null),
      p50: why ? null : (lat?.p50 ?? null),
      p95: why ? null : (lat?.p95 ?? null),
      rho: Math.max(0, ...Object.values(r.services).map((s) => s.utilization)),
      cpu: Math.max(0, ...Object.values(r.bundles).map((b) => b.cpuUtilization)),
      saturated: why !== null,
      why,
    };
  });
  return finish(rows, opts.slo, false);
}
