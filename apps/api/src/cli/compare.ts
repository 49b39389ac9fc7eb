/**
 * `busboard compare FILE --scenario A --scenario B [...] [--preset P] [--json [--full]]` and
 * `busboard scenarios FILE [--json]` (issue 20): the design's scenarios side by side, and the
 * list of them.
 */
import {
  BASE_SCENARIO,
  COST_PRESETS,
  type Comparison,
  compareScenarios,
  formatProblem,
  MAX_COMPARED,
  money,
  type ScenarioRow,
  type ScenarioWhatIfT,
  scenarioNames,
  scenarioWarnings,
  type Topology,
  type TopologyInput,
} from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { fileArg, ms } from './scenario.ts';
import { printTable } from './table.ts';

export const COMPARE_USAGE = `  compare FILE --scenario A --scenario B [--scenario C] [--scenario D] [--preset NAME] [--json [--full]]
      2–4 of the design's scenarios side by side (base: the design itself; busboard scenarios FILE lists them):
      per entry P50/P95/P99 and SLO, rejection and timeouts where modelled, headroom and bottleneck, replicas,
      vCPU and cost per bundle, cross-zone bytes, NATS messages, cost per month; * marks a figure that differs
      from the first scenario's. --json: the comparison (each scenario's full engine result only with --full)
  scenarios FILE [--json]
      the design's scenarios: each variant's change count and what-if, and variants whose changes no longer
      apply to the base as written or leave an invalid design`;

function load(args: ParsedArgs, command: string): { file: string; doc: Topology } | number {
  const file = fileArg(args, command);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  return { file, doc: loaded.doc };
}

function scenarioFlags(args: ParsedArgs, known: string[]): string[] {
  const names = args.flags.get('scenario') ?? [];
  if (names.length < 2 || names.length > MAX_COMPARED)
    throw new UsageError(`compare needs 2 to ${MAX_COMPARED} --scenario flags, got ${names.length} (the design has ${known.join(', ')})`);
  for (const n of names) if (!known.includes(n)) throw new UsageError(`--scenario ${n}: no such scenario (the design has ${known.join(', ')})`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`--scenario ${twice} is given twice: name each scenario once`);
  return names;
}

/** Exit 0, or 2 for bad input or a scenario whose changes leave an invalid design. */
export function compareCommand(args: ParsedArgs): number {
  const preset = args.flags.get('preset')?.at(-1);
  if (preset !== undefined && !(COST_PRESETS as readonly string[]).includes(preset))
    throw new UsageError(`--preset ${preset}: no such preset (there are ${COST_PRESETS.join(', ')})`);
  const loaded = load(args, 'compare');
  if (typeof loaded === 'number') return loaded;
  const input = loaded.doc as TopologyInput;
  const names = scenarioFlags(args, scenarioNames(input));
  const cmp = compareScenarios(input, names, preset ? { preset } : {});
  const invalid = cmp.columns.filter((c) => c.problems.length);
  for (const c of invalid) {
    process.stderr.write(
      `scenario ${c.name}: its changes leave an invalid design (${c.problems.length} problem${c.problems.length === 1 ? '' : 's'}):\n`,
    );
    for (const p of c.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
  }
  if (args.flags.has('json')) {
    const out: Comparison | object = args.flags.has('full') ? cmp : { ...cmp, columns: cmp.columns.map(({ result: _, ...c }) => c) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else printComparison(loaded.doc.name || loaded.file, cmp);
  return invalid.length ? 2 : 0;
}

function cell(r: ScenarioRow, v: ScenarioRow['values'][number], currency: string): string {
  if (v === null) return '–';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (r.unit === 'ms') return ms(v);
  if (r.unit.endsWith('/month')) return money(v, currency);
  if (r.unit === 'fraction') return `${(v * 100).toFixed(2)} %`;
  if (r.unit === '×') return `${v.toFixed(2)}×`;
  if (r.unit === 'B/s') return v >= 1e6 ? `${(v / 1e6).toFixed(2)} MB/s` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} kB/s` : `${v.toFixed(0)} B/s`;
  if (r.unit === 'vCPU') return v.toFixed(2);
  if (r.unit === 'msg/s') return v.toFixed(v >= 100 ? 0 : 1);
  return String(v);
}

export function whatIfText(w: ScenarioWhatIfT): string {
  const parts: string[] = [];
  if (w.scale !== undefined) parts.push(`traffic × ${w.scale}`);
  if (w.failZones?.length) parts.push(`${w.failZones.join(', ')} down`);
  if (w.eventBurst !== undefined) parts.push(`burst of ${w.eventBurst} events`);
  if (w.consumerOutageSeconds !== undefined) parts.push(`consumers out ${w.consumerOutageSeconds} s`);
  if (w.atMinute !== undefined) parts.push(`at minute ${w.atMinute}`);
  return parts.join(', ');
}

function printComparison(title: string, cmp: Comparison): void {
  const currency = cmp.columns.find((c) => c.cost)?.cost?.prices.currency ?? 'USD';
  process.stdout.write(`${title}: ${cmp.columns.map((c) => c.name).join(' vs ')} (* differs from ${cmp.columns[0]?.name})\n`);
  for (const c of cmp.columns) {
    const w = whatIfText(c.whatIf);
    if (w) process.stdout.write(`  ${c.name}: ${w}\n`);
    for (const x of c.conflicts) process.stdout.write(`  ${c.name}: does not apply as written: ${x}\n`);
  }
  process.stdout.write('\n');
  printTable(
    cmp.rows.map((r) => {
      const row: Record<string, string> = { figure: r.label, '': r.differs ? '*' : '' };
      cmp.columns.forEach((c, i) => {
        row[c.name] = cell(r, r.values[i] ?? null, currency);
      });
      return row;
    }),
  );
}

/** `busboard scenarios FILE [--json]`: exit 0, or 2 for bad input. */
export function scenariosCommand(args: ParsedArgs): number {
  const loaded = load(args, 'scenarios');
  if (typeof loaded === 'number') return loaded;
  const input = loaded.doc as TopologyInput;
  const list = [
    { name: BASE_SCENARIO, description: 'the design itself', changes: 0, whatIf: {} as ScenarioWhatIfT },
    ...(input.scenarios ?? []).map((s) => ({
      name: s.name,
      description: s.description ?? '',
      changes: s.changes?.length ?? 0,
      whatIf: s.whatIf ?? {},
    })),
  ];
  const warnings = scenarioWarnings(input);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify({ scenarios: list, warnings })}\n`);
    return 0;
  }
  process.stdout.write(`${loaded.doc.name || loaded.file}: ${list.length} scenario${list.length === 1 ? '' : 's'}\n\n`);
  printTable(list.map((s) => ({ scenario: s.name, changes: String(s.changes), 'what-if': whatIfText(s.whatIf), description: s.description })));
  if (warnings.length) {
    process.stdout.write('\n');
    for (const w of warnings) process.stdout.write(`warning: ${formatProblem(w)}\n`);
  }
  return 0;
}
