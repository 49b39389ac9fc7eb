/**
 * A yes/no answer to "would this zod schema accept the value?", an order of magnitude faster
 * than `safeParse` and without allocating: it builds no parsed copy and no issue objects. The
 * API runs it on every save; only a document it does not accept goes through zod, which then
 * says what is wrong, with the same problems as always.
 *
 * It is compiled from the zod schema itself (one definition, STYLE.md §2), and it knows only
 * the constructs the topology schema uses: objects (stripping unknown keys), arrays, string-keyed
 * records, strings with trim and a minimum length, finite numbers with bounds and integer
 * formats, enums, literals, optional and default. A schema with anything else (a refinement, a
 * transform, a maximum length…) compiles to `undefined`, and callers use zod alone. So the
 * answer is never "yes" where zod would say no; quick-check.test.ts holds the two to agreement
 * on thousands of broken documents.
 */
import type { z } from 'zod';

/** Accepts exactly what the schema accepts (see above). */
export type QuickCheck = (value: unknown) => boolean;

/** The parts of a zod definition read here (zod 4's `_zod.def`, its documented introspection surface). */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  catchall?: unknown;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
  coerce?: boolean;
}
interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  format?: string;
  tx?: (v: unknown) => unknown;
  when?: unknown;
}
interface Schema {
  _zod: { def: Def };
}

class Unsupported extends Error {}

/** A fast checker for `schema`, or `undefined` when it uses anything this module does not know. */
export function compileQuickCheck(schema: z.ZodType): QuickCheck | undefined {
  try {
    return compile(schema as unknown as Schema);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

function compile(schema: Schema): QuickCheck {
  const def = schema._zod.def;
  if (def.coerce) throw new Unsupported('coerce');
  switch (def.type) {
    case 'string':
      return stringCheck(def);
    case 'number':
      return numberCheck(def);
    case 'object':
      return objectCheck(def);
    case 'array':
      return arrayCheck(def);
    case 'record':
      return recordCheck(def);
    case 'enum':
      return oneOf(def, Object.values(def.entries ?? {}));
    case 'literal':
      return oneOf(def, def.values ?? []);
    case 'optional':
    case 'default': {
      // zod 4: `undefined` takes the default (never validated) or stays absent; anything else goes to the inner schema.
      noChecks(def);
      const inner = compile(def.innerType as Schema);
      return (v) => v === undefined || inner(v);
    }
    default:
      throw new Unsupported(def.type);
  }
}

function oneOf(def: Def, values: unknown[]): QuickCheck {
  noChecks(def);
  // An allowed `undefined` would make a required key optional in one and not the other: leave it to zod.
  if (values.includes(undefined)) throw new Unsupported('undefined among the values');
  const allowed = new Set(values);
  return (v) => allowed.has(v);
}

function noChecks(def: Def) {
  if (def.checks?.length) throw new Unsupported(`checks on ${def.type}`);
}

/** The checks of a string or a number, in zod's order, each a test on the (possibly overwritten) value. */
type Step = { test: (v: never) => boolean } | { overwrite: (v: unknown) => unknown };

function steps(def: Def, kind: 'string' | 'number' | 'array'): Step[] {
  return (def.checks ?? []).map(({ _zod: { def: c } }): Step => {
    // min_length carries zod's own "has a length" guard, which every string and array passes; any other guard is unknown here.
    if (c.when !== undefined && c.check !== 'min_length') throw new Unsupported(`conditional ${c.check}`);
    switch (c.check) {
      case 'overwrite':
        if (kind !== 'string' || typeof c.tx !== 'function') throw new Unsupported('overwrite');
        return { overwrite: c.tx };
      case 'min_length': {
        const min = c.minimum;
        if (typeof min !== 'number' || kind === 'number') throw new Unsupported('min_length');
        // zod counts a string's code points (a surrogate pair is one), an array's items.
        return { test: kind === 'string' ? (s: string) => codePoints(s, min) >= min : (a: unknown[]) => a.length >= min };
      }
      case 'greater_than':
      case 'less_than': {
        const bound = c.value;
        if (kind !== 'number' || typeof bound !== 'number') throw new Unsupported(c.check);
        if (c.check === 'greater_than') return { test: c.inclusive ? (n: number) => n >= bound : (n: number) => n > bound };
        return { test: c.inclusive ? (n: number) => n <= bound : (n: number) => n < bound };
      }
      case 'number_format':
        if (kind !== 'number' || c.format !== 'safeint') throw new Unsupported(`number format ${c.format}`);
        return { test: (n: number) => Number.isSafeInteger(n) };
      default:
        throw new Unsupported(c.check);
    }
  });
}

/** Runs `steps` on `v`; false at the first that fails. */
function run(list: Step[], v: unknown): boolean {
  let value = v;
  for (const s of list) {
    if ('overwrite' in s) value = s.overwrite(value);
    else if (!s.test(value as never)) return false;
  }
  return true;
}

function stringCheck(def: Def): QuickCheck {
  const list = steps(def, 'string');
  return (v) => typeof v === 'string' && run(list, v);
}

function numberCheck(def: Def): QuickCheck {
  const list = steps(def, 'number');
  // zod 4's number refuses NaN and ±Infinity before any check.
  return (v) => typeof v === 'number' && Number.isFinite(v) && run(list, v);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectCheck(def: Def): QuickCheck {
  noChecks(def);
  // A catchall (strict or passthrough objects) judges unknown keys: not known here. Plain objects strip them.
  if (def.catchall !== undefined) throw new Unsupported('catchall');
  const shape = def.shape ?? {};
  const fields = Object.keys(shape)
    .filter((k) => k !== '__proto__')
    .map((k) => [k, compile(shape[k] as Schema)] as const);
  if (Object.getOwnPropertySymbols(shape).length) throw new Unsupported('symbol keys');
  return (v) => {
    if (!isObject(v)) return false;
    // zod reads each declared key as `input[key]`; an absent required key reads undefined and fails its schema.
    for (const [key, check] of fields) if (!check(v[key])) return false;
    return true;
  };
}

function arrayCheck(def: Def): QuickCheck {
  const element = compile(def.element as Schema);
  const list = steps(def, 'array');
  return (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return run(list, v);
  };
}

function recordCheck(def: Def): QuickCheck {
  noChecks(def);
  const key = def.keyType?._zod.def;
  // Only string keys with no checks of their own (every own key of a JSON object passes them).
  if (key?.type !== 'string' || key.checks?.length || key.coerce) throw new Unsupported('record key');
  const value = compile(def.valueType as Schema);
  return (v) => {
    if (!isPlainObject(v)) return false;
    // zod skips `__proto__` and non-enumerable keys; symbol keys (which JSON cannot make) would need the key schema.
    if (Object.getOwnPropertySymbols(v).length) return false;
    for (const k of Object.keys(v)) {
      if (k !== '__proto__' && !value(v[k])) return false;
    }
    return true;
  };
}

/** zod's `isPlainObject`: an object whose constructor, if any, has an ordinary prototype. */
function isPlainObject(o: unknown): o is Record<string, unknown> {
  if (!isObject(o)) return false;
  const ctor = (o as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

/** Code points in `s`, as zod counts them (a lone surrogate is one); exact only up to `enough`, which is all a minimum needs. */
function codePoints(s: string, enough: number): number {
  if (s.length >= 2 * enough) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if ((c & 0xfc00) === 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}
