import { describe, expect, it } from 'vitest';
import { getExample } from '../examples/index.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { applyChanges, diffDocuments, jsonEqual } from './changes.ts';
import { resolveScenario, variantFrom } from './resolve.ts';

const base = () => JSON.parse(JSON.stringify(getExample('checkout')?.doc)) as Record<string, unknown>;

describe('change sets', () => {
  it('replays a diff to the variant, and nothing for equal documents', () => {
    const a = base();
    expect(diffDocuments(a, base())).toEqual([]);
    const b = base() as unknown as TopologyInput;
    const bundles = b.bundles ?? [];
    const first = bundles[0];
    if (!first) throw new Error('checkout has bundles');
    b.bundles = [{ ...first, name: 'own', replicas: { ...first.replicas } }, ...bundles.slice(1)];
    b.name = 'variant';
    const changes = diffDocuments(a, b as unknown as Record<string, unknown>);
    expect(changes.map((c) => `${c.op} ${c.path}`)).toEqual(['replace /name', `remove /bundles/${first.name}`, 'add /bundles/own']);
    const out = applyChanges(a, changes);
    expect(out.conflicts).toEqual([]);
    expect(jsonEqual(out.doc.name, 'variant')).toBe(true);
    expect((out.doc.bundles as { name: string }[]).map((x) => x.name).sort()).toEqual(bundles.map((x, i) => (i === 0 ? 'own' : x.name)).sort());
  });

  it('reports a change whose target is gone', () => {
    const out = applyChanges(base(), [{ op: 'replace', path: '/bundles/nope/cpu', value: 2 }]);
    expect(out.conflicts).toEqual(['replace /bundles/nope/cpu: no bundles item nope in the base']);
  });

  it('resolves a variant created from an edited copy', () => {
    const input = base() as unknown as TopologyInput;
    const edited = JSON.parse(JSON.stringify(input)) as TopologyInput;
    const b0 = edited.bundles?.[0];
    if (!b0) throw new Error('checkout has bundles');
    b0.cpu = 4;
    const v = variantFrom(input, edited, 'big', { scale: 2 });
    expect(v.changes).toEqual([{ op: 'replace', path: `/bundles/${b0.name}`, value: b0 }]);
    const r = resolveScenario({ ...input, scenarios: [v] }, 'big');
    expect(r.problems).toEqual([]);
    expect(r.doc?.bundles[0]?.cpu).toBe(4);
    expect(r.options).toEqual({ scale: 2 });
  });
});
