import { EXAMPLES, parseTopology, simulate } from '@busboard/core';
import { type Figures, timeMs } from './util.ts';

/** Parse and simulate each bundled example. */
export async function run(): Promise<Figures> {
  const figures: Figures = {};
  for (const ex of EXAMPLES) {
    const key = ex.id.replace(/-/g, '_');
    const parsed = parseTopology(ex.doc);
    if (!parsed.ok) throw new Error(`example ${ex.id} is invalid`);
    figures[`example_${key}_parse_ms`] = timeMs(() => parseTopology(ex.doc));
    figures[`example_${key}_simulate_ms`] = timeMs(() => simulate(parsed.doc));
  }
  return figures;
}
