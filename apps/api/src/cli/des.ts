/**
 * `busboard simulate FILE --des [--requests N] [--seed S] [--precision P] [--time-budget SECONDS]
 * [--event-burst N] [--consumer-outage SECONDS] [--json]`: the discrete-event cross-check. Same
 * JSON contract as the analytic engine (the `streams` summary of schema v3 included, from the
 * same formatter), with `"method": "des"` and a 99 % interval (`ci`) inside every latency and sojourn. Progress goes
 * to stderr when it is a terminal, so `--json` output stays one JSON object on stdout.
 */
import { type AsyncWhatIf, createDesRun, type DesResult, type Percentiles, type Topology } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { printAsync, streamsJson } from './simulate-async.ts';
import { printTable } from './table.ts';

/** The most requests one DES run may be asked for: the run's memory and time grow with them. */
export const MAX_REQUESTS = 100_000_000;

/** The flags that only make sense with --des. */
export const DES_FLAGS = ['requests', 'seed', 'precision', 'time-budget'] as const;

/** createDesRun, its refusals (a what-if backlog too large to simulate) as usage errors. */
function desRun(options: Parameters<typeof createDesRun>[0]): ReturnType<typeof createDesRun> {
  try {
    return createDesRun(options);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const text = args.flags.get(name)?.at(-1);
  return text === undefined ? undefined : Number(text.replace(/_/g, ''));
}

export function desCommand(args: ParsedArgs, doc: Topology, options: { scale: number; failZones: string[]; async?: AsyncWhatIf }): number {
  const requestsText = args.flags.get('requests')?.at(-1);
  const requests = numberFlag(args, 'requests') ?? 1_000_000;
  if (!Number.isInteger(requests) || requests < 100) throw new UsageError(`--requests must be a whole number of at least 100, got "${requestsText}"`);
  if (requests > MAX_REQUESTS)
    throw new UsageError(
      `--requests ${requestsText}: at most ${MAX_REQUESTS.toLocaleString('en-US')} (its time and memory grow with them); for tighter intervals use --precision and --time-budget`,
    );
  const seedText = args.flags.get('seed')?.at(-1) ?? '1';
  // Digits are a number seed; anything else is a string seed. Either way: one seed, one answer.
  const seed = /^\d{1,15}$/.test(seedText) ? Number(seedText) : seedText;
  const precision = numberFlag(args, 'precision');
  if (precision !== undefined && !(precision >= 0 && precision < 1))
    throw new UsageError(
      `--precision must be a fraction from 0 (run to the cap) to below 1, e.g. 0.05 for ±5 %, got "${args.flags.get('precision')?.at(-1)}"`,
    );
  const budgetS = numberFlag(args, 'time-budget');
  if (budgetS !== undefined && !(budgetS > 0))
    throw new UsageError(`--time-budget must be a number of seconds above 0, got "${args.flags.get('time-budget')?.at(-1)}"`);

  const tty = Boolean(process.stderr.isTTY);
  const run = desRun({
    doc,
    seed,
    requests,
    precision,
    ...(budgetS === undefined ? {} : { timeBudgetMs: budgetS * 1000, now: () => performance.now() }),
    scale: options.scale,
    failZones: options.failZones,
    ...(options.async ? { async: options.async } : {}),
    onProgress: (p) => {
      if (tty)
        process.stderr.write(
          `\rDES ${(p.fraction * 100).toFixed(0).padStart(3)} %  ${p.requests.toLocaleString('en-US')} requests, ${p.replications} replications`,
        );
    },
  });
  const result = run.runToEnd();
  if (tty) process.stderr.write('\n');
  if (args.flags.has('json')) {
    // Schema v3: the streams summary beside the whole result, as the analytic path prints it.
    const streams = streamsJson(result);
    process.stdout.write(`${JSON.stringify(streams ? { ...result, streams } : result, null, 2)}\n`);
    return 0;
  }
  printDes(result);
  return 0;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const withCi = (p: Percentiles, k: 'mean' | 'p50' | 'p95' | 'p99') => {
  const [lo, hi] = p.ci?.[k] ?? [p[k], p[k]];
  return `${ms(p[k])} ±${ms((hi - lo) / 2)}`;
};

function printDes(r: DesResult): void {
  const d = r.des;
  process.stdout.write(
    `discrete-event simulation: ${d.requests.toLocaleString('en-US')} requests in ${d.replications} replications, seed ${d.seed}, 99 % intervals\n\n`,
  );
  printTable(
    Object.entries(r.entries).map(([entry, e]) => ({
      entry,
      rps: e.rps.toFixed(1),
      'mean ms': e.latencyMs ? withCi(e.latencyMs, 'mean') : '—',
      'p50 ms': e.latencyMs ? withCi(e.latencyMs, 'p50') : '—',
      'p95 ms': e.latencyMs ? withCi(e.latencyMs, 'p95') : '—',
      'p99 ms': e.latencyMs ? withCi(e.latencyMs, 'p99') : '—',
      SLO: e.slo ? (e.slo.met ? 'met' : 'MISSED') : '',
    })),
  );
  process.stdout.write('\n');
  printTable(
    Object.entries(r.services).map(([service, s]) => ({
      service,
      rps: s.arrivalRps.toFixed(1),
      replicas: String(s.replicas),
      'ρ max': s.utilization.toFixed(3),
      'sojourn p99 ms': s.sojournMs ? withCi(s.sojournMs, 'p99') : '—',
      state: s.unavailable ? 'UNAVAILABLE' : s.saturated ? 'SATURATED' : 'ok',
    })),
  );
  printAsync(r);
  for (const w of r.warnings) process.stdout.write(`\nwarning: ${w.message}`);
  const stopped = {
    precision: 'target precision reached',
    cap: 'request cap reached',
    time: 'time budget spent',
    cancelled: 'cancelled',
    running: 'running',
  }[d.stoppedBy];
  process.stdout.write(
    `\n${d.converged ? 'converged' : 'not converged'} (${stopped}): widest entry P99 interval ±${(d.achievedPrecision * 100).toFixed(1)} %; slowest queue ${d.slowestQueue ?? '—'}, relaxation time ${d.relaxationMs.toPrecision(3)} ms\n`,
  );
}
