/**
 * The graph auto-layout sees: bundles (sized by their services) and databases/externals as
 * boxes, calls folded into weighted edges between boxes. Services stay stacked inside their
 * bundle, so the layout respects bundles by construction.
 */
import { layoutKey, type Topology } from '@busboard/core';
import { BUNDLE_W, bundleHeight, ENDPOINT_H, ENDPOINT_W } from '../canvas/geometry.ts';
import { callTargetId, databaseId, externalId, serviceOf } from '../canvas/ids.ts';

export interface LayoutGraph {
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; source: string; target: string }[];
}

export function layoutGraph(doc: Topology): LayoutGraph {
  const boxOf = new Map<string, string>();
  const nodes: LayoutGraph['nodes'] = [];
  for (const b of doc.bundles) {
    const id = layoutKey({ kind: 'bundle', name: b.name });
    nodes.push({ id, width: BUNDLE_W, height: bundleHeight(b.services.length) });
    for (const s of b.services) boxOf.set(s, id);
  }
  for (const d of doc.databases) nodes.push({ id: databaseId(d.name), width: ENDPOINT_W, height: ENDPOINT_H });
  for (const e of doc.externals) nodes.push({ id: externalId(e.name), width: ENDPOINT_W, height: ENDPOINT_H });
  const seen = new Set<string>();
  const edges: LayoutGraph['edges'] = [];
  for (const s of doc.services) {
    const from = boxOf.get(s.name);
    if (!from) continue;
    for (const c of s.calls) {
      const target = callTargetId(c.to);
      const to = serviceOf(target) === null ? target : boxOf.get(c.to);
      if (!to || to === from) continue;
      const id = `${from}->${to}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ id, source: from, target: to });
    }
  }
  return { nodes, edges };
}

/** Changes only when something auto-layout looks at changes (not replica counts or timings). */
export function layoutSignature(g: LayoutGraph): string {
  return `${g.nodes.map((n) => `${n.id}:${n.height}`).join('|')}#${g.edges.map((e) => e.id).join('|')}`;
}
