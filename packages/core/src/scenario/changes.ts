/**
 * Change sets (issue 20): the difference between a base document and a variant as a list of
 * changes whose paths name items instead of indexing them (schema/scenarios.ts), so a change
 * still applies after the base gains, loses or reorders other items.
 *
 * `diffDocuments` writes the changes that turn one document into another: per named item an
 * add, a replace (the whole item) or a remove; other top-level fields replaced whole.
 * `applyChanges` replays them; a change whose target is gone (or already there, for add) is
 * reported as a conflict and applied as well as it can be (an add of an existing item replaces
 * it; a replace of a missing item adds it; a remove of a missing item does nothing).
 */
import type { ScenarioChangeT } from '../schema/scenarios.ts';

type Json = unknown;
type Obj = Record<string, Json>;

/** Top-level fields a change set never touches: the schema name and the scenarios themselves. */
const UNCHANGED = new Set(['schema', 'scenarios']);

/** How the items of each named list are keyed; lists not named here are replaced whole. */
const KEYS: Record<string, (item: Obj) => string | null> = {
  zones: byName,
  classes: byName,
  nats: byName,
  services: byName,
  externals: byName,
  bundles: byName,
  databases: byName,
  streams: byName,
  autoscalePolicies: byName,
  consumers: (i) => (typeof i.stream === 'string' && typeof i.name === 'string' ? `${i.stream}/${i.name}` : null),
  traffic: byEntry,
  slo: byEntry,
};
/** Top-level records whose keys a change names (`/layout/svc:cart.example`). */
const RECORDS = new Set(['layout']);

/** The top-level fields whose items a change names (`/bundles/<name>`), and the record fields whose keys it names. */
export const NAMED_LISTS: readonly string[] = Object.keys(KEYS);
export const RECORD_FIELDS: readonly string[] = [...RECORDS];
export const UNCHANGED_FIELDS: readonly string[] = [...UNCHANGED];

/** The key a change's path names `item` of the named list `field` by (null when it has none). */
export function itemKey(field: string, item: unknown): string | null {
  const key = KEYS[field];
  return key && isObj(item) ? key(item) : null;
}

function byName(i: Obj): string | null {
  return typeof i.name === 'string' ? i.name : null;
}
function byEntry(i: Obj): string | null {
  if (typeof i.entry !== 'string') return null;
  return typeof i.class === 'string' ? `${i.entry}#${i.class}` : i.entry;
}

/** A deep copy of a JSON value (documents hold nothing else). */
function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 escaping of one segment. */
export function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
export function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}
export function changePath(...segments: string[]): string {
  return `/${segments.map(escapeSegment).join('/')}`;
}
export function parsePath(path: string): string[] {
  return path.slice(1).split('/').map(unescapeSegment);
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
}

/** The keys of a named list, or null when an item has no key or two share one (the list is then replaced whole). */
function keysOf(field: string, list: Json): string[] | null {
  const key = KEYS[field];
  if (!key || !Array.isArray(list)) return null;
  const keys = list.map((i) => (isObj(i) ? key(i) : null));
  if (keys.some((k) => k === null)) return null;
  return new Set(keys).size === keys.length ? (keys as string[]) : null;
}

/** The changes that turn `base` into `variant` (both documents as written; see the module comment). */
export function diffDocuments(base: Obj, variant: Obj): ScenarioChangeT[] {
  const out: ScenarioChangeT[] = [];
  const fields = [...new Set([...Object.keys(base), ...Object.keys(variant)])].filter((f) => !UNCHANGED.has(f));
  for (const f of fields) {
    const a = base[f];
    const b = variant[f];
    if (jsonEqual(a, b)) continue;
    if (b === undefined) {
      out.push({ op: 'remove', path: changePath(f) });
      continue;
    }
    if (a !== undefined && RECORDS.has(f) && isObj(a) && isObj(b)) {
      out.push(...diffRecord(f, a, b));
      continue;
    }
    const ka = keysOf(f, a);
    const kb = keysOf(f, b);
    if (ka && kb) out.push(...diffList(f, a as Obj[], ka, b as Obj[], kb));
    else out.push({ op: a === undefined ? 'add' : 'replace', path: changePath(f), value: b });
  }
  return out;
}

function diffRecord(f: string, a: Obj, b: Obj): ScenarioChangeT[] {
  const out: ScenarioChangeT[] = [];
  for (const k of Object.keys(a)) if (!(k in b)) out.push({ op: 'remove', path: changePath(f, k) });
  for (const k of Object.keys(b)) {
    if (!(k in a)) out.push({ op: 'add', path: changePath(f, k), value: b[k] });
    else if (!jsonEqual(a[k], b[k])) out.push({ op: 'replace', path: changePath(f, k), value: b[k] });
  }
  return out;
}

function diffList(f: string, a: Obj[], ka: string[], b: Obj[], kb: string[]): ScenarioChangeT[] {
  const out: ScenarioChangeT[] = [];
  const inB = new Map(kb.map((k, i) => [k, b[i] as Obj]));
  const inA = new Map(ka.map((k, i) => [k, a[i] as Obj]));
  for (const k of ka) if (!inB.has(k)) out.push({ op: 'remove', path: changePath(f, k) });
  for (const k of kb) {
    const old = inA.get(k);
    const now = inB.get(k) as Obj;
    if (old === undefined) out.push({ op: 'add', path: changePath(f, k), value: now });
    else if (!jsonEqual(old, now)) out.push({ op: 'replace', path: changePath(f, k), value: now });
  }
  return out;
}

export interface ApplyResult {
  /** The base with the changes applied (a copy; the base is not modified). */
  doc: Obj;
  /** One sentence per change that did not apply as written (its target gone or already there). */
  conflicts: string[];
}

/** Applies `changes` in order to a copy of `base` (see the module comment for conflicts). */
export function applyChanges(base: Obj, changes: readonly ScenarioChangeT[]): ApplyResult {
  const doc = clone(base) as Obj;
  const conflicts: string[] = [];
  for (const c of changes) {
    const problem = applyOne(doc, c);
    if (problem) conflicts.push(`${c.op} ${c.path}: ${problem}`);
  }
  return { doc, conflicts };
}

/** Applies one change in place; returns what went wrong, or null. */
function applyOne(doc: Obj, c: ScenarioChangeT): string | null {
  const segs = parsePath(c.path);
  const [field, key, ...rest] = segs as [string, ...string[]];
  if (UNCHANGED.has(field)) return `a scenario cannot change ${field}`;
  if (key === undefined) return setIn(doc, field, c);
  const list = doc[field];
  if (KEYS[field] && Array.isArray(list)) {
    const k = KEYS[field] as (i: Obj) => string | null;
    const at = list.findIndex((i) => isObj(i) && k(i) === key);
    if (rest.length === 0) return setItem(list, at, key, c);
    if (at < 0) return `no ${field} item ${key} in the base`;
    return setDeep(list[at], rest, c);
  }
  if (list === undefined && c.op !== 'remove') doc[field] = KEYS[field] ? [] : {};
  const container = doc[field];
  if (KEYS[field] && Array.isArray(container)) return setItem(container, -1, key, c);
  return setDeep(container, [key, ...rest], c);
}

function setIn(obj: Obj, k: string, c: ScenarioChangeT): string | null {
  const had = obj[k] !== undefined;
  if (c.op === 'remove') {
    delete obj[k];
    return had ? null : `nothing at ${k} to remove`;
  }
  obj[k] = clone(c.value);
  if (c.op === 'add' && had && !Array.isArray(obj)) return null; // add on an object member sets it (RFC 6902)
  return c.op === 'replace' && !had ? 'nothing there in the base; added' : null;
}

function setItem(list: Json[], at: number, key: string, c: ScenarioChangeT): string | null {
  if (c.op === 'remove') {
    if (at < 0) return `no item ${key} in the base to remove`;
    list.splice(at, 1);
    return null;
  }
  const value = clone(c.value);
  if (at >= 0) {
    list[at] = value;
    return c.op === 'add' ? `${key} is already in the base; replaced` : null;
  }
  list.push(value);
  return c.op === 'replace' ? `no item ${key} in the base; added` : null;
}

function setDeep(target: Json, segs: string[], c: ScenarioChangeT): string | null {
  let cur = target;
  for (const s of segs.slice(0, -1)) {
    const next = Array.isArray(cur) ? cur[Number(s)] : isObj(cur) ? cur[s] : undefined;
    if (next === undefined) {
      if (c.op === 'remove' || !isObj(cur)) return `nothing at ${s}`;
      cur[s] = {};
      cur = cur[s];
    } else cur = next;
  }
  const last = segs[segs.length - 1] as string;
  if (Array.isArray(cur)) {
    const i = last === '-' ? cur.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > cur.length) return `no index ${last}`;
    if (c.op === 'remove') {
      if (i >= cur.length) return `no index ${last}`;
      cur.splice(i, 1);
      return null;
    }
    if (c.op === 'add') cur.splice(i, 0, clone(c.value));
    else cur[i] = clone(c.value);
    return null;
  }
  if (!isObj(cur)) return `nothing at ${last}`;
  return setIn(cur, last, c);
}
