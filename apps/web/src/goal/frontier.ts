/**
 * Goal seek's answer as the dialog shows it: the rows of a preview (per bundle and zone, before
 * → after, with what binds), the frontier chart's series, and the words for how sure the answer
 * is. Pure: core's `goalSeek` computes, this only arranges.
 */
import type { GoalBinding, GoalPoint, GoalSeekResult, SimulationResult, Topology } from '@busboard/core';

export type Replicas = Record<string, Record<string, number>>;

/** The largest P99 over entries (ms), as goal seek measures a design; null when no entry has a latency. */
export function worstP99(result: SimulationResult): number | null {
  const p99s = Object.values(result.entries)
    .map((e) => e.latencyMs?.p99)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return p99s.length ? Math.max(...p99s) : null;
}

/** Same count in every bundle and zone (a zone missing counts as 0). */
export function sameReplicas(a: Replicas, b: Replicas): boolean {
  for (const bundle of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[bundle] ?? {};
    const y = b[bundle] ?? {};
    for (const zone of new Set([...Object.keys(x), ...Object.keys(y)])) if ((x[zone] ?? 0) !== (y[zone] ?? 0)) return false;
  }
  return true;
}

/** The design as it is now, in the result's terms. */
export function currentReplicas(goal: GoalSeekResult): Replicas {
  return Object.fromEntries(Object.entries(goal.bundles).map(([b, g]) => [b, { ...g.current }]));
}

/** The answer as a point of the chart (its P99 taken from the search's own evaluation of it). */
export function answerPoint(goal: GoalSeekResult): GoalPoint {
  const replicas: Replicas = Object.fromEntries(Object.entries(goal.bundles).map(([b, g]) => [b, { ...g.replicas }]));
  const seen = [...goal.frontier, ...goal.visited].find((p) => sameReplicas(p.replicas, replicas));
  return {
    replicas,
    totalReplicas: goal.totalReplicas,
    costMonthly: goal.costMonthly,
    p99Ms: seen?.p99Ms ?? null,
    feasible: goal.feasible,
  };
}

export interface PreviewRow {
  bundle: string;
  zone: string;
  before: number;
  after: number;
  /** What keeps this count from going lower: known for the answer only. */
  binds: GoalBinding | null;
}

/** Per bundle and zone, before → after for `point` (the answer when it has the answer's counts). */
export function previewRows(goal: GoalSeekResult, point: GoalPoint): PreviewRow[] {
  const isAnswer = sameReplicas(point.replicas, answerPoint(goal).replicas);
  const rows: PreviewRow[] = [];
  for (const [bundle, g] of Object.entries(goal.bundles)) {
    const after = point.replicas[bundle] ?? g.current;
    for (const zone of new Set([...Object.keys(g.current), ...Object.keys(after)])) {
      rows.push({
        bundle,
        zone,
        before: g.current[zone] ?? 0,
        after: after[zone] ?? 0,
        binds: isAnswer ? (g.zones[zone]?.binds ?? null) : null,
      });
    }
  }
  return rows;
}

/** One bundle's counts in zone order, "2/2/1" (the chart's tooltip and the frontier list). */
export function countsText(replicas: Replicas): string {
  return Object.entries(replicas)
    .map(([b, z]) => `${b} ${Object.values(z).join('/')}`)
    .join(' · ');
}

/** How sure the answer is, in words. */
export function exactText(goal: GoalSeekResult): string {
  if (goal.exact) return goal.objective === 'cost' ? 'proven lowest cost' : 'proven fewest replicas';
  return `best found within ${goal.evaluations.toLocaleString('en-US')} evaluations (not proven minimal)`;
}

/** The one P99 SLO every P99 objective of the design shares, or null when there is none or several differ. */
export function singleP99Slo(doc: Pick<Topology, 'slo'>): number | null {
  const limits = new Set(doc.slo.map((s) => s.p99Ms).filter((v): v is number => typeof v === 'number'));
  return limits.size === 1 ? ([...limits][0] ?? null) : null;
}

export interface ChartPoint {
  x: number;
  y: number;
  /** Index into `goal.frontier` for frontier points (the list and the click use it), else -1. */
  index: number;
  point: GoalPoint;
  /** What the point is, for the tooltip: "frontier point 2", "current design". */
  label: string;
}

export interface FrontierSeries {
  visited: ChartPoint[];
  infeasible: ChartPoint[];
  frontier: ChartPoint[];
  current: ChartPoint | null;
  answer: ChartPoint | null;
}

const at = (point: GoalPoint, label: string, index = -1): ChartPoint | null =>
  point.p99Ms === null ? null : { x: point.costMonthly, y: point.p99Ms, index, point, label };
const some = (p: ChartPoint | null): p is ChartPoint => p !== null;

/**
 * The chart's series: x = cost per month, y = worst-entry P99. Points without a latency are
 * left off (they have no place on the y axis); frontier points keep their index.
 */
export function frontierSeries(goal: GoalSeekResult, currentP99Ms: number | null): FrontierSeries {
  const current: GoalPoint = {
    replicas: currentReplicas(goal),
    totalReplicas: goal.currentReplicas,
    costMonthly: goal.currentCostMonthly,
    p99Ms: currentP99Ms,
    feasible: false,
  };
  return {
    visited: goal.visited
      .filter((p) => p.feasible)
      .map((p) => at(p, 'visited, meets every constraint'))
      .filter(some),
    infeasible: goal.visited
      .filter((p) => !p.feasible)
      .map((p) => at(p, 'visited, misses a constraint'))
      .filter(some),
    frontier: goal.frontier.map((p, i) => at(p, `frontier point ${i + 1} (click to preview)`, i)).filter(some),
    current: at(current, 'current design'),
    answer: at(answerPoint(goal), 'the answer'),
  };
}
