/**
 * Cost per month (issue 20): a small design costed by hand — every product written out below —
 * equals designCost's breakdown; the presets carry their figures and date; a document without
 * `cost` uses aws-us-east-1; the price book is validated with paths.
 */
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../edit/commands.ts';
import { simulate } from '../engine/simulate.ts';
import { ordersEvents } from '../examples/orders-events.ts';
import { COST_PRESETS } from '../schema/cost.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { checkTopology, parseTopology } from '../schema/validate.ts';
import type { TimelineResult } from '../timeline/types.ts';
import { designCost } from './cost.ts';
import { PRICE_PRESETS } from './presets.ts';

/**
 * web (0.5 vCPU, 512 MiB, 1 replica in a) calls api (2 vCPU, 4 GiB, 2 replicas in b) once per
 * request, and api calls geo (1 vCPU, 1 GiB, 1 replica in c, another region) 0.5 times: with
 * locality, all 100 calls/s web → api cross from a to b, and all 50 calls/s api → geo cross regions.
 */
const input = (): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: [
    { name: 'a', region: 'r1' },
    { name: 'b', region: 'r1' },
    { name: 'c', region: 'r2' },
  ],
  nats: [
    { name: 'main', region: 'r1', serversPerZone: 3 },
    { name: 'far', region: 'r2', serversPerZone: 1 },
  ],
  services: [
    { name: 'web', serviceTimeMs: 1, workers: 8, calls: [{ to: 'api', perRequest: 1 }] },
    { name: 'api', serviceTimeMs: 2, workers: 8, calls: [{ to: 'geo', perRequest: 0.5 }, { to: 'db:main' }] },
    { name: 'geo', serviceTimeMs: 1, workers: 8 },
  ],
  bundles: [
    { name: 'front', services: ['web'], replicas: { a: 1 }, cpu: 0.5, memoryMiB: 512 },
    { name: 'back', services: ['api'], replicas: { b: 2 }, cpu: 2, memoryMiB: 4096 },
    { name: 'far', services: ['geo'], replicas: { c: 1 }, cpu: 1, memoryMiB: 1024 },
  ],
  databases: [{ name: 'main', shards: [{ name: 's1', vcpu: 4, maxConnections: 100 }], queryTimeMs: 1 }],
  traffic: [{ entry: 'web', rps: 100 }],
});

function parse(doc: TopologyInput): Topology {
  const r = parseTopology(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

const monthly = (c: ReturnType<typeof designCost>, kind: string, name: string) => c.lines.find((l) => l.kind === kind && l.name === name)?.monthly;

describe('designCost', () => {
  it('equals the cost worked out by hand (AWS us-east-1 preset, no cost field)', () => {
    const doc = parse(input());
    const result = simulate(doc);
    expect(result.crossZoneRps).toBeCloseTo(150, 9); // 100 a→b + 50 b→c
    expect(result.crossRegionRps).toBeCloseTo(50, 9);
    const c = designCost(doc, result);
    expect(c.prices.preset).toBe('aws-us-east-1'); // the stated default
    expect(c.prices.notice).toBe('AWS us-east-1: list prices as of 2024-06; check your provider');
    // vCPU-hour $0.03125, GiB-hour $0.00419, 730 h a month.
    // front: 1 × (0.5 × 0.03125 + 0.5 × 0.00419) × 730 = 1 × (0.015625 + 0.002095) × 730 = 0.01772 × 730 = 12.9356
    expect(c.byBundle.front).toBeCloseTo(12.9356, 9);
    // back: 2 × (2 × 0.03125 + 4 × 0.00419) × 730 = 2 × (0.0625 + 0.01676) × 730 = 2 × 0.07926 × 730 = 115.7196
    expect(c.byBundle.back).toBeCloseTo(115.7196, 9);
    // far: 1 × (1 × 0.03125 + 1 × 0.00419) × 730 = 0.03544 × 730 = 25.8712
    expect(c.byBundle.far).toBeCloseTo(25.8712, 9);
    // NATS main: 3 per zone × 2 zones (a, b) × $0.096 × 730 = 420.48; far: 1 × 1 × 0.096 × 730 = 70.08
    expect(monthly(c, 'nats', 'main')).toBeCloseTo(420.48, 9);
    expect(monthly(c, 'nats', 'far')).toBeCloseTo(70.08, 9);
    // The database is not priced without cost.dbVcpuHour.
    expect(monthly(c, 'database', 'main')).toBe(0);
    // Calls crossing zones: (150 − 50) calls/s × (1024 + 4096) B × 2,628,000 s = 1,345,536,000,000 B = 1,345.536 GB × $0.02 = 26.91072
    expect(monthly(c, 'cross-zone', 'calls')).toBeCloseTo(26.91072, 9);
    // Calls crossing regions: 50 × 5120 × 2,628,000 = 672.768 GB × $0.02 = 13.45536
    expect(monthly(c, 'cross-region', 'calls')).toBeCloseTo(13.45536, 9);
    // Total: 12.9356 + 115.7196 + 25.8712 + 420.48 + 70.08 + 26.91072 + 13.45536 = 685.45248
    expect(c.totals.total).toBeCloseTo(685.45248, 9);
    expect(c.totals.compute).toBeCloseTo(154.5264, 9);
    expect(c.totals.network).toBeCloseTo(40.36608, 9);
    const back = c.lines.find((l) => l.name === 'back');
    expect(back?.formula).toBe('2 replicas × (2 vCPU × $0.03125/h + 4 GiB × $0.00419/h) × 730 h');
    expect(back?.inputs).toEqual({ replicas: 2, cpu: 2, memoryMiB: 4096, vcpuHour: 0.03125, gibHour: 0.00419, hours: 730 });
    expect(back?.path).toBe('bundles[1]');
    expect(c.overTime).toBeNull();
  });

  it('the document’s own figures win over its preset; shards are priced when dbVcpuHour is set', () => {
    const d = input();
    d.cost = { preset: 'gcp-us-central1', vcpuHour: 0.05, dbVcpuHour: 0.1, requestBytes: 0, responseBytes: 1000 };
    const doc = parse(d);
    const c = designCost(doc, simulate(doc));
    expect(c.prices.overridden).toEqual(['vcpuHour', 'dbVcpuHour', 'requestBytes', 'responseBytes']);
    expect(c.prices.gibHour).toBe(0.004237); // the preset's
    // back: 2 × (2 × 0.05 + 4 × 0.004237) × 730 = 2 × 0.116948 × 730 = 170.74408
    expect(c.byBundle.back).toBeCloseTo(170.74408, 9);
    // main: 4 vCPU × 0.1 × 730 = 292
    expect(monthly(c, 'database', 'main')).toBeCloseTo(292, 9);
    // cross-zone: 100 × 1000 B × 2,628,000 s = 262.8 GB × $0.01 (GCP) = 2.628
    expect(monthly(c, 'cross-zone', 'calls')).toBeCloseTo(2.628, 9);
    // --preset azure-eastus stands in for the document's preset; its figures still win.
    const az = designCost(doc, simulate(doc), { preset: 'azure-eastus' });
    expect(az.prices.preset).toBe('azure-eastus');
    expect(az.prices.vcpuHour).toBe(0.05);
    expect(monthly(az, 'cross-zone', 'calls')).toBe(0); // Azure bills no inter-AZ transfer
  });

  it('prices a timeline’s replica-hours for autoscaled bundles', () => {
    const doc = parse(input());
    const tl = { minutes: 1440, totals: { replicaHours: { front: 36, back: 48, far: 24 } } } as unknown as TimelineResult;
    const c = designCost(doc, simulate(doc), { timeline: tl });
    // front: 36 replica-hours in 24 h × 0.01772/h × (730 / 24) = 0.63792 × 30.41667 = 19.4034
    expect(c.overTime?.bundles.front?.monthly).toBeCloseTo(19.4034, 9);
    // back: 48 × 0.07926 × 730 / 24 = 115.7196 (the same 2 replicas all day); far: 24 × 0.03544 × 730 / 24 = 25.8712
    expect(c.overTime?.bundles.back?.monthly).toBeCloseTo(115.7196, 9);
    expect(c.overTime?.total).toBeCloseTo(685.45248 - 12.9356 + 19.4034, 9);
  });

  it('prices JetStream storage and its cross-zone bytes from the async engine', () => {
    const doc = parse(ordersEvents);
    const result = simulate(doc);
    const c = designCost(doc, result);
    for (const [i, st] of (doc.streams ?? []).entries()) {
      const s = result.async?.streams[st.name];
      if (!s) throw new Error(`no result for stream ${st.name}`);
      const storage = c.lines.find((l) => l.kind === 'storage' && l.path === `streams[${i}]`);
      const gb = s.steadyBytes === null ? (s.storageBytesPerDayAllReplicas * 730) / 24 / 1e9 : (s.steadyBytes * s.replicas.length) / 1e9;
      expect(storage?.monthly).toBeCloseTo(gb * 0.08, 9);
      const cross = c.lines.find((l) => l.kind === 'stream-cross-zone' && l.path === `streams[${i}]`);
      expect(cross?.monthly).toBeCloseTo(((s.crossZoneBytesPerSec * 2_628_000) / 1e9) * 0.02, 9);
    }
    expect(c.totals.storage).toBeGreaterThan(0);
  });
});

describe('price presets', () => {
  it('each preset has every figure and the date it was read', () => {
    for (const name of COST_PRESETS) {
      const p = PRICE_PRESETS[name];
      expect(p.name).toBe(name);
      expect(p.asOf).toMatch(/^\d{4}-\d{2}$/);
      expect(p.currency).toBe('USD');
      for (const k of ['vcpuHour', 'gibHour', 'natsServerHour', 'storageGBMonth', 'crossZonePerGB', 'crossRegionPerGB'] as const)
        expect(p[k]).toBeGreaterThanOrEqual(0);
      expect(p.vcpuHour).toBeGreaterThan(0);
      expect(p.source.length).toBeGreaterThan(20);
    }
    // The split of a 2-vCPU, 8-GiB instance gives its hourly list price back.
    expect(2 * PRICE_PRESETS['aws-us-east-1'].vcpuHour + 8 * PRICE_PRESETS['aws-us-east-1'].gibHour).toBeCloseTo(0.096, 3);
    expect(2 * PRICE_PRESETS['gcp-us-central1'].vcpuHour + 8 * PRICE_PRESETS['gcp-us-central1'].gibHour).toBeCloseTo(0.097118, 6);
  });

  it('refuses a bad price book with the path of each problem', () => {
    const d = input() as Record<string, unknown>;
    d.cost = { preset: 'oracle', vcpuHour: -1, currency: 'usd', memoryHour: 1 };
    const problems = checkTopology(d).map((p) => p.path);
    expect(problems).toEqual(expect.arrayContaining(['cost.preset', 'cost.vcpuHour', 'cost.currency', 'cost.memoryHour']));
  });
});

describe('setCost', () => {
  it('sets and clears figures of the price book; clearing the last one removes `cost`', () => {
    const d = input();
    const set = applyCommand(d, { type: 'setCost', fields: { preset: 'azure-eastus', vcpuHour: 0.04 } });
    expect(set.cost).toEqual({ preset: 'azure-eastus', vcpuHour: 0.04 });
    expect(applyCommand(set, { type: 'setCost', fields: { vcpuHour: 0.04 } })).toBe(set);
    const one = applyCommand(set, { type: 'setCost', fields: { vcpuHour: undefined } });
    expect(one.cost).toEqual({ preset: 'azure-eastus' });
    expect('cost' in applyCommand(one, { type: 'setCost', fields: { preset: undefined } })).toBe(false);
  });
});
