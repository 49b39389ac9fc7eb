import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gammaLattice, MAX_POINTS, mean } from '../distribution/lattice.ts';
import { simulate } from '../engine/index.ts';
import { getExample } from '../examples/index.ts';
import { formatProblem } from '../problems.ts';
import { gammaP, gammaQ } from '../queue/special.ts';
import { createRng } from '../random/rng.ts';
import { gamma } from '../random/sample.ts';
import { parseTopologyText, toYaml } from './codec.ts';
import { LIMITS } from './limits.ts';
import type { TopologyInput } from './topology.ts';
import { checkTopology, dropUnknownFields, parseTopology } from './validate.ts';

const shop = () => structuredClone(getExample('microbus-shop')?.doc) as Record<string, any>;
const problems = (doc: unknown) => {
  const r = parseTopology(doc);
  const quick = checkTopology(doc).map(formatProblem);
  const all = r.ok ? [] : r.problems.map(formatProblem);
  expect(quick).toEqual(all); // the API's fast path says the same
  return all;
};

/** The documents of issue 21's red-team pass: each refused by validation, with its path, before any work. */
describe('red-team documents are refused with their paths', () => {
  const cases: [string, (d: Record<string, any>) => void, string][] = [
    ['serviceTimeCv 1e300', (d) => (d.services[0].serviceTimeCv = 1e300), 'services[0].serviceTimeCv: at most 10:'],
    ['replicas 1e9', (d) => (d.bundles[0].replicas['us-east-1a'] = 1e9), 'bundles[0].replicas["us-east-1a"]: at most 1,000 per zone:'],
    ['nats.serversPerZone 1e9', (d) => (d.nats[0].serversPerZone = 1e9), 'nats[0].serversPerZone: at most 64:'],
    ['workers 1e9', (d) => (d.services[0].workers = 1e9), 'services[0].workers: at most 10,000:'],
    ['perRequest 1e6', (d) => (d.services[1].calls[0].perRequest = 1e6), 'services[1].calls[0].perRequest: at most 1,000:'],
    ['keySpace 1e15', (d) => (d.services[2].cache.keySpace = 1e15), 'services[2].cache.keySpace: at most 1,000,000,000,000:'],
    ['vcpu 1e6', (d) => (d.databases[0].shards[0].vcpu = 1e6), 'databases[0].shards[0].vcpu: at most 1,024:'],
    ['rps 1e12', (d) => (d.traffic[0].rps = 1e12), 'traffic[0].rps: at most 1,000,000,000 rps:'],
    ['a tiny own time', (d) => (d.services[0].serviceTimeMs = 1e-300), 'services[0].serviceTimeMs: at least 0.000001 ms (1 ns)'],
  ];
  for (const [what, edit, message] of cases)
    it(what, () => {
      const d = shop();
      edit(d);
      const all = problems(d);
      expect(
        all.some((p) => p.startsWith(message)),
        all.join('\n'),
      ).toBe(true);
      expect(all.find((p) => p.startsWith(message))).toMatch(/README "Limits"|1 ns/);
    });

  it('refuses load that perRequest multiplies past the limit, at the service that would receive it', () => {
    const d = shop();
    // Each step within its own limit; together 1,000 × 1,000 × the entry's traffic.
    d.services[0].calls[0].perRequest = 1000;
    d.services[1].calls[0].perRequest = 1000;
    d.traffic[0].rps = 1e6;
    const all = problems(d);
    expect(
      all.some((p) => /^services\[\d+\]: would receive up to .* requests\/s/.test(p)),
      all.join('\n'),
    ).toBe(true);
  });

  it('refuses too many replicas in all and too many zones', () => {
    const d = shop();
    for (const b of d.bundles) for (const z of Object.keys(b.replicas)) b.replicas[z] = 1000;
    d.zones = [...d.zones, ...Array.from({ length: LIMITS.zones }, (_, i) => ({ name: `x${i}`, region: 'us-east-1' }))];
    const all = problems(d);
    expect(all).toContain(
      `zones: ${(LIMITS.zones + 3).toString()} zones; at most ${LIMITS.zones}: Busboard's limit (README "Limits"); split the design`,
    );
    expect(all.some((p) => p.startsWith('bundles: 9,000 replicas in all; at most 20,000') || p.startsWith('bundles: '))).toBe(false);
    for (const b of d.bundles) for (const z of Object.keys(b.replicas)) b.replicas[z] = 1000;
    d.bundles.push({ name: 'more', services: [], replicas: Object.fromEntries(d.zones.slice(0, 15).map((z: { name: string }) => [z.name, 1000])) });
    expect(problems(d)).toContain(
      `bundles: 24,000 replicas in all; at most 20,000: Busboard's limit (README "Limits"), which keeps the per-replica figures finite`,
    );
  });
});

describe('names', () => {
  it('a service name is a hostname, and the message says the rule and a fix', () => {
    const d = shop();
    d.services[0].name = 'Web Example';
    expect(problems(d)).toContain(
      'services[0].name: "Web Example" is not a valid service name: a service name is a hostname (also its NATS queue group): lower-case letters a–z, digits and hyphens, in dot-separated labels of 1–63 characters that start and end with a letter or digit, at most 253 characters, e.g. "cart.example"; try "web-example"',
    );
  });

  it('no control, bidi or invisible characters anywhere, keys included', () => {
    const d = shop();
    d.bundles[0].name = 'ingress\u202Egnp.exe';
    d.zones[0].region = 'us\u0000east';
    d.name = 'shop\u200B';
    d.bundles[1].replicas['us-east-1a\u2066'] = 1;
    const all = problems(d);
    expect(all).toContain('bundles[0].name: contains the control or invisible character U+202E; names must read as they are, so remove it');
    expect(all).toContain('zones[0].region: contains the control or invisible character U+0000; names must read as they are, so remove it');
    expect(all).toContain('name: contains the control or invisible character U+200B; names must read as they are, so remove it');
    expect(all).toContain('bundles[1].replicas["us-east-1a\u2066"]: the key contains the control or invisible character U+2066; remove it');
  });

  it('keeps the examples valid', () => {
    for (const id of ['microbus-shop', 'flow8-tier', 'checkout']) expect(problems(getExample(id)?.doc)).toEqual([]);
  });
});

describe('unknown fields', () => {
  it('are refused with their path (issue 12, item 7)', () => {
    const d = shop();
    d.services[0].maxQueue = 200;
    d.bundles[1].replicas = { ...d.bundles[1].replicas };
    d.network.natsHop = 0.2;
    d.extra = true;
    const all = problems(d);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\[0\]\.maxQueue: unknown field: not part of busboard\.topology\/v3 .*--drop-unknown/),
        expect.stringMatching(/^network\.natsHop: unknown field/),
        expect.stringMatching(/^extra: unknown field/),
      ]),
    );
    expect(all).toHaveLength(3);
  });

  it('are dropped only on request, each one listed, and nothing else changes', () => {
    const d = shop();
    d.services[0].maxQueue = 200;
    d.databases[0].shards[1].replicaSet = 'rs1';
    d.layout = { 'service:web.example': { x: 1, y: 2, z: 3 } };
    const r = dropUnknownFields(d);
    if (!r.ok) throw new Error('not ok');
    expect(r.dropped).toEqual(['services[0].maxQueue', 'databases[0].shards[1].replicaSet', 'layout["service:web.example"].z']);
    expect(d.services[0].maxQueue).toBe(200); // the input is not touched
    const again = parseTopology(r.doc);
    expect(again.ok).toBe(true);
    const { maxQueue: _q, ...service } = d.services[0];
    expect(r.doc.services).toEqual([service, ...d.services.slice(1)]);
    expect(r.doc.databases).toEqual([
      { ...d.databases[0], shards: d.databases[0].shards.map(({ replicaSet: _r, ...s }: Record<string, unknown>) => s) },
    ]);
  });

  it('survive YAML round trips of valid documents: nothing to drop', () => {
    const r = parseTopologyText(toYaml(getExample('checkout')?.doc as TopologyInput));
    expect(r.ok).toBe(true);
  });
});

describe('special functions inside the limits', () => {
  it('the gamma lattice is finite, sums to 1, keeps its mean and stays within MAX_POINTS for any mean and cv allowed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: LIMITS.minTimeMs, max: LIMITS.timeMs, noNaN: true }),
        fc.oneof(fc.double({ min: 0, max: LIMITS.cv, noNaN: true }), fc.constantFrom(0, 1e-300, 1e-9, 1e-3, 0.999, 1.001, LIMITS.cv)),
        (m, cv) => {
          const l = gammaLattice(m, cv);
          let total = 0;
          for (const p of l.p) {
            expect(Number.isFinite(p) && p >= 0).toBe(true);
            total += p;
          }
          expect(total).toBeCloseTo(1, 9);
          expect(l.p.length).toBeLessThanOrEqual(MAX_POINTS);
          // The tail cut (1e-10 of the mass) costs the heaviest gammas a little of their mean.
          expect(Math.abs(mean(l) / m - 1)).toBeLessThan(cv > 3 ? 0.1 : 0.01);
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });

  it('P and Q of the incomplete gamma are in [0, 1] and sum to 1 for shapes from cv 10 to cv 1e-3', () => {
    for (const a of [0.01, 0.0101, 0.5, 1, 2, 1e3, 1e6, 1e6 + 1]) {
      for (const x of [0, 1e-300, 1e-9, 0.01, a / 2, a, a * 2, a + 1e3 * Math.sqrt(a), 1e12]) {
        const p = gammaP(a, x);
        const q = gammaQ(a, x);
        expect(Number.isFinite(p) && Number.isFinite(q), `a ${a} x ${x}`).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(q).toBeLessThanOrEqual(1);
        expect(p + q).toBeCloseTo(1, 6);
      }
    }
  });

  it('gamma draws are finite for every allowed cv, the tiniest included', () => {
    const rng = createRng(21);
    for (const cv of [0, 1e-300, 1e-12, 1e-6, 1e-3, 0.5, 1, 2, LIMITS.cv])
      for (let i = 0; i < 200; i++) expect(Number.isFinite(gamma(rng, 5, cv)), `cv ${cv}`).toBe(true);
  });

  it('a document with every value at its limit computes, with finite figures', () => {
    const zones = Array.from({ length: 19 }, (_, i) => ({ name: `z${i}`, region: 'r' }));
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones,
      nats: [{ name: 'n', region: 'r', serversPerZone: LIMITS.serversPerZone, maxMsgsPerSecPerServer: LIMITS.rps }],
      services: [
        {
          name: 'a',
          serviceTimeMs: 50,
          serviceTimeCv: LIMITS.cv,
          workers: LIMITS.workers,
          calls: [
            { to: 'b', perRequest: LIMITS.perRequest },
            { to: 'ext:x', perRequest: 2 },
            { to: 'db:d', perRequest: 3 },
          ],
          cache: { keySpace: LIMITS.keySpace, entriesPerReplica: 1e6, zipf: LIMITS.zipf, hitTimeMs: LIMITS.minTimeMs },
        },
        {
          name: 'b',
          serviceTimeMs: LIMITS.minTimeMs,
          serviceTimeCv: LIMITS.cv,
          cache: { keySpace: LIMITS.keySpace, entriesPerReplica: 3, zipf: 0.5, hitTimeMs: 1 },
        },
      ],
      externals: [{ name: 'x', latencyMs: LIMITS.timeMs, latencyCv: LIMITS.cv }],
      databases: [
        {
          name: 'd',
          shards: Array.from({ length: LIMITS.shardsPerDatabase }, (_, i) => ({
            name: `s${i}`,
            vcpu: LIMITS.cpu,
            maxConnections: LIMITS.connections,
          })),
          queryTimeMs: LIMITS.minTimeMs,
          queryTimeCv: LIMITS.cv,
          poolPerReplica: LIMITS.connections,
        },
      ],
      bundles: [
        { name: 'app', services: ['a'], replicas: Object.fromEntries(zones.map((z) => [z.name, LIMITS.replicasPerZone])), cpu: LIMITS.cpu },
        { name: 'b', services: ['b'], replicas: { z0: 1 } },
      ],
      traffic: [{ entry: 'a', rps: 1e5 }],
      slo: [{ entry: 'a', p99Ms: LIMITS.sloMs }],
    };
    const p = parseTopology(doc);
    if (!p.ok) throw new Error(p.problems.map(formatProblem).join('\n'));
    const r = simulate(p.doc, { failZones: ['z0'] });
    const e = r.entries.a;
    for (const v of Object.values(e?.latencyMs ?? {})) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(r.headroom)).toBe(true);
    expect(Object.values(r.services).every((s) => Number.isFinite(s.utilization))).toBe(true);
  });
});
