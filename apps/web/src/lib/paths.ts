/**
 * From a document path (`bundles[1].replicas["us-east-1c"]`, `services[3].calls[0].to`) to
 * what it names on the canvas, so a warning or a problem can select its subject.
 */
import type { Topology } from '@busboard/core';
import { bundleId, callId, databaseId, externalId, serviceId, zoneId } from '../canvas/ids.ts';

const named = (item: { name: string } | undefined, id: (name: string) => string): string | null => (item ? id(item.name) : null);
const entry = (item: { entry: string } | undefined): string | null => (item ? serviceId(item.entry) : null);

export function pathToSelection(doc: Topology, path: string): string | null {
  const m = /^(\w+)\[(\d+)\](?:\.calls\[(\d+)\])?/.exec(path);
  if (!m) return null;
  const [, list, i, call] = m;
  const index = Number(i);
  switch (list) {
    case 'services': {
      const s = doc.services[index];
      if (!s) return null;
      return call !== undefined ? callId(s.name, Number(call)) : serviceId(s.name);
    }
    case 'bundles':
      return named(doc.bundles[index], bundleId);
    case 'databases':
      return named(doc.databases[index], databaseId);
    case 'externals':
      return named(doc.externals[index], externalId);
    case 'zones':
      return named(doc.zones[index], zoneId);
    case 'traffic':
      return entry(doc.traffic[index]);
    case 'slo':
      return entry(doc.slo[index]);
    default:
      return null;
  }
}
