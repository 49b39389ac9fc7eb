/** Small immutable helpers the edit commands share: field merges and keyed records (layout, replica maps). */
import type { TopologyInput } from '../schema/topology.ts';
import type { XY } from './types.ts';

/** Returns `base` itself when no field changes; `undefined` deletes a field. */
export function mergeFields<T extends object>(base: T, fields: Partial<T>): T {
  let changed = false;
  const next = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) {
      if (k in next) {
        delete next[k];
        changed = true;
      }
    } else if (!sameValue(next[k], v)) {
      next[k] = v;
      changed = true;
    }
  }
  return changed ? (next as T) : base;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function renameKey<V>(rec: Record<string, V> | undefined, from: string, to: string): Record<string, V> | undefined {
  if (!rec || !(from in rec)) return rec;
  // Keep key order so zone maps still read in document order.
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k === from ? to : k, v]));
}

export function dropKey<V>(rec: Record<string, V> | undefined, key: string): Record<string, V> | undefined {
  if (!rec || !(key in rec)) return rec;
  const { [key]: _, ...rest } = rec;
  return rest;
}

/** The document without a layout key (and without `layout` once it is empty). */
export function dropLayout(doc: TopologyInput, key: string): TopologyInput {
  if (!doc.layout || !(key in doc.layout)) return doc;
  const layout = dropKey(doc.layout, key) ?? {};
  if (Object.keys(layout).length > 0) return { ...doc, layout };
  const { layout: _, ...rest } = doc;
  return rest;
}

export function withPosition(doc: TopologyInput, key: string, position: XY | undefined): TopologyInput {
  return position ? setLayout(doc, { [key]: position }) : doc;
}

export function setLayout(doc: TopologyInput, positions: Record<string, XY | null>): TopologyInput {
  const layout: Record<string, XY> = { ...(doc.layout ?? {}) };
  let changed = false;
  for (const [key, pos] of Object.entries(positions)) {
    if (pos === null) {
      if (key in layout) {
        delete layout[key];
        changed = true;
      }
      continue;
    }
    const rounded = { x: Math.round(pos.x), y: Math.round(pos.y) };
    const old = layout[key];
    if (old && old.x === rounded.x && old.y === rounded.y) continue;
    layout[key] = rounded;
    changed = true;
  }
  if (!changed) return doc;
  if (Object.keys(layout).length === 0) {
    const { layout: _, ...rest } = doc;
    return rest;
  }
  return { ...doc, layout };
}
