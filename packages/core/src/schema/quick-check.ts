/**
 * A yes/no answer to "would this zod schema accept the value?", an order of magnitude faster
 * than `safeParse` and without allocating: it builds no parsed copy and no issue objects. The
 * API runs it on every save; only a document it does not accept goes through zod, which then
 * says what is wrong, with the same problems as always.
 *
 * It is compiled from the zod schema itself (one definition, STYLE.md §2), and it knows only
 * the constructs the topology schema uses: objects (stripping or, strict, refusing unknown keys), arrays, string-keyed
 * records, strings with trim, a minimum length and a regex, booleans, finite numbers with bounds and integer
 * formats, enums, literals, unknown, optional and default. A schema with anything else (a refinement, a
 * transform, a maximum length…) compiles to `undefined`, and callers use zod alone. So the
 * answer is never "yes" where zod would say no; quick-check.test.ts holds the two to agreement
 * on thousands of broken documents.
 *
 * Like zod, it generates a specialised function where code generation is allowed (property
 * reads by constant name are several times faster than by a variable key), and falls back to
 * closures where it is not: zod's `jitless` setting (the web app's strict CSP) or an engine that
 * refuses `new Function`.
 */
import { z } from 'zod';

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
  pattern?: unknown;
  tx?: (v: unknown) => unknown;
  when?: unknown;
}
interface Schema {
  _zod: { def: Def };
}

/** What a schema requires, reduced to what this module can check. */
type Rule =
  | { kind: 'string'; steps: ({ overwrite: (v: unknown) => unknown } | { minLength: number } | { pattern: RegExp })[] }
  | { kind: 'boolean' }
  | { kind: 'number'; bounds: { op: '>' | '>=' | '<' | '<='; bound: number }[]; safeInt: boolean }
  | { kind: 'object'; fields: [string, Rule][]; strict: ReadonlySet<string> | null }
  | { kind: 'array'; element: Rule; minLength: number }
  | { kind: 'record'; value: Rule }
  | { kind: 'oneOf'; values: ReadonlySet<unknown> }
  | { kind: 'optional'; inner: Rule }
  | { kind: 'any' };

class Unsupported extends Error {}

/** A fast checker for `schema`, or `undefined` when it uses anything this module does not know. */
export function compileQuickCheck(schema: z.ZodType, options: { jit?: boolean } = {}): QuickCheck | undefined {
  let rule: Rule;
  try {
    rule = ruleOf(schema as unknown as Schema);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  if (options.jit ?? !z.config().jitless) {
    try {
      return generated(rule);
    } catch {
      // Code generation refused (a Content-Security-Policy): closures below.
    }
  }
  return closure(rule);
}

function ruleOf(schema: Schema): Rule {
  const def = schema._zod.def;
  if (def.coerce) throw new Unsupported('coerce');
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  // min_length carries zod's own "has a length" guard, which every string and array passes; any other guard is unknown here.
  for (const c of checks) if (c.when !== undefined && c.check !== 'min_length') throw new Unsupported(`conditional ${c.check}`);
  const none = () => {
    if (checks.length) throw new Unsupported(`checks on ${def.type}`);
  };
  switch (def.type) {
    case 'string':
      return {
        kind: 'string',
        steps: checks.map((c) => {
          if (c.check === 'overwrite' && typeof c.tx === 'function') return { overwrite: c.tx };
          if (c.check === 'min_length' && typeof c.minimum === 'number') return { minLength: c.minimum };
          // A plain regex (no global or sticky flag, so `test` keeps no state between values).
          if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp && !c.pattern.global && !c.pattern.sticky) {
            return { pattern: c.pattern };
          }
          throw new Unsupported(`string ${c.check}`);
        }),
      };
    case 'number': {
      const rule: Rule = { kind: 'number', bounds: [], safeInt: false };
      for (const c of checks) {
        if ((c.check === 'greater_than' || c.check === 'less_than') && typeof c.value === 'number' && Number.isFinite(c.value)) {
          rule.bounds.push({ op: c.check === 'greater_than' ? (c.inclusive ? '>=' : '>') : c.inclusive ? '<=' : '<', bound: c.value });
        } else if (c.check === 'number_format' && c.format === 'safeint') rule.safeInt = true;
        else throw new Unsupported(`number ${c.check} ${c.format ?? ''}`);
      }
      return rule;
    }
    case 'object': {
      none();
      // A passthrough catchall judges unknown keys: not known here. Plain objects strip them; strict ones (catchall never) refuse them.
      const strict = (def.catchall as Schema | undefined)?._zod.def.type === 'never';
      if (def.catchall !== undefined && !strict) throw new Unsupported('catchall');
      const shape = def.shape ?? {};
      if (Object.getOwnPropertySymbols(shape).length) throw new Unsupported('symbol keys');
      // zod never reads a declared `__proto__` key.
      return {
        kind: 'object',
        fields: Object.keys(shape)
          .filter((k) => k !== '__proto__')
          .map((k) => [k, ruleOf(shape[k] as Schema)]),
        strict: strict ? new Set(Object.keys(shape)) : null,
      };
    }
    case 'array': {
      let minLength = 0;
      for (const c of checks) {
        if (c.check === 'min_length' && typeof c.minimum === 'number') minLength = Math.max(minLength, c.minimum);
        else throw new Unsupported(`array ${c.check}`);
      }
      return { kind: 'array', element: ruleOf(def.element as Schema), minLength };
    }
    case 'record': {
      none();
      const key = def.keyType?._zod.def;
      // Only string keys with no checks of their own (every own key of a JSON object passes them).
      if (key?.type !== 'string' || key.checks?.length || key.coerce) throw new Unsupported('record key');
      return { kind: 'record', value: ruleOf(def.valueType as Schema) };
    }
    case 'boolean':
      none();
      return { kind: 'boolean' };
    case 'unknown':
      // Anything, `undefined` included (a scenario change's `value`).
      none();
      return { kind: 'any' };
    case 'enum':
    case 'literal': {
      none();
      const values = def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
      // An allowed `undefined` would make a required key optional in one and not the other: leave it to zod.
      if (values.includes(undefined)) throw new Unsupported('undefined among the values');
      return { kind: 'oneOf', values: new Set(values) };
    }
    case 'optional':
    case 'default':
      // zod 4: `undefined` takes the default (never validated) or stays absent; anything else goes to the inner schema.
      none();
      return { kind: 'optional', inner: ruleOf(def.innerType as Schema) };
    default:
      throw new Unsupported(def.type);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** zod's `isPlainObject` (what a record accepts): an object whose constructor, if any, has an ordinary prototype. */
function isPlainObject(o: unknown): o is Record<string, unknown> {
  if (!isObject(o)) return false;
  const ctor = (o as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

/** Whether `s` has at least `min` code points, as zod counts them (a surrogate pair is one, a lone surrogate one). */
function hasCodePoints(s: string, min: number): boolean {
  if (s.length >= 2 * min) return true;
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if ((c & 0xfc00) === 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n >= min;
}

/** A record's own keys as zod reads them; `undefined` when it has symbol keys (JSON cannot make them; zod would refuse them). */
function recordKeys(v: Record<string, unknown>): string[] | undefined {
  return Object.getOwnPropertySymbols(v).length ? undefined : Object.keys(v);
}

/** A strict object's rule: every enumerable key (zod walks them with `for…in`, `__proto__` included) is declared. */
function onlyKnownKeys(v: Record<string, unknown>, known: ReadonlySet<string>): boolean {
  for (const k in v) if (!known.has(k)) return false;
  return true;
}

const compare = {
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
};

/** The rule as nested closures: for where code generation is not allowed. */
function closure(rule: Rule): QuickCheck {
  switch (rule.kind) {
    case 'string': {
      const steps = rule.steps;
      return (v) => {
        if (typeof v !== 'string') return false;
        let s: unknown = v;
        for (const step of steps) {
          if ('overwrite' in step) s = step.overwrite(s);
          else if (typeof s !== 'string') return false;
          else if ('pattern' in step ? !step.pattern.test(s) : !hasCodePoints(s, step.minLength)) return false;
        }
        return true;
      };
    }
    case 'number': {
      const { bounds, safeInt } = rule;
      // zod 4's number refuses NaN and ±Infinity before any check.
      return (v) =>
        typeof v === 'number' && Number.isFinite(v) && (!safeInt || Number.isSafeInteger(v)) && bounds.every((b) => compare[b.op](v, b.bound));
    }
    case 'object': {
      const fields = rule.fields.map(([k, r]) => [k, closure(r)] as const);
      const strict = rule.strict;
      // zod reads each declared key as `input[key]`; an absent required key reads undefined and fails its rule.
      return (v) => isObject(v) && fields.every(([k, check]) => check(v[k])) && (strict === null || onlyKnownKeys(v, strict));
    }
    case 'array': {
      const element = closure(rule.element);
      const min = rule.minLength;
      return (v) => Array.isArray(v) && v.length >= min && Array.prototype.every.call(Array.from(v), element);
    }
    case 'record': {
      const value = closure(rule.value);
      return (v) => {
        if (!isPlainObject(v)) return false;
        return recordKeys(v)?.every((k) => k === '__proto__' || value(v[k])) === true;
      };
    }
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'oneOf': {
      const values = rule.values;
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = closure(rule.inner);
      return (v) => v === undefined || inner(v);
    }
    case 'any':
      return () => true;
  }
}

/** The rule as one generated function: constant property names, no calls per value. */
function generated(rule: Rule): QuickCheck {
  const consts: unknown[] = [];
  let n = 0;
  const fresh = (prefix: string) => `${prefix}${n++}`;
  const constant = (value: unknown) => `c[${consts.push(value) - 1}]`;
  const fail = (cond: string) => `if (${cond}) return false;\n`;

  const emit = (r: Rule, v: string): string => {
    switch (r.kind) {
      case 'string': {
        let code = fail(`typeof ${v} !== 'string'`);
        const s = fresh('s');
        code += `let ${s} = ${v};\n`;
        for (const step of r.steps) {
          if ('overwrite' in step) code += `${s} = ${constant(step.overwrite)}(${s});\n`;
          else if ('pattern' in step) code += fail(`typeof ${s} !== 'string' || !${constant(step.pattern)}.test(${s})`);
          else code += fail(`typeof ${s} !== 'string' || !hasCodePoints(${s}, ${step.minLength})`);
        }
        return code;
      }
      case 'number': {
        let code = fail(`typeof ${v} !== 'number' || !Number.isFinite(${v})`);
        if (r.safeInt) code += fail(`!Number.isSafeInteger(${v})`);
        for (const b of r.bounds) code += fail(`!(${v} ${b.op} ${b.bound})`);
        return code;
      }
      case 'object': {
        let code = fail(`typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})`);
        for (const [key, field] of r.fields) {
          const x = fresh('x');
          code += `{\nconst ${x} = ${v}[${JSON.stringify(key)}];\n${emit(field, x)}}\n`;
        }
        if (r.strict) code += fail(`!onlyKnownKeys(${v}, ${constant(r.strict)})`);
        return code;
      }
      case 'array': {
        const i = fresh('i');
        const x = fresh('x');
        let code = fail(`!Array.isArray(${v})`);
        if (r.minLength > 0) code += fail(`${v}.length < ${r.minLength}`);
        return `${code}for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${x} = ${v}[${i}];\n${emit(r.element, x)}}\n`;
      }
      case 'record': {
        const keys = fresh('k');
        const i = fresh('i');
        const x = fresh('x');
        let code = fail(`!isPlainObject(${v})`);
        code += `const ${keys} = recordKeys(${v});\n${fail(`${keys} === undefined`)}`;
        return `${code}for (let ${i} = 0; ${i} < ${keys}.length; ${i}++) {\nif (${keys}[${i}] === '__proto__') continue;\nconst ${x} = ${v}[${keys}[${i}]];\n${emit(r.value, x)}}\n`;
      }
      case 'boolean':
        return fail(`typeof ${v} !== 'boolean'`);
      case 'oneOf':
        return fail(`!${constant(r.values)}.has(${v})`);
      case 'optional':
        return `if (${v} !== undefined) {\n${emit(r.inner, v)}}\n`;
      case 'any':
        return '';
    }
  };

  const body = `return function quickCheck(v) {\n${emit(rule, 'v')}return true;\n};`;
  return new Function('c', 'hasCodePoints', 'isPlainObject', 'recordKeys', 'onlyKnownKeys', body)(
    consts,
    hasCodePoints,
    isPlainObject,
    recordKeys,
    onlyKnownKeys,
  ) as QuickCheck;
}
