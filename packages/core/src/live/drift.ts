/**
 * `computeDrift(doc, snapshot)`: every difference between a design and what runs, named so a
 * planner can act on it, and trusted only as far as the cluster is healthy:
 *
 * - replicas missing or extra per zone, counted where each replica's locality says (MODEL.md
 *   §4), not where its server is. Subscribers without a queue group, or in a group named
 *   differently from the service, are not replicas: they get every message instead of a
 *   share. The entry offers the edit that takes the live count into the design (`fix`) only
 *   when that count can be trusted: not while a server is down, not when the difference comes
 *   from a failover, not when it comes from queue-group problems (`held` says why);
 * - failovers: replicas that left a dead server and now connect across zones;
 * - servers down (every count is held until they are back);
 * - queue groups: fan-out, a group named differently from the design, no group (drift-queues.ts);
 * - versions that differ, designed services not seen, running services not designed;
 * - JetStream streams and consumers, and consumers' lag (drift-jetstream.ts).
 */
import type { Topology } from '../schema/topology.ts';
import { jetStreamDrift } from './drift-jetstream.ts';
import { plural, queueDrift } from './drift-queues.ts';
import type { Drift, DriftFix, SnapshotLike } from './drift-types.ts';
import { matchServices, zoneMapper } from './match.ts';
import type { LiveInstance, LiveServer, LiveService } from './types.ts';

export type { Drift, DriftFix, DriftKind, DriftSeverity, SnapshotLike } from './drift-types.ts';

const NO_FIX = { fix: null, held: null } as const;

/** Counted as a load-balanced replica: its own endpoints are queued on its hostname. */
export function isReplica(i: LiveInstance): boolean {
  return i.queue === undefined || i.queue === 'ok';
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const xs = map.get(key);
  if (xs) xs.push(value);
  else map.set(key, [value]);
}

function serverText(s: LiveServer): string {
  return `${s.name}${s.zone ? ` (${s.zone})` : ''}`;
}

function listText(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function computeDrift(doc: Topology, snapshot: SnapshotLike): Drift[] {
  const out: Drift[] = [];
  const { byDesign, unclaimed } = matchServices(doc, snapshot);
  const toDesignZone = zoneMapper(doc);
  const servers = snapshot.servers ?? [];
  const down = servers.filter((s) => !s.up);
  const serverByName = new Map(servers.map((s) => [s.name, s]));
  const bundleOf = new Map<string, { name: string; index: number }>();
  doc.bundles.forEach((b, index) => {
    for (const s of b.services) bundleOf.set(s, { name: b.name, index });
  });
  for (const s of down) {
    out.push({
      kind: 'server-down',
      severity: 'error',
      service: '',
      server: s.name,
      cluster: s.cluster,
      zone: s.zone,
      path: null,
      ...NO_FIX,
      message: `${s.name}${s.cluster ? ` (cluster ${s.cluster}${s.zone ? `, ${s.zone}` : ''})` : s.zone ? ` (${s.zone})` : ''} is down: its clients fail over to other servers, and replica counts are held until it is back`,
    });
  }
  doc.services.forEach((d, si) => {
    const live = byDesign.get(d.name) ?? null;
    const bundle = bundleOf.get(d.name);
    if (!live) {
      out.push({
        kind: 'service-not-seen',
        severity: 'error',
        service: d.name,
        path: `services[${si}]`,
        fix: null,
        held: down.length ? `${listText(down.map(serverText))} ${down.length === 1 ? 'is' : 'are'} down` : null,
        message: `${d.name} is designed but not seen: no $SRV reply, no Microbus subjects${d.endpoints?.length ? ' and no subscription to its endpoints' : ''}${down.length ? ` (while ${listText(down.map(serverText))} ${down.length === 1 ? 'is' : 'are'} down)` : ''}`,
      });
      return;
    }
    out.push(...replicaDrift(doc, d.name, live, bundle, toDesignZone, down, serverByName));
    out.push(...queueDrift(d.name, si, live, snapshot));
    if (live.versions.length > 1) {
      const versions: Record<string, number> = {};
      for (const i of live.instances) if (i.version) versions[i.version] = (versions[i.version] ?? 0) + 1;
      out.push({
        kind: 'version-mismatch',
        severity: 'warning',
        service: d.name,
        versions,
        path: null,
        ...NO_FIX,
        message: `${d.name} runs ${live.versions.length} versions: ${Object.entries(versions)
          .map(([v, n]) => `${v} ×${n}`)
          .join(', ')}`,
      });
    }
  });
  for (const live of unclaimed) {
    out.push({
      kind: 'unknown-service',
      severity: 'warning',
      service: live.name,
      liveKind: live.kind,
      instances: live.instances.length,
      path: null,
      ...NO_FIX,
      message: `${live.name} (${live.kind}, ${plural(live.instances.length, 'instance')}) runs but is not in the design`,
    });
  }
  out.push(...jetStreamDrift(doc, snapshot));
  const rank = (d: Drift) => (d.kind === 'server-down' ? 0 : d.severity === 'error' ? 1 : 2);
  return mergeFailovers(out, doc, serverByName).sort((a, b) => rank(a) - rank(b) || a.service.localeCompare(b.service));
}

function failoverMessage(
  what: string,
  n: number,
  zone: string,
  fromServer: string,
  toServer: string,
  servers: ReadonlyMap<string, LiveServer>,
): string {
  const from = servers.get(fromServer);
  const to = servers.get(toServer);
  const state = from ? (from.up ? 'back up' : 'down') : 'gone';
  const it = n === 1 ? 'it' : 'them';
  const cross =
    to?.zone && to.zone !== zone ? `: every call to ${it} now crosses zones until ${n === 1 ? 'it reconnects' : 'they reconnect'} in ${zone}` : '';
  return `${plural(n, 'replica')} of ${what} in ${zone} failed over from ${fromServer} (${from?.zone ? `${from.zone}, ` : ''}${state}) to ${to ? serverText(to) : toServer}${cross}; ${n === 1 ? 'it still counts' : 'they still count'} in ${zone}`;
}

/** A process moves with all its services: one failover entry per bundle, not one per service. */
function mergeFailovers(drift: Drift[], doc: Topology, servers: ReadonlyMap<string, LiveServer>): Drift[] {
  const seen = new Map<string, Extract<Drift, { kind: 'failover' }> & { services: string[] }>();
  const out: Drift[] = [];
  for (const d of drift) {
    if (d.kind !== 'failover' || !d.bundle) {
      out.push(d);
      continue;
    }
    const key = `${d.bundle}\u0000${d.zone}\u0000${d.fromServer}\u0000${d.toServer}`;
    const had = seen.get(key);
    if (!had) {
      const merged = { ...d, services: [d.service] };
      seen.set(key, merged);
      out.push(merged);
      continue;
    }
    had.services.push(d.service);
    had.replicas = Math.max(had.replicas, d.replicas);
  }
  for (const m of seen.values()) {
    const what = m.services.length > 1 ? `${m.bundle} (${m.services.join(', ')})` : m.service;
    m.message = failoverMessage(what, m.replicas, m.zone ?? '', m.fromServer, m.toServer, servers);
    const { services: _, ...plain } = m;
    out[out.indexOf(m)] = plain;
  }
  return doc.bundles.length ? out : drift;
}

function replicaDrift(
  doc: Topology,
  name: string,
  live: LiveService,
  bundle: { name: string; index: number } | undefined,
  toDesignZone: (zone: string) => string,
  down: readonly LiveServer[],
  serverByName: ReadonlyMap<string, LiveServer>,
): Drift[] {
  const out: Drift[] = [];
  const counted = new Map<string, number>();
  const stray = new Map<string, LiveInstance[]>();
  const failedOver = new Map<string, LiveInstance[]>();
  let unzoned = 0;
  for (const i of live.instances) {
    if (!i.zone) {
      unzoned++;
      continue;
    }
    const zone = toDesignZone(i.zone);
    if (isReplica(i)) counted.set(zone, (counted.get(zone) ?? 0) + 1);
    else pushTo(stray, zone, i);
    if (i.failover) pushTo(failedOver, zone, i);
  }
  const path = bundle ? `bundles[${bundle.index}]` : null;
  for (const [zone, moved] of failedOver) {
    const byRoute = new Map<string, LiveInstance[]>();
    for (const i of moved) {
      const key = `${i.failover?.fromServer}\u0000${i.failover?.toServer}`;
      pushTo(byRoute, key, i);
    }
    for (const group of byRoute.values()) {
      const f = group[0]?.failover;
      if (!f) continue;
      out.push({
        kind: 'failover',
        severity: 'warning',
        service: name,
        bundle: bundle?.name ?? null,
        zone,
        replicas: group.length,
        fromServer: f.fromServer,
        toServer: f.toServer,
        path,
        fix: null,
        held: 'a failover moves connections, not replicas',
        message: failoverMessage(name, group.length, zone, f.fromServer, f.toServer, serverByName),
      });
    }
  }
  if (bundle) {
    const b = doc.bundles[bundle.index];
    const zones = [
      ...doc.zones.map((z) => z.name),
      ...[...new Set([...counted.keys(), ...stray.keys()])].filter((z) => !doc.zones.some((x) => x.name === z)).sort(),
    ];
    for (const zone of zones) {
      const designed = b?.replicas[zone] ?? 0;
      const seen = counted.get(zone) ?? 0;
      if (designed === seen) continue;
      const known = doc.zones.some((z) => z.name === zone);
      const strays = stray.get(zone) ?? [];
      const moved = failedOver.get(zone) ?? [];
      let note = '';
      let held: string | null = null;
      if (strays.length) {
        const none = strays.filter((i) => i.queue === 'none').length;
        const what =
          none === strays.length ? 'without a queue group' : none ? 'without a queue group or in another queue group' : 'in another queue group';
        note = ` (${plural(strays.length, 'more subscriber')} ${what}: ${strays.length === 1 ? 'not a replica until it joins' : 'not replicas until they join'} "${name}")`;
        held = `fix the queue group first: ${strays.length === 1 ? 'that subscriber' : 'those subscribers'} would count once ${strays.length === 1 ? 'it joins' : 'they join'} "${name}"`;
      }
      if (down.length) {
        note += ` while ${listText(down.map(serverText))} ${down.length === 1 ? 'is' : 'are'} down`;
        held = `${listText(down.map((s) => s.name))} ${down.length === 1 ? 'is' : 'are'} down: counts are held until every server is back`;
      } else if (moved.length) {
        note += ` after a failover from ${moved[0]?.failover?.fromServer}`;
        held = 'the difference comes with a failover: wait until the replicas reconnect';
      }
      const fix: DriftFix | null = held || !known ? null : { type: 'setReplicas', bundle: bundle.name, zone, replicas: seen };
      out.push({
        kind: seen < designed ? 'missing-replicas' : 'extra-replicas',
        severity: seen < designed ? 'error' : 'warning',
        service: name,
        bundle: bundle.name,
        zone,
        designed,
        live: seen,
        path: known ? `bundles[${bundle.index}].replicas["${zone}"]` : `zones`,
        fix,
        held,
        message:
          (seen < designed
            ? `${name} has ${seen} of ${designed} designed replicas in ${zone}`
            : `${name} has ${plural(seen, 'replica')} in ${zone}, the design ${designed ? `has ${designed}` : known ? 'has none there' : 'has no such zone'}`) +
          note,
      });
    }
  }
  if (unzoned) {
    out.push({
      kind: 'replicas-without-zone',
      severity: 'warning',
      service: name,
      live: unzoned,
      path: null,
      ...NO_FIX,
      message: `${plural(unzoned, 'replica')} of ${name} ${unzoned === 1 ? 'has' : 'have'} no known zone: no locality, no zone in its metadata, and its server has no az: tag`,
    });
  }
  return out;
}
