/** `slo-missed` warnings, shared by the engine's list and `designWarnings`. */
import type { Topology } from '../schema/topology.ts';
import type { EntryResult, Warning } from './types.ts';

/** `slo-missed` for every SLO bound an entry misses (also usable on entries filled in later). */
export function sloWarnings(doc: Topology, entries: Record<string, EntryResult>): Warning[] {
  const out: Warning[] = [];
  doc.slo.forEach((slo, i) => {
    const e = entries[slo.entry];
    for (const c of e?.slo?.checks ?? []) {
      if (c.met) continue;
      const key = `${c.percentile}Ms` as const;
      if (slo[key] !== c.limitMs) continue;
      out.push({
        code: 'slo-missed',
        message: `${slo.entry} ${c.percentile} is ${c.valueMs === null ? `unbounded (${e?.reason})` : `${c.valueMs.toFixed(1)} ms`}, over its ${c.limitMs} ms budget`,
        path: `slo[${i}].${key}`,
      });
    }
  });
  return out;
}
