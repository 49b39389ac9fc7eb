/**
 * Issue 20's scenarios, the checks across fields: names unique and never `base`, each change's
 * path naming a top-level field a scenario may change and a well-formed target in it, a value
 * where the op needs one, failed zones that the scenario has. Reads the raw input leniently,
 * like crossCheck.
 *
 * Not checked here, on purpose: a change whose target the base no longer has (a conflict, shown
 * by resolveScenario and the comparison), and a variant whose changes leave an invalid document
 * (scenario/check.ts lists those beside the document's problems, as warnings): both depend on
 * the base, which the user edits, and must never make the design itself unreadable.
 */

import { applyChanges, itemKey, NAMED_LISTS, UNCHANGED_FIELDS } from '../scenario/changes.ts';
import { type Add, field, isObj, type Loose, list, str, tooMany } from './lenient.ts';
import { LIMITS } from './limits.ts';
import { TopologySchema } from './topology.ts';

const FIELDS = Object.keys(TopologySchema.shape);
/** Top-level fields holding one value: a change replaces them whole. */
const SCALARS = new Set(['schema', 'name', 'routing']);
/** Lists whose items a change names by index (`/timeline/0`, `/timeline/-`). */
const INDEXED = new Set(FIELDS.filter((f) => !SCALARS.has(f) && !NAMED_LISTS.includes(f) && !['network', 'cost', 'layout'].includes(f)));
const OPS = new Set(['add', 'replace', 'remove']);

/** A path's segments (RFC 6901), or why it does not read as one. */
function segments(path: string): string[] | string {
  if (!path.startsWith('/')) return 'a path starts with /, e.g. /bundles/sessions';
  const raw = path.slice(1).split('/');
  if (raw.some((s) => /~[^01]|~$/.test(s))) return 'write "~" as ~0 and a "/" inside a name as ~1';
  if (raw.some((s) => s === '')) return 'an empty segment (// or a trailing /): name the item, e.g. /bundles/sessions';
  return raw.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** What is wrong with a change's path, or null. */
function pathProblem(segs: string[]): string | null {
  const [top, key] = segs as [string, string | undefined];
  if (UNCHANGED_FIELDS.includes(top)) return `a scenario cannot change ${top}: remove this change`;
  if (!FIELDS.includes(top))
    return `no top-level field "${top}": a path starts with one of ${FIELDS.filter((f) => !UNCHANGED_FIELDS.includes(f)).join(', ')}`;
  if (key === undefined) return null;
  if (SCALARS.has(top)) return `${top} holds one value: change it whole with the path /${top}`;
  if (top === 'consumers' && !key.includes('/')) return 'a consumer is named <stream>/<name>: write /consumers/ORDERS~1fulfil';
  if (INDEXED.has(top) && key !== '-' && !/^(0|[1-9]\d*)$/.test(key))
    return `${top} items are named by their index (/${top}/0) or /${top}/- for a new last item`;
  return null;
}

/** The names of the zones a scenario has: the base's with the scenario's changes to zones applied. */
function zonesOf(doc: Loose, changes: unknown[]): Set<string> {
  const own = changes.filter(
    (c) => isObj(c) && typeof c.path === 'string' && OPS.has(String(c.op)) && /^\/zones(\/|$)/.test(c.path) && typeof segments(c.path) !== 'string',
  );
  const zones = own.length ? list(applyChanges({ zones: doc.zones }, own as never).doc.zones) : list(doc.zones);
  return new Set(zones.map((z) => str(field(z, 'name'))).filter((n): n is string => !!n));
}

function checkChange(c: unknown, path: string, add: Add): void {
  if (!isObj(c)) return;
  const p = c.path;
  if (typeof p !== 'string') return;
  const segs = segments(p);
  if (typeof segs === 'string') {
    add(`${path}.path`, segs);
    return;
  }
  const problem = pathProblem(segs);
  if (problem) add(`${path}.path`, problem);
  if ((c.op === 'add' || c.op === 'replace') && c.value === undefined) add(`${path}.value`, `${c.op} needs a value: the new item or field`);
  const [top, key, ...rest] = segs;
  if (!problem && top && key !== undefined && rest.length === 0 && NAMED_LISTS.includes(top) && isObj(c.value)) {
    const named = itemKey(top, c.value);
    if (named !== null && named !== key)
      add(`${path}.value`, `the item is "${named}" but the path names "${key}": make them agree (the path names the item the change replaces)`);
  }
}

/** Every cross-field problem of `scenarios`. */
export function checkScenarios(doc: Loose, add: Add): void {
  const scenarios = list(doc.scenarios);
  tooMany(scenarios.length, LIMITS.scenarios, 'scenarios', 'scenarios', add);
  const seen = new Map<string, number>();
  for (let i = 0; i < scenarios.length; i++) {
    const s = scenarios[i];
    const name = str(field(s, 'name'));
    if (name === 'base') add(`scenarios[${i}].name`, '"base" names the design itself: choose another name');
    else if (name === '__proto__') add(`scenarios[${i}].name`, '"__proto__" is reserved; choose another name');
    else if (name) {
      const first = seen.get(name);
      if (first !== undefined) add(`scenarios[${i}].name`, `duplicate scenario "${name}" (also scenarios[${first}])`);
      else seen.set(name, i);
    }
    const changes = list(field(s, 'changes'));
    tooMany(changes.length, LIMITS.scenarioChanges, `scenarios[${i}].changes`, 'changes', add);
    for (let j = 0; j < changes.length; j++) checkChange(changes[j], `scenarios[${i}].changes[${j}]`, add);
    const failed = list(field(field(s, 'whatIf'), 'failZones'));
    if (!failed.length) continue;
    const zones = zonesOf(doc, changes);
    const listed = new Set<string>();
    for (let k = 0; k < failed.length; k++) {
      const z = str(failed[k]);
      if (!z) continue;
      const at = `scenarios[${i}].whatIf.failZones[${k}]`;
      if (!zones.has(z)) add(at, `no zone "${z}" in this scenario (it has ${[...zones].join(', ') || 'none'})`);
      else if (listed.has(z)) add(at, `"${z}" is listed twice: keep one`);
      listed.add(z);
    }
  }
}
