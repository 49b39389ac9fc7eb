/**
 * Compare 2–4 scenarios (issue 20): each column is `simulate` and `designCost` of one resolved
 * scenario (column.ts), so its figures equal those of the scenario run alone; the rows put each
 * figure side by side and flag where they differ from the first column (rows.ts).
 */
import { COST_PRESETS, type CostPresetName } from '../schema/cost.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { scenarioColumn } from './column.ts';
import { resolveScenario } from './resolve.ts';
import { comparisonRows } from './rows.ts';
import type { CompareOptions, Comparison } from './types.ts';

/** At most this many scenarios side by side. */
export const MAX_COMPARED = 4;

/**
 * Resolves and runs each of `names` (`base` or a variant's name; throws on a name the document
 * lacks or a preset that is not one of COST_PRESETS). A scenario whose changes leave an invalid
 * document gets a column with its problems and null figures.
 */
export function compareScenarios(input: TopologyInput, names: readonly string[], options: CompareOptions = {}): Comparison {
  const preset = options.preset;
  if (preset !== undefined && !(COST_PRESETS as readonly string[]).includes(preset)) {
    throw new Error(`no price preset "${preset}": ${COST_PRESETS.join(', ')}`);
  }
  const columns = names.map((name) => scenarioColumn(resolveScenario(input, name), preset as CostPresetName | undefined, options.des?.[name]));
  return { columns, rows: comparisonRows(columns) };
}
