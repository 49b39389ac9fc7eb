import { type MicrobusMarks, type MicrobusSlotKind, microbusOwnerOf, microbusSlotOf, readMicrobusConnection } from './microbus-read.ts';
import type { RawMicro, RawMicroReply } from './raw.ts';
import type { LiveConnection, LiveEndpoint, LiveInstance, LiveService, LiveSnapshot, LiveSubscription, ZoneSource } from './types.ts';
import { rate, zoneKey } from './units.ts';

const NS_PER_MS = 1e6;

export interface ServicesResult {
  services: LiveService[];
  /** The service that made a subscription, for labelling queue groups. */
  serviceOf: (sub: LiveSubscription) => string | null;
  /** A Microbus subscription's slot, settled connection by connection; null for other subjects. */
  slotOf: (sub: LiveSubscription) => MicrobusSlotKind | null;
}

/** Picks the spelling of a zone that servers use, so `loc-us-east-1-a` and `az:us-east-1a` are one zone. */
export function zoneCanonicalizer(knownZones: Iterable<string>): (zone: string) => string {
  const byKey = new Map<string, string>();
  for (const z of knownZones) if (!byKey.has(zoneKey(z))) byKey.set(zoneKey(z), z);
  return (zone) => byKey.get(zoneKey(zone)) ?? zone;
}

export function buildServices(
  micro: RawMicro | undefined,
  connections: readonly LiveConnection[],
  canonicalZone: (zone: string) => string,
  previous: LiveSnapshot | null,
  intervalMs: number | null,
): ServicesResult {
  const prevInstances = new Map<string, LiveInstance>();
  for (const s of previous?.services ?? []) for (const i of s.instances) prevInstances.set(`${s.kind}\u0000${s.name}\u0000${i.id}`, i);
  const subjectOwner = new Map<string, string>();
  const marks: MicrobusMarks = { owner: new Map(), slot: new Map() };
  const micros = buildMicro(micro, connections, canonicalZone, prevInstances, intervalMs, subjectOwner);
  const microbus = buildMicrobus(connections, canonicalZone, prevInstances, intervalMs, marks);
  const services = [...micros, ...microbus].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
  return {
    services,
    slotOf: (sub) => microbusSlotOf(sub, marks),
    serviceOf: (sub) => marks.owner.get(sub) ?? subjectOwner.get(sub.subject) ?? microbusOwnerOf(sub, marks),
  };
}

/**
 * Only client connections are replicas: a leaf-node, route or gateway connection carries
 * subscriptions propagated from elsewhere (an account-scoped connz lists leaf connections).
 */
export function isClient(c: LiveConnection): boolean {
  return c.kind === 'Client';
}

function instanceKey(kind: string, service: string, id: string): string {
  return `${kind}\u0000${service}\u0000${id}`;
}

function sumOrNull(xs: Array<number | null>): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

function weightedProcessing(instances: readonly LiveInstance[]): number | null {
  let weight = 0;
  let total = 0;
  for (const i of instances) {
    if (i.avgProcessingMs === null) continue;
    const w = i.requests && i.requests > 0 ? i.requests : 0;
    weight += w;
    total += w * i.avgProcessingMs;
  }
  if (weight > 0) return total / weight;
  const known = instances.map((i) => i.avgProcessingMs).filter((x): x is number => x !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

function buildMicro(
  micro: RawMicro | undefined,
  connections: readonly LiveConnection[],
  canonicalZone: (zone: string) => string,
  prevInstances: Map<string, LiveInstance>,
  intervalMs: number | null,
  subjectOwner: Map<string, string>,
): LiveService[] {
  // Which connection an instance lives on: the one subscribed to its own `$SRV.PING.<name>.<id>`.
  const connOfSubject = new Map<string, LiveConnection>();
  for (const c of connections)
    if (isClient(c)) for (const s of c.subscriptions) if (s.subject.startsWith('$SRV.PING.')) connOfSubject.set(s.subject, c);

  const byService = new Map<string, Map<string, { ping?: RawMicroReply; info?: RawMicroReply; stats?: RawMicroReply }>>();
  const put = (kind: 'ping' | 'info' | 'stats', r: RawMicroReply) => {
    if (!r.name || !r.id) return;
    const ids = byService.get(r.name) ?? new Map();
    byService.set(r.name, ids);
    const entry = ids.get(r.id) ?? {};
    entry[kind] = r;
    ids.set(r.id, entry);
  };
  for (const r of micro?.ping ?? []) put('ping', r);
  for (const r of micro?.info ?? []) put('info', r);
  for (const r of micro?.stats ?? []) put('stats', r);
  // An instance that did not answer (or could not be asked: `$SRV.*` of another account is
  // invisible to a system user) still shows by its `$SRV.PING.<name>.<id>` subscription.
  for (const subject of connOfSubject.keys()) {
    const t = subject.split('.');
    if (t.length !== 4 || !t[2] || !t[3]) continue;
    const ids = byService.get(t[2]) ?? new Map();
    byService.set(t[2], ids);
    if (!ids.has(t[3])) ids.set(t[3], {});
  }

  const services: LiveService[] = [];
  for (const [name, ids] of byService) {
    const instances: LiveInstance[] = [];
    const endpoints = new Map<string, LiveEndpoint>();
    let description: string | null = null;
    for (const [id, { ping, info, stats }] of ids) {
      const any = info ?? stats ?? ping ?? {};
      description ??= info?.description || null;
      for (const e of [...(info?.endpoints ?? []), ...(stats?.endpoints ?? [])]) {
        if (!e.subject) continue;
        subjectOwner.set(e.subject, name);
        if (!endpoints.has(e.subject)) endpoints.set(e.subject, { name: e.name ?? e.subject, subject: e.subject, queueGroup: e.queue_group || null });
      }
      const conn = connOfSubject.get(`$SRV.PING.${name}.${id}`) ?? null;
      const metadataZone = any.metadata?.zone ?? any.metadata?.az ?? null;
      let zone: string | null = null;
      let zoneSource: ZoneSource | null = null;
      if (metadataZone) [zone, zoneSource] = [canonicalZone(metadataZone), 'metadata'];
      else if (conn?.zone) [zone, zoneSource] = [conn.zone, 'server-tag'];
      let requests: number | null = null;
      let errors: number | null = null;
      let avgProcessingMs: number | null = null;
      if (stats?.endpoints) {
        requests = stats.endpoints.reduce((a, e) => a + (e.num_requests ?? 0), 0);
        errors = stats.endpoints.reduce((a, e) => a + (e.num_errors ?? 0), 0);
        const processing = stats.endpoints.reduce((a, e) => a + (e.processing_time ?? (e.average_processing_time ?? 0) * (e.num_requests ?? 0)), 0);
        avgProcessingMs = requests > 0 ? processing / requests / NS_PER_MS : null;
      }
      const before = prevInstances.get(instanceKey('micro', name, id));
      instances.push({
        id,
        server: conn?.server ?? null,
        connection: conn?.key ?? null,
        zone,
        zoneSource,
        ip: conn?.ip ?? null,
        failover: null,
        version: any.version ?? null,
        requests,
        errors,
        requestRate: rate(requests ?? undefined, before?.requests ?? undefined, intervalMs),
        avgProcessingMs,
      });
    }
    instances.sort((a, b) => a.id.localeCompare(b.id));
    services.push(finish(name, 'micro', description, instances, [...endpoints.values()]));
  }
  return services;
}

function finish(
  name: string,
  kind: LiveService['kind'],
  description: string | null,
  instances: LiveInstance[],
  endpoints: LiveEndpoint[],
): LiveService {
  const versions = [...new Set(instances.map((i) => i.version).filter((v): v is string => !!v))].sort();
  return {
    name,
    kind,
    description,
    instances,
    endpoints: endpoints.sort((a, b) => a.subject.localeCompare(b.subject)),
    versions,
    requestRate: sumOrNull(instances.map((i) => i.requestRate)),
    avgProcessingMs: weightedProcessing(instances),
    probe: null,
  };
}

function buildMicrobus(
  connections: readonly LiveConnection[],
  canonicalZone: (zone: string) => string,
  prevInstances: Map<string, LiveInstance>,
  intervalMs: number | null,
  marks: MicrobusMarks,
): LiveService[] {
  const byService = new Map<string, { instances: Map<string, LiveInstance>; endpoints: Map<string, LiveEndpoint>; listensTo: Set<string> }>();
  for (const c of connections) {
    if (!isClient(c)) continue;
    const reading = readMicrobusConnection(c.subscriptions, c.name, marks);
    for (const r of reading.replicas) {
      let svc = byService.get(r.service);
      if (!svc) {
        svc = { instances: new Map(), endpoints: new Map(), listensTo: new Set() };
        byService.set(r.service, svc);
      }
      for (const e of r.endpoints) {
        if (svc.endpoints.has(e.subject)) continue;
        const source = e.host !== r.service ? e.host : undefined;
        const name = `${e.method === '*' ? 'ANY' : e.method} :${e.port === '*' ? '0' : e.port}/${e.path}${source ? ` (event from ${source})` : ''}`;
        svc.endpoints.set(e.subject, { name, subject: e.subject, queueGroup: e.queue, ...(source ? { source } : {}) });
      }
      for (const h of r.listensTo) svc.listensTo.add(h);
      // Without a replica id, the connection stands for the replica.
      const id = r.id ?? c.key;
      const had = svc.instances.get(id);
      const requests = (had?.requests ?? 0) + r.msgs;
      let zone: string | null = null;
      let zoneSource: ZoneSource | null = null;
      if (r.locality) [zone, zoneSource] = [canonicalZone(r.locality), 'locality'];
      else if (c.zone) [zone, zoneSource] = [c.zone, 'server-tag'];
      const before = prevInstances.get(instanceKey('microbus', r.service, id));
      svc.instances.set(id, {
        id,
        server: c.server,
        connection: c.key,
        zone,
        zoneSource,
        locality: r.locality,
        generation: r.generation,
        queue: r.queue.status,
        ip: c.ip,
        failover: null,
        version: null,
        requests,
        errors: null,
        requestRate: rate(requests, before?.requests ?? undefined, intervalMs),
        avgProcessingMs: null,
      });
    }
  }
  const services: LiveService[] = [];
  for (const [name, svc] of byService) {
    const instances = [...svc.instances.values()].sort((a, b) => a.id.localeCompare(b.id));
    const service = finish(name, 'microbus', null, instances, [...svc.endpoints.values()]);
    service.listensTo = [...svc.listensTo].sort();
    services.push(service);
  }
  return services;
}
