/**
 * The analytic engine against the DES on the orders-with-events example (schema v3, issue 18;
 * AGREEMENT.md "Async messaging"): every async figure both fill, with pinned seeds. Rates and
 * storage agree to rounding (both run the same forced flow); latencies within 3 %; the consumer's
 * utilization and ack pending inside the DES's interval; the drain after a burst within 3 %.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import type { SimulationResult } from '../engine/types.ts';
import { ordersEvents } from '../examples/orders-events.ts';
import { parseTopology } from '../schema/validate.ts';
import { createDesRun } from './run.ts';

function both(whatIf?: { eventBurst?: number; consumerOutageSeconds?: number }) {
  const parsed = parseTopology(ordersEvents);
  if (!parsed.ok) throw new Error('orders-events is invalid');
  const options = whatIf ? { async: whatIf } : {};
  const analytic = simulate(parsed.doc, options) as SimulationResult;
  const des = createDesRun({ doc: parsed.doc, seed: 'async-agreement', requests: 600_000, ...options }).runToEnd();
  return { analytic, des };
}

const near = (a: number | undefined, d: number | undefined, tol: number) =>
  a !== undefined && d !== undefined && Math.abs(a - d) <= tol * Math.abs(d);

describe('orders-with-events: analytic vs DES', () => {
  it('rates, storage, publish ack and every handler latency agree', () => {
    const { analytic: a, des: d } = both();
    expect(d.async).toBeDefined();
    for (const [subject, s] of Object.entries(d.async?.subjects ?? {}))
      expect(near(a.async?.subjects[subject]?.publishRps, s.publishRps, 1e-6)).toBe(true);
    d.async?.subscriptions.forEach((s, k) => {
      const as = a.async?.subscriptions[k];
      expect(near(as?.deliverRps, s.deliverRps, 1e-6), s.service).toBe(true);
      expect(near(as?.latency.latencyMs?.mean, s.latency.latencyMs?.mean, 0.03), `${s.service} mean`).toBe(true);
      expect(near(as?.latency.latencyMs?.p99, s.latency.latencyMs?.p99, 0.03), `${s.service} p99`).toBe(true);
    });
    const st = d.async?.streams.ORDERS;
    const ast = a.async?.streams.ORDERS;
    expect(near(ast?.storageBytesPerDay, st?.storageBytesPerDay, 1e-6)).toBe(true);
    expect(near(ast?.publishAckMs, st?.publishAckMs, 1e-9)).toBe(true);
    expect(near(ast?.crossZoneBytesPerSec, st?.crossZoneBytesPerSec, 1e-6)).toBe(true);
    expect(st?.replicas.map((r) => [r.server, r.role])).toEqual(ast?.replicas.map((r) => [r.server, r.role]));
    const c = st?.consumers.fulfil;
    const ac = ast?.consumers.fulfil;
    const p = 'async.streams["ORDERS"].consumers["fulfil"]';
    const iv = d.des.intervals;
    expect(ac?.utilization).toBeGreaterThanOrEqual(iv[`${p}.utilization`]?.[0] as number);
    expect(ac?.utilization).toBeLessThanOrEqual(iv[`${p}.utilization`]?.[1] as number);
    expect(near(ac?.meanAckPending ?? undefined, c?.meanAckPending ?? undefined, 0.02)).toBe(true);
    expect(near(ac?.latency.latencyMs?.mean, c?.latency.latencyMs?.mean, 0.03)).toBe(true);
    expect(near(ac?.latency.latencyMs?.p99, c?.latency.latencyMs?.p99, 0.03)).toBe(true);
    // The entry waits for its publish ack: both add the same stream ack to the request.
    const entry = 'http.ingress.core';
    expect(near(a.entries[entry]?.latencyMs?.mean, d.entries[entry]?.latencyMs?.mean, 0.02)).toBe(true);
    expect(near(a.entries[entry]?.events?.publishedRps, d.entries[entry]?.events?.publishedRps, 1e-6)).toBe(true);
  });

  it('a burst of 10,000 events: the same backlog, drained in the fluid time within 3 %', () => {
    const { analytic: a, des: d } = both({ eventBurst: 10_000 });
    const c = d.async?.streams.ORDERS?.consumers.fulfil;
    const ac = a.async?.streams.ORDERS?.consumers.fulfil;
    expect(c?.backlog).toBe(10_000);
    expect(ac?.backlog).toBe(10_000);
    expect(near(ac?.lagDrainSeconds ?? undefined, c?.lagDrainSeconds ?? undefined, 0.03)).toBe(true);
  });
});
