import { describeBinding, recommend, type ZoneConstraint } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { fileArg, scaleFlag } from './scenario.ts';
import { printTable } from './table.ts';

/** What decided each zone's count, in the table's words. */
const BINDS: Record<ZoneConstraint, string> = { rho: 'ρ', cpu: 'CPU', slo: 'SLO', floor: 'min 1' };

/**
 * `busboard recommend FILE [--scale X] [--max-rejection F] [--json]`: replica counts per bundle and
 * zone (MODEL.md §2). --max-rejection: every entry rejects at most this fraction at the scale (the
 * peak), on top of each SLO's own maxRejectionRate.
 */
export function recommendCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'recommend');
  const scale = scaleFlag(args);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const text = args.flags.get('max-rejection')?.at(-1);
  const maxRejectionRate = text === undefined ? undefined : Number(text);
  if (maxRejectionRate !== undefined && !(maxRejectionRate >= 0 && maxRejectionRate <= 1))
    throw new UsageError(`--max-rejection must be a fraction from 0 to 1 (0.01 = 1 %), got "${text}"`);
  const r = recommend(loaded.doc, { scale, ...(maxRejectionRate === undefined ? {} : { maxRejectionRate }) });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return 0;
  }
  const zones = loaded.doc.zones.map((z) => z.name);
  printTable(
    Object.entries(r.bundles).map(([name, b]) => ({
      bundle: name,
      ...Object.fromEntries(
        zones.map((z) => {
          const a = b.zones[z];
          return [z, a ? `${a.current} → ${a.replicas} (${BINDS[a.binds]})` : '–'];
        }),
      ),
    })),
  );
  process.stdout.write(
    `\n${r.currentReplicas} → ${r.totalReplicas} replicas; SLOs ${r.meetsSlo ? 'met' : 'NOT met'}; zone failure ${r.survivesZoneFailure ? 'survived' : 'NOT survived'}`,
  );
  process.stdout.write(r.exact ? ' (fewest possible)\n' : '\n');
  if (r.binding) process.stdout.write(`headroom ${r.headroom?.toFixed(2)}× after, bound by ${describeBinding(r.binding)}\n`);
  for (const reason of r.reasons) process.stdout.write(`  - ${reason}\n`);
  return 0;
}
