/**
 * The engine's behaviour on small documents whose figures follow by hand from MODEL.md §2.
 * (The §3 reference values are in reference.test.ts; properties in properties.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { cheHitRate } from '../cache/che.ts';
import { simulate } from './simulate.ts';

const ZONES3 = [
  { name: 'a', region: 'r1' },
  { name: 'b', region: 'r1' },
  { name: 'c', region: 'r1' },
];

describe('load', () => {
  it('follows calls with fractional perRequest down the graph and adds several traffic items', () => {
    const d = docOf({
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
        { name: 'b', serviceTimeMs: 1, calls: [{ to: 'c', perRequest: 1 }, { to: 'db:d' }] },
        { name: 'c', serviceTimeMs: 1, calls: [{ to: 'ext:x', perRequest: 3 }] },
      ],
      externals: [{ name: 'x', latencyMs: 5 }],
      databases: [{ name: 'd', shards: [{ name: 's', vcpu: 4, maxConnections: 100 }], queryTimeMs: 1 }],
      bundles: [{ name: 'x', services: ['a', 'b', 'c'], replicas: { a: 1 } }],
      traffic: [
        { entry: 'a', rps: 10 },
        { entry: 'a', rps: 30 },
      ],
    });
    const r = simulate(d);
    expect(r.services.a?.arrivalRps).toBeCloseTo(40, 9);
    expect(r.services.b?.arrivalRps).toBeCloseTo(100, 9);
    expect(r.services.c?.arrivalRps).toBeCloseTo(108, 9);
    expect(r.databases.d?.shards[0]?.arrivalRps).toBeCloseTo(100, 9);
    expect(r.entries.a?.rps).toBeCloseTo(40, 9);
  });

  it('a cache hit on s cuts the calls s makes by (1 − h)', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      services: [
        {
          name: 'cat',
          serviceTimeMs: 4,
          workers: 8,
          cache: { entriesPerReplica: 100, keySpace: 10_000, zipf: 1, hitTimeMs: 0.2 },
          calls: [{ to: 'inv', perRequest: 2 }],
        },
        { name: 'inv', serviceTimeMs: 1 },
      ],
      bundles: [
        { name: 'x', services: ['cat'], replicas: { a: 1 } },
        { name: 'y', services: ['inv'], replicas: { a: 1 } },
      ],
      traffic: [{ entry: 'cat', rps: 100 }],
    });
    const r = simulate(d);
    const h = cheHitRate(10_000, 1, 100);
    expect(r.services.cat?.cacheHitRate).toBeCloseTo(h, 12);
    expect(r.services.inv?.arrivalRps).toBeCloseTo(100 * (1 - h) * 2, 9);
    // ρ uses the hit/miss mixture's mean own time.
    expect(r.services.cat?.utilization).toBeCloseTo((0.1 * (h * 0.2 + (1 - h) * 4)) / 8, 12);
  });
});

describe('placement under queue-group semantics', () => {
  const shop = (replicas: Record<string, number>, extra: object = {}) =>
    docOf({
      zones: ZONES3,
      network: { natsHopMs: 0.1, crossZoneMs: 1, crossRegionMs: 30, shortCircuitMs: 0.01, dbCallMs: 0.5 },
      services: [
        { name: 'front', serviceTimeMs: 1, workers: 4, calls: [{ to: 'back' }] },
        { name: 'back', serviceTimeMs: 2, workers: 1 },
      ],
      bundles: [
        { name: 'edge', services: ['front'], replicas: { a: 1, b: 1, c: 1 } },
        { name: 'core', services: ['back'], replicas },
      ],
      traffic: [{ entry: 'front', rps: 900 }],
      ...extra,
    });

  it('locality: an uneven 3/3/2 spread makes the 2 replicas hot although capacity is ample', () => {
    const r = simulate(shop({ a: 3, b: 3, c: 2 }));
    const back = r.services.back;
    const byZone = (z: string) => back?.replicasDetail.filter((x) => x.zone === z) ?? [];
    for (const x of byZone('a')) expect(x.arrivalRps).toBeCloseTo(100, 9); // 300 rps over 3
    for (const x of byZone('c')) expect(x.arrivalRps).toBeCloseTo(150, 9); // 300 rps over 2
    expect(back?.utilization).toBeCloseTo(150 * 0.002, 12);
    expect(back?.meanUtilization).toBeCloseTo((900 * 0.002) / 8, 12);
    expect(byZone('c').every((x) => x.hot)).toBe(true);
    expect(byZone('a').some((x) => x.hot)).toBe(false);
    expect(r.crossZoneRps).toBe(0);
    const w = r.warnings.find((x) => x.code === 'hot-replica');
    expect(w?.path).toBe('bundles[1].replicas.c');
    expect(w?.message).toContain('core');
  });

  it('random routing spreads evenly over every replica, so the same spread is not hot, and counts cross-zone calls', () => {
    const r = simulate(shop({ a: 3, b: 3, c: 2 }, { routing: 'random' }));
    for (const x of r.services.back?.replicasDetail ?? []) expect(x.arrivalRps).toBeCloseTo(900 / 8, 9);
    expect(r.warnings.some((x) => x.code === 'hot-replica')).toBe(false);
    // A caller in zone a reaches the 5 replicas outside a with probability 5/8.
    expect(r.crossZoneRps).toBeCloseTo(300 * (5 / 8) + 300 * (5 / 8) + 300 * (6 / 8), 9);
  });

  it('locality falls back to the region, then anywhere; cross-zone and cross-region calls are counted', () => {
    const d = docOf({
      zones: [...ZONES3, { name: 'far', region: 'r2' }],
      services: [
        { name: 'front', serviceTimeMs: 1, workers: 4, calls: [{ to: 'back' }] },
        { name: 'back', serviceTimeMs: 2, workers: 4 },
      ],
      bundles: [
        { name: 'edge', services: ['front'], replicas: { a: 1, b: 1, c: 1, far: 1 } },
        { name: 'core', services: ['back'], replicas: { a: 1, b: 3 } },
      ],
      traffic: [{ entry: 'front', rps: 400 }],
    });
    const r = simulate(d);
    // 100 rps enter each zone. c has no core replica: its calls go to a and b in proportion (1:3);
    // far's region has none: they go anywhere, also 1:3.
    const a = r.services.back?.replicasDetail.find((x) => x.zone === 'a');
    const b = r.services.back?.replicasDetail.find((x) => x.zone === 'b');
    expect(a?.arrivalRps).toBeCloseTo(100 + 25 + 25, 9);
    expect(b?.arrivalRps).toBeCloseTo((100 + 75 + 75) / 3, 9);
    expect(r.crossZoneRps).toBeCloseTo(200, 9);
    expect(r.crossRegionRps).toBeCloseTo(100, 9);
    expect(r.entries.front?.zones).toEqual({ a: 100, b: 100, c: 100, far: 100 });
  });

  it('ingress: default even over the zones where the entry bundle runs; explicit shares as given; never cross-zone', () => {
    const d = docOf({
      zones: ZONES3,
      services: [{ name: 'front', serviceTimeMs: 1, workers: 4 }],
      bundles: [{ name: 'edge', services: ['front'], replicas: { a: 2, b: 1 } }],
      traffic: [
        { entry: 'front', rps: 100 },
        { entry: 'front', rps: 100, zones: { a: 1, c: 3 } },
      ],
    });
    const r = simulate(d);
    expect(r.entries.front?.zones).toEqual({ a: 75, b: 50, c: 75 });
    // c has no replica: its 75 rps reach a and b in proportion 2:1.
    const a = r.services.front?.replicasDetail.filter((x) => x.zone === 'a') ?? [];
    expect(a[0]?.arrivalRps).toBeCloseTo((75 + 50) / 2, 9);
    expect(r.crossZoneRps).toBe(0);
  });

  it('short-circuit: a call inside a bundle lands on the caller’s own replica, with no broker and no zone change', () => {
    const d = docOf({
      zones: ZONES3,
      nats: [{ name: 'n', region: 'r1' }],
      network: { ...FREE_NETWORK, natsHopMs: 5, shortCircuitMs: 0.5 },
      services: [
        { name: 'web', serviceTimeMs: 1, workers: 4, calls: [{ to: 'cart' }] },
        { name: 'cart', serviceTimeMs: 1, workers: 4 },
      ],
      bundles: [{ name: 'app', services: ['web', 'cart'], replicas: { a: 1, b: 1, c: 2 } }],
      traffic: [{ entry: 'web', rps: 300, zones: { a: 0.5, b: 0.25, c: 0.25 } }],
    });
    const r = simulate(d);
    const cartA = r.services.cart?.replicasDetail.find((x) => x.zone === 'a');
    expect(cartA?.arrivalRps).toBeCloseTo(150, 9);
    expect(r.brokers.every((b) => b.msgsPerSec === 0)).toBe(true);
    expect(r.crossZoneRps).toBe(0);
    // The call costs 0.5 ms (short-circuit), not the 5 ms broker hop.
    const own = (r.services.web?.sojournMs?.mean ?? 0) + (r.services.cart?.sojournMs?.mean ?? 0);
    expect(r.entries.web?.latencyMs?.mean).toBeCloseTo(own + 0.5, 2);
  });

  it('database load splits over shards by vCPU; connections count live replicas of calling bundles', () => {
    const d = docOf({
      zones: ZONES3,
      services: [{ name: 'api', serviceTimeMs: 1, workers: 8, calls: [{ to: 'db:m', perRequest: 2 }] }],
      bundles: [{ name: 'app', services: ['api'], replicas: { a: 2, b: 2, c: 2 } }],
      databases: [
        {
          name: 'm',
          shards: [
            { name: 's0', vcpu: 8, maxConnections: 100 },
            { name: 's1', vcpu: 4, maxConnections: 100 },
          ],
          queryTimeMs: 2,
          poolPerReplica: 40,
        },
      ],
      traffic: [{ entry: 'api', rps: 600 }],
    });
    const r = simulate(d);
    const m = r.databases.m;
    expect(m?.shards[0]?.arrivalRps).toBeCloseTo(800, 9);
    expect(m?.shards[1]?.arrivalRps).toBeCloseTo(400, 9);
    expect(m?.shards[0]?.utilization).toBeCloseTo((800 * 0.002) / 8, 12);
    expect(m?.connections).toEqual({ needed: 240, available: 200, overrun: 40 });
    const w = r.warnings.find((x) => x.code === 'connections-overrun');
    expect(w?.path).toBe('databases[0].poolPerReplica');
    expect(simulate(d, { failZones: ['c'] }).databases.m?.connections.overrun).toBe(0);
  });
});

describe('brokers, CPU, headroom', () => {
  it('counts a request and a response at the caller’s and the callee’s server (once when they share one)', () => {
    const d = docOf({
      zones: [
        { name: 'a', region: 'r' },
        { name: 'b', region: 'r' },
      ],
      routing: 'random',
      nats: [{ name: 'n', region: 'r', serversPerZone: 1, maxMsgsPerSecPerServer: 1000 }],
      services: [
        { name: 'x', serviceTimeMs: 1, workers: 4, calls: [{ to: 'y' }] },
        { name: 'y', serviceTimeMs: 1, workers: 4 },
      ],
      bundles: [
        { name: 'bx', services: ['x'], replicas: { a: 1 } },
        { name: 'by', services: ['y'], replicas: { a: 1, b: 1 } },
      ],
      traffic: [{ entry: 'x', rps: 200 }],
    });
    const r = simulate(d);
    // 100 calls/s a→a (2 msgs each, one server) and 100 a→b (2 msgs at each end).
    const a = r.brokers.find((x) => x.zone === 'a');
    const b = r.brokers.find((x) => x.zone === 'b');
    expect(a?.msgsPerSec).toBeCloseTo(400, 9);
    expect(b?.msgsPerSec).toBeCloseTo(200, 9);
    expect(a?.utilization).toBeCloseTo(0.4, 9);
    expect(a?.server).toBe('n-a-0');
    const hot = simulate(d, { scale: 3 });
    expect(hot.bottleneck).toBe('nats:n/n-a-0');
    expect(hot.warnings.find((x) => x.code === 'broker-saturated')?.path).toBe('nats[0].maxMsgsPerSecPerServer');
  });

  const cpuDoc = (cpu: number) =>
    docOf({
      zones: [{ name: 'a', region: 'r' }],
      services: [
        { name: 'p', serviceTimeMs: 4, workers: 2, calls: [{ to: 'q' }] },
        { name: 'q', serviceTimeMs: 2, workers: 2 },
      ],
      bundles: [{ name: 'app', services: ['p', 'q'], replicas: { a: 2 }, cpu }],
      traffic: [{ entry: 'p', rps: 300 }],
    });

  it('CPU per bundle replica is Σ λ·own time ÷ cpu; headroom is 1/ρ of the busiest replica when the cores are ample', () => {
    const d = cpuDoc(4);
    const r = simulate(d);
    // Per replica: 150 rps × 4 ms + 150 rps × 2 ms = 0.9 core·s/s on 4 cores.
    expect(r.bundles.app?.cpuUtilization).toBeCloseTo((150 * 0.004 + 150 * 0.002) / 4, 12);
    expect(r.services.p?.utilization).toBeCloseTo(0.3, 12);
    expect(r.headroom).toBeCloseTo(1 / 0.3, 9);
    expect(r.bottleneck).toBe('p');
    expect(r.binding).toEqual({ constraint: 'rho', resource: 'p', name: 'p', zone: 'a', utilization: expect.closeTo(0.3, 12) });
    const at = simulate(d, { scale: (r.headroom ?? 0) * 1.0001 });
    expect(at.services.p?.saturated).toBe(true);
    expect(simulate(d, { scale: (r.headroom ?? 0) * 0.999 }).services.p?.saturated).toBe(false);
  });

  it('CPU is a resource like any other: when the cores run out first, headroom is 1/CPU and the bundle is the bottleneck', () => {
    // Same load on 2 cores: CPU 0.9/2 = 0.45 while p's workers sit at ρ 0.3.
    const r = simulate(cpuDoc(2));
    expect(r.bundles.app?.cpuUtilization).toBeCloseTo(0.45, 12);
    expect(r.headroom).toBeCloseTo(1 / 0.45, 9);
    expect(r.bottleneck).toBe('cpu:app/a');
    expect(r.binding).toMatchObject({ constraint: 'cpu', name: 'app', zone: 'a' });
    expect(r.warnings.map((w) => w.code)).not.toContain('cpu-overcommitted');
    // At the headroom factor the CPU reaches 100 %, and just beyond it is overcommitted.
    expect(simulate(cpuDoc(2), { scale: (r.headroom ?? 0) * 0.999 }).warnings.map((w) => w.code)).not.toContain('cpu-overcommitted');
    expect(simulate(cpuDoc(2), { scale: (r.headroom ?? 0) * 1.001 }).warnings.find((w) => w.code === 'cpu-overcommitted')?.path).toBe(
      'bundles[0].cpu',
    );
  });

  it('reproduces issue 12 item 5: at 2× traffic with a zone down, ρ says 2.67× but the ingress bundle needs 150 % of its CPU', () => {
    // 3 zones × 3 replicas of a 1-core bundle; gateway 10 ms on 4 workers; 450 rps.
    // 2× with zone a down: 900 rps over 6 replicas = 150 rps each.
    // CPU = 150 rps × 10 ms ÷ 1 core = 1.5; ρ = 150 × 0.010 ÷ 4 workers = 0.375 (1/ρ = 2.67).
    const d = docOf({
      zones: ZONES3,
      services: [{ name: 'gateway', serviceTimeMs: 10, workers: 4 }],
      bundles: [{ name: 'ingress', services: ['gateway'], replicas: { a: 3, b: 3, c: 3 }, cpu: 1 }],
      traffic: [{ entry: 'gateway', rps: 450 }],
    });
    const r = simulate(d, { scale: 2, failZones: ['a'] });
    expect(r.services.gateway?.utilization).toBeCloseTo(0.375, 12);
    expect(r.bundles.ingress?.cpuUtilization).toBeCloseTo(1.5, 12);
    expect(r.headroom).toBeCloseTo(1 / 1.5, 9);
    expect(r.binding).toMatchObject({ constraint: 'cpu', resource: 'cpu:ingress/b', name: 'ingress' });
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('cpu-overcommitted');
    expect(codes).toContain('workers-exceed-cores');
    const w = r.warnings.find((x) => x.code === 'workers-exceed-cores');
    expect(w?.path).toBe('services[0].workers');
    expect(w?.message).toMatch(/set services\[0\]\.workers to 1/);
    expect(r.warnings.find((x) => x.code === 'cpu-overcommitted')?.message).toMatch(/150 % of their 1 CPU.*at least 5 replicas/);
  });
});

describe('saturation, failure and warnings', () => {
  const base = () =>
    docOf({
      zones: ZONES3,
      services: [
        { name: 'front', serviceTimeMs: 1, workers: 8, calls: [{ to: 'back' }] },
        { name: 'back', serviceTimeMs: 10, workers: 2, cache: { entriesPerReplica: 100, keySpace: 10_000, zipf: 1, hitTimeMs: 1 } },
      ],
      bundles: [
        { name: 'edge', services: ['front'], replicas: { a: 1, b: 1, c: 1 } },
        { name: 'core', services: ['back'], replicas: { a: 2, b: 2 } },
      ],
      traffic: [{ entry: 'front', rps: 300 }],
      slo: [{ entry: 'front', p99Ms: 500 }],
    });

  it('a saturated service reports the excess rate and the replicas needed; the entry has no latency and misses its SLO', () => {
    const r = simulate(base(), { scale: 8 });
    const back = r.services.back;
    expect(back?.saturated).toBe(true);
    expect(back?.sojournMs).toBeNull();
    const own = back?.cacheHitRate !== null && back?.cacheHitRate !== undefined ? back.cacheHitRate * 1 + (1 - back.cacheHitRate) * 10 : 0;
    const capPerReplica = (2 * 1000) / own;
    // Zone c's calls go to a and b (region fallback), so a and b carry 1,200 rps each.
    expect(back?.excessRps).toBeCloseTo(2 * Math.max(0, 1200 - 2 * capPerReplica), 6);
    expect(back?.excessRps).toBeGreaterThan(0);
    expect(back?.replicasNeeded).toBe(2 * (Math.floor(1200 / capPerReplica) + 1));
    expect(r.entries.front?.latencyMs).toBeNull();
    expect(r.entries.front?.reason).toMatch(/back is saturated/);
    expect(r.entries.front?.slo?.met).toBe(false);
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['saturated', 'slo-missed']));
    expect(r.headroom).toBeLessThan(1);
  });

  it('a failed zone: its replicas gone, its ingress moved, the distributed cache re-solved with less capacity', () => {
    const before = simulate(base());
    const after = simulate(base(), { failZones: ['a'] });
    expect(after.services.back?.replicas).toBe(2);
    expect(after.services.back?.cacheHitRate).toBeCloseTo(cheHitRate(10_000, 1, 200), 12);
    expect(before.services.back?.cacheHitRate).toBeCloseTo(cheHitRate(10_000, 1, 400), 12);
    expect(after.entries.front?.zones).toEqual({ b: 150, c: 150 });
    expect(after.failedZones).toEqual(['a']);
    const gone = simulate(base(), { failZones: ['a', 'b'] });
    expect(gone.services.back?.unavailable).toBe(true);
    expect(gone.services.back?.excessRps).toBeCloseTo(300, 9);
    expect(gone.entries.front?.latencyMs).toBeNull();
    expect(gone.warnings.find((w) => w.code === 'unavailable')?.path).toBe('bundles[1].replicas');
    // Requests through back fail at any traffic: no headroom, and back is what to fix first.
    expect(before.headroom).toBeGreaterThan(1);
    expect(gone.headroom).toBe(0);
    expect(gone.bottleneck).toBe('back');
  });

  it('warns when a zone’s only replica takes that zone’s whole traffic', () => {
    const d = base();
    const core = d.bundles[1];
    if (core) core.replicas = { a: 3, b: 3, c: 1 };
    const w = simulate(d).warnings.find((x) => x.code === 'zone-first-replica');
    expect(w?.path).toBe('bundles[1].replicas.c');
    expect(w?.message).toContain('single replica in c');
  });

  it('is deterministic, and failing no zone changes nothing', () => {
    const d = base();
    expect(simulate(d)).toEqual(simulate(d));
    expect(simulate(d, { failZones: [] })).toEqual(simulate(d));
    expect(JSON.stringify(simulate(d))).not.toMatch(/NaN|Infinity/);
  });

  it('skipEndToEnd keeps entry rates but composes no latency', () => {
    const r = simulate(base(), { skipEndToEnd: true });
    expect(r.entries.front?.rps).toBe(300);
    expect(r.entries.front?.latencyMs).toBeNull();
    expect(r.services.back?.sojournMs?.p99).toBeGreaterThan(0);
  });
});

describe('end to end', () => {
  it('an external adds its delay; a parallel group waits for its slowest member', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        {
          name: 'e',
          serviceTimeMs: 1e-6,
          serviceTimeCv: 0,
          workers: 100,
          calls: [{ to: 'ext:slow', parallelGroup: 'g' }, { to: 'ext:fast', parallelGroup: 'g' }, { to: 'ext:fixed' }],
        },
      ],
      externals: [
        { name: 'slow', latencyMs: 10, latencyCv: 1 },
        { name: 'fast', latencyMs: 1, latencyCv: 1 },
        { name: 'fixed', latencyMs: 3, latencyCv: 0 },
      ],
      bundles: [{ name: 'b', services: ['e'], replicas: { a: 1 } }],
      traffic: [{ entry: 'e', rps: 1 }],
    });
    const lat = simulate(d).entries.e?.latencyMs;
    // E[max(Exp(10), Exp(1))] = 10 + 1 − 1/(1/10 + 1) = 10.0909…; plus the fixed 3 ms.
    const mean = 10 + 1 - 1 / 1.1 + 3;
    expect(Math.abs((lat?.mean ?? 0) - mean) / mean).toBeLessThan(0.01);
    // P(max ≤ t) = (1 − e^{−t/10})(1 − e^{−t}); its median plus 3.
    let lo = 0;
    let hi = 100;
    for (let i = 0; i < 100; i++) {
      const m = (lo + hi) / 2;
      if ((1 - Math.exp(-m / 10)) * (1 - Math.exp(-m)) < 0.5) lo = m;
      else hi = m;
    }
    expect(Math.abs((lat?.p50 ?? 0) - (lo + 3)) / (lo + 3)).toBeLessThan(0.01);
  });

  it('a cached service composes hit and miss branches: a hit makes no calls', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        {
          name: 'c',
          serviceTimeMs: 1e-3,
          serviceTimeCv: 0,
          workers: 100,
          cache: { entriesPerReplica: 100, keySpace: 10_000, zipf: 1, hitTimeMs: 1e-3 },
          calls: [{ to: 'ext:slow' }],
        },
      ],
      externals: [{ name: 'slow', latencyMs: 100, latencyCv: 0 }],
      bundles: [{ name: 'b', services: ['c'], replicas: { a: 1 } }],
      traffic: [{ entry: 'c', rps: 1 }],
    });
    const r = simulate(d);
    const h = r.services.c?.cacheHitRate ?? 0;
    const lat = r.entries.c?.latencyMs;
    // h ≈ 0.39 of requests take ~0 ms, the rest 100 ms: the median is 100, not a thinned 61.
    expect(lat?.mean).toBeCloseTo((1 - h) * 100, 0);
    expect(lat?.p50).toBeGreaterThan(99);
    expect(lat?.p50).toBeLessThan(101);
  });

  it('the zone a request enters in decides the replicas it meets: a hot zone shows in the tail', () => {
    const d = docOf({
      zones: ZONES3,
      network: FREE_NETWORK,
      services: [
        { name: 'front', serviceTimeMs: 0.01, workers: 64, calls: [{ to: 'back' }] },
        { name: 'back', serviceTimeMs: 10, workers: 1 },
      ],
      bundles: [
        { name: 'edge', services: ['front'], replicas: { a: 1, b: 1, c: 1 } },
        { name: 'core', services: ['back'], replicas: { a: 1, b: 1, c: 1 } },
      ],
      traffic: [{ entry: 'front', rps: 150, zones: { a: 0.6, b: 0.2, c: 0.2 } }],
    });
    const r = simulate(d);
    // Zone a's back replica is an M/M/1 at ρ 0.9 (sojourn Exp(rate 0.01)), b and c at ρ 0.3 (Exp(0.07)).
    const S = (t: number) => 0.6 * Math.exp(-0.01 * t) + 0.4 * Math.exp(-0.07 * t);
    let lo = 0;
    let hi = 10_000;
    for (let i = 0; i < 200; i++) {
      const m = (lo + hi) / 2;
      if (S(m) > 0.01) lo = m;
      else hi = m;
    }
    expect(Math.abs((r.entries.front?.latencyMs?.p99 ?? 0) - lo) / lo).toBeLessThan(0.02);
  });
});
