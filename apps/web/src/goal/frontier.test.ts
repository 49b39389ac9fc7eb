import type { GoalPoint, GoalSeekResult } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { answerPoint, countsText, exactText, frontierSeries, previewRows, sameReplicas, singleP99Slo } from './frontier.ts';

/** A small hand-made result: web 2/2 → 1/1 (ρ binds), api 3/3 kept (an SLO binds with zone a down). */
const pt = (web: number, api: number, cost: number, p99: number | null, feasible = true): GoalPoint => ({
  replicas: { web: { a: web, b: web }, api: { a: api, b: api } },
  totalReplicas: 2 * (web + api),
  costMonthly: cost,
  p99Ms: p99,
  feasible,
});
const fixture: GoalSeekResult = {
  objective: 'replicas',
  options: { objective: 'replicas', scale: 1, rhoTarget: 0.7, cpuTarget: 0.7, zoneFailure: true },
  bundles: {
    web: {
      current: { a: 2, b: 2 },
      replicas: { a: 1, b: 1 },
      zones: {
        a: { current: 2, replicas: 1, binds: { kind: 'rho', detail: 'ρ of web.x ≤ 0.7 (0.9 with 0)' } },
        b: { current: 2, replicas: 1, binds: { kind: 'floor', detail: 'one replica per zone used' } },
      },
    },
    api: {
      current: { a: 3, b: 3 },
      replicas: { a: 3, b: 3 },
      zones: {
        a: { current: 3, replicas: 3, binds: { kind: 'zone-down', detail: 'P99 of web.x ≤ 200 ms with b down (240 ms)' } },
        b: { current: 3, replicas: 3, binds: { kind: 'slo', detail: 'P99 of web.x ≤ 200 ms (210 ms)' } },
      },
    },
  },
  totalReplicas: 8,
  currentReplicas: 10,
  costMonthly: 400,
  currentCostMonthly: 500,
  currency: 'USD',
  feasible: true,
  reasons: [],
  binding: { kind: 'slo', detail: 'P99 of web.x ≤ 200 ms (190 ms)' },
  exact: true,
  evaluations: 42,
  frontier: [pt(1, 3, 400, 190), pt(2, 3, 500, 150), pt(2, 4, 600, 120)],
  visited: [pt(1, 3, 400, 190), pt(1, 2, 300, 400, false), pt(2, 3, 500, 150), pt(2, 4, 600, 120), pt(1, 1, 200, null, false), pt(3, 4, 700, 119)],
};

describe('goal seek as the dialog shows it', () => {
  it('compares replica maps zone by zone, a missing zone counting as none', () => {
    expect(sameReplicas({ w: { a: 1, b: 0 } }, { w: { a: 1 } })).toBe(true);
    expect(sameReplicas({ w: { a: 1 } }, { w: { a: 2 } })).toBe(false);
    expect(sameReplicas({ w: { a: 1 } }, { w: { a: 1 }, v: { a: 1 } })).toBe(false);
  });

  it('previews the answer with what binds each zone, and a frontier point with its counts only', () => {
    const rows = previewRows(fixture, answerPoint(fixture));
    expect(rows.map((r) => [r.bundle, r.zone, r.before, r.after, r.binds?.kind])).toEqual([
      ['web', 'a', 2, 1, 'rho'],
      ['web', 'b', 2, 1, 'floor'],
      ['api', 'a', 3, 3, 'zone-down'],
      ['api', 'b', 3, 3, 'slo'],
    ]);
    const other = previewRows(fixture, fixture.frontier[2] as GoalPoint);
    expect(other.map((r) => [r.bundle, r.zone, r.before, r.after, r.binds])).toEqual([
      ['web', 'a', 2, 2, null],
      ['web', 'b', 2, 2, null],
      ['api', 'a', 3, 4, null],
      ['api', 'b', 3, 4, null],
    ]);
  });

  it('finds the answer’s P99 among the evaluated designs', () => {
    expect(answerPoint(fixture)).toMatchObject({ totalReplicas: 8, costMonthly: 400, p99Ms: 190, feasible: true });
  });

  it('splits the chart into visited, infeasible and frontier points; a design without a latency has no place', () => {
    const s = frontierSeries(fixture, 150);
    expect(s.visited.map((p) => [p.x, p.y])).toEqual([
      [400, 190],
      [500, 150],
      [600, 120],
      [700, 119],
    ]);
    expect(s.infeasible.map((p) => [p.x, p.y])).toEqual([[300, 400]]);
    expect(s.frontier.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(s.frontier[1]?.label).toBe('frontier point 2 (click to preview)');
    expect(s.current).toMatchObject({ x: 500, y: 150 });
    expect(s.answer).toMatchObject({ x: 400, y: 190 });
    expect(frontierSeries(fixture, null).current).toBeNull();
  });

  it('says plainly how sure the answer is', () => {
    expect(exactText(fixture)).toBe('proven fewest replicas');
    expect(exactText({ ...fixture, objective: 'cost' })).toBe('proven lowest cost');
    expect(exactText({ ...fixture, exact: false, evaluations: 2000 })).toBe('best found within 2,000 evaluations (not proven minimal)');
  });

  it('draws the SLO only when one P99 limit applies', () => {
    expect(singleP99Slo({ slo: [{ entry: 'a', p99Ms: 200 }] } as never)).toBe(200);
    expect(
      singleP99Slo({
        slo: [
          { entry: 'a', p99Ms: 200 },
          { entry: 'b', p99Ms: 200 },
        ],
      } as never),
    ).toBe(200);
    expect(
      singleP99Slo({
        slo: [
          { entry: 'a', p99Ms: 200 },
          { entry: 'b', p99Ms: 300 },
        ],
      } as never),
    ).toBeNull();
    expect(singleP99Slo({ slo: [{ entry: 'a', p95Ms: 300 }] } as never)).toBeNull();
  });

  it('writes counts per bundle in zone order', () => {
    expect(countsText(fixture.bundles.web ? { web: fixture.bundles.web.replicas } : {})).toBe('web 1/1');
  });
});
