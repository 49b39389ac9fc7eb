/** The cost–P99 frontier of goal seek's candidates, and the cap on the visited list. */
import type { GoalPoint } from './types.ts';

/** a is at least as good as b on both cost and P99, and better on one. */
export function dominates(a: GoalPoint, b: GoalPoint): boolean {
  const pa = a.p99Ms ?? Number.POSITIVE_INFINITY;
  const pb = b.p99Ms ?? Number.POSITIVE_INFINITY;
  return a.costMonthly <= b.costMonthly && pa <= pb && (a.costMonthly < b.costMonthly || pa < pb);
}

/** The feasible points no other feasible point dominates, by cost ascending (then P99); duplicates once. */
export function paretoFrontier(points: GoalPoint[]): GoalPoint[] {
  const feasible = points.filter((p) => p.feasible);
  const out = feasible.filter((p) => !feasible.some((q) => q !== p && dominates(q, p)));
  out.sort((x, y) => x.costMonthly - y.costMonthly || (x.p99Ms ?? Number.POSITIVE_INFINITY) - (y.p99Ms ?? Number.POSITIVE_INFINITY));
  // Equal cost and P99 (different spreads): keep the first.
  return out.filter((p, i) => {
    const prev = out[i - 1];
    return !prev || prev.costMonthly !== p.costMonthly || prev.p99Ms !== p.p99Ms;
  });
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
