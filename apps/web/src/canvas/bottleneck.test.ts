import { EXAMPLES, parseTopology, simulate, type Topology } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { BOTTLENECK_SHOWN_FROM, toLogicalFlow } from './adapter.ts';

const parsed = parseTopology(EXAMPLES.find((e) => e.id === 'checkout')?.doc);
if (!parsed.ok) throw new Error('bad example');

/** The design with every traffic rate scaled by `k`. */
function scaled(doc: Topology, k: number): Topology {
  return { ...doc, traffic: doc.traffic.map((t) => ({ ...t, rps: t.rps * k })) };
}

function marked(doc: Topology): string[] {
  return toLogicalFlow({ doc, result: simulate(doc), selection: [], auto: {} })
    .nodes.filter((n) => (n.data as { bottleneck?: boolean }).bottleneck)
    .map((n) => n.id);
}

describe('the bottleneck mark', () => {
  it('is left off while the binding resource is under half busy, and shown once it is', () => {
    const idle = scaled(parsed.doc, 0.01);
    const idleResult = simulate(idle);
    expect(idleResult.binding?.utilization).toBeLessThan(BOTTLENECK_SHOWN_FROM);
    expect(idleResult.bottleneck).not.toBeNull();
    expect(marked(idle)).toEqual([]);

    const busyResult = simulate(parsed.doc);
    const k = 0.7 / (busyResult.binding?.utilization ?? 1);
    const busy = scaled(parsed.doc, k);
    expect(simulate(busy).binding?.utilization).toBeGreaterThanOrEqual(BOTTLENECK_SHOWN_FROM);
    expect(marked(busy)).toHaveLength(1);
  });
});
