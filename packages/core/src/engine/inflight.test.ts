/**
 * In-flight caps and least-connections in the analytic engine (inflight.ts, cap-blocking.ts):
 * properties a capacity planner relies on. Closed forms and DES agreement are in
 * des/routing.test.ts and examples/flow8-tier.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateDesign } from '../generate/design.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

const ZERO = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

function tier(o: { rps: number; n: number; c: number; cap?: number; lc?: boolean; ext?: boolean }) {
  const input: TopologyInput = {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: ZERO,
    routing: 'random',
    externals: [{ name: 'x', latencyMs: 20, latencyCv: 1 }],
    services: [
      {
        name: 'api',
        serviceTimeMs: 5,
        workers: o.c,
        ...(o.cap === undefined ? {} : { maxInFlight: o.cap }),
        ...(o.lc ? { routing: 'least-connections' as const } : {}),
        calls: o.ext ? [{ to: 'ext:x' }] : [],
      },
    ],
    bundles: [{ name: 'b', services: ['api'], replicas: { a: o.n } }],
    traffic: [{ entry: 'api', rps: o.rps }],
  };
  const p = parseTopology(input);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.doc;
}

describe('in-flight caps and least-connections (analytic)', () => {
  it.each([
    ['a leaf', { rps: 600, n: 1, c: 2 }],
    ['across a call, worker line inside the cap', { rps: 360, n: 1, c: 2, ext: true }],
    ['least-connections pool across a call', { rps: 2400, n: 3, c: 4, lc: true, ext: true }],
  ])('a larger cap never rejects more: %s', (_, o) => {
    let last = 1;
    for (let cap = 1; cap <= 40; cap++) {
      const r = simulate(tier({ ...o, cap })).services.api;
      const rate = r?.rejectionRate ?? 1;
      expect(rate, `cap ${cap}`).toBeLessThanOrEqual(last + 1e-9);
      expect(r?.saturated).toBe(false);
      last = rate;
    }
  });

  it('least-connections over one replica is the queue group exactly (M/M/c)', () => {
    const a = simulate(tier({ rps: 300, n: 1, c: 2, lc: true })).services.api;
    const b = simulate(tier({ rps: 300, n: 1, c: 2 })).services.api;
    expect(a?.sojournMs).toEqual(b?.sojournMs);
    expect(b?.inFlight).toBeUndefined();
    expect(a?.inFlight?.meanInFlight).toBeCloseTo(b?.replicasDetail[0]?.meanInSystem ?? 0, 12);
  });

  it('least-connections never waits longer than the queue group, and the pool alone is below it', () => {
    for (const rho of [0.3, 0.6, 0.9]) {
      const rps = rho * 4 * 200;
      const lc = simulate(tier({ rps, n: 4, c: 1, lc: true })).services.api?.sojournMs?.mean ?? 0;
      const random = simulate(tier({ rps, n: 4, c: 1 })).services.api?.sojournMs?.mean ?? 0;
      expect(lc).toBeLessThan(random);
      expect(lc).toBeGreaterThan(5);
    }
  });

  it('a design without the fields reports no in-flight figures, and its figures are untouched by them elsewhere', () => {
    const doc = parseTopology(generateDesign({ services: 40, seed: 3 }));
    if (!doc.ok) throw new Error('generated design invalid');
    const r = simulate(doc.doc);
    expect(JSON.stringify(r)).not.toContain('inFlight');
    expect(JSON.stringify(r)).not.toContain('meanInFlight');
  });
});
