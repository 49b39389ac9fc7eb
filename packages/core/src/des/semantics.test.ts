/**
 * The DES follows MODEL.md §2 point by point: each test builds a small document where the
 * rule decides a number a capacity planner can work out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { cheHitRate } from './che.ts';
import { createDesRun, type DesOptions } from './run.ts';

function run(input: TopologyInput, options: Partial<DesOptions> = {}) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createDesRun({ doc: parsed.doc, seed: 5, requests: 200_000, ...options }).runToEnd();
}

const close = (actual: number | null | undefined, expected: number, rel: number) => {
  expect(actual, `≈ ${expected}`).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${actual} ≈ ${expected} ± ${rel * 100} %`).toBeLessThanOrEqual(rel * expected);
};

/** A front service in zones a and b calling a back service placed by `back`. */
function twoZones(back: Record<string, number>, routing: 'locality' | 'random' = 'locality'): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [
      { name: 'a', region: 'r1' },
      { name: 'b', region: 'r1' },
      { name: 'c', region: 'r2' },
    ],
    routing,
    services: [
      { name: 'front', serviceTimeMs: 1, workers: 64, calls: [{ to: 'back' }] },
      { name: 'back', serviceTimeMs: 1, workers: 64 },
    ],
    bundles: [
      { name: 'f', services: ['front'], replicas: { a: 1, b: 1 } },
      { name: 'k', services: ['back'], replicas: back },
    ],
    traffic: [{ entry: 'front', rps: 1200 }],
  };
}

describe('where requests go', () => {
  it('locality: each zone feeds its own replicas, so an uneven spread makes a hot replica', () => {
    const r = run(twoZones({ a: 3, b: 1 }));
    const reps = r.services.back?.replicasDetail ?? [];
    expect(reps.map((x) => x.zone)).toEqual(['a', 'a', 'a', 'b']);
    for (const x of reps.slice(0, 3)) close(x.arrivalRps, 200, 0.03);
    close(reps[3]?.arrivalRps, 600, 0.03);
    close(r.services.back?.utilization, 600 / 1000 / 64, 0.03);
    expect(r.crossZoneRps).toBe(0);
  });

  it('random dispatch: every replica gets an even share, and calls cross zones', () => {
    const r = run(twoZones({ a: 3, b: 1 }, 'random'));
    for (const x of r.services.back?.replicasDetail ?? []) close(x.arrivalRps, 300, 0.03);
    // From a, 1/4 of calls go to b; from b, 3/4 go to a.
    close(r.crossZoneRps, 600 * 0.25 + 600 * 0.75, 0.03);
  });

  it('locality falls back to the region, then to anywhere (across regions)', () => {
    const region = run(twoZones({ b: 2 }));
    close(region.crossZoneRps, 600, 0.03);
    expect(region.crossRegionRps).toBe(0);
    const anywhere = run(twoZones({ c: 1 }));
    close(anywhere.crossRegionRps, 1200, 0.03);
  });

  it('ingress shares: given per zone, or even over the zones where the entry runs', () => {
    const doc = twoZones({ a: 1, b: 1 });
    (doc.traffic ?? [])[0] = { entry: 'front', rps: 1000, zones: { a: 3, b: 1 } };
    const r = run(doc);
    const [a, b] = r.services.front?.replicasDetail ?? [];
    close(a?.arrivalRps, 750, 0.03);
    close(b?.arrivalRps, 250, 0.05);
  });

  it('a call inside a bundle stays on the caller replica (short-circuit)', () => {
    const doc = twoZones({});
    doc.bundles = [{ name: 'all', services: ['front', 'back'], replicas: { a: 1, b: 3 } }];
    const r = run(doc);
    // Ingress splits evenly over zones a and b; back's load follows front's replica exactly.
    const front = r.services.front?.replicasDetail ?? [];
    const back = r.services.back?.replicasDetail ?? [];
    for (const [i, f] of front.entries()) close(back[i]?.arrivalRps, f.arrivalRps, 0.02);
    close(front[0]?.arrivalRps, 600, 0.03);
    expect(r.crossZoneRps).toBe(0);
  });

  it('database calls split over shards in proportion to vcpu', () => {
    const r = run({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 's', serviceTimeMs: 1, workers: 64, calls: [{ to: 'db:d', perRequest: 2 }] }],
      bundles: [{ name: 'b', services: ['s'], replicas: { a: 2 } }],
      databases: [
        {
          name: 'd',
          queryTimeMs: 2,
          poolPerReplica: 30,
          shards: [
            { name: 's0', vcpu: 1, maxConnections: 20 },
            { name: 's1', vcpu: 3, maxConnections: 20 },
          ],
        },
      ],
      traffic: [{ entry: 's', rps: 200 }],
    });
    const [s0, s1] = r.databases.d?.shards ?? [];
    close(s0?.arrivalRps, 100, 0.04);
    close(s1?.arrivalRps, 300, 0.03);
    close(s0?.utilization, (100 * 0.002) / 1, 0.05);
    expect(r.databases.d?.connections).toEqual({ needed: 60, available: 40, overrun: 20 });
    expect(r.warnings.map((w) => w.code)).toContain('connections-overrun');
  });
});

/** Fixed times and idle queues: the latency is a sum the reader can check by hand. */
function fixedChain(overrides: Partial<TopologyInput> = {}): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [
      { name: 'a', region: 'r1' },
      { name: 'b', region: 'r1' },
      { name: 'x', region: 'r2' },
    ],
    services: [
      { name: 'entry', serviceTimeMs: 1, serviceTimeCv: 0, workers: 100, calls: [{ to: 'mid' }] },
      { name: 'mid', serviceTimeMs: 2, serviceTimeCv: 0, workers: 100, calls: [{ to: 'db:d' }, { to: 'ext:e' }, { to: 'leaf' }] },
      { name: 'leaf', serviceTimeMs: 1, serviceTimeCv: 0, workers: 100 },
    ],
    externals: [{ name: 'e', latencyMs: 10, latencyCv: 0 }],
    databases: [{ name: 'd', queryTimeMs: 3, queryTimeCv: 0, shards: [{ name: 's', vcpu: 100, maxConnections: 1000 }] }],
    bundles: [
      { name: 'front', services: ['entry'], replicas: { a: 1 } },
      { name: 'back', services: ['mid', 'leaf'], replicas: { a: 1 } },
    ],
    traffic: [{ entry: 'entry', rps: 5 }],
    ...overrides,
  };
}

describe('what a request pays', () => {
  it('own times, a broker hop, a database call, an external and a short-circuit call add up exactly', () => {
    // 1 (entry) + 0.13 (hop) + 2 (mid) + 0.5 + 3 (db) + 10 (ext) + 0.014 + 1 (leaf, same bundle)
    const expected = 1 + 0.13 + 2 + 0.5 + 3 + 10 + 0.014 + 1;
    const l = run(fixedChain(), { requests: 20_000 }).entries.entry?.latencyMs;
    for (const v of [l?.mean, l?.p50, l?.p95, l?.p99]) expect(v).toBeCloseTo(expected, 6);
  });

  it('a caller in another zone pays crossZoneMs, in another region crossRegionMs', () => {
    const base = 1 + 0.13 + 2 + 0.5 + 3 + 10 + 0.014 + 1;
    const zone = fixedChain();
    (zone.bundles ?? [])[1] = { name: 'back', services: ['mid', 'leaf'], replicas: { b: 1 } };
    expect(run(zone, { requests: 20_000 }).entries.entry?.latencyMs?.p99).toBeCloseTo(base + 1, 6);
    const region = fixedChain();
    (region.bundles ?? [])[1] = { name: 'back', services: ['mid', 'leaf'], replicas: { x: 1 } };
    expect(run(region, { requests: 20_000 }).entries.entry?.latencyMs?.p99).toBeCloseTo(base + 30, 6);
  });

  it('repetitions of a plain call run one after another; in a parallel group, at once', () => {
    const seq = fixedChain({
      services: [{ name: 'entry', serviceTimeMs: 1, serviceTimeCv: 0, workers: 100, calls: [{ to: 'ext:e', perRequest: 3 }] }],
      bundles: [{ name: 'front', services: ['entry'], replicas: { a: 1 } }],
      databases: [],
    });
    expect(run(seq, { requests: 20_000 }).entries.entry?.latencyMs?.p50).toBeCloseTo(31, 6);
    const par = fixedChain({
      services: [{ name: 'entry', serviceTimeMs: 1, serviceTimeCv: 0, workers: 100, calls: [{ to: 'ext:e', perRequest: 3, parallelGroup: 'g' }] }],
      bundles: [{ name: 'front', services: ['entry'], replicas: { a: 1 } }],
      databases: [],
    });
    expect(run(par, { requests: 20_000 }).entries.entry?.latencyMs?.p50).toBeCloseTo(11, 6);
  });

  it('a fractional perRequest makes ⌊n⌋ calls plus one more with probability n − ⌊n⌋', () => {
    const doc = fixedChain({
      services: [{ name: 'entry', serviceTimeMs: 1, serviceTimeCv: 0, workers: 100, calls: [{ to: 'ext:e', perRequest: 1.25 }] }],
      bundles: [{ name: 'front', services: ['entry'], replicas: { a: 1 } }],
      databases: [],
    });
    const l = run(doc, { requests: 50_000 }).entries.entry?.latencyMs;
    // Percentiles come from a histogram with bins 1/1024 wide: exact to 0.1 %.
    close(l?.p50, 11, 0.001);
    close(l?.p99, 21, 0.001);
    // Mean 1 + 10·1.25 = 13.5, with its interval around it.
    expect(l?.ci?.mean[0]).toBeLessThan(13.5);
    expect(l?.ci?.mean[1]).toBeGreaterThan(13.5);
  });

  it('a group waits for its slowest member, then the next step starts', () => {
    const doc = fixedChain({
      services: [
        {
          name: 'entry',
          serviceTimeMs: 1,
          serviceTimeCv: 0,
          workers: 100,
          calls: [{ to: 'ext:e', parallelGroup: 'g' }, { to: 'ext:slow' }, { to: 'ext:quick', parallelGroup: 'g' }],
        },
      ],
      externals: [
        { name: 'e', latencyMs: 10, latencyCv: 0 },
        { name: 'quick', latencyMs: 4, latencyCv: 0 },
        { name: 'slow', latencyMs: 20, latencyCv: 0 },
      ],
      bundles: [{ name: 'front', services: ['entry'], replicas: { a: 1 } }],
      databases: [],
    });
    expect(run(doc, { requests: 20_000 }).entries.entry?.latencyMs?.p99).toBeCloseTo(1 + 10 + 20, 6);
  });

  it('a worker is held for own time only: a 1-worker replica whose calls take 100 ms still serves 500 rps', () => {
    const r = run({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 's', serviceTimeMs: 1, serviceTimeCv: 0, workers: 1, calls: [{ to: 'ext:slow' }] }],
      externals: [{ name: 'slow', latencyMs: 100, latencyCv: 0 }],
      bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
      traffic: [{ entry: 's', rps: 500 }],
    });
    expect(r.services.s?.saturated).toBe(false);
    close(r.services.s?.utilization, 0.5, 0.02);
    // M/D/1 at ρ 0.5: mean wait ρ/(2μ(1−ρ)) = 0.5 ms, so the mean latency is 1 + 0.5 + 100.
    close(r.entries.s?.latencyMs?.mean, 101.5, 0.005);
  });
});

describe('caches, failures, saturation, scale', () => {
  const cached = (scope: 'distributed' | 'perReplica'): TopologyInput => ({
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    services: [
      {
        name: 'cat',
        serviceTimeMs: 4,
        workers: 16,
        cache: { scope, entriesPerReplica: 50, keySpace: 10_000, zipf: 1, hitTimeMs: 0.5 },
        calls: [{ to: 'inv' }],
      },
      { name: 'inv', serviceTimeMs: 1, workers: 16 },
    ],
    bundles: [
      { name: 'c', services: ['cat'], replicas: { a: 2 } },
      { name: 'i', services: ['inv'], replicas: { a: 1 } },
    ],
    traffic: [{ entry: 'cat', rps: 1000 }],
  });

  it("a hit is a draw at Che's rate; it skips the calls (distributed capacity = entries × replicas)", () => {
    const h = cheHitRate(10_000, 1, 100);
    expect(h).toBeCloseTo(0.3905, 4);
    const r = run(cached('distributed'));
    close(r.services.cat?.cacheHitRate, h, 0.02);
    close(r.services.inv?.arrivalRps, 1000 * (1 - h), 0.02);
    // Own time is the mixture: ρ per replica = 500 · (h·0.5 + (1−h)·4) ms / 16.
    close(r.services.cat?.utilization, (500 * (h * 0.5 + (1 - h) * 4)) / 1000 / 16, 0.03);
  });

  it('a per-replica cache holds only its own entries', () => {
    const r = run(cached('perReplica'));
    close(r.services.cat?.cacheHitRate, cheHitRate(10_000, 1, 50), 0.03);
  });

  it('a failed zone moves its ingress to the survivors; a bundle left with no replica is unavailable', () => {
    const doc = twoZones({ a: 1, b: 1 });
    const survived = run(doc, { failZones: ['b'] });
    expect(survived.services.front?.replicas).toBe(1);
    close(survived.services.front?.arrivalRps, 1200, 0.02);
    const gone = twoZones({ b: 2 });
    const down = run(gone, { failZones: ['b'] });
    expect(down.services.back?.unavailable).toBe(true);
    expect(down.entries.front?.latencyMs).toBeNull();
    expect(down.warnings.map((w) => w.code)).toContain('unavailable');
  });

  it('a replica at ρ ≥ 1 is reported saturated with no latency, and the run still ends', () => {
    const doc = twoZones({ a: 3, b: 1 });
    const back = (doc.services ?? [])[1];
    if (back) back.workers = 1; // zone b's single replica: 600 rps × 1 ms / 1 worker → ρ 0.6
    const r = run(doc, { scale: 2 }); // ρ 1.2 in zone b
    expect(r.services.back?.saturated).toBe(true);
    expect(r.services.back?.sojournMs).toBeNull();
    expect(r.entries.front?.latencyMs).toBeNull();
    expect(r.services.back?.utilization).toBeCloseTo(1.2, 6);
    expect(r.services.front?.saturated).toBe(false);
    expect(r.services.front?.sojournMs).not.toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain('saturated');
  });

  it('scale multiplies every arrival rate', () => {
    const r = run(twoZones({ a: 1, b: 1 }), { scale: 0.5 });
    close(r.services.back?.arrivalRps, 600, 0.02);
    expect(r.entries.front?.rps).toBe(600);
  });
});
