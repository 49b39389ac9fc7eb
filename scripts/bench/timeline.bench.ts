/**
 * The analytic timeline (issue 19): a 24-hour day of the 200-service generated design
 * (`generateDesign`, seed 1) at per-minute resolution, every traffic item on a diurnal curve
 * (peak 14:00, trough 30 %). Target: under 1 s for the analytic path.
 *
 * - `fixed_tol1pct`: the analytic path as `busboard timeline` runs it: minutes interpolated between
 *   rate-grid engine runs, the grid refined until each segment's midpoint is within 1 %
 *   (timeline/interpolate.ts). The target applies to this one.
 * - `fixed_exact_120min`: the design's replicas, rates exact, the first two hours only (one full
 *   engine run per distinct minute; a whole day is ~780 runs: `ms_per_run` × that).
 * - `fixed_step1pct`: rates rounded to 1 % steps (±0.5 %): minutes that round alike share a run.
 * - `fixed_step5pct`: 5 % steps (±2.5 %), the coarsest that keeps a diurnal day's shape.
 * - `hpa_tol1pct`: every bundle autoscaled as below, minutes interpolated within 1 %.
 * - `hpa_step1pct`: every bundle autoscaled (HPA on CPU at 70 %, min 1, max 3× its count per zone,
 *   Kubernetes' default behavior, 15 s syncs): the fast path at each sync, the full one per minute.
 *
 * One run each (a day is long); CPU time beside wall time (shared machines).
 */
import { generateDesign, parseTopology, type Topology, timeline } from '@busboard/core';
import type { Figures } from './util.ts';

function day(autoscale: boolean): Topology {
  const input = generateDesign({ services: 200, seed: 1 });
  for (const t of input.traffic ?? []) t.profile = { shape: 'diurnal', peakAt: 840, trough: 0.3 };
  if (autoscale)
    for (const b of input.bundles ?? []) {
      const most = Math.max(1, ...Object.values(b.replicas));
      b.autoscale = { min: 1, max: 3 * most, targetUtilization: 0.7 };
    }
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(`generated design is invalid: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  return parsed.doc;
}

function measure(doc: Topology, rateStep: number, minutes?: number, tolerance?: number) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = timeline(doc, { rateStep, minutes, tolerance });
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return { wall, cpu: (d.user + d.system) / 1000, tl: r.timeline };
}

const round = (x: number) => Math.round(x);

export async function run(): Promise<Figures> {
  const f: Figures = { timeline_target_ms: 1000 };
  const cases: [string, boolean, number, number | undefined, number?][] = [
    ['fixed_exact_120min', false, 0, 120],
    // After a run that warmed the engine's code up (as in a server or a second CLI run).
    ['fixed_tol1pct', false, 0, undefined, 0.01],
    ['fixed_step1pct', false, 0.01, undefined],
    ['fixed_step5pct', false, 0.05, undefined],
    ['hpa_tol1pct', true, 0, undefined, 0.01],
    ['hpa_step1pct', true, 0.01, undefined],
  ];
  for (const [name, autoscale, step, minutes, tolerance] of cases) {
    const m = measure(day(autoscale), step, minutes, tolerance);
    f[`timeline_200_${name}_ms`] = round(m.wall);
    f[`timeline_200_${name}_cpu_ms`] = round(m.cpu);
    f[`timeline_200_${name}_evaluations`] = m.tl.evaluations;
    f[`timeline_200_${name}_minutes`] = m.tl.minutes;
    f[`timeline_200_${name}_cpu_ms_per_run`] = Math.round((m.cpu / Math.max(1, m.tl.evaluations)) * 10) / 10;
    if (minutes === undefined) f[`timeline_200_${name}_meets_target`] = m.wall <= 1000;
    if (tolerance) f[`timeline_200_${name}_estimated_error`] = +(m.tl.accuracy.maxEstimatedError ?? 0).toPrecision(2);
    if (autoscale) f[`timeline_200_${name}_scale_events`] = m.tl.scaleEvents.length;
    process.stderr.write(`bench: timeline 200 services ${name}: ${m.wall.toFixed(0)} ms, ${m.tl.evaluations} engine runs\n`);
  }
  return f;
}
