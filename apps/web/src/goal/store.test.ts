/**
 * The goal-seek answer kept between openings: it stands while the document searched and the
 * options are the same, and is stale (with the reason) once either differs.
 */
import { EXAMPLES, parseTopology, type Topology } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { docKey, sameOptions, staleReason, useGoalSeek } from './store.ts';

const parsed = parseTopology(EXAMPLES.find((e) => e.id === 'checkout')?.doc);
if (!parsed.ok) throw new Error('checkout does not parse');
const doc: Topology = parsed.doc;
const options = { objective: 'replicas' as const, rhoTarget: 0.7, cpuTarget: 0.7, zoneFailure: true, scale: 1 };

describe('the kept goal-seek answer', () => {
  it('stands for the same document and options, whatever the variants', () => {
    const kept = { docKey: docKey(doc), options };
    expect(staleReason(kept, docKey(structuredClone(doc)), { ...options })).toBeNull();
    expect(staleReason(kept, docKey({ ...doc, scenarios: [{ name: 'v', changes: [] }] } as Topology), options)).toBeNull();
    // 70 % typed back into the field: 70 / 100 is 0.7 to the last bit or nearly.
    expect(sameOptions(options, { ...options, cpuTarget: 70.00000000000001 / 100 })).toBe(true);
  });

  it('is stale once the design or an option differs, and says which', () => {
    const kept = { docKey: docKey(doc), options };
    const edited = { ...doc, bundles: doc.bundles.map((b, i) => (i === 0 ? { ...b, cpu: b.cpu + 1 } : b)) };
    expect(staleReason(kept, docKey(edited), options)).toBe('the design changed since');
    for (const changed of [{ objective: 'cost' as const }, { rhoTarget: 0.6 }, { cpuTarget: 0.8 }, { zoneFailure: false }, { scale: 1.5 }])
      expect(staleReason(kept, docKey(doc), { ...options, ...changed })).toBe('the options changed since');
  });

  it('outlives the dialog: closing keeps it', () => {
    const s = useGoalSeek.getState();
    s.show();
    s.keep({ designId: 'd1', docKey: docKey(doc), options, goal: {} as never, currentP99Ms: 12, selected: 1 });
    s.close();
    expect(useGoalSeek.getState().open).toBe(false);
    expect(useGoalSeek.getState().last).toMatchObject({ designId: 'd1', selected: 1 });
  });
});
