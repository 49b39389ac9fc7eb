/**
 * Which live service is which designed service, and which live zone is which designed zone.
 * A designed service matches a live one by name (its hostname, also its queue group), else by
 * its `endpoints[]`: NATS subjects (wildcards allowed) or Microbus paths (`/items`,
 * `:443/items`, `GET:443/items`).
 */
import type { Topology } from '../schema/topology.ts';
import { parseMicrobusSubject } from './microbus-parse.ts';
import type { LiveService, LiveSnapshot } from './types.ts';
import { zoneKey } from './units.ts';

/** NATS subject matching: `*` one token, `>` the rest (at least one token). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    // A live subscription may itself hold a wildcard: `*` matches `*`.
    if (p[i] !== '*' && p[i] !== s[i] && s[i] !== '*') return false;
  }
  return p.length === s.length;
}

interface MicrobusPath {
  method: string | null;
  port: string | null;
  path: string;
}

function parseDesignPath(endpoint: string): MicrobusPath | null {
  const m = /^([A-Za-z]+)?\s*(?::(\d+))?(\/.*)$/.exec(endpoint.trim());
  if (!m) return null;
  return { method: m[1]?.toUpperCase() ?? null, port: m[2] ?? null, path: (m[3] as string).replace(/^\/+/, '').replace(/\/+$/, '') };
}

/** Does a designed endpoint name this live subject? */
export function endpointMatches(endpoint: string, subject: string): boolean {
  const path = parseDesignPath(endpoint);
  if (!path) return subjectMatches(endpoint, subject);
  const mb = parseMicrobusSubject(subject);
  if (mb?.kind !== 'request' || mb.control) return false;
  if (path.port && mb.port !== path.port && mb.port !== '*') return false;
  if (path.method && mb.method !== path.method && mb.method !== '*') return false;
  return mb.path === path.path;
}

/**
 * Subjects a live service serves: its endpoints (Microbus: every `_`-slot subscription it made,
 * queued or not, event sinks included) and every queue group it subscribed.
 */
export function serviceSubjects(snapshot: Pick<LiveSnapshot, 'queueGroups' | 'unqueued'>, live: LiveService): string[] {
  const subjects = new Set(live.endpoints.map((e) => e.subject));
  for (const g of snapshot.queueGroups) if (g.service === live.name) subjects.add(g.subject);
  return [...subjects];
}

export interface ServiceMatch {
  /** Designed service name → the live service it is, or null when none is seen. */
  byDesign: Map<string, LiveService | null>;
  /** Live services no designed service claims. */
  unclaimed: LiveService[];
}

export function matchServices(doc: Topology, snapshot: Pick<LiveSnapshot, 'services' | 'queueGroups' | 'unqueued'>): ServiceMatch {
  const byDesign = new Map<string, LiveService | null>();
  const claimed = new Set<LiveService>();
  const byName = new Map<string, LiveService>();
  // One live name can be both a micro service and Microbus subjects; prefer the one with more instances.
  for (const s of snapshot.services) {
    const had = byName.get(s.name.toLowerCase());
    if (!had || s.instances.length > had.instances.length) byName.set(s.name.toLowerCase(), s);
  }
  for (const d of doc.services) {
    let live = byName.get(d.name.toLowerCase()) ?? null;
    if (!live && d.endpoints?.length) {
      live =
        snapshot.services.find(
          (s) => !claimed.has(s) && serviceSubjects(snapshot, s).some((subject) => d.endpoints?.some((e) => endpointMatches(e, subject))),
        ) ?? null;
    }
    if (live) claimed.add(live);
    byDesign.set(d.name, live);
  }
  return { byDesign, unclaimed: snapshot.services.filter((s) => !claimed.has(s)) };
}

/** Maps a live zone to the designed zone it names (loosely: `us-east-1-a` is `us-east-1a`), else itself. */
export function zoneMapper(doc: Topology): (zone: string) => string {
  const byKey = new Map(doc.zones.map((z) => [zoneKey(z.name), z.name]));
  return (zone) => byKey.get(zoneKey(zone)) ?? zone;
}
