/**
 * From a document path (`bundles[1].replicas["us-east-1c"]`, `services[3].calls[0].to`) to
 * what it names on the canvas, so a warning or a problem can select its subject.
 */
import type { Topology } from '@busboard/core';
import { bundleId, callId, consumerId, databaseId, externalId, serviceId, streamId, zoneId } from '../canvas/ids.ts';

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
    case 'streams':
      return named(doc.streams?.[index], streamId);
    case 'consumers': {
      const c = doc.consumers?.[index];
      return c ? consumerId(c.stream, c.name) : null;
    }
    default:
      return null;
  }
}

const KIND_WORD: Record<string, string> = {
  services: 'service',
  bundles: 'bundle',
  databases: 'database',
  externals: 'external',
  zones: 'zone',
  nats: 'NATS cluster',
  streams: 'stream',
  consumers: 'consumer',
};

/**
 * A document path in words, for people: `bundles[1].replicas["us-east-1a"]` → `bundle shop ·
 * replicas in us-east-1a`, `services[3].calls[0].to` → `service cart · call 1`. The path itself
 * stays available (a tooltip) for those who edit YAML.
 */
export function describePath(doc: Topology, path: string): string {
  const m = /^(\w+)\[(\d+)\](.*)$/.exec(path);
  if (!m) return path === '' ? 'the design' : path;
  const [, list = '', i = '0', rest = ''] = m;
  const item = (doc as unknown as Record<string, { name?: string; entry?: string }[] | undefined>)[list]?.[Number(i)];
  const word = KIND_WORD[list];
  const head =
    word && item?.name
      ? `${word} ${item.name}`
      : list === 'traffic' && item?.entry
        ? `traffic on ${item.entry}`
        : list === 'slo' && item?.entry
          ? `SLO of ${item.entry}`
          : path;
  if (head === path) return path;
  const replicas = /^\.replicas\["([^"]+)"\]/.exec(rest);
  if (replicas) return `${head} · replicas in ${replicas[1]}`;
  const call = /^\.calls\[(\d+)\]/.exec(rest);
  if (call) return `${head} · call ${Number(call[1]) + 1}`;
  const event = /^\.(publishes|subscribes)\[(\d+)\]/.exec(rest);
  if (event) return `${head} · ${event[1] === 'publishes' ? 'publish' : 'subscription'} ${Number(event[2]) + 1}`;
  const field = /^\.(\w+)/.exec(rest);
  return field ? `${head} · ${field[1]}` : head;
}
