/**
 * Async messaging (schema v3, issue 18), core NATS: fan-out rates worked out by hand, and the
 * subscription load on the subscribers' workers against closed forms (M/M/1, Pollaczek–Khinchine).
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { simulate } from './simulate.ts';

const within = (got: number | null | undefined, want: number, tol: number) => {
  expect(got, `expected ≈ ${want}`).not.toBeNull();
  expect(Math.abs((got as number) - want) / Math.abs(want), `got ${got}, want ${want}`).toBeLessThan(tol);
};

/**
 * `pub` (100 rps, 2 events per request on `x.y`, in zones a and b, one replica each) and six
 * subscribers: `b` (its own group, 2 replicas in a and 1 in b), `c` and `d` sharing group `g`
 * (1 replica in a, 3 in b), `e` with a copy per replica (2 in a), `f` on `x.*` and `h` on `other`.
 */
function fanout() {
  return docOf({
    zones: [
      { name: 'a', region: 'r' },
      { name: 'b', region: 'r' },
    ],
    network: FREE_NETWORK,
    services: [
      { name: 'pub', serviceTimeMs: 1, workers: 4, publishes: [{ subject: 'x.y', perRequest: 2 }] },
      { name: 'b', serviceTimeMs: 1, subscribes: [{ subject: 'x.y', serviceTimeMs: 2 }] },
      { name: 'c', serviceTimeMs: 1, subscribes: [{ subject: 'x.y', queueGroup: 'g' }] },
      { name: 'd', serviceTimeMs: 1, subscribes: [{ subject: 'x.>', queueGroup: 'g' }] },
      { name: 'e', serviceTimeMs: 1, subscribes: [{ subject: 'x.y', delivery: 'replica' }] },
      { name: 'f', serviceTimeMs: 1, subscribes: [{ subject: 'x.*' }] },
      { name: 'h', serviceTimeMs: 1, subscribes: [{ subject: 'other' }] },
    ],
    bundles: [
      { name: 'pub', services: ['pub'], replicas: { a: 1, b: 1 } },
      { name: 'b', services: ['b'], replicas: { a: 2, b: 1 } },
      { name: 'c', services: ['c'], replicas: { a: 1 } },
      { name: 'd', services: ['d'], replicas: { b: 3 } },
      { name: 'e', services: ['e'], replicas: { a: 2 } },
      { name: 'f', services: ['f'], replicas: { a: 1 } },
      { name: 'h', services: ['h'], replicas: { a: 1 } },
    ],
    traffic: [{ entry: 'pub', rps: 100 }],
  });
}

describe('fan-out rates (by hand)', () => {
  const r = simulate(fanout());
  const subs = Object.fromEntries((r.async?.subscriptions ?? []).map((s) => [s.service, s]));

  it('publishes 100 rps × 2 = 200 events/s on x.y, from both zones', () => {
    expect(r.async?.subjects['x.y']?.publishRps).toBeCloseTo(200, 9);
    expect(r.async?.subjects['x.y']?.bytesPerSec).toBeCloseTo(200 * 512, 6);
    expect(r.async?.subjects['x.y']?.stream).toBeNull();
    expect(r.entries.pub?.events?.publishedRps).toBeCloseTo(200, 9);
  });

  it('one copy per group: b gets all 200; c and d share group g by replicas, 1 : 3', () => {
    expect(subs.b?.deliverRps).toBeCloseTo(200, 9);
    expect(subs.b?.queueGroup).toBe('b');
    expect(subs.c?.deliverRps).toBeCloseTo(50, 9);
    expect(subs.d?.deliverRps).toBeCloseTo(150, 9);
    expect(subs.c?.queueGroup).toBe('g');
  });

  it('a copy per replica: e gets 2 × 200; wildcards match, other subjects do not', () => {
    expect(subs.e?.deliverRps).toBeCloseTo(400, 9);
    expect(subs.e?.queueGroup).toBeNull();
    expect(subs.f?.deliverRps).toBeCloseTo(200, 9);
    expect(subs.h?.deliverRps).toBe(0);
    expect(subs.h?.latency.reason).toBe('no events reach it');
  });

  it('events hold the subscribers’ workers: ρ = events per replica × handler time (no locality)', () => {
    // b: 200 events/s spread evenly over its 3 replicas (queue groups ignore zones), 2 ms each.
    for (const rep of r.services.b?.replicasDetail ?? []) within(rep.utilization, (200 / 3) * 0.002, 1e-9);
    within(r.services.b?.meanUtilization, (200 / 3) * 0.002, 1e-9);
    // e: every replica handles all 200 at the service's own 1 ms.
    for (const rep of r.services.e?.replicasDetail ?? []) within(rep.utilization, 0.2, 1e-9);
    // CPU: 1 core per replica by default.
    within(r.bundles.b?.cpuUtilization, (200 / 3) * 0.002, 1e-9);
  });

  it('a failed zone removes its replicas: the group’s copies all go to the survivors', () => {
    const f = simulate(fanout(), { failZones: ['b'] });
    const s = Object.fromEntries((f.async?.subscriptions ?? []).map((x) => [x.service, x]));
    // Only pub's replica in a publishes: still 100 rps (ingress moves), 200 events/s.
    expect(f.async?.subjects['x.y']?.publishRps).toBeCloseTo(200, 9);
    expect(s.c?.deliverRps).toBeCloseTo(200, 9);
    expect(s.d?.deliverRps).toBe(0);
    expect(s.b?.deliverRps).toBeCloseTo(200, 9);
  });

  it('documents without async fields carry no async figures', () => {
    const plain = docOf({
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 'q', serviceTimeMs: 1 }],
      bundles: [{ name: 'q', services: ['q'], replicas: { a: 1 } }],
      traffic: [{ entry: 'q', rps: 10 }],
    });
    const p = simulate(plain);
    expect(p.async).toBeUndefined();
    expect(p.entries.q?.events).toBeUndefined();
  });
});

/** One replica, one worker: requests at `req` rps (10 ms) and events at `ev` rps on `s` (handler `evMs`). */
function shared(req: number, ev: number, evMs: number, hopMs = 0) {
  return docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: { ...FREE_NETWORK, natsHopMs: hopMs },
    services: [
      { name: 'src', serviceTimeMs: 0.001, workers: 100, publishes: [{ subject: 'ev' }] },
      { name: 's', serviceTimeMs: 10, subscribes: [{ subject: 'ev', serviceTimeMs: evMs }] },
    ],
    bundles: [
      { name: 'src', services: ['src'], replicas: { a: 1 }, cpu: 100 },
      { name: 's', services: ['s'], replicas: { a: 1 } },
    ],
    traffic: [{ entry: 'src', rps: ev }, ...(req > 0 ? [{ entry: 's', rps: req }] : [])],
  });
}

describe('subscription load on the service’s station', () => {
  it('events alone, M/M/1 (λ 50/s, 10 ms): publish → handled p99 = hop + ln(100)/(μ − λ)', () => {
    const r = simulate(shared(0, 50, 10, 0.13));
    const lat = r.async?.subscriptions[0]?.latency.latencyMs;
    within(lat?.mean, 0.13 + 1000 / 50, 0.005);
    within(lat?.p99, 0.13 + (1000 * Math.log(100)) / 50, 0.005);
    within(r.services.s?.utilization, 0.5, 1e-9);
    // An event-only service still counts for headroom (limitsOf sees requests only).
    expect(r.binding?.resource).toBe('s');
    within(r.headroom, 2, 1e-9);
  });

  it('requests and events alike (exponential 10 ms, 30 + 30 per second): the request sees M/M/1 at λ 60', () => {
    const r = simulate(shared(30, 30, 10));
    expect(r.services.s?.method).toBe('exact');
    within(r.services.s?.utilization, 0.6, 1e-9);
    within(r.entries.s?.latencyMs?.mean, 1000 / 40, 0.005);
    within(r.entries.s?.latencyMs?.p99, (1000 * Math.log(100)) / 40, 0.005);
  });

  it('unlike handler times (requests 10 ms at 20/s, events 2 ms at 100/s): Pollaczek–Khinchine wait 4 ms for both', () => {
    // λ = 0.12/ms, E[S²] = (20·2·10² + 100·2·2²)/120 = 40 ms², ρ = 0.4: Wq = λE[S²]/(2(1 − ρ)) = 4 ms.
    const r = simulate(shared(20, 100, 2));
    within(r.services.s?.utilization, 0.4, 1e-9);
    within(r.services.s?.replicasDetail[0]?.meanWaitMs, 4, 1e-9);
    within(r.entries.s?.latencyMs?.mean, 14, 0.005);
    within(r.async?.subscriptions[0]?.latency.latencyMs?.mean, 6, 0.005);
    // Requests alone would have waited λE[S²]/(2(1 − ρ)) = 0.02·200/(2·0.8) = 2.5 ms.
    const alone = simulate(shared(20, 0.000001, 2));
    within(alone.services.s?.replicasDetail[0]?.meanWaitMs, 2.5, 1e-3);
  });

  it('a queue group ignores zones: copies from a to replicas in a and b pay the cross-zone cost half the time', () => {
    // 50 events/s from a, split evenly over one replica in a and one in b: each M/M/1 at 25/s, 10 ms
    // (sojourn mean 1000/75 ms); the hop is 0.13 ms, plus 1 ms for the half that lands in b.
    const d = docOf({
      zones: [
        { name: 'a', region: 'r' },
        { name: 'b', region: 'r' },
      ],
      network: { ...FREE_NETWORK, natsHopMs: 0.13, crossZoneMs: 1 },
      services: [
        { name: 'src', serviceTimeMs: 0.001, workers: 100, publishes: [{ subject: 'ev' }] },
        { name: 's', serviceTimeMs: 10, subscribes: [{ subject: 'ev' }] },
      ],
      bundles: [
        { name: 'src', services: ['src'], replicas: { a: 1 }, cpu: 100 },
        { name: 's', services: ['s'], replicas: { a: 1, b: 1 } },
      ],
      traffic: [{ entry: 'src', rps: 50 }],
    });
    const r = simulate(d);
    for (const rep of r.services.s?.replicasDetail ?? []) within(rep.utilization, 0.25, 1e-9);
    within(r.async?.subscriptions[0]?.latency.latencyMs?.mean, 1000 / 75 + 0.13 + 0.5, 0.005);
  });

  it('events saturating a service take its requests’ latency away too', () => {
    const r = simulate(shared(10, 120, 10));
    expect(r.services.s?.saturated).toBe(true);
    expect(r.entries.s?.latencyMs).toBeNull();
    expect(r.async?.subscriptions[0]?.latency.latencyMs).toBeNull();
    expect(r.async?.subscriptions[0]?.latency.reason).toContain('saturated');
    expect(r.warnings.some((w) => w.code === 'saturated' && w.path === 'services[1]')).toBe(true);
  });
});
