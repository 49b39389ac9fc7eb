import { COST_PRESETS, type CostBreakdown, type CostPresetName, designCost, money, simulate, type TimelineResult, timeline } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { fileArg, scaleFlag } from './scenario.ts';
import { printTable } from './table.ts';

/**
 * `busboard cost FILE [--preset NAME] [--scale X] [--timeline] [--json]`: the design's cost per
 * month from its price book (`cost`; absent: the aws-us-east-1 preset): every bundle's replicas,
 * the NATS servers, database shards where priced, JetStream storage, and the calls and stream
 * bytes crossing zones and regions (the engine's rates at traffic × X). `--preset NAME` stands in
 * for the document's `cost.preset` (its own figures still win). `--timeline` also runs the
 * design's timeline and prices its replica-hours (autoscaled bundles). `--json`: the CostBreakdown.
 * Exit 0, or 2 for bad input.
 */
export function costCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'cost');
  const presets = args.flags.get('preset') ?? [];
  const preset = presets.at(-1);
  if (preset !== undefined && !COST_PRESETS.includes(preset as CostPresetName))
    throw new UsageError(`--preset ${preset}: no such preset (there are ${COST_PRESETS.join(', ')})`);
  const scale = scaleFlag(args);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const doc = loaded.doc;
  const result = simulate(doc, { scale, skipEndToEnd: true });
  let tl: TimelineResult | undefined;
  if (args.flags.has('timeline')) {
    const r = timeline(doc);
    if (!r.ok) {
      for (const p of r.problems) process.stderr.write(`busboard cost: --timeline: ${p.message}\n`);
      return 2;
    }
    tl = r.timeline;
  }
  const cost = designCost(doc, result, { preset: preset as CostPresetName | undefined, timeline: tl });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(cost)}\n`);
    return 0;
  }
  printCost(doc.name || file, cost, scale);
  return 0;
}

function printCost(title: string, c: CostBreakdown, scale: number): void {
  const $ = (x: number) => money(x, c.prices.currency);
  process.stdout.write(`${title}: ${$(c.totals.total)} per month (${c.hoursPerMonth} h)${scale !== 1 ? `, traffic × ${scale}` : ''}\n`);
  process.stdout.write(`${c.prices.notice}${c.prices.overridden.length ? `; the design sets ${c.prices.overridden.join(', ')}` : ''}\n\n`);
  printTable(
    c.lines.map((l) => ({
      line: l.kind,
      name: l.name,
      'per month': $(l.monthly),
      formula: l.note ? `${l.formula} (${l.note})` : l.formula,
    })),
  );
  const t = c.totals;
  process.stdout.write(
    `\ncompute ${$(t.compute)} · NATS ${$(t.nats)} · databases ${$(t.databases)} · storage ${$(t.storage)} · network ${$(t.network)} · total ${$(t.total)}\n`,
  );
  if (c.overTime) {
    const o = c.overTime;
    const each = Object.entries(o.bundles).map(([b, x]) => `${b} ${x.replicaHours.toFixed(1)} replica-h → ${$(x.monthly)}`);
    process.stdout.write(`over the timeline (${o.hours} h): ${each.join(', ')}; compute ${$(o.compute)}, total ${$(o.total)} per month\n`);
  }
}
