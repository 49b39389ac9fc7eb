/**
 * "Import from cluster": a first design drafted from a snapshot. Services are the live
 * services; services seen on the same connection form one bundle (a Microbus process shares
 * its connection among the services it bundles); replicas per zone are the bundle's
 * connections per zone. Calls, service times of Microbus services and traffic cannot be seen
 * on the bus: the draft says so in `notes`, and "calibrate" fills rates in later.
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
  // Connection names like `shop-1`, `shop-7f3a9` name the app; strip the replica suffix.
  const stems = names.map((n) => n.replace(/[-_.](\d+|[0-9a-f]{5,})$/i, '')).filter(Boolean);
  const counts = new Map<string, number>();
  for (const s of stems) counts.set(s, (counts.get(s) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  let base = best && !services.includes(best) ? best : (services[0]?.split('.')[0] ?? 'app');
  base = base.replace(/[^\w.-]+/g, '-') || 'app';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

export function draftDesign(snapshot: LiveSnapshot, options: { name?: string } = {}): DraftResult {
  const notes: string[] = [];
  const fallbackZone = snapshot.zones[0] ?? 'default';
  const zoneNames = snapshot.zones.length ? [...snapshot.zones] : ['default'];
  const zones = zoneNames.map((z) => ({ name: z, region: regionOfZone(z) ?? 'default' }));
  if (!snapshot.zones.length) notes.push('No zones were seen (no az: server tags, loc- slots or zone metadata): every replica is in zone "default".');

  // Services that share a connection belong to one bundle (union–find over connections).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const servicesOfConn = new Map<string, string[]>();
  for (const s of snapshot.services) {
    parent.set(s.name, find(s.name));
    for (const i of s.instances) if (i.connection) servicesOfConn.set(i.connection, [...(servicesOfConn.get(i.connection) ?? []), s.name]);
  }
  for (const names of servicesOfConn.values()) for (const n of names.slice(1)) union(names[0] as string, n);

  const groups = new Map<string, string[]>();
  for (const s of snapshot.services) groups.set(find(s.name), [...new Set([...(groups.get(find(s.name)) ?? []), s.name])]);
  const connName = new Map(snapshot.connections.map((c) => [c.key, c.name]));
  const taken = new Set<string>();
  let unzoned = 0;
  const bundles: NonNullable<TopologyInput['bundles']> = [];
  for (const services of [...groups.values()].sort((a, b) => (a[0] as string).localeCompare(b[0] as string))) {
    const members = snapshot.services.filter((s) => services.includes(s.name));
    // One replica per connection; instances without a known connection count one each.
    const replicaZone = new Map<string, string>();
    for (const s of members) {
      for (const i of s.instances) {
        const key = i.connection ?? `${s.name}/${i.id}`;
        if (!i.zone) unzoned++;
        if (!replicaZone.has(key) || (i.zone && replicaZone.get(key) === fallbackZone)) replicaZone.set(key, i.zone ?? fallbackZone);
      }
    }
    const replicas: Record<string, number> = {};
    for (const z of replicaZone.values()) replicas[z] = (replicas[z] ?? 0) + 1;
    const names = [...replicaZone.keys()].map((k) => connName.get(k) ?? '').filter(Boolean);
    bundles.push({ name: bundleNameFrom(names, services.sort(), taken), services: services.sort(), replicas });
  }
  if (unzoned) notes.push(`${unzoned} instance(s) had no known zone and were put in ${fallbackZone}.`);

  const services: NonNullable<TopologyInput['services']> = snapshot.services.map((s) => {
    const endpoints = s.endpoints.map((e) => e.subject);
    const measured = s.avgProcessingMs !== null && s.avgProcessingMs > 0;
    return {
      name: s.name,
      serviceTimeMs: measured ? Number((s.avgProcessingMs as number).toPrecision(3)) : 1,
      workers: 1,
      ...(endpoints.length ? { endpoints } : {}),
    };
  });
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
      schema: 'busboard.topology/v1',
      name: options.name ?? `Imported from ${snapshot.servers[0]?.cluster || 'cluster'}`,
      zones,
      nats,
      services,
      bundles,
    },
    notes,
  };
}
