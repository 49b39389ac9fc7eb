import { EXAMPLES, parseTopology } from '@busboard/core';
import { exportDesign, zip } from '@busboard/core/export';
import { type Figures, timeMs } from './util.ts';

/** The export dialog recomputes on every option change: each example's full export, and its zip. */
export async function run(): Promise<Figures> {
  const figures: Figures = {};
  for (const ex of EXAMPLES) {
    const key = ex.id.replace(/-/g, '_');
    const parsed = parseTopology(ex.doc);
    if (!parsed.ok) throw new Error(`example ${ex.id} is invalid`);
    for (const format of ['k8s', 'helm', 'compose'] as const)
      figures[`export_${key}_${format}_ms`] = timeMs(() => exportDesign(parsed.doc, { format }), 30, 3);
    const r = exportDesign(parsed.doc);
    if (!r.ok) throw new Error(`export of ${ex.id} refused`);
    figures[`export_${key}_k8s_bytes`] = r.files.reduce((n, f) => n + f.content.length, 0);
    figures[`export_${key}_zip_ms`] = timeMs(() => zip(r.files), 30, 3);
  }
  return figures;
}
