/**
 * The timeline's before/after in one run: `node --import tsx scripts/bench-ab-timeline.ts OTHER_CHECKOUT_DIR`
 * loads the other checkout's core beside this one's and times a 24-hour day of the 200-service
 * generated design (every item diurnal, peak 14:00, trough 30 %, per-minute), interleaved
 * (A, B, A, B…) after one warm-up each, so both see the same machine load. This checkout runs
 * with `tolerance` 0.01 (interpolated on the rate grid); the other with `rateStep` 0.01 and 0.05
 * (its fastest paths). Prints medians of CPU time and the largest relative difference of any
 * entry's P50/P95/P99 from this checkout's exact run (`--exact`, ~40 s CPU more).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as here from '../packages/core/src/index.ts';

type Core = typeof here;
const otherDir = process.argv[2];
if (!otherDir) {
  process.stderr.write('usage: node --import tsx scripts/bench-ab-timeline.ts OTHER_CHECKOUT_DIR [--exact] [--runs N]\n');
  process.exit(2);
}
const other = (await import(pathToFileURL(resolve(otherDir, 'packages/core/src/index.ts')).href)) as Core;
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;

function day(core: Core) {
  const input = here.generateDesign({ services: 200, seed: 1 });
  for (const t of input.traffic ?? []) t.profile = { shape: 'diurnal', peakAt: 840, trough: 0.3 };
  const parsed = core.parseTopology(input);
  if (!parsed.ok) throw new Error(`generated design invalid: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
function cpu<T>(fn: () => T): { ms: number; value: T } {
  const c = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(c);
  return { ms: (d.user + d.system) / 1000, value };
}

const mine = day(here);
const theirs = day(other);
type Options = Parameters<Core['timeline']>[1];
const cases: [string, () => unknown][] = [
  ['this_tolerance1pct', () => here.timeline(mine, { tolerance: 0.01 })],
  ['other_step1pct', () => other.timeline(theirs, { rateStep: 0.01 } as Options)],
  ['other_step5pct', () => other.timeline(theirs, { rateStep: 0.05 } as Options)],
];
const times: Record<string, number[]> = {};
for (const [name, fn] of cases) {
  fn();
  times[name] = [];
}
for (let i = 0; i < runs; i++) for (const [name, fn] of cases) times[name]?.push(cpu(fn).ms);
const out: Record<string, number | string> = { runs };
for (const [name] of cases) out[`${name}_cpu_ms`] = Math.round(median(times[name] ?? []));

if (process.argv.includes('--exact')) {
  const exact = here.timeline(mine, {});
  const approx = here.timeline(mine, { tolerance: 0.01 });
  const stepped = here.timeline(mine, { rateStep: 0.01 });
  if (!exact.ok || !approx.ok || !stepped.ok) throw new Error('timeline failed');
  const error = (r: typeof approx) => {
    let worst = 0;
    if (!r.ok || !exact.ok) return Number.NaN;
    for (const [name, e] of Object.entries(exact.timeline.series.entries))
      for (const k of ['p50Ms', 'p95Ms', 'p99Ms'] as const)
        e[k].forEach((v, m) => {
          const w = r.timeline.series.entries[name]?.[k][m];
          if (v === null || w === null || w === undefined) worst = v === (w ?? null) ? worst : Number.POSITIVE_INFINITY;
          else worst = Math.max(worst, Math.abs(w - v) / v);
        });
    return worst;
  };
  out.this_tolerance1pct_max_error = +error(approx).toPrecision(2);
  out.this_step1pct_max_error = +error(stepped).toPrecision(2);
  out.exact_evaluations = exact.timeline.evaluations;
  out.this_tolerance1pct_evaluations = approx.timeline.evaluations;
  out.this_tolerance1pct_estimate = +(approx.timeline.accuracy.maxEstimatedError ?? 0).toPrecision(2);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
