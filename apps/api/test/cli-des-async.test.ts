/**
 * `busboard simulate --des` on a design with streams (schema v3, issue 18): the DES's async
 * figures in the same JSON shape as the analytic path (`async`, entries' `events`, and the
 * `streams` summary), the burst what-if, and its refusal of a backlog too large to simulate.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';

const BIN = inject('programs').cli;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('busboard simulate --des with streams', () => {
  it('--json carries the same async figures as the analytic path, with intervals; --event-burst drains', () => {
    const d = run('simulate', 'example:orders-events', '--des', '--requests', '200000', '--seed', '3', '--event-burst', '10000', '--json');
    expect(d.status, d.stderr).toBe(0);
    const a = run('simulate', 'example:orders-events', '--event-burst', '10000', '--json');
    expect(a.status, a.stderr).toBe(0);
    const des = JSON.parse(d.stdout);
    const analytic = JSON.parse(a.stdout);
    expect(des.method).toBe('des');
    // One shape: the streams summary and the async result carry the same keys on both paths.
    expect(Object.keys(des.streams)).toEqual(Object.keys(analytic.streams));
    expect(Object.keys(des.streams.ORDERS).sort()).toEqual(Object.keys(analytic.streams.ORDERS).sort());
    expect(Object.keys(des.streams.ORDERS.consumers.fulfil).sort()).toEqual(Object.keys(analytic.streams.ORDERS.consumers.fulfil).sort());
    expect(Object.keys(des.async).sort()).toEqual(Object.keys(analytic.async).sort());
    expect(des.entries['http.ingress.core'].events.handlers.map((h: { handler: string }) => h.handler)).toEqual(
      analytic.entries['http.ingress.core'].events.handlers.map((h: { handler: string }) => h.handler),
    );
    // The burst: 10,000 messages drained at 24 × 83.3 − 400 = 1,600/s: 6.25 s (fluid), measured within 3 %.
    const fulfil = des.streams.ORDERS.consumers.fulfil;
    expect(fulfil.backlog).toBe(10_000);
    expect(Math.abs(fulfil.lagDrainSeconds - 6.25) / 6.25).toBeLessThan(0.03);
    expect(des.des.intervals['async.streams["ORDERS"].consumers["fulfil"].drainMs']).toHaveLength(2);
    expect(des.async.subscriptions[0].latency.latencyMs.ci.p99).toHaveLength(2);
  });

  it('a backlog the DES cannot hold message by message is a usage error that says what to do', () => {
    const r = run('simulate', 'example:orders-events', '--des', '--event-burst', '5000000', '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('at most 1,000,000');
    expect(r.stderr).toContain('the analytic engine');
  });
});
