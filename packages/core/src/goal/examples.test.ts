/**
 * Goal seek on the examples: never more replicas than the recommendation, and the answer meets
 * every constraint by simulate's own figures (normal operation and each zone failed, see
 * test/goal-check.ts), independent of goal seek's own checker.
 */
import { describe, expect, it } from 'vitest';
import { shortfalls } from '../../test/goal-check.ts';
import { recommend } from '../engine/recommend/index.ts';
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

describe('goal seek on the examples', () => {
  for (const ex of EXAMPLES) {
    const doc = parse(ex.doc);
    if (doc.slo.length === 0) continue;
    it(`${ex.id}: no more replicas than the recommendation, and simulate finds every constraint met`, () => {
      const g = goalSeek(doc);
      const rec = recommend(doc);
      expect(g.totalReplicas).toBeLessThanOrEqual(rec.totalReplicas);
      const applied = parse(applyReplicas(ex.doc, replicasOf(g)));
      // Scenarios no count can fix (a bundle that runs in one zone only) are named and left out.
      const hopeless = doc.zones
        .map((z) => z.name)
        .filter((z) => g.reasons.some((r) => r.startsWith(`with ${z} down:`) && r.includes('no live replica')));
      expect(shortfalls(applied, undefined, hopeless)).toEqual([]);
      expect(g.feasible).toBe(hopeless.length === 0 && doc.zones.length > 1);
      for (const b of Object.values(g.bundles)) for (const z of Object.values(b.zones)) expect(z.binds.detail.length).toBeGreaterThan(10);
    });
  }
});
