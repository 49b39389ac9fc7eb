/**
 * Properties the engine must keep for any design (issue 3), checked with fast-check on small
 * random designs. Failing seeds found while building the engine are pinned below.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';
import type { SimulationResult } from './types.ts';

const ZONES = [
  { name: 'a', region: 'r1' },
  { name: 'b', region: 'r1' },
  { name: 'c', region: 'r2' },
];

const serviceArb = fc.record({
  serviceTimeMs: fc.double({ min: 0.05, max: 20, noNaN: true }),
  serviceTimeCv: fc.constantFrom(0, 0.5, 1, 1, 1.5),
  workers: fc.integer({ min: 1, max: 8 }),
  bundle: fc.integer({ min: 0, max: 2 }),
  // Calls to later services only: the graph stays acyclic.
  calls: fc.array(
    fc.record({ ahead: fc.integer({ min: 1, max: 4 }), perRequest: fc.double({ min: 0.1, max: 3, noNaN: true }), parallel: fc.boolean() }),
    {
      maxLength: 3,
    },
  ),
  db: fc.option(fc.double({ min: 0.2, max: 3, noNaN: true }), { nil: undefined }),
  ext: fc.boolean(),
  cache: fc.option(
    fc.record({
      scope: fc.constantFrom('distributed', 'perReplica'),
      entriesPerReplica: fc.integer({ min: 10, max: 5000 }),
      keySpace: fc.integer({ min: 100, max: 200_000 }),
      zipf: fc.double({ min: 0, max: 1.4, noNaN: true }),
      hitFraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
    { nil: undefined },
  ),
});

const designArb = fc.record({
  routing: fc.constantFrom('locality', 'random'),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 6 }),
  replicas: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
  rps: fc.double({ min: 1, max: 3000, noNaN: true }),
  shares: fc.option(fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), { nil: undefined }),
  shards: fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 3 }),
  servers: fc.integer({ min: 1, max: 3 }),
});

type Design = typeof designArb extends fc.Arbitrary<infer T> ? T : never;

/** A valid document from the arbitrary (hit times never exceed service times: a hit is cheaper than a miss). */
function toDoc(d: Design): TopologyInput {
  const n = d.services.length;
  const services = d.services.map((s, i) => {
    const calls: { to: string; perRequest: number; parallelGroup?: string }[] = [];
    for (const c of s.calls) {
      const t = i + c.ahead;
      if (t >= n || calls.some((x) => x.to === `s${t}`)) continue;
      calls.push({ to: `s${t}`, perRequest: c.perRequest, ...(c.parallel ? { parallelGroup: 'g' } : {}) });
    }
    if (s.db !== undefined) calls.push({ to: 'db:main', perRequest: s.db });
    if (s.ext) calls.push({ to: 'ext:partner', perRequest: 1 });
    return {
      name: `s${i}`,
      serviceTimeMs: s.serviceTimeMs,
      serviceTimeCv: s.serviceTimeCv,
      workers: s.workers,
      calls,
      ...(s.cache
        ? {
            cache: {
              scope: s.cache.scope,
              entriesPerReplica: s.cache.entriesPerReplica,
              keySpace: s.cache.keySpace,
              zipf: s.cache.zipf,
              hitTimeMs: s.serviceTimeMs * s.cache.hitFraction,
            },
          }
        : {}),
    };
  });
  const bundles = [0, 1, 2]
    .map((b) => ({
      name: `b${b}`,
      services: services.filter((_, i) => d.services[i]?.bundle === b).map((s) => s.name),
      replicas: Object.fromEntries(ZONES.map((z, zi) => [z.name, d.replicas[b]?.[zi] ?? 0])),
      cpu: 2,
    }))
    .filter((b) => b.services.length > 0);
  return {
    schema: 'busboard.topology/v3',
    zones: ZONES,
    routing: d.routing,
    nats: [
      { name: 'n1', region: 'r1', serversPerZone: d.servers, maxMsgsPerSecPerServer: 50_000 },
      { name: 'n2', region: 'r2', serversPerZone: 1, maxMsgsPerSecPerServer: 50_000 },
    ],
    services,
    externals: [{ name: 'partner', latencyMs: 20, latencyCv: 0.7 }],
    bundles,
    databases: [
      {
        name: 'main',
        shards: d.shards.map((vcpu, j) => ({ name: `sh${j}`, vcpu, maxConnections: 100 })),
        queryTimeMs: 1,
        poolPerReplica: 10,
      },
    ],
    traffic: [{ entry: 's0', rps: d.rps, ...(d.shares ? { zones: Object.fromEntries(ZONES.map((z, i) => [z.name, d.shares?.[i] ?? 1])) } : {}) }],
    slo: [{ entry: 's0', p99Ms: 100 }],
  };
}

function parsed(input: TopologyInput) {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

/** Every number in the result, with its path. */
function numbers(value: unknown, path = '$', out: [string, number][] = []): [string, number][] {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value))
    value.forEach((v, i) => {
      numbers(v, `${path}[${i}]`, out);
    });
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbers(v, `${path}.${k}`, out);
  return out;
}

const zoneSubset = fc.subarray(['a', 'b', 'c']);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

describe('engine properties', () => {
  it('never gives NaN, Infinity or a negative number anywhere', () => {
    fc.assert(
      fc.property(designArb, fc.double({ min: 0.01, max: 20, noNaN: true }), zoneSubset, (d, scale, failZones) => {
        const r = simulate(parsed(toDoc(d)), { scale, failZones });
        const bad = numbers(r).filter(([, v]) => !Number.isFinite(v) || v < 0);
        expect(bad).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("adding a replica in a zone that already holds the bundle's replicas never raises its replicas' utilization", () => {
    fc.assert(
      fc.property(designArb, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (d, bi, zi) => {
        const doc = toDoc(d);
        const bundle = doc.bundles?.[bi % (doc.bundles?.length ?? 1)];
        const zone = ZONES[zi]?.name as string;
        if (!bundle || !(bundle.replicas[zone] ?? 0)) return;
        const before = simulate(parsed(doc), { skipEndToEnd: true });
        bundle.replicas[zone] = (bundle.replicas[zone] ?? 0) + 1;
        const after = simulate(parsed(doc), { skipEndToEnd: true });
        for (const s of bundle.services) {
          for (const z of ZONES) {
            const b = before.services[s]?.replicasDetail.find((x) => x.zone === z.name);
            const a = after.services[s]?.replicasDetail.find((x) => x.zone === z.name);
            if (b && a) expect(a.utilization).toBeLessThanOrEqual(b.utilization * (1 + 1e-12) + 1e-15);
          }
          expect(after.services[s]?.utilization ?? 0).toBeLessThanOrEqual((before.services[s]?.utilization ?? 0) * (1 + 1e-12) + 1e-15);
        }
      }),
      { numRuns: RUNS },
    );
  });

  /**
   * Pinned counterexample (seed 108184147): at 0.1 rps a cached service's P99 moved by 2e-9
   * relative when traffic grew 1 % — lattice round-off, far below anything a user sees. Since
   * issue 12 the comparison allows 1e-3 relative: the fork–join and batch copulas grow their
   * correlation with the load (forkjoin.ts), which can take a group's maximum down by a few 1e-4
   * while every member's sojourn grows (500 random designs: no drop above 1e-3).
   */
  const pinnedP99: [Design, number, number] = [
    {
      routing: 'random',
      services: [
        {
          serviceTimeMs: 0.05,
          serviceTimeCv: 1,
          workers: 2,
          bundle: 1,
          calls: [],
          db: undefined,
          ext: false,
          cache: { scope: 'distributed', entriesPerReplica: 10, keySpace: 100, zipf: 0, hitFraction: 0.01 },
        },
        { serviceTimeMs: 0.05, serviceTimeCv: 0, workers: 1, bundle: 0, calls: [], db: undefined, ext: false, cache: undefined },
      ],
      replicas: [
        [0, 0, 0],
        [0, 4, 3],
        [0, 0, 0],
      ],
      rps: 1,
      shares: [0.05, 0.05000000000000008, 0.05],
      shards: [1],
      servers: 1,
    },
    0.11541575890378114,
    1.01,
  ];
  /**
   * Found by a run (seed -740366219): a call repeated 1.5 times in a parallel group, to a service
   * whose time is mostly an external's 20 ms. The batch copula tightened around the whole call,
   * so more load lowered the entry P99 by 0.1 %; only the callee's own sojourn is shared now.
   */
  const pinnedBatch: [Design, number, number] = [
    {
      routing: 'locality',
      services: [
        {
          serviceTimeMs: 0.05,
          serviceTimeCv: 0,
          workers: 1,
          bundle: 0,
          calls: [{ ahead: 1, perRequest: 1.5, parallel: true }],
          db: undefined,
          ext: false,
          cache: undefined,
        },
        {
          serviceTimeMs: 0.14697159356224831,
          serviceTimeCv: 0,
          workers: 2,
          bundle: 0,
          calls: [],
          db: undefined,
          ext: true,
          cache: { scope: 'distributed', entriesPerReplica: 10, keySpace: 1486, zipf: 0, hitFraction: 0.042938274900469295 },
        },
      ],
      replicas: [
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
      rps: 366.19516421657556,
      shares: [0.05, 0.05, 0.05],
      shards: [1],
      servers: 1,
    },
    0.9628228549669696,
    2.999999999997254,
  ];

  it('more traffic never lowers a P99 (entries end to end, services own)', () => {
    const p99s = (r: SimulationResult) => [
      ...Object.entries(r.entries).map(([k, e]) => [`entry ${k}`, e.latencyMs?.p99 ?? null] as const),
      ...Object.entries(r.services).map(([k, s]) => [`service ${k}`, s.unavailable ? -1 : (s.sojournMs?.p99 ?? null)] as const),
    ];
    fc.assert(
      fc.property(designArb, fc.double({ min: 0.05, max: 3, noNaN: true }), fc.double({ min: 1.01, max: 3, noNaN: true }), (d, scale, more) => {
        const doc = parsed(toDoc(d));
        const lo = new Map(p99s(simulate(doc, { scale })));
        for (const [k, hi] of p99s(simulate(doc, { scale: scale * more }))) {
          const l = lo.get(k);
          if (l === null || l === undefined || l === -1) continue; // already unbounded or absent
          if (hi === null) continue; // saturated now: unbounded, not lower
          expect(hi, k).toBeGreaterThanOrEqual(l * (1 - 1e-3));
        }
      }),
      { numRuns: RUNS, examples: [pinnedP99, pinnedBatch] },
    );
  });

  it("a parallel group is never faster than its slowest member's median", () => {
    const member = fc.record({
      serviceTimeMs: fc.double({ min: 0.1, max: 30, noNaN: true }),
      cv: fc.constantFrom(0, 0.5, 1, 2),
      workers: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 5 }), fc.double({ min: 1, max: 200, noNaN: true }), (members, rps) => {
        const doc = parsed({
          schema: 'busboard.topology/v3',
          zones: [{ name: 'a', region: 'r' }],
          services: [
            { name: 'fan', serviceTimeMs: 0.1, workers: 64, calls: members.map((_, i) => ({ to: `m${i}`, parallelGroup: 'all' })) },
            ...members.map((m, i) => ({ name: `m${i}`, serviceTimeMs: m.serviceTimeMs, serviceTimeCv: m.cv, workers: m.workers * 16 })),
          ],
          bundles: [
            { name: 'f', services: ['fan'], replicas: { a: 1 } },
            ...members.map((_, i) => ({ name: `b${i}`, services: [`m${i}`], replicas: { a: 2 } })),
          ],
          traffic: [{ entry: 'fan', rps }],
        });
        const r = simulate(doc);
        const p50 = r.entries.fan?.latencyMs?.p50;
        if (p50 === undefined) throw new Error('no latency');
        const slowest = Math.max(...members.map((_, i) => r.services[`m${i}`]?.sojournMs?.p50 ?? 0));
        expect(p50).toBeGreaterThanOrEqual(slowest);
      }),
      { numRuns: RUNS },
    );
  });

  it('moving replicas between zones keeps total capacity', () => {
    fc.assert(
      fc.property(designArb, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (d, bi, from, to) => {
        const doc = toDoc(d);
        const bundle = doc.bundles?.[bi % (doc.bundles?.length ?? 1)];
        const zf = ZONES[from]?.name as string;
        const zt = ZONES[to]?.name as string;
        if (!bundle || from === to || !(bundle.replicas[zf] ?? 0)) return;
        const before = simulate(parsed(doc), { skipEndToEnd: true });
        bundle.replicas[zf] = (bundle.replicas[zf] ?? 0) - 1;
        bundle.replicas[zt] = (bundle.replicas[zt] ?? 0) + 1;
        const after = simulate(parsed(doc), { skipEndToEnd: true });
        expect(after.bundles[bundle.name]?.replicas).toBe(before.bundles[bundle.name]?.replicas);
        for (const s of bundle.services) {
          const b = before.services[s];
          const a = after.services[s];
          expect(a?.capacityRps).toBeCloseTo(b?.capacityRps ?? Number.NaN, 6);
          expect(a?.meanUtilization).toBeCloseTo(b?.meanUtilization ?? Number.NaN, 9);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('failing no zone changes nothing', () => {
    fc.assert(
      fc.property(designArb, (d) => {
        const doc = parsed(toDoc(d));
        expect(simulate(doc, { failZones: [] })).toEqual(simulate(doc));
      }),
      { numRuns: 50 },
    );
  });
});
