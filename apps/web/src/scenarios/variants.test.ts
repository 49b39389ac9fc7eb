/**
 * Variants through the editor store as the designer drives it: a variant made from the current
 * state, an edit in it (a service moved into a new bundle) that changes the variant and not the
 * base, undo of both, conflicts when the base loses a change's target, rename and delete.
 * Checked against the edited document itself (what the canvas had), not against earlier output.
 */
import { EXAMPLES, jsonEqual, moveServiceCommand, paletteCommand, resolveScenario, type TopologyInput } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { deleteVariant, keepWhatIf, newVariant, renameVariant, setVariantAtMinute } from './actions.ts';
import {
  describeWhatIf,
  formatMinuteOfDay,
  hasTrafficProfiles,
  nameProblem,
  parseMinuteOfDay,
  suggestName,
  variantConflicts,
  whatIfOf,
  withNewVariant,
  withoutVariant,
  withRenamedVariant,
} from './variants.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const store = () => useEditor.getState();
const bundlesOf = (d: TopologyInput | null) => (d?.bundles ?? []).map((b) => ({ name: b.name, services: b.services }));

function open(): void {
  store().load('d1', 'Checkout', 1, structuredClone(checkout));
}

/** A new bundle, then auth.checkout moved into it: two commands, as the palette and the inspector issue them. */
function moveAuthIntoNewBundle(): string {
  const before = new Set(bundlesOf(store().doc).map((b) => b.name));
  expect(store().dispatch(paletteCommand(store().doc as TopologyInput, 'bundle'))).toEqual([]);
  const added = bundlesOf(store().doc).find((b) => !before.has(b.name))?.name;
  if (!added) throw new Error('no bundle added');
  expect(store().dispatch(moveServiceCommand(store().doc as TopologyInput, 'auth.checkout', added))).toEqual([]);
  return bundlesOf(store().doc).find((b) => b.services.includes('auth.checkout'))?.name as string;
}

describe('variants in the editor store', () => {
  it('an edit in a variant changes its change set, not the base; undo takes both back', () => {
    open();
    const base = structuredClone(store().design);
    const whatIf = whatIfOf({ scale: 1.5, failZones: ['us-west-2a'], eventBurst: 0, consumerOutageSeconds: 0 });
    expect(whatIf).toEqual({ scale: 1.5, failZones: ['us-west-2a'] });
    const name = suggestName(store().design as TopologyInput);
    expect(name).toBe('variant 1');
    expect(store().editDesign(withNewVariant(store().design as TopologyInput, store().doc as TopologyInput, name, whatIf), name)).toEqual([]);
    expect(store().scenario).toBe('variant 1');
    expect(store().design?.scenarios).toEqual([{ name: 'variant 1', changes: [], whatIf }]);

    const bundle = moveAuthIntoNewBundle();
    const edited = structuredClone(store().doc) as TopologyInput;
    expect(bundlesOf(edited).find((b) => b.name === bundle)?.services).toEqual(['auth.checkout']);
    // The base is what it was; the variant resolves to exactly what the canvas had.
    const { scenarios, ...baseNow } = store().design as TopologyInput;
    const { scenarios: _, ...baseBefore } = base as TopologyInput;
    expect(jsonEqual(baseNow as never, baseBefore as never)).toBe(true);
    expect(scenarios?.[0]?.changes?.length).toBeGreaterThan(0);
    expect(scenarios?.[0]?.whatIf).toEqual(whatIf);
    const resolved = resolveScenario(store().design as TopologyInput, 'variant 1');
    expect(resolved.conflicts).toEqual([]);
    expect(jsonEqual(resolved.input as never, edited as never)).toBe(true);
    expect(resolved.options).toEqual({ scale: 1.5, failZones: ['us-west-2a'] });
    // The canvas's parsed document is the variant's.
    expect(store().parsed?.bundles.some((b) => b.name === bundle)).toBe(true);

    // Back to base: the canvas shows the base; no undo step was made by switching.
    const steps = store().past.length;
    expect(store().setScenario('base')).toEqual([]);
    expect(store().past.length).toBe(steps);
    expect(store().doc).toBe(store().design);
    expect(store().parsed?.bundles.map((b) => b.name)).toEqual(['edge', 'shop', 'payments']);

    // Undo from the base: the last edit was made in the variant, so undo goes back there (auth back in shop).
    store().undo();
    expect(store().scenario).toBe('variant 1');
    expect(bundlesOf(store().doc).find((b) => b.services.includes('auth.checkout'))?.name).toBe('shop');
    expect(bundlesOf(store().design).find((b) => b.services.includes('auth.checkout'))?.name).toBe('shop');
    store().undo();
    expect(store().design?.scenarios?.[0]?.changes).toEqual([]);
    store().undo();
    expect(store().design?.scenarios).toBeUndefined();
    expect(store().scenario).toBe('base');
    expect(jsonEqual(store().design as never, base as never)).toBe(true);
    store().redo();
    expect(store().scenario).toBe('variant 1');
  });

  it('edits on the base keep the variants, which follow the base', () => {
    open();
    const design = withNewVariant(store().design as TopologyInput, store().doc as TopologyInput, 'v', {});
    store().editDesign(design, 'v');
    moveAuthIntoNewBundle();
    store().setScenario('base');
    expect(store().dispatch({ type: 'setService', name: 'cart.checkout', fields: { serviceTimeMs: 9 } })).toEqual([]);
    const doc = store().design as TopologyInput;
    expect((doc.services ?? []).find((s) => s.name === 'cart.checkout')?.serviceTimeMs).toBe(9);
    expect(doc.scenarios?.length).toBe(1);
    // The variant sees the base's new figure too (its changes do not touch that service).
    expect(resolveScenario(doc, 'v').doc?.services.find((s) => s.name === 'cart.checkout')?.serviceTimeMs).toBe(9);
  });

  it('lists the changes whose target left the base', () => {
    open();
    store().editDesign(withNewVariant(store().design as TopologyInput, store().doc as TopologyInput, 'v', {}), 'v');
    expect(store().dispatch({ type: 'setBundle', name: 'payments', fields: { cpu: 4 } })).toEqual([]);
    store().setScenario('base');
    // The base loses the payments bundle (its service moved away first).
    expect(store().dispatch(moveServiceCommand(store().doc as TopologyInput, 'payment.checkout', 'shop'))).toEqual([]);
    expect(store().dispatch({ type: 'remove', target: { kind: 'bundle', name: 'payments' } })).toEqual([]);
    const conflicts = variantConflicts(store().design as TopologyInput, 'v');
    expect(conflicts.length).toBe(1);
    expect(conflicts[0]).toMatch(/\/bundles\/payments/);
  });

  it('names: suggested, checked, renamed and deleted', () => {
    open();
    let d = withNewVariant(store().design as TopologyInput, store().doc as TopologyInput, 'variant 1', {});
    expect(suggestName(d)).toBe('variant 2');
    expect(nameProblem(d, 'base')).toMatch(/names the design itself/);
    expect(nameProblem(d, ' ')).toMatch(/needs a name/);
    expect(nameProblem(d, 'variant 1')).toMatch(/already/);
    expect(nameProblem(d, 'variant 1', 'variant 1')).toBeNull();
    d = withRenamedVariant(d, 'variant 1', ' own bundle ');
    expect(d.scenarios?.map((s) => s.name)).toEqual(['own bundle']);
    expect(withoutVariant(d, 'own bundle').scenarios).toBeUndefined();
  });

  it('the switcher actions: a new variant takes the Results what-if; keep, rename, delete are undoable', () => {
    open();
    useView.setState({ scale: 2, failZones: [], eventBurst: 0, consumerOutageSeconds: 0 });
    expect(newVariant()).toBe('variant 1');
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 2 });
    useView.setState({ scale: 1, failZones: ['us-west-2b'] });
    keepWhatIf();
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ failZones: ['us-west-2b'] });
    expect(renameVariant('variant 1', 'base')).toMatch(/names the design itself/);
    expect(renameVariant('variant 1', 'zone b down')).toBeNull();
    expect(store().scenario).toBe('zone b down');
    deleteVariant('zone b down');
    expect(store().design?.scenarios).toBeUndefined();
    expect(store().scenario).toBe('base');
    store().undo();
    expect(store().scenario).toBe('zone b down');
    store().undo();
    store().undo();
    expect(store().design?.scenarios?.[0]).toEqual({ name: 'variant 1', changes: [], whatIf: { scale: 2 } });
    useView.getState().resetWhatIf();
  });

  it('the minute of the day: HH:MM both ways, only with profiles', () => {
    expect(parseMinuteOfDay('14:30')).toBe(870);
    expect(parseMinuteOfDay(' 7:05 ')).toBe(425);
    expect(parseMinuteOfDay('00:00')).toBe(0);
    expect(parseMinuteOfDay('')).toBeUndefined();
    for (const bad of ['24:00', '12:60', '1430', '12:3', 'noon']) expect(parseMinuteOfDay(bad)).toBeNull();
    expect(formatMinuteOfDay(870)).toBe('14:30');
    expect(formatMinuteOfDay(5)).toBe('00:05');
    expect(describeWhatIf({ scale: 2, atMinute: 1260 })).toBe('2× traffic · traffic at 21:00');
    expect(hasTrafficProfiles(checkout)).toBe(true);
    expect(hasTrafficProfiles({ ...checkout, traffic: [{ entry: 'edge.checkout', rps: 300 }] })).toBe(false);
  });

  it("a variant's minute of the day: one undo step each, kept by keep-what-if, and what compare evaluates", () => {
    open();
    useView.setState({ scale: 2, failZones: [], eventBurst: 0, consumerOutageSeconds: 0 });
    newVariant();
    expect(setVariantAtMinute(1260)).toBe(true);
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 2, atMinute: 1260 });
    // checkout's profile at 21:00: linear from 1 at 20:00 to 0.3 at 22:00, so 0.65 × 300 rps (× 2 scale in the options).
    const r = resolveScenario(store().design as TopologyInput, 'variant 1');
    expect(r.doc?.traffic[0]?.rps).toBeCloseTo(195, 9);
    expect(r.options.scale).toBe(2);
    // Keeping the Results what-if keeps the minute (the Results panel has none of its own).
    useView.setState({ scale: 3 });
    keepWhatIf();
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 3, atMinute: 1260 });
    expect(setVariantAtMinute(180)).toBe(true);
    expect(resolveScenario(store().design as TopologyInput, 'variant 1').doc?.traffic[0]?.rps).toBeCloseTo(90, 9);
    expect(setVariantAtMinute(undefined)).toBe(true);
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 3 });
    store().undo();
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 3, atMinute: 180 });
    store().undo();
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 3, atMinute: 1260 });
    store().undo();
    store().undo();
    expect(store().design?.scenarios?.[0]?.whatIf).toEqual({ scale: 2 });
    // On the base there is no variant to set.
    store().setScenario('base');
    expect(setVariantAtMinute(600)).toBe(false);
    useView.getState().resetWhatIf();
  });
});
