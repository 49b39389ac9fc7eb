import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

function doc(input: TopologyInput) {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

describe('load and utilization', () => {
  it('MODEL.md §3: 3 replicas × 2 workers, 900 rps, 5 ms, random dispatch → ρ 0.75 per replica', () => {
    const d = doc({
      schema: 'busboard.topology/v1',
      zones: [{ name: 'a', region: 'r' }],
      routing: 'random',
      services: [{ name: 'svc', serviceTimeMs: 5, workers: 2 }],
      bundles: [{ name: 'b', services: ['svc'], replicas: { a: 3 } }],
      traffic: [{ entry: 'svc', rps: 900 }],
    });
    const r = simulate(d);
    const s = r.services.svc;
    expect(s?.replicas).toBe(3);
    expect(s?.replicasDetail).toHaveLength(3);
    for (const rep of s?.replicasDetail ?? []) {
      expect(rep.arrivalRps).toBeCloseTo(300, 9);
      expect(rep.utilization).toBeCloseTo(0.75, 9);
    }
    expect(s?.saturated).toBe(false);
  });

  it('follows calls with fractional perRequest down the graph (forced flow)', () => {
    const d = doc({
      schema: 'busboard.topology/v1',
      zones: [{ name: 'a', region: 'r' }],
      services: [
        {
          name: 'a',
          serviceTimeMs: 1,
          calls: [
            { to: 'b', perRequest: 2.5 },
            { to: 'c', perRequest: 0.2 },
          ],
        },
        { name: 'b', serviceTimeMs: 1, calls: [{ to: 'c', perRequest: 1 }] },
        { name: 'c', serviceTimeMs: 1 },
      ],
      bundles: [{ name: 'x', services: ['a', 'b', 'c'], replicas: { a: 1 } }],
      traffic: [
        { entry: 'a', rps: 10 },
        { entry: 'a', rps: 30 },
      ],
    });
    const r = simulate(d);
    expect(r.services.a?.arrivalRps).toBeCloseTo(40);
    expect(r.services.b?.arrivalRps).toBeCloseTo(100);
    expect(r.services.c?.arrivalRps).toBeCloseTo(108);
  });

  it('adding replicas to a bundle lowers the utilization of its services', () => {
    const d = doc(EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput);
    const before = simulate(d).services['cart.checkout']?.utilization ?? 0;
    const shop = d.bundles.find((b) => b.name === 'shop');
    if (!shop) throw new Error('fixture');
    shop.replicas['us-west-2a'] = 4;
    const after = simulate(d).services['cart.checkout']?.utilization ?? 0;
    expect(after).toBeLessThan(before);
  });

  it('a failed zone removes its replicas; a bundle with none left leaves its services unavailable', () => {
    const d = doc({
      schema: 'busboard.topology/v1',
      zones: [
        { name: 'a', region: 'r' },
        { name: 'b', region: 'r' },
      ],
      services: [{ name: 's', serviceTimeMs: 1 }],
      bundles: [{ name: 'x', services: ['s'], replicas: { a: 2 } }],
      traffic: [{ entry: 's', rps: 10 }],
    });
    expect(simulate(d, { failZones: ['b'] }).services.s?.replicas).toBe(2);
    const down = simulate(d, { failZones: ['a'] }).services.s;
    expect(down?.unavailable).toBe(true);
    expect(down?.replicas).toBe(0);
  });
});
