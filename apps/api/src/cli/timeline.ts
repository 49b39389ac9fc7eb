import { dayClock, type TimelineResult, timeline } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { fileArg, ms } from './scenario.ts';
import { printTable } from './table.ts';
import { timelineDesCommand } from './timeline-des.ts';

/**
 * `busboard timeline FILE [--policy NAME] [--minutes N] [--tolerance F] [--rate-step F] [--compare] [--json]`: the design over its
 * traffic profiles' day(s), minute by minute (core timeline/: pointwise-stationary engine runs, the
 * HPAs as Kubernetes runs them, start delays, zone events). `--policy NAME` simulates
 * `autoscalePolicies[NAME]` instead of the bundles' own autoscalers; `--compare` runs the bundles'
 * own and every policy on the same day and prints their totals side by side. `--rate-step F`
 * rounds each rate to steps of F (relative) so minutes that round alike share one engine run
 * (large designs: 0.01 keeps rates within ±0.5 % and runs several times fewer). `--tolerance F`
 * (default 0.01): minutes are interpolated between rate-grid engine runs, the grid refined until
 * the engine's figures at each segment's midpoint are within F of the chord (core
 * timeline/interpolate.ts); 0 runs every distinct minute exactly. The JSON's `accuracy` says which. `--json`: the
 * TimelineResult (per-minute series and totals), or with --compare `{ compare: [{ policy, totals }] }`.
 * Exit 1 when some minute misses an SLO (a CI gate, as `check`), 0 otherwise, 2 for bad input.
 */
/** The CLI's interpolation tolerance (the core's default is exact). */
export const DEFAULT_TOLERANCE = 0.01;

export function timelineCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'timeline');
  const minutesText = args.flags.get('minutes')?.at(-1);
  const minutes = minutesText === undefined ? undefined : Number(minutesText);
  if (minutes !== undefined && !(Number.isInteger(minutes) && minutes > 0 && minutes <= 31 * 1440))
    throw new UsageError(`--minutes must be a whole number of minutes from 1 to 44,640 (31 days), got "${minutesText}"`);
  const stepText = args.flags.get('rate-step')?.at(-1);
  const rateStep = stepText === undefined ? undefined : Number(stepText);
  if (rateStep !== undefined && !(rateStep >= 0 && rateStep <= 0.1))
    throw new UsageError(`--rate-step must be a fraction from 0 (exact) to 0.1, got "${stepText}" (0.01 rounds each rate to ±0.5 %)`);
  const tolText = args.flags.get('tolerance')?.at(-1);
  const tolerance = tolText === undefined ? DEFAULT_TOLERANCE : Number(tolText);
  if (!(tolerance >= 0 && tolerance <= 0.1))
    throw new UsageError(`--tolerance must be a fraction from 0 (every minute exact) to 0.1, got "${tolText}" (0.01: interpolated within 1 %)`);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const doc = loaded.doc;
  if (args.flags.has('des')) return timelineDesCommand(args, doc, file);
  const policies = args.flags.get('policy') ?? [];
  if (policies.length > 1) throw new UsageError('--policy takes one NAME (use --compare to run every policy side by side)');
  const names: (string | undefined)[] = args.flags.has('compare') ? [undefined, ...(doc.autoscalePolicies ?? []).map((p) => p.name)] : [policies[0]];
  const results: TimelineResult[] = [];
  for (const policy of names) {
    const r = timeline(doc, { policy, minutes, rateStep, tolerance });
    if (!r.ok) {
      for (const p of r.problems) process.stderr.write(`busboard timeline: --policy ${policy}: ${p.message}\n`);
      return 2;
    }
    results.push(r.timeline);
  }
  const missed = results.some((r) => r.totals.sloMinutesMissed > 0);
  if (args.flags.has('json')) {
    const out = args.flags.has('compare') ? { compare: results.map((r) => ({ policy: r.policy, totals: r.totals })) } : results[0];
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return missed ? 1 : 0;
  }
  process.stdout.write(`${doc.name || file}: ${results[0]?.minutes ?? 0} minutes, ${results[0]?.accuracy.method ?? 'pointwise-stationary'}\n\n`);
  printTable(results.map(totalsRow));
  if (!args.flags.has('compare')) for (const r of results) printMisses(r);
  return missed ? 1 : 0;
}

function totalsRow(r: TimelineResult): Record<string, string> {
  const t = r.totals;
  return {
    policy: r.policy ?? "(bundles' own)",
    'SLO minutes missed': String(t.sloMinutesMissed),
    'replica-hours': t.replicaHoursTotal.toFixed(1),
    rejected: Math.round(t.rejected).toLocaleString('en-US'),
    'timed out': Math.round(t.timedOut).toLocaleString('en-US'),
    'peak P99 ms': t.peakP99Ms === null ? '–' : `${ms(t.peakP99Ms)} at ${dayClock(t.peakP99Minute ?? 0)}`,
    'saturated min': String(t.saturatedMinutes),
    'not stationary min': String(t.nonStationaryMinutes),
  };
}

/** The stretches of minutes where an entry misses its SLO, with the worst percentile there. */
function printMisses(r: TimelineResult): void {
  const rows: Record<string, string>[] = [];
  for (const [entry, s] of Object.entries(r.series.entries)) {
    let start = -1;
    for (let m = 0; m <= s.sloMet.length; m++) {
      const miss = s.sloMet[m] === false;
      if (miss && start < 0) start = m;
      if (!miss && start >= 0) {
        const p95 = s.p95Ms.slice(start, m);
        const worst = p95.some((x) => x === null) ? null : Math.max(...(p95 as number[]));
        rows.push({
          entry,
          from: dayClock(start),
          to: dayClock(m),
          minutes: String(m - start),
          'worst P95 ms': worst === null ? 'saturated' : ms(worst),
        });
        start = -1;
      }
    }
  }
  if (!rows.length) {
    process.stdout.write('\nevery SLO holds every minute\n');
    return;
  }
  process.stdout.write(`\nSLO missed${r.policy ? ` (policy ${r.policy})` : ''}:\n`);
  printTable(rows);
}
