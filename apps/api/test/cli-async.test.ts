/**
 * `busboard simulate` on async messaging (schema v3, issue 18): the streams summary in the JSON,
 * per-entry events, the backlog what-ifs and their usage errors. Figures by hand in the comments.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';

const BIN = inject('programs').cli;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('busboard simulate: streams and events', () => {
  it('--json adds "streams" {ingestRps, storageBytesPerDay, consumers {deliverRps, utilization, lagDrainSeconds}} and entry events', () => {
    const r = run('simulate', 'example:orders-events', '--event-burst', '10000', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const orders = out.streams.ORDERS;
    // 400 orders/s, one 1 KiB event each; a record is 1,024 + 14 (subject) + 30 B (file store).
    expect(orders.ingestRps).toBeCloseTo(400, 6);
    expect(orders.storageBytesPerDay).toBeCloseTo(400 * 1068 * 86_400, -3);
    // fulfil: 3 zones × 2 replicas × 4 workers at 12 ms: ρ = 400 × 0.012 / 24 = 0.2; the burst drains in
    // 10,000 / (24 × 1000/12 − 400) = 6.25 s.
    expect(orders.consumers.fulfil.deliverRps).toBeCloseTo(400, 6);
    expect(orders.consumers.fulfil.utilization).toBeCloseTo(0.2, 9);
    expect(orders.consumers.fulfil.lagDrainSeconds).toBeCloseTo(6.25, 9);
    const events = out.entries['http.ingress.core'].events;
    expect(events.publishedRps).toBeCloseTo(400, 6);
    expect(events.handlers.map((h: { handler: string }) => h.handler).sort()).toEqual(['ORDERS/fulfil', 'email.example', 'search.example']);
    for (const h of events.handlers) expect(h.latencyMs.p99).toBeGreaterThan(h.latencyMs.p50);
    expect(out.async.subscriptions.map((s: { deliverRps: number }) => s.deliverRps)).toEqual([400, 400]);
  });

  it('the text report has the subscriptions, the stream and the consumer with its drain time', () => {
    const r = run('simulate', 'example:orders-events', '--consumer-outage', '60');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('nats-us-east-1a-0* nats-us-east-1b-0 nats-us-east-1c-0');
    // 60 s × 400/s = 24,000 behind; 24,000 / 1,600 = 15 s.
    expect(r.stdout).toMatch(/ORDERS\/fulfil\s+400\.0\s+24\s+0\.200\s+\S+\s+\S+\s+24000\s+15\.0 s/);
    expect(r.stdout).toMatch(/email\.example\s+orders\.created\s+group email\.example\s+400\.0/);
  });

  it('refuses bad what-ifs and what-ifs with the DES', () => {
    expect(run('simulate', 'example:orders-events', '--event-burst', 'lots').stderr).toContain('--event-burst must be a whole number');
    expect(run('simulate', 'example:orders-events', '--consumer-outage', '-1').stderr).toContain('--consumer-outage must be a number of seconds');
    const des = run('simulate', 'example:orders-events', '--des', '--event-burst', '5');
    expect(des.status).toBe(2);
    expect(des.stderr).toContain('go with the analytic engine');
  });
});
