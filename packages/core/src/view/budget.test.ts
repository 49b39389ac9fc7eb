import { describe, expect, it } from 'vitest';
import { parseTopology } from '../schema/validate.ts';
import { latencyBudget } from './budget.ts';

const parsed = parseTopology({
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  services: [
    { name: 'front', serviceTimeMs: 2, calls: [{ to: 'x', parallelGroup: 'g' }, { to: 'y', parallelGroup: 'g' }, { to: 'ext:pay' }] },
    { name: 'x', serviceTimeMs: 3 },
    { name: 'y', serviceTimeMs: 5, calls: [{ to: 'db:pg' }] },
  ],
  externals: [{ name: 'pay', latencyMs: 40 }],
  databases: [{ name: 'pg', shards: [{ name: 's', vcpu: 1, maxConnections: 5 }], queryTimeMs: 1 }],
  bundles: [
    { name: 'web', services: ['front'], replicas: { a: 1 } },
    { name: 'api', services: ['x', 'y'], replicas: { a: 1 } },
  ],
});
if (!parsed.ok) throw new Error('bad fixture');

describe('latency budget', () => {
  it('lays hops out as a waterfall: the parallel group costs its slowest member, then the external', () => {
    // Without results, own time = service time. front 2; group g: x = 0.13 + 3, y = 0.13 + 5 + (0.5 + 1) → 6.63;
    // then ext:pay 40 starts at 2 + 6.63 = 8.63.
    const rows = latencyBudget(parsed.doc, null, 'front');
    const pay = rows.find((r) => r.label === 'ext:pay');
    expect(pay?.startMs).toBeCloseTo(8.63, 9);
    expect(pay?.durationMs).toBe(40);
    const x = rows.find((r) => r.label === 'x');
    const y = rows.find((r) => r.label === 'y');
    expect(x?.startMs).toBeCloseTo(2.13, 9);
    expect(y?.startMs).toBeCloseTo(2.13, 9);
    expect(rows.find((r) => r.label === 'db:pg')?.startMs).toBeCloseTo(2.13 + 5 + 0.5, 9);
  });
});
