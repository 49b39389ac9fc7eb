/**
 * Bounded queues' properties (issue 17), seeded like properties.test.ts:
 * - a larger queueLimit never raises the rejection rate of a replica (whatever its method: exact
 *   M/M/c/K, exact M/G/1/K, M/PH/c/K, or the two-moment fallback past their size caps), across own-time
 *   cv, workers, ρ and a cache's hit/miss mixture — through the whole engine, on a service that is
 *   its own entry (a limit downstream changes what callees receive, so only there is it a law);
 * - with no queueLimit anywhere, a v1 document and the same document as v2 give the same
 *   simulate() output, whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDesign } from '../generate/design.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

const caseArb = fc.record({
  cv: fc.constantFrom(0, 0.25, 0.5, 1, 1.5, 2, 3),
  workers: fc.integer({ min: 1, max: 6 }),
  rho: fc.double({ min: 0.05, max: 3, noNaN: true }),
  limits: fc.array(fc.constantFrom(0, 1, 2, 3, 5, 8, 13, 30, 100, 400, 2000), { minLength: 2, maxLength: 4 }),
  cache: fc.option(fc.record({ hitTimeMs: fc.double({ min: 0.05, max: 4, noNaN: true }), zipf: fc.double({ min: 0, max: 1.2, noNaN: true }) }), {
    nil: undefined,
  }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** One service `s` on one replica, 5 ms own time, traffic at ρ (of the miss-only load when cached). */
function doc(c: Case, queueLimit: number): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
    services: [
      {
        name: 's',
        serviceTimeMs: 5,
        serviceTimeCv: c.cv,
        workers: c.workers,
        queueLimit,
        ...(c.cache
          ? { cache: { scope: 'perReplica', entriesPerReplica: 500, keySpace: 5000, zipf: c.cache.zipf, hitTimeMs: c.cache.hitTimeMs } }
          : {}),
      },
    ],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    traffic: [{ entry: 's', rps: (c.rho * c.workers * 1000) / 5 }],
  } as TopologyInput;
}

describe('bounded queues: properties', () => {
  it('a larger queueLimit never raises the rejection rate (cv, workers, ρ, caches; every method)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const limits = [...new Set(c.limits)].sort((a, b) => a - b);
        let prev = Number.POSITIVE_INFINITY;
        for (const n of limits) {
          const p = parseTopology(doc(c, n));
          if (!p.ok) throw new Error(p.problems[0]?.message);
          const s = simulate(p.doc).services.s;
          const r = s?.rejectionRate ?? Number.NaN;
          if (!(r <= prev * (1 + 1e-9) + 1e-15)) return false;
          prev = r;
        }
        return true;
      }),
      { seed: 1717, numRuns: 120 },
    );
  });

  it('with no queueLimit anywhere, a v1 document and the same document as v2 give the same simulate() output, whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 40 }), fc.constantFrom(0.5, 1, 1.6), (seed, services, scale) => {
        const v2 = generateDesign({ services, seed });
        const v1 = { ...v2, schema: 'busboard.topology/v1' };
        const a = parseTopology(v1);
        const b = parseTopology(v2);
        if (!a.ok || !b.ok) throw new Error('invalid');
        expect(a.doc.schema).toBe(b.doc.schema);
        expect(simulate(a.doc, { scale })).toEqual(simulate(b.doc, { scale }));
      }),
      { seed: 1718, numRuns: 20 },
    );
  });
});
