import { readFileSync, writeFileSync } from 'node:fs';
import {
  applyReplicas,
  decodeTopologyText,
  dropUnknownFields,
  type GoalObjective,
  type GoalSeekResult,
  getExample,
  goalSeek,
  money,
  type TopologyInput,
  toJson,
  toYaml,
} from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { fileArg, scaleFlag } from './scenario.ts';
import { printTable } from './table.ts';

const OBJECTIVES: readonly GoalObjective[] = ['replicas', 'cost'];

/**
 * `busboard goal FILE [--objective replicas|cost] [--rho 0.7] [--cpu 0.7] [--no-zone-failure]
 * [--scale X] [--max-evaluations N] [--json] [--out FILE]`: the fewest replicas (or the lowest
 * cost) per bundle and zone such that every SLO holds, ρ and CPU stay at or below their targets
 * and any one zone may fail; per zone before → after and what binds it, totals and cost before →
 * after. `--out FILE` writes the design with the answer applied (JSON for .json, YAML for
 * .yaml/.yml, else the input's format). Exit 0 when the answer meets every constraint, 1 when
 * some cannot be met by replicas (the reasons say which), 2 for bad input.
 */
export function goalCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'goal');
  const objective = (args.flags.get('objective')?.at(-1) ?? 'replicas') as GoalObjective;
  if (!OBJECTIVES.includes(objective)) throw new UsageError(`--objective must be replicas or cost, got "${objective}"`);
  const rhoTarget = fraction(args, 'rho');
  const cpuTarget = fraction(args, 'cpu');
  const max = args.flags.get('max-evaluations')?.at(-1);
  const maxEvaluations = max === undefined ? undefined : Number(max);
  if (maxEvaluations !== undefined && !(Number.isInteger(maxEvaluations) && maxEvaluations >= 1))
    throw new UsageError(`--max-evaluations must be a whole number of at least 1, got "${max}"`);
  const scale = scaleFlag(args);
  const out = args.flags.get('out')?.at(-1);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const r = goalSeek(loaded.doc, {
    objective,
    scale,
    zoneFailure: !args.flags.has('no-zone-failure'),
    ...(rhoTarget === undefined ? {} : { rhoTarget }),
    ...(cpuTarget === undefined ? {} : { cpuTarget }),
    ...(maxEvaluations === undefined ? {} : { maxEvaluations }),
  });
  if (out) writeAnswer(file, out, args, r, loaded.doc as TopologyInput);
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else
    printGoal(
      loaded.doc.zones.map((z) => z.name),
      r,
      out,
    );
  return r.feasible ? 0 : 1;
}

/** A target in (0, 1]; undefined when the flag is absent. */
function fraction(args: ParsedArgs, flag: string): number | undefined {
  const text = args.flags.get(flag)?.at(-1);
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0 && v <= 1)) throw new UsageError(`--${flag} must be a utilization above 0 and at most 1 (0.7 = 70 %), got "${text}"`);
  return v;
}

/** The design as written (a file's own fields, not the defaults parsing fills in) with the answer applied. */
function writeAnswer(file: string, out: string, args: ParsedArgs, r: GoalSeekResult, parsed: TopologyInput): void {
  let input: TopologyInput = parsed;
  let json = false;
  if (file.startsWith('example:')) input = getExample(file.slice('example:'.length))?.doc ?? parsed;
  else if (file !== '-') {
    const text = readFileSync(file, 'utf8');
    json = text.trimStart().startsWith('{');
    const decoded = decodeTopologyText(text);
    if (decoded.ok) {
      const raw = decoded.value as TopologyInput;
      const dropped = args.flags.has('drop-unknown') ? dropUnknownFields(raw) : null;
      input = dropped?.ok ? (dropped.doc as TopologyInput) : raw;
    }
  }
  const replicas = Object.fromEntries(Object.entries(r.bundles).map(([b, x]) => [b, x.replicas]));
  const applied = applyReplicas(input, replicas);
  const asJson = out.endsWith('.json') || (!/\.ya?ml$/.test(out) && json);
  writeFileSync(out, asJson ? toJson(applied) : toYaml(applied));
}

const KIND: Record<string, string> = { rho: 'ρ', cpu: 'CPU', slo: 'SLO', 'zone-down': 'zone down', floor: 'min 1' };

function printGoal(zones: string[], r: GoalSeekResult, out: string | undefined): void {
  const rows: Record<string, string>[] = [];
  for (const [bundle, b] of Object.entries(r.bundles))
    for (const z of zones) {
      const a = b.zones[z];
      if (!a) continue;
      rows.push({ bundle, zone: z, replicas: `${a.current} → ${a.replicas}`, binds: KIND[a.binds.kind] ?? a.binds.kind, why: a.binds.detail });
    }
  printTable(rows);
  const $ = (x: number) => money(x, r.currency);
  const o = r.options;
  process.stdout.write(
    `\n${r.currentReplicas} → ${r.totalReplicas} replicas; ${$(r.currentCostMonthly)} → ${$(r.costMonthly)} per month` +
      ` (objective: ${r.objective}; ρ ≤ ${o.rhoTarget}, CPU ≤ ${o.cpuTarget}${o.zoneFailure ? ', any one zone may fail' : ''}${o.scale !== 1 ? `, traffic × ${o.scale}` : ''})\n`,
  );
  process.stdout.write(
    `${r.feasible ? 'every constraint met' : 'NOT every constraint met'}; ${r.exact ? (r.objective === 'cost' ? 'the cheapest possible' : 'the fewest possible') : 'not proven minimal'} (${r.evaluations} evaluations)\n`,
  );
  if (r.binding) process.stdout.write(`binding: ${r.binding.detail}\n`);
  const frontier = r.frontier.map((p) => `${$(p.costMonthly)} → P99 ${p.p99Ms === null ? '–' : `${p.p99Ms.toFixed(1)} ms`}`);
  if (frontier.length) process.stdout.write(`cost–P99 frontier: ${frontier.join(' · ')}\n`);
  for (const reason of r.reasons) process.stdout.write(`  - ${reason}\n`);
  if (out) process.stdout.write(`wrote the design with the answer applied to ${out}\n`);
}
