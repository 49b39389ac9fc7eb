/**
 * What changed between two revisions of a design, in the terms a capacity planner reads:
 * services, bundles, zones, databases… added, removed or changed (naming the changed fields),
 * and replica counts per bundle and zone. Pure: it reads two documents and nothing else.
 */
import { jsonEqual, type TopologyInput } from '@busboard/core';

export interface NamedChanges {
  added: string[];
  removed: string[];
  /** Present in both with different content: which fields differ. */
  changed: { name: string; fields: string[] }[];
}

export interface ReplicaChange {
  bundle: string;
  zone: string;
  from: number;
  to: number;
}

export interface DesignDiff {
  zones: NamedChanges;
  services: NamedChanges;
  bundles: NamedChanges;
  externals: NamedChanges;
  databases: NamedChanges;
  nats: NamedChanges;
  /** Traffic entries, by entry service. */
  traffic: NamedChanges;
  /** Replica counts that differ, for bundles present in both (0 where a zone is absent). */
  replicas: ReplicaChange[];
  /** Other top-level fields that differ (`network`, `routing`, `slo`, `name`). */
  other: string[];
  /** Only node positions moved. */
  layoutChanged: boolean;
  /** Nothing at all differs. */
  same: boolean;
}

type Loose = Record<string, unknown>;
const COLLECTIONS = ['zones', 'services', 'bundles', 'externals', 'databases', 'nats'] as const;
const OTHER = ['name', 'network', 'routing', 'slo', 'schema'] as const;

const asList = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter((x): x is Loose => x !== null && typeof x === 'object') : []);
const asRecord = (v: unknown): Record<string, number> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number>) : {};

function byKey(items: Loose[], key: string): Map<string, Loose> {
  const m = new Map<string, Loose>();
  for (const it of items) if (typeof it[key] === 'string') m.set(it[key] as string, it);
  return m;
}

function compareNamed(before: Loose[], after: Loose[], key: string, ignore: string[] = []): NamedChanges {
  const a = byKey(before, key);
  const b = byKey(after, key);
  const out: NamedChanges = { added: [], removed: [], changed: [] };
  for (const name of b.keys()) if (!a.has(name)) out.added.push(name);
  for (const [name, x] of a) {
    const y = b.get(name);
    if (!y) {
      out.removed.push(name);
      continue;
    }
    const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((f) => !ignore.includes(f) && !jsonEqual(x[f], y[f])).sort();
    if (fields.length) out.changed.push({ name, fields });
  }
  return out;
}

export function diffDesigns(before: TopologyInput, after: TopologyInput): DesignDiff {
  const x = before as unknown as Loose;
  const y = after as unknown as Loose;
  const named = Object.fromEntries(
    COLLECTIONS.map((c) => [c, compareNamed(asList(x[c]), asList(y[c]), 'name', c === 'bundles' ? ['replicas'] : [])]),
  ) as Record<(typeof COLLECTIONS)[number], NamedChanges>;
  const traffic = compareNamed(asList(x.traffic), asList(y.traffic), 'entry');

  const replicas: ReplicaChange[] = [];
  const afterBundles = byKey(asList(y.bundles), 'name');
  for (const [bundle, b0] of byKey(asList(x.bundles), 'name')) {
    const b1 = afterBundles.get(bundle);
    if (!b1) continue;
    const r0 = asRecord(b0.replicas);
    const r1 = asRecord(b1.replicas);
    for (const zone of [...new Set([...Object.keys(r0), ...Object.keys(r1)])].sort()) {
      const from = r0[zone] ?? 0;
      const to = r1[zone] ?? 0;
      if (from !== to) replicas.push({ bundle, zone, from, to });
    }
  }

  const other = OTHER.filter((k) => !jsonEqual(x[k], y[k]));
  const layoutChanged = !jsonEqual(x.layout, y.layout);
  const empty = (c: NamedChanges) => !c.added.length && !c.removed.length && !c.changed.length;
  const same = COLLECTIONS.every((c) => empty(named[c])) && empty(traffic) && !replicas.length && !other.length && !layoutChanged;
  return { ...named, traffic, replicas, other: [...other], layoutChanged, same };
}
