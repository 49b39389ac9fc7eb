/**
 * Goal seek's exhaustive check on small designs (two bundles over two zones): every replica
 * vector no costlier than goal seek's answer is simulated (normal operation and each zone failed,
 * goal-check.ts) and none that meets every constraint is cheaper in the objective: `replicas`
 * (Σ counts) or `cost` (Σ counts × one replica's monthly price from designCost's bundle lines).
 */
import { expect } from 'vitest';
import { designCost } from '../src/cost/cost.ts';
import { simulate } from '../src/engine/simulate.ts';
import { goalSeek } from '../src/goal/seek.ts';
import type { GoalObjective } from '../src/goal/types.ts';
import type { Topology } from '../src/schema/topology.ts';
import { docOf } from './docs.ts';
import { shortfalls, type Targets } from './goal-check.ts';

export interface SmallCase {
  name: string;
  doc: () => Topology;
  targets: Targets;
  objective: GoalObjective;
}

const ZONES = [
  { name: 'a', region: 'r' },
  { name: 'b', region: 'r' },
];

/** web (front) calls api (back) once per request; 200 rps split 60/40 over the zones. */
export function design(
  routing: 'locality' | 'random',
  slo: object,
  back: { cpu: number; memoryMiB: number },
  front = { cpu: 1, memoryMiB: 1024 },
): Topology {
  return docOf({
    zones: ZONES,
    routing,
    services: [
      { name: 'web', serviceTimeMs: 4, workers: 2, calls: [{ to: 'api', perRequest: 1 }] },
      { name: 'api', serviceTimeMs: 9, workers: 1 },
    ],
    bundles: [
      { name: 'front', services: ['web'], replicas: { a: 1, b: 1 }, ...front },
      { name: 'back', services: ['api'], replicas: { a: 1, b: 1 }, ...back },
    ],
    traffic: [{ entry: 'web', rps: 200, zones: { a: 0.6, b: 0.4 } }],
    slo: [{ entry: 'web', ...slo }],
  });
}

function withCounts(doc: Topology, v: number[]): Topology {
  return {
    ...doc,
    bundles: doc.bundles.map((b, i) => ({ ...b, replicas: { a: v[2 * i] as number, b: v[2 * i + 1] as number } })),
  };
}

/** One replica's monthly compute price per bundle, from designCost's bundle lines (front, back). */
function units(doc: Topology): number[] {
  const one = withCounts(doc, [1, 0, 1, 0]);
  const c = designCost(one, simulate(one));
  return ['front', 'back'].map((name) => c.byBundle[name] as number);
}

/** Σ count × unit over [front a, front b, back a, back b]. */
const objectiveOf = (v: number[], unit: number[]) => v.reduce((s, n, i) => s + n * (unit[i < 2 ? 0 : 1] as number), 0);

/**
 * Every vector with counts ≥ 1 whose objective (Σ count × unit) is at most `limit`, and which of
 * them simulate finds meeting every constraint.
 */
function enumerate(doc: Topology, unit: number[], limit: number, targets: Targets) {
  const value = (v: number[]) => objectiveOf(v, unit);
  const out: { v: number[]; value: number; ok: boolean }[] = [];
  const k = Math.floor(limit / Math.min(...unit));
  for (let fa = 1; fa <= k; fa++)
    for (let fb = 1; fb <= k; fb++)
      for (let ba = 1; ba <= k; ba++)
        for (let bb = 1; bb <= k; bb++) {
          const v = [fa, fb, ba, bb];
          if (value(v) > limit + 1e-9) continue;
          out.push({ v, value: value(v), ok: shortfalls(withCounts(doc, v), targets).length === 0 });
        }
  return out;
}

/** Goal seek's answer is exact, meets every constraint, and no vector that does is cheaper. */
export function checkMinimal(c: SmallCase): void {
  const doc = c.doc();
  const g = goalSeek(doc, { objective: c.objective, rhoTarget: c.targets.rho, cpuTarget: c.targets.cpu, zoneFailure: c.targets.zoneFailure });
  expect(g.feasible).toBe(true);
  expect(g.exact).toBe(true);
  const v = [g.bundles.front?.replicas.a, g.bundles.front?.replicas.b, g.bundles.back?.replicas.a, g.bundles.back?.replicas.b] as number[];
  const answer = withCounts(doc, v);
  expect(shortfalls(answer, c.targets)).toEqual([]);
  const unit = c.objective === 'cost' ? units(doc) : [1, 1];
  const value = objectiveOf(v, unit);
  if (c.objective === 'cost') expect(g.costMonthly).toBeGreaterThanOrEqual(value - 1e-6);
  const all = enumerate(doc, unit, value, c.targets);
  const cheaper = all.filter((x) => x.ok && x.value < value - 1e-9);
  expect(cheaper).toEqual([]);
  expect(all.find((x) => x.v.join() === v.join())?.ok).toBe(true);
  // The bound mattered: some vectors at or below the answer's objective fail.
  expect(all.filter((x) => !x.ok).length).toBeGreaterThan(3);
  // Not trivially at the floor: the constraints bind.
  expect(g.totalReplicas).toBeGreaterThan(4);
}
