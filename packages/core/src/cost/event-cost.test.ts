/**
 * Core-NATS event copies that cross zones or regions (no stream): the bytes and the dollars of a
 * small fan-out worked out by hand below — every product written out — equal the engine's
 * per-subscription `crossZoneBytesPerSec` / `crossRegionBytesPerSec`, designCost's
 * `event-cross-zone` / `event-cross-region` lines and totals, and the comparison's cross-zone bytes.
 */
import { describe, expect, it } from 'vitest';
import { createDesRun } from '../des/run.ts';
import { simulate } from '../engine/simulate.ts';
import { crossZoneBytes } from '../scenario/column.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { designCost } from './cost.ts';

/**
 * `src` (1 replica in a, 50 rps, 1 event of 2000 B per request on `ev`) and `src2` (1 replica in
 * b, 10 rps, 2 events of 500 B) publish; `fan` takes a copy per replica (one in each of a, b, c),
 * `grp` one copy per event in its queue group (1 replica in a, 2 in b, 1 in c), `far` a copy per
 * replica (1 in a, 2 in d of region r2). Nothing calls anything: no call crosses a zone.
 */
const input = (): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: [
    { name: 'a', region: 'r1' },
    { name: 'b', region: 'r1' },
    { name: 'c', region: 'r1' },
    { name: 'd', region: 'r2' },
  ],
  nats: [
    { name: 'main', region: 'r1', serversPerZone: 1 },
    { name: 'far', region: 'r2', serversPerZone: 1 },
  ],
  services: [
    { name: 'src', serviceTimeMs: 1, workers: 8, publishes: [{ subject: 'ev', perRequest: 1, payloadBytes: 2000 }] },
    { name: 'src2', serviceTimeMs: 1, workers: 8, publishes: [{ subject: 'ev', perRequest: 2, payloadBytes: 500 }] },
    { name: 'fan', serviceTimeMs: 1, workers: 8, subscribes: [{ subject: 'ev', delivery: 'replica' }] },
    { name: 'grp', serviceTimeMs: 1, workers: 8, subscribes: [{ subject: 'ev' }] },
    { name: 'far', serviceTimeMs: 1, workers: 8, subscribes: [{ subject: 'ev', delivery: 'replica' }] },
  ],
  bundles: [
    { name: 'src', services: ['src'], replicas: { a: 1 } },
    { name: 'src2', services: ['src2'], replicas: { b: 1 } },
    { name: 'fan', services: ['fan'], replicas: { a: 1, b: 1, c: 1 } },
    { name: 'grp', services: ['grp'], replicas: { a: 1, b: 2, c: 1 } },
    { name: 'far', services: ['far'], replicas: { a: 1, d: 2 } },
  ],
  traffic: [
    { entry: 'src', rps: 50 },
    { entry: 'src2', rps: 10 },
  ],
  cost: { crossZonePerGB: 0.01, crossRegionPerGB: 0.02 },
});

function parse(doc: TopologyInput): Topology {
  const r = parseTopology(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

const sub = (r: ReturnType<typeof simulate>, service: string) => r.async?.subscriptions.find((s) => s.service === service);

describe('core-NATS events crossing zones: bytes and cost', () => {
  const doc = parse(input());
  const result = simulate(doc);
  const cost = designCost(doc, result);
  const line = (kind: string, name: string) => cost.lines.find((l) => l.kind === kind && l.name === name);

  it('the engine’s bytes per subscription equal the hand count', () => {
    expect(result.crossZoneRps).toBe(0);
    // fan: from a, 50 events/s × 2 replicas elsewhere (b, c) × 2000 B = 200,000; from b, 20 × 2 (a, c) × 500 = 20,000.
    expect(sub(result, 'fan')?.deliverRps).toBeCloseTo(50 * 3 + 20 * 3, 9);
    expect(sub(result, 'fan')?.crossZoneBytesPerSec).toBeCloseTo(220_000, 6);
    expect(sub(result, 'fan')?.crossRegionBytesPerSec).toBe(0);
    // grp: one copy per event to a member replica at random: from a, 3 of 4 replicas elsewhere:
    // 50 × 3/4 × 2000 = 75,000; from b, 2 of 4: 20 × 2/4 × 500 = 5,000.
    expect(sub(result, 'grp')?.deliverRps).toBeCloseTo(70, 9);
    expect(sub(result, 'grp')?.crossZoneBytesPerSec).toBeCloseTo(80_000, 6);
    // far: from a, its replica in a stays, 2 in d cross regions: 50 × 2 × 2000 = 200,000;
    // from b, 20 × 1 (a) × 500 = 10,000 across zones and 20 × 2 (d) × 500 = 20,000 across regions.
    expect(sub(result, 'far')?.crossZoneBytesPerSec).toBeCloseTo(10_000, 6);
    expect(sub(result, 'far')?.crossRegionBytesPerSec).toBeCloseTo(220_000, 6);
  });

  it('designCost prices them: bytes/s × 2,628,000 s ÷ 10⁹ × the price per GB, in totals.network', () => {
    // fan: 220,000 × 2,628,000 = 578,160,000,000 B = 578.16 GB × $0.01 = 5.7816
    expect(line('event-cross-zone', 'fan')?.monthly).toBeCloseTo(5.7816, 9);
    expect(line('event-cross-zone', 'fan')?.inputs).toMatchObject({ bytesPerSec: 220_000, subjects: 'ev', gb: 578.16, perGB: 0.01 });
    expect(line('event-cross-zone', 'fan')?.path).toBe('services[2].subscribes');
    // grp: 80,000 × 2,628,000 = 210.24 GB × $0.01 = 2.1024
    expect(line('event-cross-zone', 'grp')?.monthly).toBeCloseTo(2.1024, 9);
    expect(line('event-cross-zone', 'grp')?.note).toContain('queue group');
    // far: 10,000 → 26.28 GB × $0.01 = 0.2628; across regions 220,000 → 578.16 GB × $0.02 = 11.5632
    expect(line('event-cross-zone', 'far')?.monthly).toBeCloseTo(0.2628, 9);
    expect(line('event-cross-region', 'far')?.monthly).toBeCloseTo(11.5632, 9);
    // No cross-region line where nothing crosses regions.
    expect(line('event-cross-region', 'fan')).toBeUndefined();
    // Network: no call crosses, so the events alone: 5.7816 + 2.1024 + 0.2628 + 11.5632 = 19.71
    expect(cost.totals.network).toBeCloseTo(19.71, 9);
    const sum = cost.totals.compute + cost.totals.nats + cost.totals.databases + cost.totals.storage + cost.totals.network;
    expect(cost.totals.total).toBeCloseTo(sum, 9);
  });

  it('the comparison’s cross-zone bytes count them (cross-region included, as for calls)', () => {
    // 220,000 + 80,000 + 10,000 + 220,000
    expect(crossZoneBytes(result, cost)).toBeCloseTo(530_000, 6);
  });

  it('the DES, counting the copies it sends to each zone, measures the same bytes (within its 99 % interval)', () => {
    const des = createDesRun({ doc, seed: 'event-cross-zone', requests: 40_000 }).runToEnd();
    const iv = des.des.intervals;
    const want: [string, 'crossZoneBytesPerSec' | 'crossRegionBytesPerSec', number][] = [
      ['fan', 'crossZoneBytesPerSec', 220_000],
      ['grp', 'crossZoneBytesPerSec', 80_000],
      ['far', 'crossZoneBytesPerSec', 10_000],
      ['far', 'crossRegionBytesPerSec', 220_000],
    ];
    for (const [service, field, bytes] of want) {
      const k = des.async?.subscriptions.findIndex((s) => s.service === service) ?? -1;
      const got = des.async?.subscriptions[k]?.[field] as number;
      const [lo, hi] = iv[`async.subscriptions[${k}].${field}`] ?? [Number.NaN, Number.NaN];
      expect(Math.abs(got - bytes) / bytes, `${service} ${field}: DES ${got}`).toBeLessThan(0.05);
      expect(lo, `${service} ${field} interval [${lo}, ${hi}]`).toBeLessThanOrEqual(bytes);
      expect(hi).toBeGreaterThanOrEqual(bytes);
    }
    expect(des.async?.subscriptions.find((s) => s.service === 'fan')?.crossRegionBytesPerSec).toBe(0);
  });

  it('a failed zone: fan’s copies reach a and b only', () => {
    const f = simulate(doc, { failZones: ['c'] });
    // from a: 50 × 1 (b) × 2000 = 100,000; from b: 20 × 1 (a) × 500 = 10,000
    expect(sub(f, 'fan')?.crossZoneBytesPerSec).toBeCloseTo(110_000, 6);
    // grp: 3 live replicas (a 1, b 2): from a 50 × 2/3 × 2000 = 66,666.67; from b 20 × 1/3 × 500 = 3,333.33
    expect(sub(f, 'grp')?.crossZoneBytesPerSec).toBeCloseTo(70_000, 6);
  });

  it('every replica in the publisher’s zone: nothing crosses, the line is $0', () => {
    const d = input();
    d.services = (d.services ?? []).filter((s) => s.name === 'src' || s.name === 'fan');
    d.bundles = [
      { name: 'src', services: ['src'], replicas: { a: 1 } },
      { name: 'fan', services: ['fan'], replicas: { a: 3 } },
    ];
    d.traffic = [{ entry: 'src', rps: 50 }];
    const one = parse(d);
    const r = simulate(one);
    expect(sub(r, 'fan')?.deliverRps).toBeCloseTo(150, 9);
    expect(sub(r, 'fan')?.crossZoneBytesPerSec).toBe(0);
    expect(designCost(one, r).lines.find((l) => l.kind === 'event-cross-zone')?.monthly).toBe(0);
  });
});
