import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { parseTopology } from '../schema/validate.ts';
import { physicalView } from './physical.ts';

const parsed = parseTopology({
  schema: 'busboard.topology/v3',
  zones: [
    { name: 'a', region: 'r1' },
    { name: 'b', region: 'r1' },
  ],
  nats: [{ name: 'bus', region: 'r1', serversPerZone: 2 }],
  services: [
    { name: 'front', serviceTimeMs: 1, calls: [{ to: 'back', perRequest: 2 }, { to: 'side' }] },
    { name: 'side', serviceTimeMs: 1 },
    { name: 'back', serviceTimeMs: 2 },
  ],
  bundles: [
    { name: 'web', services: ['front', 'side'], replicas: { a: 1, b: 1 } },
    { name: 'api', services: ['back'], replicas: { a: 1 } },
  ],
  databases: [{ name: 'pg', shards: [{ name: 's1', vcpu: 2, maxConnections: 10 }], queryTimeMs: 1 }],
  traffic: [{ entry: 'front', rps: 100 }],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const doc = parsed.doc;

describe('physical view', () => {
  it('puts each bundle replica set in its zone lane, with NATS servers per zone and shards', () => {
    const view = physicalView(doc, simulate(doc));
    expect(view.zones.map((z) => [z.name, z.replicaSets.map((r) => `${r.bundle}×${r.count}`)])).toEqual([
      ['a', ['web×1', 'api×1']],
      ['b', ['web×1']],
    ]);
    expect(view.zones[0]?.natsServers.map((s) => s.server)).toEqual(['bus-a-0', 'bus-a-1']);
    expect(view.databases[0]?.shards.map((s) => s.name)).toEqual(['s1']);
  });

  it('draws calls that cross zones: zone b has no api replica, so its 50 rps × 2 calls go to zone a', () => {
    // Ingress splits evenly over web's two zones (50 rps each); the in-bundle call to side
    // stays in the process; back runs only in a, so b's calls cross: 50 × 2 = 100/s.
    const view = physicalView(doc, simulate(doc));
    expect(view.flows).toHaveLength(1);
    expect(view.flows[0]?.from).toBe('b');
    expect(view.flows[0]?.to).toBe('a');
    expect(view.flows[0]?.rps).toBeCloseTo(100, 6);
  });

  it('marks failed zones and draws no flows without results', () => {
    const view = physicalView(doc, null, ['b']);
    expect(view.zones.map((z) => z.failed)).toEqual([false, true]);
    expect(view.flows).toEqual([]);
    expect(view.zones[0]?.replicaSets[0]?.maxUtilization).toBeNull();
  });
});
