/** The cost–P99 frontier of goal seek's candidates, and the cap on the visited list. */
import type { GoalPoint } from './types.ts';

/** P99s this close count as equal on the frontier: within 0.5 % of the larger, or 0.1 ms. */
export const P99_SAME_RELATIVE = 0.005;
export const P99_SAME_ABSOLUTE_MS = 0.1;

/** Two P99s (ms; null = none) equal for the frontier's purposes. */
export function sameP99(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.max(P99_SAME_ABSOLUTE_MS, P99_SAME_RELATIVE * Math.max(a, b));
}

/** `a` is a real P99 improvement on `b`: lower, and not merely by a hair (see sameP99). */
export function betterP99(a: number | null, b: number | null): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return a < b && !sameP99(a, b);
}

/** a is at least as good as b on both cost and P99, and better on one (exact comparison). */
export function dominates(a: GoalPoint, b: GoalPoint): boolean {
  const pa = a.p99Ms ?? Number.POSITIVE_INFINITY;
  const pb = b.p99Ms ?? Number.POSITIVE_INFINITY;
  return a.costMonthly <= b.costMonthly && pa <= pb && (a.costMonthly < b.costMonthly || pa < pb);
}

/**
 * The cost–P99 frontier of the feasible points, by cost ascending: the cheapest (lowest P99 among
 * equal cost), then each costlier point only when it buys a real P99 improvement over the last one
 * kept (betterP99: P99s within 0.5 % or 0.1 ms count as equal). Every kept point has a P99 strictly
 * below every cheaper point's, so no point dominates it; every dropped point has a kept point no
 * costlier whose P99 is lower or the same within the tolerance.
 */
export function paretoFrontier(points: GoalPoint[]): GoalPoint[] {
  const p99 = (p: GoalPoint) => p.p99Ms ?? Number.POSITIVE_INFINITY;
  const sorted = points.filter((p) => p.feasible).sort((x, y) => x.costMonthly - y.costMonthly || p99(x) - p99(y));
  const out: GoalPoint[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (!last || betterP99(p.p99Ms, last.p99Ms)) out.push(p);
  }
  return out;
}

export const MAX_VISITED = 500;

/** At most MAX_VISITED points: the frontier and the answer always, then the rest in the order evaluated. */
export function capVisited(points: GoalPoint[], keep: GoalPoint[]): GoalPoint[] {
  if (points.length <= MAX_VISITED) return points;
  const must = new Set(keep);
  const room = MAX_VISITED - must.size;
  const rest = points.filter((p) => !must.has(p)).slice(0, Math.max(0, room));
  const chosen = new Set([...must, ...rest]);
  return points.filter((p) => chosen.has(p));
}
