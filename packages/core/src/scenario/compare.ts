/**
 * Compare 2–4 scenarios (issue 20). PLACEHOLDER: fills each column from `simulate` of the
 * resolved scenario; the rows, DES figures and highlights are built on top.
 */
import { designCost } from '../cost/cost.ts';
import { simulate } from '../engine/simulate.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { resolveScenario } from './resolve.ts';
import type { CompareOptions, Comparison, ScenarioColumn } from './types.ts';

export function compareScenarios(input: TopologyInput, names: readonly string[], _options: CompareOptions = {}): Comparison {
  const columns: ScenarioColumn[] = names.map((name) => {
    const r = resolveScenario(input, name);
    const result = r.doc ? simulate(r.doc, r.options) : null;
    const cost = r.doc && result ? designCost(r.doc, result) : null;
    return {
      name,
      whatIf: r.whatIf,
      conflicts: r.conflicts,
      problems: r.problems,
      result,
      cost,
      entries: {},
      bundles: {},
      headroom: result?.headroom ?? null,
      bottleneck: result?.bottleneck ?? null,
      crossZoneBytesPerSecond: 0,
      brokerMessagesPerSecond: result ? result.brokers.reduce((s, b) => s + b.msgsPerSec, 0) : 0,
      costMonthly: cost?.totals.total ?? null,
    };
  });
  return { columns, rows: [] };
}
