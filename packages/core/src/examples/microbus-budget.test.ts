/**
 * The Microbus time-budget example's claim (issue 17): with one zone failed, orders is past ρ 1
 * but sheds by timeouts — a finite timeout rate and a finite latency for the requests that
 * succeed — where the same design without a budget is "saturated: no latency"; and the calls to
 * recs, whose every replica was in the failed zone, fail after the ack timeout. Both engines.
 */
import { describe, expect, it } from 'vitest';
import { createDesRun } from '../des/run.ts';
import { simulate } from '../engine/simulate.ts';
import { parseTopology } from '../schema/validate.ts';
import { microbusBudget } from './microbus-budget.ts';

const parsed = parseTopology(microbusBudget);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const doc = parsed.doc;
const ENTRY = 'http.ingress.core';
const failZones = ['us-east-1c'];

describe('example microbus-budget', () => {
  it('all zones up: every SLO met, nothing times out', () => {
    const r = simulate(doc);
    expect(r.entries[ENTRY]?.slo?.met).toBe(true);
    expect(r.entries[ENTRY]?.timeoutRate ?? 1).toBeLessThan(1e-6);
  });

  it('without the budget the failed zone leaves orders saturated with no latency', () => {
    const bare = parseTopology({ ...microbusBudget, traffic: [{ entry: ENTRY, rps: 900 }], slo: [] });
    if (!bare.ok) throw new Error('bad');
    const r = simulate(bare.doc, { failZones });
    expect(r.services['orders.example']?.saturated).toBe(true);
    expect(r.entries[ENTRY]?.latencyMs).toBeNull();
  });

  it('with it (analytic): orders at ρ 1.125 times out 1 − 1/ρ of its requests, latency finite and inside the budget', () => {
    const r = simulate(doc, { failZones });
    const orders = r.services['orders.example'];
    expect(orders?.saturated).toBe(false);
    expect(orders?.utilization).toBeCloseTo(1.125, 6);
    expect(orders?.timeoutRate).toBeCloseTo(1 - 1 / 1.125, 3);
    const e = r.entries[ENTRY];
    expect(e?.latencyMs).not.toBeNull();
    expect(e?.latencyMs?.p99 ?? 1e9).toBeLessThan(1000);
    // recs (20 % of requests) fails by ack timeout, orders by timeouts: about 0.8 × (1 − 0.111).
    expect(e?.successRate).toBeCloseTo(0.8 * (1 / 1.125), 2);
    expect(e?.slo?.timeout?.met).toBe(false);
  });

  it('with it (DES): the same within its intervals or 3 points; failures show in well under the budget', () => {
    const d = createDesRun({ doc, seed: 3, requests: 600_000, failZones }).runToEnd();
    const a = simulate(doc, { failZones });
    const e = d.entries[ENTRY];
    expect(d.services['orders.example']?.saturated).toBe(false);
    expect(Math.abs((e?.successRate ?? 0) - (a.entries[ENTRY]?.successRate ?? 0))).toBeLessThan(0.03);
    expect(Math.abs((d.services['orders.example']?.timeoutRate ?? 0) - (a.services['orders.example']?.timeoutRate ?? 0))).toBeLessThan(0.03);
    expect(e?.latencyMs).not.toBeNull();
    expect(e?.latencyMs?.p99 ?? 1e9).toBeLessThan(1000);
    // A failed request learns it well inside its 1 s budget (250 ms ack timeouts, deadlines of about 500 ms at orders).
    expect(e?.failureLatencyMs ?? 1e9).toBeLessThan(800);
  });
});
