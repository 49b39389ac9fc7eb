/** `slo-missed` warnings, shared by the engine's list and `designWarnings`. */
import type { Topology } from '../schema/topology.ts';
import type { EntryResult, Warning } from './types.ts';

/** `slo-missed` for every SLO bound an entry misses (also usable on entries filled in later). */
export function sloWarnings(doc: Topology, entries: Record<string, EntryResult>): Warning[] {
  const out: Warning[] = [];
  doc.slo.forEach((slo, i) => {
    const e = entries[slo.entry];
    // A class's SLO (schema v2 `slo[].class`) is checked on that class's figures.
    const cls = slo.class === undefined ? undefined : e?.classes?.[slo.class];
    const checks = slo.class === undefined ? e?.slo?.checks : cls?.slo?.checks;
    const who = slo.class === undefined ? slo.entry : `${slo.entry} (class ${slo.class})`;
    const reason = slo.class === undefined ? e?.reason : cls?.reason;
    for (const c of checks ?? []) {
      if (c.met) continue;
      const key = `${c.percentile}Ms` as const;
      if (slo[key] !== c.limitMs) continue;
      out.push({
        code: 'slo-missed',
        message: `${who} ${c.percentile} is ${c.valueMs === null ? `unbounded (${reason})` : `${c.valueMs.toFixed(1)} ms`}, over its ${c.limitMs} ms budget`,
        path: `slo[${i}].${key}`,
      });
    }
  });
  return out;
}
