/**
 * A scenario as the engine runs it: the base document with the variant's change set applied,
 * parsed, and its what-if turned into simulate options. `base` names the document itself (its
 * own `scenarios` left out) with no what-if.
 */
import type { SimulateOptions } from '../engine/types.ts';
import type { Problem } from '../problems.ts';
import type { ScenarioT, ScenarioWhatIfT } from '../schema/scenarios.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { profileFactor } from '../timeline/profile.ts';
import { applyChanges, diffDocuments } from './changes.ts';

/** The name of the document itself among its scenarios. */
export const BASE_SCENARIO = 'base';

export interface ResolvedScenario {
  name: string;
  /** The document as written, changes applied, without `scenarios`. */
  input: TopologyInput;
  /** Parsed; null when the changes leave an invalid document (`problems` says why). */
  doc: Topology | null;
  problems: Problem[];
  /** Changes that did not apply as written (applyChanges). */
  conflicts: string[];
  whatIf: ScenarioWhatIfT;
  /** The what-if as `simulate` options (scale includes nothing from `atMinute`: that is applied to `doc`'s traffic). */
  options: SimulateOptions;
}

/** `base` and the document's variants, in order. */
export function scenarioNames(input: TopologyInput): string[] {
  return [BASE_SCENARIO, ...(input.scenarios ?? []).map((s) => s.name)];
}

/** The variant named `name`, or undefined (also for `base`). */
export function findScenario(input: TopologyInput, name: string): ScenarioT | undefined {
  return (input.scenarios ?? []).find((s) => s.name === name) as ScenarioT | undefined;
}

/** The document without its `scenarios` (the base a variant's changes apply to). */
export function withoutScenarios(input: TopologyInput): TopologyInput {
  const { scenarios: _, ...rest } = input;
  return rest as TopologyInput;
}

/** Resolves `name` (`base` or a variant's name); throws when the document has no such scenario. */
export function resolveScenario(input: TopologyInput, name: string): ResolvedScenario {
  const base = withoutScenarios(input);
  const variant = name === BASE_SCENARIO ? undefined : findScenario(input, name);
  if (name !== BASE_SCENARIO && !variant) {
    throw new Error(`no scenario "${name}": the design has ${scenarioNames(input).join(', ')}`);
  }
  const applied = variant ? applyChanges(base as Record<string, unknown>, variant.changes ?? []) : { doc: base, conflicts: [] };
  const whatIf: ScenarioWhatIfT = variant?.whatIf ?? {};
  const changed = applied.doc as TopologyInput;
  const parsed = parseTopology(changed);
  const doc = parsed.ok ? atMinute(parsed.doc, whatIf.atMinute) : null;
  return {
    name,
    input: changed,
    doc,
    problems: parsed.ok ? [] : parsed.problems,
    conflicts: applied.conflicts,
    whatIf,
    options: optionsOf(whatIf),
  };
}

/** The what-if's simulate options. */
export function optionsOf(w: ScenarioWhatIfT): SimulateOptions {
  const o: SimulateOptions = {};
  if (w.scale !== undefined) o.scale = w.scale;
  if (w.failZones?.length) o.failZones = [...w.failZones];
  if (w.eventBurst !== undefined || w.consumerOutageSeconds !== undefined) {
    o.async = {};
    if (w.eventBurst !== undefined) o.async.eventBurst = w.eventBurst;
    if (w.consumerOutageSeconds !== undefined) o.async.consumerOutageSeconds = w.consumerOutageSeconds;
  }
  return o;
}

/** Each traffic item's rps at minute `m` of its profile (its `rps` × the profile's factor). */
function atMinute(doc: Topology, m: number | undefined): Topology {
  if (m === undefined || !doc.traffic.some((t) => t.profile)) return doc;
  return { ...doc, traffic: doc.traffic.map((t) => (t.profile ? { ...t, rps: t.rps * profileFactor(t.profile, m) } : t)) };
}

/**
 * A new variant named `name` holding what differs between the base (`input`, its scenarios
 * ignored) and `edited` (the current state of the canvas), with a what-if.
 */
export function variantFrom(input: TopologyInput, edited: TopologyInput, name: string, whatIf?: ScenarioWhatIfT): ScenarioT {
  const changes = diffDocuments(withoutScenarios(input) as Record<string, unknown>, withoutScenarios(edited) as Record<string, unknown>);
  return whatIf && Object.keys(whatIf).length > 0 ? { name, changes, whatIf } : { name, changes };
}
