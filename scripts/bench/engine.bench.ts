/**
 * The engine on generated designs (issue 3): 200, 1,000 and 5,000 services in 3 zones,
 * bundles of 1–4, call depth ≤ 6, fan-out ≤ 4, a tenth cached (`generateDesign`, seed 1).
 *
 * - `fast`: load, placement, utilization and per-service sojourns (`skipEndToEnd`: the canvas's
 *   per-edit path). Targets: 200 ≤ 16 ms, 1,000 ≤ 60 ms.
 * - `full`: plus composed end-to-end percentiles. Targets: 200 ≤ 100 ms, 1,000 ≤ 400 ms.
 * - growth: ms per 1,000 (services + calls), which stays flat when growth is linear.
 * - `recommend` on 200 services. Target ≤ 1 s.
 * - `goalSeek` on the same 200 services (CPU ms, median of 3; evaluations; replicas before → after).
 *
 * Medians of wall time, and of CPU time too: the machines are shared, and CPU time shows
 * what the engine itself costs when other work competes for the cores.
 */
import { generateDesign, goalSeek, LIMITS, parseTopology, recommend, simulate, type Topology, TopologySchema } from '@busboard/core';
import { type Figures, median } from './util.ts';

function measure(fn: () => void, runs: number, warmup: number): { wall: number; cpu: number; first: number } {
  let t = performance.now();
  fn();
  const first = performance.now() - t;
  for (let i = 1; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), first };
}

const round = (x: number) => Math.round(x * 100) / 100;

function design(services: number): { doc: Topology; calls: number } {
  const generated = generateDesign({ services, seed: 1 });
  // 5,000 services is past the documents' limit (1,000, README "Limits"), which the cross-check
  // enforces; the engine's growth is still measured there, on the schema-valid design.
  if (services > LIMITS.services) {
    const doc = TopologySchema.parse(generated);
    return { doc, calls: doc.services.reduce((n, s) => n + s.calls.length, 0) };
  }
  const parsed = parseTopology(generated);
  if (!parsed.ok) throw new Error(`generated design with ${services} services is invalid: ${parsed.problems[0]?.message}`);
  const calls = parsed.doc.services.reduce((n, s) => n + s.calls.length, 0);
  return { doc: parsed.doc, calls };
}

const TARGETS: Record<number, { fast: number; full: number } | undefined> = { 200: { fast: 16, full: 100 }, 1000: { fast: 60, full: 400 } };
const RUNS: Record<number, number> = { 200: 30, 1000: 12, 5000: 4 };

export async function run(): Promise<Figures> {
  const f: Figures = {};
  const perUnit: number[] = [];
  const perUnitFast: number[] = [];
  for (const n of [200, 1000, 5000]) {
    const { doc, calls } = design(n);
    const runs = RUNS[n] ?? 5;
    const fast = measure(() => simulate(doc, { skipEndToEnd: true }), runs, 3);
    const full = measure(() => simulate(doc), runs, 2);
    f[`services_${n}_calls`] = calls;
    f[`services_${n}_fast_ms`] = round(fast.wall);
    f[`services_${n}_fast_cpu_ms`] = round(fast.cpu);
    f[`services_${n}_full_ms`] = round(full.wall);
    f[`services_${n}_full_cpu_ms`] = round(full.cpu);
    f[`services_${n}_full_first_run_ms`] = round(full.first);
    f[`services_${n}_full_ms_per_1000_services_and_calls`] = round((full.cpu / (n + calls)) * 1000);
    perUnit.push(full.cpu / (n + calls));
    perUnitFast.push(fast.cpu / (n + calls));
    const t = TARGETS[n];
    if (t) {
      f[`services_${n}_fast_target_ms`] = t.fast;
      f[`services_${n}_fast_meets_target`] = fast.wall <= t.fast;
      f[`services_${n}_full_target_ms`] = t.full;
      f[`services_${n}_full_meets_target`] = full.wall <= t.full;
    }
    process.stderr.write(`bench: engine ${n} services: fast ${fast.wall.toFixed(1)} ms, full ${full.wall.toFixed(1)} ms\n`);
  }
  // Linear growth keeps the cost per (service + call) flat from 200 to 5,000 services.
  f.fast_growth_5000_vs_200_per_unit = round((perUnitFast[2] as number) / (perUnitFast[0] as number));
  f.full_growth_5000_vs_200_per_unit = round((perUnit[2] as number) / (perUnit[0] as number));

  const { doc } = design(200);
  const rec = measure(() => recommend(doc), 3, 1);
  const r = recommend(doc);
  f.recommend_200_ms = round(rec.wall);
  f.recommend_200_cpu_ms = round(rec.cpu);
  f.recommend_200_target_ms = 1000;
  f.recommend_200_meets_target = rec.wall <= 1000;
  f.recommend_200_evaluations = r.evaluations;
  f.recommend_200_replicas = `${r.currentReplicas} → ${r.totalReplicas}`;
  // Goal seek (issue 20) on the same design: the recommendation's targets, proven minimal, with its frontier.
  const goal = measure(() => goalSeek(doc), 3, 1);
  const g = goalSeek(doc);
  f.goal_seek_200_ms = round(goal.wall);
  f.goal_seek_200_cpu_ms = round(goal.cpu);
  f.goal_seek_200_evaluations = g.evaluations;
  f.goal_seek_200_replicas = `${g.currentReplicas} → ${g.totalReplicas}`;
  f.goal_seek_200_exact = g.exact;
  f.goal_seek_200_frontier_points = g.frontier.length;
  return f;
}
