/**
 * Goal seek with the objective cost on the examples: never dearer in compute (designCost of the
 * applied design, simulated) than the fewest replicas, and simulate finds every constraint met.
 */
import { describe, expect, it } from 'vitest';
import { shortfalls } from '../../test/goal-check.ts';
import { designCost } from '../cost/cost.ts';
import { simulate } from '../engine/simulate.ts';
import { EXAMPLES } from '../examples/index.ts';
import type { Topology } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { applyReplicas, goalSeek } from './seek.ts';
import type { GoalSeekResult } from './types.ts';

function parse(input: unknown): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const replicasOf = (g: GoalSeekResult) => Object.fromEntries(Object.entries(g.bundles).map(([b, x]) => [b, x.replicas]));
const compute = (d: Topology) => designCost(d, simulate(d)).totals.compute;

describe('goal seek for the lowest cost on the examples', () => {
  for (const ex of EXAMPLES) {
    const doc = parse(ex.doc);
    if (doc.slo.length === 0) continue;
    it(`${ex.id}: no dearer than the fewest replicas, and every constraint met`, () => {
      const fewest = parse(applyReplicas(ex.doc, replicasOf(goalSeek(doc))));
      const c = goalSeek(doc, { objective: 'cost' });
      const cheapest = parse(applyReplicas(ex.doc, replicasOf(c)));
      expect(compute(cheapest)).toBeLessThanOrEqual(compute(fewest) + 1e-6);
      const hopeless = doc.zones
        .map((z) => z.name)
        .filter((z) => c.reasons.some((r) => r.startsWith(`with ${z} down:`) && r.includes('no live replica')));
      expect(shortfalls(cheapest, undefined, hopeless)).toEqual([]);
    });
  }
});
