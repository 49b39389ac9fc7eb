/**
 * Variants of the open design as plain functions over the document (issue 20): what the canvas
 * shows while a variant is active, the design after an edit made in a variant, and the
 * design-level operations of the switcher (new, rename, delete, keep a what-if). The editor
 * store (state/editor.ts) calls these; core's scenario module does the diffing and applying.
 */
import { applyChanges, BASE_SCENARIO, clockOfDay, findScenario, type TopologyInput, variantFrom, withoutScenarios } from '@busboard/core';

type Obj = Record<string, unknown>;
/** A variant as the document holds it (core's schema/scenarios.ts). */
export type ScenarioT = NonNullable<TopologyInput['scenarios']>[number];
export type ScenarioWhatIfT = NonNullable<ScenarioT['whatIf']>;

/** The variants of a design (its `scenarios`), never undefined. */
export function variantsOf(design: TopologyInput): ScenarioT[] {
  return (design.scenarios ?? []) as ScenarioT[];
}

/**
 * The document the canvas edits while `name` is active: the base with the variant's changes
 * applied, without `scenarios` (`base`: the design itself). Conflicts are reported by
 * `variantConflicts`; the changes that did apply are kept.
 */
export function variantInput(design: TopologyInput, name: string): TopologyInput {
  if (name === BASE_SCENARIO) return design;
  const variant = findScenario(design, name);
  if (!variant) throw new Error(`no variant "${name}"`);
  return applyChanges(withoutScenarios(design) as Obj, variant.changes ?? []).doc as TopologyInput;
}

/** Changes of `name` whose target left the base (or was already there), one sentence each. */
export function variantConflicts(design: TopologyInput, name: string): string[] {
  const variant = findScenario(design, name);
  if (!variant) return [];
  return applyChanges(withoutScenarios(design) as Obj, variant.changes ?? []).conflicts;
}

function replaceVariant(design: TopologyInput, name: string, next: ScenarioT | null): TopologyInput {
  const list = variantsOf(design);
  const scenarios = next === null ? list.filter((s) => s.name !== name) : list.map((s) => (s.name === name ? next : s));
  if (scenarios.length === 0) return withoutScenarios(design);
  return { ...design, scenarios };
}

/**
 * The design after the canvas of variant `name` became `edited`: the variant's change set is
 * recomputed against the base (so it holds what differs now, nothing stale); its description
 * and what-if stay. The base is untouched.
 */
export function withVariantEdited(design: TopologyInput, name: string, edited: TopologyInput): TopologyInput {
  const old = findScenario(design, name);
  if (!old) throw new Error(`no variant "${name}"`);
  const fresh = variantFrom(design, edited, name, old.whatIf);
  return replaceVariant(design, name, old.description === undefined ? fresh : { ...fresh, description: old.description });
}

/** `variant 1`, `variant 2`, …: the first not taken. */
export function suggestName(design: TopologyInput): string {
  const taken = new Set(variantsOf(design).map((s) => s.name));
  for (let i = 1; ; i++) if (!taken.has(`variant ${i}`)) return `variant ${i}`;
}

/** Why `name` cannot name a variant of `design` (null: it can). `except` is the variant being renamed. */
export function nameProblem(design: TopologyInput, name: string, except?: string): string | null {
  const n = name.trim();
  if (!n) return 'a variant needs a name';
  if (n === BASE_SCENARIO) return '"base" names the design itself';
  if (n !== except && variantsOf(design).some((s) => s.name === n)) return `there is already a variant "${n}"`;
  return null;
}

/**
 * A new variant named `name` made from the current state: the canvas as it is (`current`: the
 * base or the active variant's document) and the what-if the Results panel has set.
 */
export function withNewVariant(design: TopologyInput, current: TopologyInput, name: string, whatIf: ScenarioWhatIfT): TopologyInput {
  const variant = variantFrom(design, current, name.trim(), whatIf);
  return { ...design, scenarios: [...variantsOf(design), variant] };
}

export function withRenamedVariant(design: TopologyInput, from: string, to: string): TopologyInput {
  const old = findScenario(design, from);
  if (!old) throw new Error(`no variant "${from}"`);
  return replaceVariant(design, from, { ...old, name: to.trim() });
}

export function withoutVariant(design: TopologyInput, name: string): TopologyInput {
  return replaceVariant(design, name, null);
}

/** The variant's what-if replaced by `whatIf` (an empty one is dropped). */
export function withVariantWhatIf(design: TopologyInput, name: string, whatIf: ScenarioWhatIfT): TopologyInput {
  const old = findScenario(design, name);
  if (!old) throw new Error(`no variant "${name}"`);
  const { whatIf: _, ...rest } = old;
  return replaceVariant(design, name, Object.keys(whatIf).length > 0 ? { ...rest, whatIf } : rest);
}

/**
 * The variant's `atMinute` (the traffic evaluated at that minute of its profile) set to `minute`,
 * or dropped (undefined); the rest of its what-if kept.
 */
export function withVariantAtMinute(design: TopologyInput, name: string, minute: number | undefined): TopologyInput {
  const old = findScenario(design, name);
  if (!old) throw new Error(`no variant "${name}"`);
  const { atMinute: _, ...rest } = old.whatIf ?? {};
  return withVariantWhatIf(design, name, minute === undefined ? rest : { ...rest, atMinute: minute });
}

/** Whether any traffic item of the document has a 24-hour profile (then `atMinute` means something). */
export function hasTrafficProfiles(doc: Pick<TopologyInput, 'traffic'> | null | undefined): boolean {
  return Boolean(doc?.traffic?.some((t) => (t as { profile?: unknown }).profile));
}

/** A minute of the day as `HH:MM` (870 → "14:30"). */
export function formatMinuteOfDay(minute: number): string {
  const m = Math.round(minute);
  return m === 1440 ? '24:00' : clockOfDay(m); // the schema's 1440 is the next midnight
}

/** `HH:MM` (or `H:MM`, 00:00–23:59) as a minute of the day; '' is undefined (all day); null when it is no time. */
export function parseMinuteOfDay(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** The Results panel's what-if knobs (state/view.ts), as a variant's what-if: the defaults left out. */
export interface WhatIfKnobs {
  scale: number;
  failZones: string[];
  eventBurst: number;
  consumerOutageSeconds: number;
}

export function whatIfOf(k: WhatIfKnobs): ScenarioWhatIfT {
  const w: ScenarioWhatIfT = {};
  if (k.scale !== 1) w.scale = k.scale;
  if (k.failZones.length > 0) w.failZones = [...k.failZones];
  if (k.eventBurst > 0) w.eventBurst = k.eventBurst;
  if (k.consumerOutageSeconds > 0) w.consumerOutageSeconds = k.consumerOutageSeconds;
  return w;
}

/** The knobs a variant's what-if sets (the rest at their defaults). */
export function knobsOf(w: ScenarioWhatIfT | undefined): WhatIfKnobs {
  return {
    scale: w?.scale ?? 1,
    failZones: [...(w?.failZones ?? [])],
    eventBurst: w?.eventBurst ?? 0,
    consumerOutageSeconds: w?.consumerOutageSeconds ?? 0,
  };
}

/** The what-if in words: `1.5× traffic · zone a down` (empty: none). */
export function describeWhatIf(w: ScenarioWhatIfT | undefined): string {
  if (!w) return '';
  const parts: string[] = [];
  if (w.scale !== undefined && w.scale !== 1) parts.push(`${w.scale}× traffic`);
  if (w.failZones?.length) parts.push(`${w.failZones.join(', ')} down`);
  if (w.eventBurst) parts.push(`burst of ${w.eventBurst.toLocaleString('en-US')} events`);
  if (w.consumerOutageSeconds) parts.push(`consumers down ${w.consumerOutageSeconds} s`);
  if (w.atMinute !== undefined) parts.push(`traffic at ${formatMinuteOfDay(w.atMinute)}`);
  return parts.join(' · ');
}

/** Same what-if (failed zones in any order). */
export function sameWhatIf(a: ScenarioWhatIfT | undefined, b: ScenarioWhatIfT | undefined): boolean {
  const x = knobsOf(a);
  const y = knobsOf(b);
  return (
    x.scale === y.scale &&
    x.eventBurst === y.eventBurst &&
    x.consumerOutageSeconds === y.consumerOutageSeconds &&
    [...x.failZones].sort().join('\n') === [...y.failZones].sort().join('\n')
  );
}
