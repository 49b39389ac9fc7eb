/**
 * In-flight caps and least-connections (issue 17): the engine's per-edit time (`skipEndToEnd`, the
 * canvas's path) and full time on the 200-service generated design (seed 1) with
 * `routing: least-connections` and `maxInFlight` on every service, against the same design
 * without, measured in one run so the ratio is fair on a shared machine. The cap is 100 (flow8's
 * pool: rarely full, the fixed point settles in a round or two) and 4 (tight: rejections thin the
 * load below, many rounds), and least-connections alone (no cap: one composition for the held figures).
 * `fast` repeats one document (an edit leaves most loads alone: the per-class caches hit);
 * `fast_cold` moves every load a hair (scale 1 + 1e-9·k) so every cache misses, as a first load does.
 */
import { generateDesign, parseTopology, simulate, type Topology } from '@busboard/core';
import { cpuMs, type Figures, median } from './util.ts';

function doc(cap: number | null, lc = true): Topology {
  const input = generateDesign({ services: 200, seed: 1 });
  const services = (input.services ?? []).map((s) =>
    cap === null && !lc ? s : { ...s, ...(cap === null ? {} : { maxInFlight: cap }), ...(lc ? { routing: 'least-connections' as const } : {}) },
  );
  const parsed = parseTopology({ ...input, services });
  if (!parsed.ok) throw new Error(`invalid: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<Figures> {
  const f: Figures = {};
  const plain = doc(null, false);
  const cases: [string, Topology][] = [
    ['lc_only', doc(null)],
    ['lc_cap_100', doc(100)],
    ['lc_cap_4', doc(4)],
  ];
  // Interleaved rounds: plain and bounded share whatever the machine is doing.
  const fastPlain: number[] = [];
  const coldPlain: number[] = [];
  const cold: Record<string, number[]> = Object.fromEntries(cases.map(([name]) => [name, []]));
  let k = 0;
  const coldRun = (d: Topology) => cpuMs(() => simulate(d, { skipEndToEnd: true, scale: 1 + 1e-9 * ++k }), 4, 0);
  const fullPlain: number[] = [];
  const fast: Record<string, number[]> = Object.fromEntries(cases.map(([name]) => [name, []]));
  const full: Record<string, number[]> = Object.fromEntries(cases.map(([name]) => [name, []]));
  for (let round = 0; round < 5; round++) {
    fastPlain.push(cpuMs(() => simulate(plain, { skipEndToEnd: true }), 6, 2));
    coldPlain.push(coldRun(plain));
    fullPlain.push(cpuMs(() => simulate(plain), 3, 1));
    for (const [name, d] of cases) {
      fast[name]?.push(cpuMs(() => simulate(d, { skipEndToEnd: true }), 6, 2));
      cold[name]?.push(coldRun(d));
      full[name]?.push(cpuMs(() => simulate(d), 3, 1));
    }
  }
  const fp = median(fastPlain);
  const up = median(fullPlain);
  const cp = median(coldPlain);
  f.services_200_fast_cpu_ms = round(fp);
  f.services_200_fast_cold_cpu_ms = round(cp);
  f.services_200_full_cpu_ms = round(up);
  for (const [name, d] of cases) {
    const fb = median(fast[name] ?? []);
    const ub = median(full[name] ?? []);
    f[`services_200_${name}_fast_cpu_ms`] = round(fb);
    f[`services_200_${name}_fast_ratio`] = round(fb / fp);
    const cb = median(cold[name] ?? []);
    f[`services_200_${name}_fast_cold_cpu_ms`] = round(cb);
    f[`services_200_${name}_fast_cold_ratio`] = round(cb / cp);
    f[`services_200_${name}_full_cpu_ms`] = round(ub);
    f[`services_200_${name}_full_ratio`] = round(ub / up);
    const r = simulate(d, { scale: 1 });
    const rejecting = Object.values(r.services).filter((s) => s.rejectionRate > 1e-6).length;
    f[`services_200_${name}_services_rejecting`] = rejecting;
    process.stderr.write(
      `bench: inflight ${name}: fast ${fb.toFixed(1)} vs ${fp.toFixed(1)} ms, cold ${cb.toFixed(1)} vs ${cp.toFixed(1)} ms, full ${ub.toFixed(1)} vs ${up.toFixed(1)} ms\n`,
    );
  }
  return f;
}
