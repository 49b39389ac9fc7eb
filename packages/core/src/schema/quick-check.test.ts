import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXAMPLES } from '../examples/index.ts';
import { generateDesign } from '../generate/index.ts';
import { compileQuickCheck } from './quick-check.ts';
import { TopologySchema } from './topology.ts';
import { checkTopology, parseTopology } from './validate.ts';

const quick = compileQuickCheck(TopologySchema);
// The web app's build (zod jitless under its CSP) gets the closure form: it must agree just the same.
const closures = compileQuickCheck(TopologySchema, { jit: false });
const zodSays = (v: unknown) => TopologySchema.safeParse(v).success;

/** Every place in a JSON tree: the path to it. */
function places(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) places(v[i], [...path, i], out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) places(x, [...path, k], out);
  return out;
}

/** Values at the edges of what the schema allows, and values of every wrong type. */
const edge = fc.constantFrom<unknown>(
  0,
  -0,
  -1,
  0.5,
  1,
  1.5,
  2 ** 53,
  -(2 ** 53),
  1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  '\t x \n',
  'a',
  '\ud800',
  '\ud83d\ude80',
  'locality',
  'random',
  'busboard.topology/v3',
  null,
  true,
  [],
  [1],
  {},
  { x: 1 },
  { name: 'a', region: 'r' },
);
const replacement = fc.oneof(edge, fc.jsonValue({ maxDepth: 2 }));

const BASES: unknown[] = [...EXAMPLES.map((e) => e.doc), generateDesign({ services: 60, seed: 7 })];

/** A valid document broken (or not) in one to three places: a value replaced, a key removed or added. */
const mutated = fc
  .tuple(
    fc.nat({ max: BASES.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'add'), replacement, fc.constantFrom('name', 'x', '__proto__', 'toString')), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([b, edits]) => {
    const doc = structuredClone(BASES[b]) as Record<string, unknown>;
    for (const [at, how, value, key] of edits) {
      const all = places(doc);
      const path = all[at % all.length] as (string | number)[];
      if (path.length === 0) continue;
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], doc) as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (how === 'replace') parent[last] = value;
      else if (how === 'delete') delete parent[last];
      else if (!Array.isArray(parent[last]) && parent[last] !== null && typeof parent[last] === 'object') {
        Object.defineProperty(parent[last], key, { value, enumerable: true, configurable: true, writable: true });
      }
    }
    return doc;
  });

describe('quick check of a topology document', () => {
  it('compiles from the topology schema, generated and as closures', () => {
    expect(quick).toBeDefined();
    expect(closures).toBeDefined();
    expect(quick?.toString()).toMatch(/\["serviceTimeMs"\]/);
  });

  it('accepts every example and generated design, as zod does', () => {
    for (const doc of BASES) {
      expect(zodSays(doc)).toBe(true);
      expect(quick?.(doc)).toBe(true);
      expect(closures?.(doc)).toBe(true);
    }
  });

  it('agrees with zod on thousands of broken documents (it never accepts one zod refuses)', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated, (doc) => {
        const expected = zodSays(doc);
        if (!expected) refused++;
        expect(quick?.(doc)).toBe(expected);
        expect(closures?.(doc)).toBe(expected);
      }),
      { numRuns: 3000, seed: 20261123 },
    );
    // The mutations must actually break documents, or the agreement proves little.
    expect(refused).toBeGreaterThan(1000);
  });

  it('judges the edges of each rule as zod does', () => {
    const DELETE = Symbol('delete');
    const sparse: unknown[] = new Array(2);
    sparse[1] = { to: 'inventory.checkout' };
    const protoKey = Object.defineProperty({}, '__proto__', { value: 'x', enumerable: true });
    const cases: [string, (string | number)[], unknown][] = [
      ['a positive time of 0', ['services', 0, 'serviceTimeMs'], 0],
      ['a non-negative cv of -0', ['services', 0, 'serviceTimeCv'], -0],
      ['workers 2.5', ['services', 0, 'workers'], 2.5],
      ['workers beyond safe integers', ['services', 0, 'workers'], 2 ** 53],
      ['NaN', ['services', 0, 'serviceTimeMs'], Number.NaN],
      ['Infinity', ['services', 0, 'serviceTimeMs'], Number.POSITIVE_INFINITY],
      ['a blank name', ['services', 0, 'name'], '   '],
      ['a lone surrogate name', ['services', 0, 'name'], '\udc00'],
      ['a utilization target of exactly 1', ['bundles', 0, 'autoscale'], { min: 1, max: 2, targetUtilization: 1 }],
      ['a utilization target above 1', ['bundles', 0, 'autoscale'], { min: 1, max: 2, targetUtilization: 1.01 }],
      ['no zones', ['zones'], []],
      ['a database without shards', ['databases'], [{ name: 'db', shards: [], queryTimeMs: 1 }]],
      ['an unknown routing', ['routing'], 'nearest'],
      ['a replicas list instead of a map', ['bundles', 0, 'replicas'], [1, 2]],
      ['a __proto__ key in replicas', ['bundles', 0, 'replicas'], protoKey],
      ['an unknown field', ['services', 0, 'colour'], 'red'],
      ['an absent optional field', ['services', 0, 'calls'], DELETE],
      ['an absent required field', ['services', 0, 'serviceTimeMs'], DELETE],
      ['a sparse calls list', ['services', 0, 'calls'], sparse],
    ];
    for (const [what, path, value] of cases) {
      const doc = structuredClone(EXAMPLES[0]?.doc) as Record<string | number, unknown>;
      const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], doc);
      const last = path[path.length - 1] as string | number;
      if (value === DELETE) delete parent[last];
      else parent[last] = value;
      expect(quick?.(doc), what).toBe(zodSays(doc));
      expect(closures?.(doc), what).toBe(zodSays(doc));
    }
  });

  it('does not compile schemas with rules it does not know, so callers fall back to zod', () => {
    expect(compileQuickCheck(z.string().max(3))).toBeUndefined();
    expect(compileQuickCheck(z.object({ a: z.string() }).passthrough())).toBeUndefined();
    expect(compileQuickCheck(z.object({ a: z.number().multipleOf(2) }))).toBeUndefined();
    expect(compileQuickCheck(z.string().refine((s) => s !== 'x'))).toBeUndefined();
    expect(compileQuickCheck(z.string().transform((s) => s.length))).toBeUndefined();
    expect(compileQuickCheck(z.array(z.string()).max(2))).toBeUndefined();
    expect(compileQuickCheck(z.object({ a: z.literal(undefined) }))).toBeUndefined();
    expect(compileQuickCheck(z.object({ a: z.array(z.number().int().positive()).min(1) }))).toBeDefined();
  });

  it('refuses exactly the unknown keys a strict object refuses, with and without code generation', () => {
    const schema = z.strictObject({ a: z.number(), b: z.strictObject({ c: z.string() }).optional() });
    const cases: unknown[] = [
      { a: 1 },
      { a: 1, x: 2 },
      { a: 1, b: { c: 'y' } },
      { a: 1, b: { c: 'y', queueLimit: 200 } },
      JSON.parse('{"a": 1, "__proto__": {"x": 1}}'),
      Object.assign(Object.create({ inherited: 1 }), { a: 1 }),
    ];
    for (const jit of [true, false]) {
      const quick = compileQuickCheck(schema, { jit });
      for (const v of cases) expect(quick?.(v), JSON.stringify(v)).toBe(schema.safeParse(v).success);
    }
  });
});

describe('checkTopology', () => {
  it('reports exactly the problems parseTopology reports, in the same order', () => {
    fc.assert(
      fc.property(mutated, (doc) => {
        const parsed = parseTopology(doc);
        expect(checkTopology(doc)).toEqual(parsed.ok ? [] : parsed.problems);
      }),
      { numRuns: 1000, seed: 6 },
    );
    for (const doc of [...BASES, null, [], 'text', { schema: 'busboard.topology/v0' }]) {
      const parsed = parseTopology(doc);
      expect(checkTopology(doc)).toEqual(parsed.ok ? [] : parsed.problems);
    }
  });
});
