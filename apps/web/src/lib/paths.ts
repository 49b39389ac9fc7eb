/**
 * From a document path (`bundles[1].replicas["us-east-1c"]`, `services[3].calls[0].to`) to
 * what it names on the canvas, so a warning or a problem can select its subject.
 */
import type { Topology } from '@busboard/core';
import { callId } from '../state/view.ts';

export function pathToSelection(doc: Topology, path: string): string | null {
  const m = /^(\w+)\[(\d+)\](?:\.calls\[(\d+)\])?/.exec(path);
  if (!m) return null;
  const [, list, i, call] = m;
  const index = Number(i);
  switch (list) {
    case 'services': {
      const s = doc.services[index];
      if (!s) return null;
      return call !== undefined ? callId(s.name, Number(call)) : `svc:${s.name}`;
    }
    case 'bundles':
      return doc.bundles[index] ? `bundle:${doc.bundles[index]?.name}` : null;
    case 'databases':
      return doc.databases[index] ? `db:${doc.databases[index]?.name}` : null;
    case 'externals':
      return doc.externals[index] ? `ext:${doc.externals[index]?.name}` : null;
    case 'zones':
      return doc.zones[index] ? `zone:${doc.zones[index]?.name}` : null;
    case 'traffic':
      return doc.traffic[index] ? `svc:${doc.traffic[index]?.entry}` : null;
    case 'slo':
      return doc.slo[index] ? `svc:${doc.slo[index]?.entry}` : null;
    default:
      return null;
  }
}
