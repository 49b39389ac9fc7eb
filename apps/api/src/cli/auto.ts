/**
 * `busboard simulate FILE --method auto [--requests N] [--seed S] [--precision P] [--time-budget SECONDS] [--json]`:
 * the analytic engine, then — where any figure's validity is not `ok` — a DES run of the same
 * what-if, and for each flagged figure both values and which one to trust (core's
 * `autoCrossCheck`; the decision is `trustOf`, engine/auto.ts).
 */
import { type AutoResult, autoCrossCheck, type Topology } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { printTable } from './table.ts';

const DEFAULT_BUDGET_S = 60;
const DEFAULT_REQUESTS = 20_000_000;

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const text = args.flags.get(name)?.at(-1);
  return text === undefined ? undefined : Number(text.replace(/_/g, ''));
}

export function autoCommand(args: ParsedArgs, doc: Topology, options: { scale: number; failZones: string[] }): number {
  const requests = numberFlag(args, 'requests') ?? DEFAULT_REQUESTS;
  if (!Number.isInteger(requests) || requests < 100)
    throw new UsageError(`--requests must be a whole number of at least 100, got "${args.flags.get('requests')?.at(-1)}"`);
  const seedText = args.flags.get('seed')?.at(-1) ?? '1';
  const seed = /^\d{1,15}$/.test(seedText) ? Number(seedText) : seedText;
  const precision = numberFlag(args, 'precision') ?? 0.05;
  if (!(precision > 0 && precision < 1))
    throw new UsageError(`--precision must be a fraction above 0 and below 1, e.g. 0.05 for ±5 %, got "${args.flags.get('precision')?.at(-1)}"`);
  const budgetS = numberFlag(args, 'time-budget') ?? DEFAULT_BUDGET_S;
  if (!(budgetS > 0)) throw new UsageError(`--time-budget must be a number of seconds above 0, got "${args.flags.get('time-budget')?.at(-1)}"`);
  const result = autoCrossCheck(doc, {
    scale: options.scale,
    failZones: options.failZones,
    seed,
    precision,
    requests,
    timeBudgetMs: budgetS * 1000,
    now: () => performance.now(),
  });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  printAuto(result);
  return 0;
}

const ms = (v: number | null) => (v === null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function printAuto(r: AutoResult): void {
  const out = process.stdout;
  if (!r.des) {
    out.write('every figure is inside its method’s comfort zone: analytic figures, no simulation needed\n');
  } else {
    const d = r.des.des;
    out.write(
      `some figures are approximations here: discrete-event simulation of ${d.requests.toLocaleString('en-US')} requests (seed ${d.seed}, stopped by ${d.stoppedBy})\n\n`,
    );
  }
  printTable(
    Object.entries(r.entries).flatMap(([entry, row]) =>
      Object.entries(row).map(([k, f]) => ({
        entry,
        figure: k,
        'value ms': ms(f.value),
        trusted: f.trusted,
        analytic: ms(f.analytic),
        des: f.des === null ? '—' : `${ms(f.des)} [${ms(f.ci?.[0] ?? null)}, ${ms(f.ci?.[1] ?? null)}]`,
        why: f.why,
      })),
    ),
  );
  const notes = new Map<string, string>();
  for (const f of r.figures) if (f.validity !== 'ok') for (const v of f.validity) notes.set(`${v.code}: ${v.message}`, v.code);
  if (notes.size) {
    out.write('\nwhy the analytic figures are flagged:\n');
    for (const n of notes.keys()) out.write(`  ${n}\n`);
  }
}
