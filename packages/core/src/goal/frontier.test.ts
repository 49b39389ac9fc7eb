/**
 * The frontier builder on hand-made points: a costlier point must buy a real P99 improvement
 * (P99s within 0.5 % or 0.1 ms count as equal), checked against a brute-force reading of the rule.
 */
import { describe, expect, it } from 'vitest';
import { dominates, paretoFrontier, sameP99 } from './frontier.ts';
import type { GoalPoint } from './types.ts';

const pt = (costMonthly: number, p99Ms: number | null, feasible = true): GoalPoint => ({
  replicas: { b: { z: Math.round(costMonthly) } },
  totalReplicas: Math.round(costMonthly),
  costMonthly,
  p99Ms,
  feasible,
});

/** The rule, stated independently: every pair of consecutive points and every dropped point. */
function checkFrontier(points: GoalPoint[], frontier: GoalPoint[]) {
  for (let i = 1; i < frontier.length; i++) {
    const a = frontier[i - 1] as GoalPoint;
    const b = frontier[i] as GoalPoint;
    expect(b.costMonthly).toBeGreaterThan(a.costMonthly);
    const pa = a.p99Ms ?? Number.POSITIVE_INFINITY;
    const pb = b.p99Ms ?? Number.POSITIVE_INFINITY;
    // A real improvement: more than 0.1 ms and more than 0.5 % of the larger.
    expect(pa - pb).toBeGreaterThan(Math.max(0.1, 0.005 * pa));
  }
  const feasible = points.filter((p) => p.feasible);
  for (const f of frontier) {
    expect(f.feasible).toBe(true);
    for (const q of feasible) expect(dominates(q, f)).toBe(false);
  }
  for (const p of feasible) {
    if (frontier.includes(p)) continue;
    // Dropped: some frontier point is no costlier and its P99 is lower or the same within the tolerance.
    const cover = frontier.some(
      (f) => f.costMonthly <= p.costMonthly && ((f.p99Ms ?? Infinity) <= (p.p99Ms ?? Infinity) || sameP99(f.p99Ms, p.p99Ms)),
    );
    expect(cover).toBe(true);
  }
}

describe('paretoFrontier', () => {
  it('drops a costlier point whose P99 is the same at the shown precision', () => {
    const a = pt(1265.8, 33.31);
    const b = pt(1312.19, 33.27); // lower by 0.04 ms: a hair
    const c = pt(1400, 30.1);
    const f = paretoFrontier([b, a, c]);
    expect(f).toEqual([a, c]);
    checkFrontier([a, b, c], f);
  });

  it('the tolerance is 0.5 % of the larger P99, or 0.1 ms when that is more', () => {
    expect(sameP99(200, 199)).toBe(true); // 1 ms ≤ 0.5 % of 200
    expect(sameP99(200, 198.9)).toBe(false);
    expect(sameP99(10, 9.9)).toBe(true); // 0.1 ms > 0.5 % of 10
    expect(sameP99(10, 9.89)).toBe(false);
    expect(paretoFrontier([pt(1, 200), pt(2, 199)]).map((p) => p.costMonthly)).toEqual([1]);
    expect(paretoFrontier([pt(1, 200), pt(2, 198.9)]).map((p) => p.costMonthly)).toEqual([1, 2]);
  });

  it('measures against the last kept point, so small steps cannot creep onto the frontier', () => {
    const pts = [pt(1, 100), pt(2, 99.6), pt(3, 99.2), pt(4, 98.8), pt(5, 98.4)];
    const f = paretoFrontier(pts);
    expect(f.map((p) => p.costMonthly)).toEqual([1, 3, 5]);
    checkFrontier(pts, f);
  });

  it('keeps infeasible points off, the lower P99 of equal costs, and a point without a latency only when cheapest', () => {
    const pts = [pt(5, 50, false), pt(10, null), pt(10, 80), pt(10, 70), pt(20, null), pt(30, 40)];
    const f = paretoFrontier(pts);
    expect(f.map((p) => [p.costMonthly, p.p99Ms])).toEqual([
      [10, 70],
      [30, 40],
    ]);
    checkFrontier(pts, f);
  });

  it('holds the rule on random clouds of points', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 200; k++) {
      const pts = Array.from({ length: 30 }, () => pt(Math.round(rnd() * 50) * 10, 20 + Math.round(rnd() * 400) / 10, rnd() > 0.2));
      checkFrontier(pts, paretoFrontier(pts));
    }
  });
});
