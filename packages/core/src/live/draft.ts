/**
 * "Import from cluster": a first design drafted from a snapshot. Services are the live
 * services; bundles and their replicas per zone are the snapshot's bundles (bundles.ts: one
 * process = one bundle replica, found by shared connection, client IP or replica ids seen
 * together, and each bundle's evidence goes into `notes`). Microbus event sinks become calls
 * source → sink. Other calls, service times of Microbus services and traffic cannot be seen on
 * the bus: the draft says so in `notes`, and "calibrate" fills rates in later.
 */
import type { TopologyInput } from '../schema/topology.ts';
import type { LiveSnapshot } from './types.ts';

export interface DraftResult {
  doc: TopologyInput;
  /** What the draft could not know, in words a user acts on. */
  notes: string[];
}

/** `us-east-1a` → `us-east-1`, `us-central1-b` → `us-central1`, `eu-west-3-c` → `eu-west-3`; else null. */
export function regionOfZone(zone: string): string | null {
  const m = /^(.*\d)-?[a-z]$/i.exec(zone);
  return m ? (m[1] as string) : null;
}

function bundleNameFrom(names: string[], services: string[], taken: Set<string>): string {
  // Connection names like `shop-1`, `shop-7f3a9` name the app; strip the replica suffix. A
  // Microbus v1.x name is `<replica id>.<hostname>`: it names a service, not the app.
  const stems = names
    .filter((n) => !/^[0-9a-v]{10}\./.test(n))
    .map((n) => n.replace(/[-_.](\d+|[0-9a-f]{5,})$/i, ''))
    .filter(Boolean);
  const counts = new Map<string, number>();
  for (const s of stems) counts.set(s, (counts.get(s) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  // Services of one app often share a domain (`cart.example`, `pay.example`): that names it.
  const domains = new Set(services.map((s) => s.split('.').slice(1).join('.')));
  const domain = domains.size === 1 && services.length > 1 ? ([...domains][0] as string) : '';
  let base = best && !services.includes(best) ? best : domain || (services[0]?.split('.')[0] ?? 'app');
  base = base.replace(/[^\w.-]+/g, '-') || 'app';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** Event sinks as calls source → sink, leaving out any that would close a cycle. */
function eventCalls(snapshot: LiveSnapshot): Map<string, string[]> {
  const names = new Set(snapshot.services.map((s) => s.name));
  const calls = new Map<string, string[]>();
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (calls.get(from) ?? []).some((n) => reaches(n, to, seen));
  };
  for (const s of [...snapshot.services].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const source of s.listensTo ?? []) {
      if (!names.has(source) || source === s.name || reaches(s.name, source)) continue;
      calls.set(source, [...(calls.get(source) ?? []), s.name]);
    }
  }
  return calls;
}

export function draftDesign(snapshot: LiveSnapshot, options: { name?: string } = {}): DraftResult {
  const notes: string[] = [];
  const fallbackZone = snapshot.zones[0] ?? 'default';
  const zoneNames = snapshot.zones.length ? [...snapshot.zones] : ['default'];
  const zones = zoneNames.map((z) => ({ name: z, region: regionOfZone(z) ?? 'default' }));
  if (!snapshot.zones.length) notes.push('No zones were seen (no az: server tags, loc- slots or zone metadata): every replica is in zone "default".');

  // Bundles as they run (bundles.ts): processes grouped by shared connection, client IP or ids seen together.
  const connName = new Map(snapshot.connections.map((c) => [c.key, c.name]));
  const taken = new Set<string>();
  let unzoned = 0;
  const bundles: NonNullable<TopologyInput['bundles']> = [];
  for (const b of snapshot.bundles) {
    const replicas: Record<string, number> = { ...b.replicas };
    if (b.unzoned) {
      unzoned += b.unzoned;
      replicas[fallbackZone] = (replicas[fallbackZone] ?? 0) + b.unzoned;
    }
    const names = snapshot.services
      .filter((s) => b.services.includes(s.name))
      .flatMap((s) => s.instances.map((i) => (i.connection ? (connName.get(i.connection) ?? '') : '')))
      .filter(Boolean);
    const name = bundleNameFrom(names, b.services, taken);
    bundles.push({ name, services: [...b.services], replicas });
    if (b.services.length > 1 || b.evidence !== 'connection') notes.push(`Bundle ${name} (${b.services.join(', ')}): ${b.because}.`);
  }
  if (unzoned) notes.push(`${unzoned} bundle replica(s) had no known zone and were put in ${fallbackZone}.`);

  const calls = eventCalls(snapshot);
  const services: NonNullable<TopologyInput['services']> = snapshot.services.map((s) => {
    const endpoints = s.endpoints.filter((e) => !e.source).map((e) => e.subject);
    const measured = s.avgProcessingMs !== null && s.avgProcessingMs > 0;
    const out = calls.get(s.name) ?? [];
    return {
      name: s.name,
      serviceTimeMs: measured ? Number((s.avgProcessingMs as number).toPrecision(3)) : 1,
      workers: 1,
      ...(out.length ? { calls: out.map((to) => ({ to })) } : {}),
      ...(endpoints.length ? { endpoints } : {}),
    };
  });
  if (calls.size) notes.push('Calls source → sink come from Microbus event sinks (one event per request assumed): set how often each event fires.');
  const guessed = snapshot.services.filter((s) => !(s.avgProcessingMs !== null && s.avgProcessingMs > 0)).map((s) => s.name);
  if (guessed.length)
    notes.push(`Service times of ${guessed.join(', ')} are placeholders (1 ms): nothing measured them (Microbus exposes no processing time).`);
  const measuredNonLeaf = snapshot.services.filter((s) => s.avgProcessingMs !== null && s.avgProcessingMs > 0).map((s) => s.name);
  if (measuredNonLeaf.length)
    notes.push(
      `Service times of ${measuredNonLeaf.join(', ')} are measured processing times, which include waits for downstream calls: lower them for services that call others.`,
    );
  notes.push(
    'Calls between services and incoming traffic are not visible on the bus: draw the calls, then "Calibrate" copies measured rates into the traffic.',
  );

  const byCluster = new Map<string, Map<string, number>>();
  for (const srv of snapshot.servers) {
    if (!srv.cluster) continue;
    const perZone = byCluster.get(srv.cluster) ?? new Map<string, number>();
    perZone.set(srv.zone ?? fallbackZone, (perZone.get(srv.zone ?? fallbackZone) ?? 0) + 1);
    byCluster.set(srv.cluster, perZone);
  }
  const nats = [...byCluster].map(([name, perZone]) => {
    const regions = [...perZone.keys()].map((z) => regionOfZone(z) ?? 'default');
    return { name, region: regions.sort()[0] ?? 'default', serversPerZone: Math.max(1, ...perZone.values()) };
  });

  return {
    doc: {
      schema: 'busboard.topology/v3',
      name: options.name ?? `Imported from ${snapshot.servers[0]?.cluster || 'cluster'}`,
      zones,
      nats,
      services,
      bundles,
    },
    notes,
  };
}
