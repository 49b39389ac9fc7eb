/**
 * Zones on the canvas: each zone keeps one tint (by its place in the document) on the logical
 * view's bundles, the zone key and the physical view's lanes, and a short label that drops
 * what all zone names share (`us-east-1a`, `us-east-1b` → `1a`, `1b`).
 */
import type { Topology } from '@busboard/core';

/** Tints defined in styles.css (`--zone-0` …) for both themes. */
export const ZONE_TINTS = 6;

export interface ZoneMark {
  name: string;
  region: string;
  short: string;
  tint: number;
}

/** Short labels: the common prefix cut back to its last `-` or `.`, so `1a` stays whole. */
export function zoneMarks(zones: Topology['zones']): ZoneMark[] {
  const names = zones.map((z) => z.name);
  let prefix = names.length > 1 ? (names[0] ?? '') : '';
  for (const n of names) while (prefix && !n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(prefix.lastIndexOf('-'), prefix.lastIndexOf('.')) + 1;
  return zones.map((z, i) => ({
    name: z.name,
    region: z.region,
    short: z.name.slice(cut) || z.name,
    tint: i % ZONE_TINTS,
  }));
}

export interface BundleZone extends ZoneMark {
  count: number;
  failed: boolean;
}

/**
 * The same array for the same replicas object (and zones and failures), so the canvas's
 * shallow node comparison keeps an unedited bundle's node (see stable.ts).
 */
const cache = new WeakMap<object, { key: string; zones: BundleZone[] }>();

/** A bundle's replicas per zone, in zone order, zones it does not use left out. */
export function bundleZones(marks: readonly ZoneMark[], replicas: Readonly<Record<string, number>>, failed: readonly string[]): BundleZone[] {
  const key = `${marks.map((m) => `${m.name}=${m.short}/${m.region}`).join('|')}#${failed.join('|')}`;
  const hit = cache.get(replicas);
  if (hit && hit.key === key) return hit.zones;
  const zones = marks
    .filter((m) => (replicas[m.name] ?? 0) > 0)
    .map((m) => ({ ...m, count: replicas[m.name] ?? 0, failed: failed.includes(m.name) }));
  cache.set(replicas, { key, zones });
  return zones;
}
