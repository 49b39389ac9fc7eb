import { describe, expect, it } from 'vitest';
import { recommend, simulate } from '../engine/index.ts';
import { getExample } from '../examples/index.ts';
import { toJson } from './codec.ts';
import type { TopologyInput } from './topology.ts';
import { parseTopology } from './validate.ts';

/**
 * Names that are also Object.prototype's own keys must not change a single figure: every map
 * keyed by a user's name is free of inherited keys (issue 21, item 5).
 */
const RENAME: Record<string, string> = {
  // Services: lower-case hostnames, so only `constructor` among Object.prototype's keys.
  'web.example': 'constructor',
  // Zones, bundles, databases and externals are free text.
  'us-east-1a': 'toString',
  'us-east-1b': 'hasOwnProperty',
  'us-east-1c': 'constructor',
  shop: 'valueOf',
  ingress: 'isPrototypeOf',
  flows: 'propertyIsEnumerable',
  'flows-0': 'toLocaleString',
};

function renamed(doc: TopologyInput): TopologyInput {
  const text = toJson(doc).replace(/"([^"]+)"/g, (m, s: string) => {
    if (s in Object.prototype && !Object.hasOwn(RENAME, s)) return m;
    if (Object.hasOwn(RENAME, s)) return JSON.stringify(RENAME[s]);
    if (s.startsWith('db:') && Object.hasOwn(RENAME, s.slice(3))) return JSON.stringify(`db:${RENAME[s.slice(3)]}`);
    return m;
  });
  return JSON.parse(text) as TopologyInput;
}

const sorted = (o: Record<string, unknown>) => Object.values(o).map((v) => JSON.stringify(v, (_k, x) => (typeof x === 'string' ? undefined : x)));

describe('names that are keys of Object.prototype', () => {
  const original = getExample('microbus-shop')?.doc as TopologyInput;
  const doc = renamed(original);

  it('are valid names and keep every figure', () => {
    const a = parseTopology(original);
    const b = parseTopology(doc);
    if (!a.ok || !b.ok) throw new Error(JSON.stringify(b.ok ? a : b));
    expect(b.doc.services.map((s) => s.name)).toContain('constructor');
    const ra = simulate(a.doc);
    const rb = simulate(b.doc);
    expect(Object.keys(rb.services)).toContain('constructor');
    expect(Object.keys(rb.services)).toHaveLength(Object.keys(ra.services).length);
    expect(Object.keys(rb.bundles).sort()).toEqual(['foreman', 'isPrototypeOf', 'valueOf']);
    expect(sorted(rb.services as never)).toEqual(sorted(ra.services as never));
    expect(rb.entries[Object.keys(rb.entries)[0] as string]?.latencyMs).toEqual(ra.entries[Object.keys(ra.entries)[0] as string]?.latencyMs);
    expect(rb.headroom).toBe(ra.headroom);
    const fa = simulate(a.doc, { failZones: ['us-east-1c'] });
    const fb = simulate(b.doc, { failZones: ['constructor'] });
    expect(fb.headroom).toBe(fa.headroom);
    expect(recommend(b.doc).totalReplicas).toBe(recommend(a.doc).totalReplicas);
  });

  it('refuses "__proto__" as any name, with its path', () => {
    const bad = structuredClone(original) as TopologyInput & { zones: { name: string; region: string }[] };
    bad.zones[0] = { name: '__proto__', region: 'us-east-1' };
    const r = parseTopology(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toContain('zones[0].name: "__proto__" is reserved; choose another name');
  });
});
