import { EXAMPLES, parseTopology, simulate } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { toLogicalFlow } from './adapter.ts';
import { reuseEdges, reuseNodes } from './stable.ts';

const parsed = parseTopology(EXAMPLES.find((e) => e.id === 'checkout')?.doc);
if (!parsed.ok) throw new Error('bad example');

describe('stable nodes across edits', () => {
  it('keeps the objects of nodes an edit did not change, replaces the ones it did', () => {
    const doc = parsed.doc;
    const before = toLogicalFlow({ doc, result: simulate(doc), selection: [], auto: {} });
    const edited = { ...doc, bundles: doc.bundles.map((b) => (b.name === 'payments' ? { ...b, replicas: { ...b.replicas, 'us-west-2a': 3 } } : b)) };
    const after = toLogicalFlow({ doc: edited, result: simulate(edited), selection: [], auto: {} });
    const nodes = reuseNodes(before.nodes, after.nodes);
    const same = nodes.filter((n, i) => n === before.nodes[i]).map((n) => n.id);
    expect(same).toContain('svc:cart.checkout');
    expect(same).toContain('bundle:shop');
    expect(same).not.toContain('bundle:payments');
    expect(same).not.toContain('svc:payment.checkout');
    expect(reuseEdges(before.edges, after.edges)).toBe(before.edges);
  });
  it('gives every node its size up front, so React Flow never re-measures a replaced node', () => {
    const flow = toLogicalFlow({ doc: parsed.doc, result: null, selection: [], auto: {} });
    for (const n of flow.nodes) expect(n.measured?.width && n.measured.height, n.id).toBeGreaterThan(0);
  });
});
