/**
 * The flow8 tier (issue 17): instances behind a least-connections load balancer, each holding
 * at most 100 requests (its channel pool). At today's load the pool is far from full; at twice
 * the traffic the instances are past their workers' capacity and the cap turns the overload into
 * 429s with a finite latency, not a saturated queue. Both engines say so, and agree on how many.
 */
import { describe, expect, it } from 'vitest';
import { createDesRun } from '../des/run.ts';
import { simulate } from '../engine/simulate.ts';
import { parseTopology } from '../schema/validate.ts';
import { getExample } from './index.ts';

const parsed = parseTopology(getExample('flow8-tier')?.doc);
if (!parsed.ok) throw new Error('flow8-tier does not parse');
const doc = parsed.doc;

describe('flow8 tier: least-connections and a 100-channel cap', () => {
  it('at today’s load the pool is nearly empty: no rejection, a few requests held per instance', () => {
    const r = simulate(doc);
    const api = r.services['api.flow8'];
    expect(api?.inFlight).toMatchObject({ maxInFlight: 100, routing: 'least-connections' });
    expect(api?.inFlight?.capRejectionRate ?? 1).toBeLessThan(1e-9);
    expect(api?.inFlight?.meanInFlight ?? 0).toBeGreaterThan(1);
    expect(api?.inFlight?.capUtilization ?? 1).toBeLessThan(0.05);
    expect(r.entries['lb.flow8']?.successRate).toBeCloseTo(1, 9);
    expect(r.entries['lb.flow8']?.slo?.met).toBe(true);
    const codes = api?.validity === 'ok' ? [] : (api?.validity ?? []).map((v) => v.code);
    expect(codes).toContain('least-connections-approx');
    expect(r.services['sessions.flow8']?.inFlight).toBeUndefined();
  });

  it('at twice the traffic the cap rejects instead of saturating, and the DES agrees on how many', () => {
    const a = simulate(doc, { scale: 2 });
    const api = a.services['api.flow8'];
    expect(api?.saturated).toBe(false);
    expect(api?.utilization ?? 0).toBeGreaterThan(1); // offered ρ, before the cap
    expect(a.entries['lb.flow8']?.latencyMs?.p99).toBeGreaterThan(0);
    expect(a.warnings.some((w) => w.code === 'rejecting' && w.path === 'services[1].maxInFlight')).toBe(true);
    const d = createDesRun({ doc, scale: 2, seed: 5, requests: 600_000 }).runToEnd();
    const dr = d.services['api.flow8']?.inFlight?.capRejectionRate ?? 0;
    // Measured (3M requests): DES 0.0717, analytic 0.0715; success 0.9283 and 0.9285.
    expect(dr).toBeGreaterThan(0.04);
    expect(Math.abs((api?.inFlight?.capRejectionRate ?? 0) - dr)).toBeLessThan(0.02);
    expect(Math.abs((a.entries['lb.flow8']?.successRate ?? 0) - (d.entries['lb.flow8']?.successRate ?? 1))).toBeLessThan(0.02);
    expect(d.services['api.flow8']?.inFlight?.meanInFlight ?? 0).toBeGreaterThan(30);
  });
});
