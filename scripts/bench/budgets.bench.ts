/**
 * Time budgets (issue 17): the engine's per-edit time (`skipEndToEnd`) and full time on the
 * 200-service generated design (seed 1) with a time budget on every traffic item, against the
 * same design without, in one run (interleaved rounds) so the ratio is fair on a shared machine.
 * Budgets of 50 ms (tight: most services time out some requests) and 20 s (Microbus's default:
 * no request comes near its deadline, the usual stations are kept).
 */
import { generateDesign, parseTopology, simulate, type Topology } from '@busboard/core';
import { cpuMs, type Figures, median } from './util.ts';

function doc(timeBudgetMs: number | null): Topology {
  const input = generateDesign({ services: 200, seed: 1 });
  const traffic = (input.traffic ?? []).map((t) => (timeBudgetMs === null ? t : { ...t, timeBudgetMs }));
  const parsed = parseTopology({ ...input, traffic, network: { ...(input.network ?? {}), timeBudgetHopMs: 1 } });
  if (!parsed.ok) throw new Error(`invalid: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<Figures> {
  const f: Figures = {};
  const plain = doc(null);
  const cases: [string, Topology][] = [
    ['budget_50ms', doc(50)],
    ['budget_20s', doc(20_000)],
  ];
  const fastPlain: number[] = [];
  const fullPlain: number[] = [];
  const fast: Record<string, number[]> = Object.fromEntries(cases.map(([name]) => [name, []]));
  const full: Record<string, number[]> = Object.fromEntries(cases.map(([name]) => [name, []]));
  for (let r = 0; r < 5; r++) {
    fastPlain.push(cpuMs(() => simulate(plain, { skipEndToEnd: true }), 6, 2));
    fullPlain.push(cpuMs(() => simulate(plain), 3, 1));
    for (const [name, d] of cases) {
      fast[name]?.push(cpuMs(() => simulate(d, { skipEndToEnd: true }), 6, 2));
      full[name]?.push(cpuMs(() => simulate(d), 3, 1));
    }
  }
  const fp = median(fastPlain);
  const up = median(fullPlain);
  f.services_200_fast_cpu_ms = round(fp);
  f.services_200_full_cpu_ms = round(up);
  for (const [name, d] of cases) {
    const fb = median(fast[name] ?? []);
    const ub = median(full[name] ?? []);
    f[`services_200_${name}_fast_cpu_ms`] = round(fb);
    f[`services_200_${name}_fast_ratio`] = round(fb / fp);
    f[`services_200_${name}_full_cpu_ms`] = round(ub);
    f[`services_200_${name}_full_ratio`] = round(ub / up);
    const timingOut = Object.values(simulate(d).services).filter((s) => (s.timeoutRate ?? 0) > 1e-6).length;
    f[`services_200_${name}_services_timing_out`] = timingOut;
    process.stderr.write(`bench: budgets ${name}: fast ${fb.toFixed(1)} vs ${fp.toFixed(1)} ms, full ${ub.toFixed(1)} vs ${up.toFixed(1)} ms\n`);
  }
  return f;
}
