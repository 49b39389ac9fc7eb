import { clockOfDay, type DesTimelineResult, desTimeline, type Topology } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { ms } from './scenario.ts';
import { printTable } from './table.ts';

const wholeMinute = (args: ParsedArgs, flag: string): number | undefined => {
  const text = args.flags.get(flag)?.at(-1);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 0 && n <= 31 * 1440)) throw new UsageError(`--${flag} must be a whole minute from 0 to 44,640, got "${text}"`);
  return n;
};

/**
 * `busboard timeline FILE --des [--from MIN] [--to MIN] [--replications N] [--seed S] [--policy NAME] [--json]`:
 * the DES with time over a window of the day (core des/timeline-run.ts), the pods as the analytic
 * timeline's HPAs set them. `--json`: the DesTimelineResult (the analytic series' shape, per
 * minute of the window, with 99 % intervals on every percentile and the analytic P99 beside).
 * Exit 1 when some minute of the window misses an SLO, 0 otherwise, 2 for bad input.
 */
export function timelineDesCommand(args: ParsedArgs, doc: Topology, file: string): number {
  if (args.flags.has('compare')) throw new UsageError('--des runs one policy (--policy NAME); --compare is for the analytic timeline');
  const from = wholeMinute(args, 'from') ?? 0;
  const to = wholeMinute(args, 'to') ?? from + 60;
  if (to <= from) throw new UsageError(`--to must be after --from (got ${from} to ${to})`);
  if (to - from > 1440)
    throw new UsageError(`the DES window is at most 1,440 minutes (got ${to - from}); the analytic timeline (without --des) covers whole days`);
  const repText = args.flags.get('replications')?.at(-1);
  const replications = repText === undefined ? undefined : Number(repText);
  if (replications !== undefined && !(Number.isInteger(replications) && replications >= 2 && replications <= 100))
    throw new UsageError(`--replications must be a whole number from 2 to 100, got "${repText}"`);
  const seedText = args.flags.get('seed')?.at(-1);
  const seed = seedText === undefined ? undefined : Number.isFinite(Number(seedText)) ? Number(seedText) : seedText;
  const r = desTimeline(doc, { from, to, replications, seed, policy: args.flags.get('policy')?.at(-1) });
  if (!r.ok) {
    for (const p of r.problems) process.stderr.write(`busboard timeline: ${p.path}: ${p.message}\n`);
    return 2;
  }
  const res = r.result;
  const missed = res.totals.sloMinutesMissed > 0;
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(res)}\n`);
    return missed ? 1 : 0;
  }
  process.stdout.write(
    `${doc.name || file}: DES over minutes ${from}–${to} (${res.warmupMinutes} min warm-up, ${res.replications} replications, seed ${res.seed}); 99 % intervals\n\n`,
  );
  for (const [entry, s] of Object.entries(res.series.entries)) {
    process.stdout.write(`${entry}\n`);
    printTable(minuteRows(res, entry, s));
    process.stdout.write('\n');
  }
  process.stdout.write(
    `SLO minutes missed ${res.totals.sloMinutesMissed}; peak P99 ${res.totals.peakP99Ms === null ? '–' : ms(res.totals.peakP99Ms)}; rejected ${Math.round(res.totals.rejected)}\n`,
  );
  return missed ? 1 : 0;
}

const ci = (x: [number, number] | null | undefined) => (x ? ` [${ms(x[0])}–${ms(x[1])}]` : '');

function minuteRows(res: DesTimelineResult, entry: string, s: DesTimelineResult['series']['entries'][string]): Record<string, string>[] {
  const analytic = res.series.analytic.p99Ms[entry] ?? [];
  return res.series.minutes.map((m, i) => ({
    minute: clockOfDay(m),
    rps: (s.rps[i] ?? 0).toFixed(1),
    'P50 ms': s.p50Ms[i] == null ? '–' : ms(s.p50Ms[i] as number),
    'P99 ms (99 % CI)': s.p99Ms[i] == null ? '–' : `${ms(s.p99Ms[i] as number)}${ci(s.p99Ci[i])}`,
    'analytic P99': analytic[i] == null ? 'saturated' : `${ms(analytic[i] as number)}${res.series.analytic.stationary[i] ? '' : ' (not stationary)'}`,
    SLO: s.sloMet[i] === null ? '' : s.sloMet[i] ? 'met' : 'MISSED',
  }));
}
