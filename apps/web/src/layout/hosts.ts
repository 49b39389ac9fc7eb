/**
 * Where auto-layout puts a stream: a stream whose publishers all sit in one bundle hangs under
 * that bundle (fed from above, its consumers under it), so the stream takes no column of its own
 * and a design with events is no wider than one without. Others are boxes of their own.
 */
import { subjectMatches, type Topology } from '@busboard/core';
import { bundleHeight, CONSUMER_GAP, consumerSlot, GAP } from '../canvas/geometry.ts';

/** A stream's column: the stream and its consumers under it (their badges included). */
export function streamColumnHeight(doc: Topology, stream: string): number {
  return consumerSlot((doc.consumers ?? []).filter((c) => c.stream === stream).length).y - CONSUMER_GAP;
}

export interface StreamHost {
  bundle: string;
  /** The stream's corner relative to the bundle's. */
  offset: { x: number; y: number };
}

/** Streams hung under their publishers' bundle, and each bundle's height with them. */
export function streamHosts(doc: Topology): { hosts: Map<string, StreamHost>; heights: Map<string, number> } {
  const bundleOf = new Map<string, string>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b.name);
  const hosts = new Map<string, StreamHost>();
  const heights = new Map(doc.bundles.map((b) => [b.name, bundleHeight(b.services.length)]));
  for (const st of doc.streams ?? []) {
    const publishers = new Set<string>();
    for (const s of doc.services)
      if ((s.publishes ?? []).some((p) => st.subjects.some((pattern) => subjectMatches(pattern, p.subject))))
        publishers.add(bundleOf.get(s.name) ?? '');
    const [bundle] = publishers;
    if (publishers.size !== 1 || !bundle) continue;
    const top = (heights.get(bundle) ?? 0) + CONSUMER_GAP + 2 * GAP;
    hosts.set(st.name, { bundle, offset: { x: GAP, y: top } });
    heights.set(bundle, top + streamColumnHeight(doc, st.name));
  }
  return { hosts, heights };
}
