/**
 * Retries (issue 17): the engine's per-edit time (`skipEndToEnd`, the canvas's path) and full
 * time on the 200-service generated design (seed 1) with `queueLimit` 8 on every service and
 * 2 retries (10 ms backoff) on every service call and traffic item, against the same design with
 * the limits alone and with neither, measured in one run (interleaved) so the ratios are fair on a
 * shared machine. Every edit moves the loads here (scale 1 + 1e-9·k): the fixed point is solved
 * afresh each time.
 */
import { generateDesign, parseTopology, simulate, type Topology } from '@busboard/core';
import { cpuMs, type Figures, median } from './util.ts';

function doc(limits: boolean, retries: boolean): Topology {
  const input = generateDesign({ services: 200, seed: 1 });
  const retry = retries ? { retries: 2, backoffMs: 10 } : {};
  const services = (input.services ?? []).map((s) => ({
    ...s,
    ...(limits ? { queueLimit: 8 } : {}),
    calls: (s.calls ?? []).map((c) => (c.to.startsWith('db:') || c.to.startsWith('ext:') ? c : { ...c, ...retry })),
  }));
  const traffic = (input.traffic ?? []).map((t) => ({ ...t, ...retry }));
  const parsed = parseTopology({ ...input, services, traffic });
  if (!parsed.ok) throw new Error(`invalid: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<Figures> {
  const cases: [string, Topology][] = [
    ['plain', doc(false, false)],
    ['limits', doc(true, false)],
    ['limits_retries', doc(true, true)],
  ];
  const fast: Record<string, number[]> = Object.fromEntries(cases.map(([n]) => [n, []]));
  const full: Record<string, number[]> = Object.fromEntries(cases.map(([n]) => [n, []]));
  let k = 0;
  for (let r = 0; r < 3; r++)
    for (const [name, d] of cases) {
      fast[name]?.push(cpuMs(() => simulate(d, { skipEndToEnd: true, scale: 1 + 1e-9 * ++k }), 3));
      full[name]?.push(cpuMs(() => simulate(d, { scale: 1 + 1e-9 * ++k }), 1));
    }
  const f: Figures = {};
  const base = median(fast.plain ?? []);
  const baseFull = median(full.plain ?? []);
  for (const [name, d] of cases) {
    const a = median(fast[name] ?? []);
    const b = median(full[name] ?? []);
    f[`services_200_${name}_fast_cpu_ms`] = round(a);
    f[`services_200_${name}_fast_ratio`] = round(a / base);
    f[`services_200_${name}_full_cpu_ms`] = round(b);
    f[`services_200_${name}_full_ratio`] = round(b / baseFull);
    const res = simulate(d);
    f[`services_200_${name}_max_amplification`] = round(Math.max(1, ...Object.values(res.services).map((s) => s.retryAmplification ?? 1)));
    process.stderr.write(
      `bench: retries ${name}: fast ${a.toFixed(1)} ms (${(a / base).toFixed(2)}×), full ${b.toFixed(1)} ms (${(b / baseFull).toFixed(2)}×)\n`,
    );
  }
  return f;
}
