/**
 * Analytic and simulated figures side by side: for every entry percentile and every service
 * sojourn, the analytic value, the DES value and its 99 % interval, and whether the analytic
 * value falls outside that interval (the figure a user should not take on faith).
 */
import type { DesResult, Percentiles, SimulationResult } from '@busboard/core';

export type Figure = 'mean' | 'p50' | 'p95' | 'p99';
/** A replica's analytic ρ is flagged only when outside its interval and more than this far off (relative). */
export const RHO_TOLERANCE = 0.02;
export const FIGURES: readonly Figure[] = ['mean', 'p50', 'p95', 'p99'];

export interface Cell {
  analytic: number | null;
  des: number | null;
  ci: [number, number] | null;
  /** The analytic value lies outside the simulated interval. */
  outside: boolean;
}

export interface EntryRow {
  entry: string;
  figure: Figure;
  cell: Cell;
  /** Why the simulation has no latency for this entry (a saturated or missing replica). */
  reason: string | null;
}

export interface ServiceRow {
  service: string;
  rho: { analytic: number | null; des: number | null };
  /** Replicas (zone #index) whose analytic ρ lies outside that replica's simulated interval, by more than RHO_TOLERANCE. */
  rhoOutside: string[];
  /** Replicas whose ρ could be compared. */
  rhoCompared: number;
  saturated: { analytic: boolean; des: boolean };
  mean: Cell;
  p99: Cell;
}

export interface Comparison {
  entries: EntryRow[];
  services: ServiceRow[];
  /** Analytic figures with an interval to compare against, and how many fall outside it. */
  compared: number;
  outside: number;
}

function cell(a: Percentiles | null | undefined, d: Percentiles | null | undefined, k: Figure): Cell {
  const analytic = a ? a[k] : null;
  const des = d ? d[k] : null;
  const ci = d?.ci ? d.ci[k] : null;
  return { analytic, des, ci, outside: analytic !== null && ci !== null && (analytic < ci[0] || analytic > ci[1]) };
}

export function compareResults(analytic: SimulationResult | null, des: DesResult | null): Comparison {
  const entryNames = [...new Set([...Object.keys(des?.entries ?? {}), ...Object.keys(analytic?.entries ?? {})])];
  const entries = entryNames.flatMap((entry) =>
    FIGURES.map((figure) => ({
      entry,
      figure,
      cell: cell(analytic?.entries[entry]?.latencyMs, des?.entries[entry]?.latencyMs, figure),
      reason: des?.entries[entry]?.latencyMs ? null : (des?.entries[entry]?.reason ?? null),
    })),
  );
  const serviceNames = [...new Set([...Object.keys(des?.services ?? {}), ...Object.keys(analytic?.services ?? {})])];
  const services = serviceNames.map((service) => {
    const a = analytic?.services[service];
    const d = des?.services[service];
    const rhoOutside: string[] = [];
    let rhoCompared = 0;
    d?.replicasDetail.forEach((rep, k) => {
      const ci = des?.des.intervals[`services[${JSON.stringify(service)}].replicasDetail[${k}].utilization`];
      const other = a?.replicasDetail.find((x) => x.zone === rep.zone && x.index === rep.index && x.bundle === rep.bundle);
      if (!ci || !other) return;
      rhoCompared++;
      // Analytic ρ is plain forced flow, exact when routing agrees: with dozens of replicas a few
      // 99 % intervals miss it by chance, so only a miss by more than 2 % is worth a flag.
      const off = Math.abs(other.utilization - rep.utilization) > RHO_TOLERANCE * Math.max(rep.utilization, 1e-9);
      if ((other.utilization < ci[0] || other.utilization > ci[1]) && off) rhoOutside.push(`${rep.zone} #${rep.index}`);
    });
    return {
      service,
      rho: { analytic: a ? a.utilization : null, des: d ? d.utilization : null },
      rhoOutside,
      rhoCompared,
      saturated: { analytic: Boolean(a?.saturated), des: Boolean(d?.saturated) },
      mean: cell(a?.sojournMs, d?.sojournMs, 'mean'),
      p99: cell(a?.sojournMs, d?.sojournMs, 'p99'),
    };
  });
  const cells = [...entries.map((r) => r.cell), ...services.flatMap((s) => [s.mean, s.p99])].filter((c) => c.analytic !== null && c.ci !== null);
  return {
    entries,
    services,
    compared: cells.length + services.reduce((n, s) => n + s.rhoCompared, 0),
    outside: cells.filter((c) => c.outside).length + services.reduce((n, s) => n + s.rhoOutside.length, 0),
  };
}

/** Milliseconds with sensible precision for a table. */
export function formatMs(v: number | null): string {
  if (v === null) return '—';
  if (v >= 1000) return v.toFixed(0);
  if (v >= 100) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toFixed(3);
}
