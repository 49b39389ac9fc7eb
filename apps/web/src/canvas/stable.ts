/**
 * Keeps node and edge objects whose content did not change, so React Flow and the memoised
 * node components skip them: an edit that touches one bundle re-renders a handful of nodes,
 * not the whole 1,000-node canvas.
 */
import type { Edge, Node } from '@xyflow/react';

function shallowEqual(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function sameNode(a: Node, b: Node): boolean {
  return (
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.selected === b.selected &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    shallowEqual(a.style as Record<string, unknown>, b.style as Record<string, unknown>) &&
    shallowEqual(a.data, b.data)
  );
}

function sameEdge(a: Edge, b: Edge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.label === b.label &&
    a.selected === b.selected &&
    a.className === b.className &&
    shallowEqual(a.style as Record<string, unknown>, b.style as Record<string, unknown>)
  );
}

export function reuse<T extends Node | Edge>(prev: readonly T[], next: T[], same: (a: T, b: T) => boolean): T[] {
  if (!prev.length) return next;
  const byId = new Map(prev.map((x) => [x.id, x]));
  let changed = prev.length !== next.length;
  const out = next.map((x, i) => {
    const old = byId.get(x.id);
    if (old && same(old, x)) {
      if (prev[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return x;
  });
  return changed ? out : (prev as T[]);
}

export const reuseNodes = (prev: readonly Node[], next: Node[]) => reuse(prev, next, sameNode);
export const reuseEdges = (prev: readonly Edge[], next: Edge[]) => reuse(prev, next, sameEdge);
