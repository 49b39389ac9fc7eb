/**
 * Before/after in one run: `node --import tsx scripts/bench-ab.ts /path/to/other/checkout`
 * loads the other checkout's core beside this one's and times them interleaved (A, B, A, B…),
 * so both see the same machine load. Prints one JSON object: medians for each and the ratio
 * this/other (> 1 means this checkout is slower).
 *
 * Figures: the engine's per-edit path (`skipEndToEnd`) and the full composition on the
 * generated 200- and 1,000-service designs, and the DES's events per CPU second on the
 * checkout example (200,000-request runs).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as here from '../packages/core/src/index.ts';

type Core = typeof here;
const otherDir = process.argv[2];
if (!otherDir) {
  process.stderr.write('usage: node --import tsx scripts/bench-ab.ts OTHER_CHECKOUT_DIR\n');
  process.exit(2);
}
const other = (await import(pathToFileURL(resolve(otherDir, 'packages/core/src/index.ts')).href)) as Core;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const cpuMs = (fn: () => void) => {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

function docFor(core: Core, n: number) {
  // A generated design uses no field newer than the oldest checkout compared, so it is written under that checkout's own schema name.
  const schema = (core as { CURRENT_SCHEMA?: string }).CURRENT_SCHEMA;
  const design = here.generateDesign({ services: n, seed: 1 });
  const parsed = core.parseTopology(schema ? { ...design, schema } : design);
  if (!parsed.ok) throw new Error(`generated design ${n} invalid for one checkout: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

function ab(name: string, runs: number, a: () => void, b: () => void, out: Record<string, number>) {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(cpuMs(a));
    tb.push(cpuMs(b));
  }
  out[`${name}_this_cpu_ms`] = +median(ta).toFixed(2);
  out[`${name}_other_cpu_ms`] = +median(tb).toFixed(2);
  out[`${name}_ratio`] = +(median(ta) / median(tb)).toFixed(3);
  process.stderr.write(`bench-ab: ${name} ratio ${out[`${name}_ratio`]}\n`);
}

const out: Record<string, number> = {};
for (const [n, runs] of [
  [200, 40],
  [1000, 12],
] as const) {
  const dh = docFor(here, n);
  const dother = docFor(other, n);
  ab(
    `engine_${n}_fast`,
    runs,
    () => here.simulate(dh, { skipEndToEnd: true }),
    () => other.simulate(dother, { skipEndToEnd: true }),
    out,
  );
  ab(
    `engine_${n}_full`,
    runs,
    () => here.simulate(dh),
    () => other.simulate(dother),
    out,
  );
}

const ex = (core: Core) => {
  const p = core.parseTopology(core.getExample('checkout')?.doc);
  if (!p.ok) throw new Error('checkout example invalid');
  return p.doc;
};
const ch = ex(here);
const co = ex(other);
const evA: number[] = [];
const evB: number[] = [];
for (let seed = 1; seed <= 7; seed++) {
  for (const [core, doc, sink] of [
    [here, ch, evA],
    [other, co, evB],
  ] as const) {
    let events = 0;
    const ms = cpuMs(() => {
      events = core.createDesRun({ doc, seed, requests: 200_000, precision: 0 }).runToEnd().des.events;
    });
    sink.push(events / (ms / 1000));
  }
}
out.des_events_per_cpu_sec_this = Math.round(median(evA));
out.des_events_per_cpu_sec_other = Math.round(median(evB));
out.des_speed_ratio = +(median(evA) / median(evB)).toFixed(3);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
