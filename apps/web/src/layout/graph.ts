/**
 * The graph auto-layout sees: bundles (sized by their services) and databases/externals as
 * boxes, calls folded into weighted edges between boxes. Services stay stacked inside their
 * bundle, so the layout respects bundles by construction. Streams and consumers (schema v3) are
 * boxes too (a stream with its consumers stacked under it, as services in a bundle; under its
 * publishers' bundle when they share one, hosts.ts), joined by their events: publisher → stream →
 * the consumers' services, and publisher → subscriber.
 */
import { layoutKey, subjectMatches, type Topology } from '@busboard/core';
import { BUNDLE_W, bundleHeight, CONSUMER_SLOT_X, CONSUMER_W, ENDPOINT_H, ENDPOINT_W, STREAM_W } from '../canvas/geometry.ts';
import { bundleId, callTargetId, databaseId, externalId, serviceOf, streamId } from '../canvas/ids.ts';
import { streamColumnHeight, streamHosts } from './hosts.ts';

export interface LayoutGraph {
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; source: string; target: string }[];
}

export function layoutGraph(doc: Topology): LayoutGraph {
  const boxOf = new Map<string, string>();
  const nodes: LayoutGraph['nodes'] = [];
  const { hosts, heights } = streamHosts(doc);
  for (const b of doc.bundles) {
    const id = layoutKey({ kind: 'bundle', name: b.name });
    nodes.push({ id, width: BUNDLE_W, height: heights.get(b.name) ?? bundleHeight(b.services.length) });
    for (const s of b.services) boxOf.set(s, id);
  }
  // A stream hung under its publishers' bundle is part of that box (hosts.ts).
  const streamBox = (name: string) => {
    const host = hosts.get(name);
    return host ? bundleId(host.bundle) : streamId(name);
  };
  for (const d of doc.databases) nodes.push({ id: databaseId(d.name), width: ENDPOINT_W, height: ENDPOINT_H });
  for (const e of doc.externals) nodes.push({ id: externalId(e.name), width: ENDPOINT_W, height: ENDPOINT_H });
  // A stream is one box with its consumers hanging under it (consumerSlot), badges included.
  for (const s of doc.streams ?? [])
    if (!hosts.has(s.name))
      nodes.push({ id: streamId(s.name), width: Math.max(STREAM_W, CONSUMER_SLOT_X + CONSUMER_W), height: streamColumnHeight(doc, s.name) });
  const seen = new Set<string>();
  const edges: LayoutGraph['edges'] = [];
  const link = (from: string | undefined, to: string | undefined) => {
    if (!from || !to || from === to) return;
    const id = `${from}->${to}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push({ id, source: from, target: to });
  };
  for (const s of doc.services) {
    const from = boxOf.get(s.name);
    if (!from) continue;
    for (const c of s.calls) {
      const target = callTargetId(c.to);
      const to = serviceOf(target) === null ? target : boxOf.get(c.to);
      link(from, to);
    }
  }
  eventLinks(doc, boxOf, streamBox, link);
  return { nodes, edges };
}

function eventLinks(
  doc: Topology,
  boxOf: ReadonlyMap<string, string>,
  streamBox: (name: string) => string,
  link: (from: string | undefined, to: string | undefined) => void,
): void {
  const streams = doc.streams ?? [];
  for (const s of doc.services) {
    for (const p of s.publishes ?? []) {
      const stream = streams.find((x) => x.subjects.some((pattern) => subjectMatches(pattern, p.subject)));
      if (stream) link(boxOf.get(s.name), streamBox(stream.name));
      for (const sub of doc.services)
        if ((sub.subscribes ?? []).some((x) => subjectMatches(x.subject, p.subject))) link(boxOf.get(s.name), boxOf.get(sub.name));
    }
  }
  for (const c of doc.consumers ?? []) link(streamBox(c.stream), boxOf.get(c.service));
}

/** Changes only when something auto-layout looks at changes (not replica counts or timings). */
export function layoutSignature(g: LayoutGraph): string {
  return `${g.nodes.map((n) => `${n.id}:${n.height}`).join('|')}#${g.edges.map((e) => e.id).join('|')}`;
}
