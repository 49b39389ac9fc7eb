/**
 * Core-NATS subscriptions in the DES (des/events.ts, des/async-plan.ts): the copies each
 * subscriber receives against rates worked out by hand, and the load of a subscription on the
 * subscriber's own requests against Erlang C at the combined rate. Pinned seeds; every figure
 * inside the DES's 99 % interval.
 */
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { inside, mmc, runDoc, ZERO_NETWORK } from './async-test-docs.ts';

/**
 * `pub` takes 200 rps and publishes `orders.created` 1.5 times per request (300 events/s). Five
 * subscriptions, `routing: random`:
 * - `svc` (3 replicas, no delivery: one copy per service shared by its replicas): 300/s;
 * - `rep` (3 replicas, delivery replica: a copy per replica): 900/s;
 * - `ga` (2 replicas) and `gb` (1 replica) in queue group `g`: one copy per group, to one of
 *   the 3 replicas at random: 200/s and 100/s;
 * - `wild` on `orders.>` and `other` on `payments.*` (no match): 300/s and 0.
 */
const FANOUT: TopologyInput = {
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  network: ZERO_NETWORK,
  routing: 'random',
  services: [
    { name: 'pub', serviceTimeMs: 0.1, workers: 16, publishes: [{ subject: 'orders.created', perRequest: 1.5 }] },
    { name: 'svc', serviceTimeMs: 1, workers: 2, subscribes: [{ subject: 'orders.created' }] },
    { name: 'rep', serviceTimeMs: 1, workers: 2, subscribes: [{ subject: 'orders.created', delivery: 'replica' }] },
    { name: 'ga', serviceTimeMs: 1, workers: 2, subscribes: [{ subject: 'orders.created', queueGroup: 'g' }] },
    { name: 'gb', serviceTimeMs: 1, workers: 2, subscribes: [{ subject: 'orders.created', queueGroup: 'g' }] },
    { name: 'wild', serviceTimeMs: 0.5, workers: 2, subscribes: [{ subject: 'orders.>' }, { subject: 'payments.*' }] },
  ],
  bundles: [
    { name: 'p', services: ['pub'], replicas: { a: 1 } },
    { name: 'b-svc', services: ['svc'], replicas: { a: 3 } },
    { name: 'b-rep', services: ['rep'], replicas: { a: 3 } },
    { name: 'b-ga', services: ['ga'], replicas: { a: 2 } },
    { name: 'b-gb', services: ['gb'], replicas: { a: 1 } },
    { name: 'b-wild', services: ['wild'], replicas: { a: 1 } },
  ],
  traffic: [{ entry: 'pub', rps: 200 }],
};

describe('fan-out: copies per subscriber', () => {
  it('service, replica and shared queue-group delivery receive the rates worked out by hand', () => {
    const r = runDoc(FANOUT, 21, 300_000);
    const subs = r.async?.subscriptions ?? [];
    const expected: Record<string, number> = { svc: 300, rep: 900, ga: 200, gb: 100, 'wild#0': 300, 'wild#1': 0 };
    expect(subs.map((s) => `${s.service}#${s.index}`)).toEqual(['svc#0', 'rep#0', 'ga#0', 'gb#0', 'wild#0', 'wild#1']);
    subs.forEach((s, k) => {
      const want = expected[s.service] ?? expected[`${s.service}#${s.index}`];
      const ci = r.des.intervals[`async.subscriptions[${k}].deliverRps`];
      if (want === 0) expect(s.deliverRps).toBe(0);
      else expect(inside(want as number, ci), `${s.service}#${s.index}: ${s.deliverRps} ${ci}`).toBe(true);
    });
    expect(subs.map((s) => [s.delivery, s.queueGroup])).toEqual([
      ['service', 'svc'],
      ['replica', null],
      ['service', 'g'],
      ['service', 'g'],
      ['service', 'wild'],
      ['service', 'wild'],
    ]);
    expect(inside(300, r.des.intervals['async.publishes[0]'])).toBe(true);
    expect(r.async?.subjects['orders.created']?.publishRps).toBeCloseTo(300, -1);
    expect(r.entries.pub?.events?.handlers.map((h) => h.handler)).toEqual(['svc', 'rep', 'ga', 'gb', 'wild']);
    // Each replica of `rep` handles 300/s at 1 ms on 2 workers (ρ 0.15): its utilization, measured.
    const rep = r.services.rep?.replicasDetail ?? [];
    for (const [k, d] of rep.entries())
      expect(inside(0.15, r.des.intervals[`services["rep"].replicasDetail[${k}].utilization`]), `rep #${k} ρ ${d.utilization}`).toBe(true);
  });
});

describe("a subscription's load on the subscriber's requests", () => {
  it("requests and event copies share the replica's workers: its requests wait as in M/M/c at the combined rate", () => {
    // `s` serves 120 rps of its own requests and 120 copies/s of `pub`'s events, both 10 ms
    // exponential (the subscription's own time is the service's), on 3 workers of one replica.
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      network: ZERO_NETWORK,
      services: [
        { name: 'pub', serviceTimeMs: 0.1, workers: 16, publishes: [{ subject: 'x.y' }] },
        { name: 's', serviceTimeMs: 10, workers: 3, subscribes: [{ subject: 'x.y' }] },
      ],
      bundles: [
        { name: 'p', services: ['pub'], replicas: { a: 1 } },
        { name: 'b', services: ['s'], replicas: { a: 1 } },
      ],
      traffic: [
        { entry: 'pub', rps: 120 },
        { entry: 's', rps: 120 },
      ],
    };
    // λ = 240/s, S = 10 ms, c = 3: a = 2.4, ρ 0.8; C = 0.6472, Wq = 10.79 ms, W = 20.79 ms. Without the copies
    // (M/M/3 at 120/s) W would be 10.7 ms.
    const exact = mmc(240, 10, 3);
    expect(exact.sojournMs).toBeCloseTo(20.79, 1);
    expect(mmc(120, 10, 3).sojournMs).toBeLessThan(11);
    const r = runDoc(doc, 22, 1_000_000);
    const lat = r.entries.s?.latencyMs;
    expect(inside(exact.sojournMs, lat?.ci?.mean)).toBe(true);
    // The event copies see the same line: publish → handled is the same M/M/3 sojourn.
    const ev = r.async?.subscriptions[0]?.latency.latencyMs;
    expect(inside(exact.sojournMs, ev?.ci?.mean)).toBe(true);
    // Utilization counts both: 0.8.
    expect(inside(0.8, r.des.intervals['services["s"].replicasDetail[0].utilization'])).toBe(true);
  });

  it('a subscriber the copies push past ρ 1 is saturated: its requests have no latency, its events none either', () => {
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      network: ZERO_NETWORK,
      services: [
        { name: 'pub', serviceTimeMs: 0.1, workers: 16, publishes: [{ subject: 'x.y' }] },
        { name: 's', serviceTimeMs: 10, workers: 1, subscribes: [{ subject: 'x.y' }] },
      ],
      bundles: [
        { name: 'p', services: ['pub'], replicas: { a: 1 } },
        { name: 'b', services: ['s'], replicas: { a: 1 } },
      ],
      traffic: [
        { entry: 'pub', rps: 60 },
        { entry: 's', rps: 60 },
      ],
    };
    const r = runDoc(doc, 23, 20_000);
    expect(r.entries.s?.latencyMs).toBeNull();
    expect(r.entries.s?.reason).toMatch(/saturated .*ρ 1\.20/);
    expect(r.entries.pub?.latencyMs).not.toBeNull();
    expect(r.async?.subscriptions[0]?.latency.latencyMs).toBeNull();
    expect(r.async?.subscriptions[0]?.latency.reason).toMatch(/cannot keep up .*ρ 1\.20/);
  });
});
