/** The timeline's series as recharts rows (one object per minute), for one or two policies. */
import type { TimelineResult, Topology } from '@busboard/core';

export interface ChartSpec {
  bundles: string[];
  /** Entries drawn, each with the percentile its SLO names (P99 without one) and the SLO's limit. */
  entries: { entry: string; pct: 'p50Ms' | 'p95Ms' | 'p99Ms'; label: string; limitMs: number | null }[];
}

/** What to draw: every bundle, the first four entries (those with an SLO first). */
export function chartSpec(doc: Topology, day: TimelineResult): ChartSpec {
  const bundles = Object.keys(day.series.bundles);
  const entries = Object.keys(day.series.entries)
    .map((entry) => {
      const slo = doc.slo.find((s) => s.entry === entry && !s.class);
      const pct = slo?.p99Ms !== undefined ? 'p99Ms' : slo?.p95Ms !== undefined ? 'p95Ms' : slo?.p50Ms !== undefined ? 'p50Ms' : 'p99Ms';
      const limitMs = slo ? (slo[pct] ?? null) : null;
      return { entry, pct, label: pct.slice(0, 3).toUpperCase(), limitMs } as const;
    })
    .sort((a, b) => Number(b.limitMs !== null) - Number(a.limitMs !== null))
    .slice(0, 4);
  return { bundles, entries };
}

export type Row = Record<string, number | null>;

/** Keys: `rps`, `rep:B`, `rho:B`, `lat:E` (suffixed `~` for the comparison policy). */
export function chartRows(doc: Topology, days: TimelineResult[], spec: ChartSpec): Row[] {
  const minutes = days[0]?.minutes ?? 0;
  const rows: Row[] = [];
  for (let m = 0; m < minutes; m++) {
    const row: Row = { m };
    for (const [k, day] of days.entries()) {
      const sfx = k === 0 ? '' : '~';
      if (k === 0) row.rps = doc.traffic.reduce((sum, t, i) => sum + t.rps * (day.series.factors[i]?.[m] ?? 1), 0);
      for (const b of spec.bundles) {
        const s = day.series.bundles[b];
        if (!s) continue;
        row[`rep:${b}${sfx}`] = s.replicas[m] ?? null;
        let rho = 0;
        for (const z of Object.values(s.zones)) if ((z.ready[m] ?? 0) > 0) rho = Math.max(rho, z.cpuUtilization[m] ?? 0);
        row[`rho:${b}${sfx}`] = rho * 100;
      }
      for (const e of spec.entries) row[`lat:${e.entry}${sfx}`] = day.series.entries[e.entry]?.[e.pct][m] ?? null;
    }
    rows.push(row);
  }
  return rows;
}
