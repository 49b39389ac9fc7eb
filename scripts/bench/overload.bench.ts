/**
 * Issue 17's overload figure: the engine's per-edit time (`skipEndToEnd`, the canvas's path) and
 * full time on the 200-service generated design (seed 1) with every overload field at once —
 * `queueLimit` 8, an in-flight cap of 100 and least-connections routing on every service, a 2 s
 * time budget on every traffic item, and 2 retries (10 ms backoff) on every service call and
 * traffic item — against the same design without them, interleaved in one run so the ratio is
 * fair on a shared machine. The per-field benches (bounded, budgets, retries, inflight) split it up.
 */
import { generateDesign, parseTopology, simulate, type Topology } from '@busboard/core';
import { cpuMs, type Figures, median } from './util.ts';

function doc(overload: boolean): Topology {
  const input = generateDesign({ services: 200, seed: 1 });
  const retry = overload ? { retries: 2, backoffMs: 10 } : {};
  const services = (input.services ?? []).map((s) => ({
    ...s,
    ...(overload ? { queueLimit: 8, maxInFlight: 100, routing: 'least-connections' as const } : {}),
    calls: (s.calls ?? []).map((c) => (c.to.startsWith('db:') || c.to.startsWith('ext:') ? c : { ...c, ...retry })),
  }));
  const traffic = (input.traffic ?? []).map((t) => ({ ...t, ...retry, ...(overload ? { timeBudgetMs: 2000 } : {}) }));
  const parsed = parseTopology({ ...input, services, traffic });
  if (!parsed.ok) throw new Error(`invalid: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<Figures> {
  const cases: [string, Topology][] = [
    ['plain', doc(false)],
    ['overload', doc(true)],
  ];
  const fast: Record<string, number[]> = { plain: [], overload: [] };
  const full: Record<string, number[]> = { plain: [], overload: [] };
  let k = 0;
  for (let r = 0; r < 3; r++)
    for (const [name, d] of cases) {
      fast[name]?.push(cpuMs(() => simulate(d, { skipEndToEnd: true, scale: 1 + 1e-9 * ++k }), 3));
      full[name]?.push(cpuMs(() => simulate(d, { scale: 1 + 1e-9 * ++k }), 1));
    }
  const f: Figures = {};
  const a0 = median(fast.plain ?? []);
  const b0 = median(full.plain ?? []);
  const a1 = median(fast.overload ?? []);
  const b1 = median(full.overload ?? []);
  f.services_200_plain_fast_cpu_ms = round(a0);
  f.services_200_overload_fast_cpu_ms = round(a1);
  f.services_200_overload_fast_ratio = round(a1 / a0);
  f.services_200_plain_full_cpu_ms = round(b0);
  f.services_200_overload_full_cpu_ms = round(b1);
  f.services_200_overload_full_ratio = round(b1 / b0);
  process.stderr.write(
    `bench: overload: per edit ${a1.toFixed(1)} vs ${a0.toFixed(1)} ms (${(a1 / a0).toFixed(2)}×), full ${b1.toFixed(1)} vs ${b0.toFixed(1)} ms (${(b1 / b0).toFixed(2)}×)\n`,
  );
  return f;
}
