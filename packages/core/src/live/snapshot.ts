/**
 * `buildSnapshot(collection, previous)`: the pure step from raw replies to a `LiveSnapshot`.
 * Rates are counter deltas against `previous` (a counter that went back, a restart, gives no
 * rate rather than a negative one). Servers that answered before and not now stay in the
 * snapshot as down, with what was last known of them, until `forgetAfterMs` has passed.
 */
import { dict } from '../dict.ts';
import { inferBundles } from './bundles.ts';
import { buildConnections, buildQueueGroups, buildUnqueued } from './connections.ts';
import { applyFailovers } from './failover.ts';
import { rttHistogram } from './histogram.ts';
import { buildJetStream } from './jetstream.ts';
import type { RawCollection } from './raw.ts';
import { buildGateways, buildLeafNodes, buildRoutes, buildServers, mergeReplies } from './servers.ts';
import { buildServices, zoneCanonicalizer } from './services.ts';
import type { LiveSample, LiveService, LiveSnapshot, RttHistogram } from './types.ts';

export interface BuildSnapshotOptions {
  /** How long a server that stopped answering is still listed as down, and a failover remembered (default 10 minutes). */
  forgetAfterMs?: number;
  /** How many polls' measurements `recent` keeps (default 60). */
  keepSamples?: number;
}

export function buildSnapshot(collection: RawCollection, previous: LiveSnapshot | null = null, options: BuildSnapshotOptions = {}): LiveSnapshot {
  const forgetAfterMs = options.forgetAfterMs ?? 600_000;
  const sameSource = previous && previous.source === collection.source ? previous : null;
  const intervalMs = sameSource ? collection.collectedAt - sameSource.collectedAt : null;
  const replies = mergeReplies(collection.servers);

  const index = buildServers(replies, sameSource, collection.collectedAt, intervalMs, forgetAfterMs);
  const routes = buildRoutes(replies, index, sameSource, intervalMs);
  const gateways = buildGateways(replies, index, sameSource, intervalMs);
  const leafNodes = buildLeafNodes(replies, sameSource, intervalMs);
  const { connections, warnings: connWarnings } = buildConnections(replies, index.servers, sameSource, intervalMs);

  const serverZones = index.servers.map((s) => s.zone).filter((z): z is string => !!z);
  const canonicalZone = zoneCanonicalizer(serverZones);
  const { services, serviceOf, slotOf } = buildServices(collection.micro, connections, canonicalZone, sameSource, intervalMs);
  const failovers = applyFailovers(services, index.servers, sameSource, collection.collectedAt, forgetAfterMs);
  const queueGroups = buildQueueGroups(connections, serviceOf, slotOf);

  // A member's zone is its replica's own (locality or metadata) when a service names it.
  const replicaZone = new Map<string, Map<string, string>>();
  for (const s of services) {
    for (const i of s.instances) {
      if (!i.connection || !i.zone || i.zoneSource === 'server-tag') continue;
      let byConn = replicaZone.get(s.name);
      if (!byConn) {
        byConn = new Map();
        replicaZone.set(s.name, byConn);
      }
      byConn.set(i.connection, i.zone);
    }
  }
  for (const g of queueGroups) {
    const byConn = g.service ? replicaZone.get(g.service) : undefined;
    if (byConn) for (const m of g.members) m.zone = byConn.get(m.connection) ?? m.zone;
  }

  const serverProbes = attachProbes(collection, services);
  const { streams, jetstream } = buildJetStream(replies, sameSource, intervalMs, collection.jsApi);

  const zones: string[] = [];
  const addZone = (z: string | null) => {
    if (z && !zones.includes(z)) zones.push(z);
  };
  [...new Set(serverZones)].sort().forEach(addZone);
  services
    .flatMap((s) => s.instances.map((i) => i.zone))
    .filter((z): z is string => !!z)
    .sort()
    .forEach(addZone);

  const up = index.servers.filter((s) => s.up);
  const rates = up.map((s) => s.msgRate);
  const sample: LiveSample = {
    collectedAt: collection.collectedAt,
    intervalMs,
    serversDown: index.servers.filter((s) => !s.up).map((s) => s.name),
    failovers,
    rates: Object.fromEntries(services.filter((s) => s.requestRate !== null).map((s) => [s.name, s.requestRate as number])),
  };
  return {
    source: collection.source,
    sourceDetail: collection.sourceDetail,
    collectedAt: collection.collectedAt,
    intervalMs,
    servers: index.servers,
    routes,
    gateways,
    leafNodes,
    connections,
    queueGroups,
    unqueued: buildUnqueued(connections),
    services,
    bundles: inferBundles(services, connections),
    recent: [...(sameSource?.recent ?? []), sample].slice(-(options.keepSamples ?? 60)),
    zones,
    serverProbes,
    totals: {
      servers: index.servers.length,
      serversUp: up.length,
      connections: up.reduce((a, s) => a + s.connections, 0),
      subscriptions: up.reduce((a, s) => a + s.subscriptions, 0),
      msgRate: rates.length && rates.every((r) => r !== null) ? (rates as number[]).reduce((a, b) => a + b, 0) : null,
    },
    warnings: [...(collection.warnings ?? []), ...connWarnings],
    streams,
    jetstream,
  };
}

function attachProbes(collection: RawCollection, services: LiveService[]): Record<string, RttHistogram> {
  const perService = new Map<string, number[]>();
  const perServer = new Map<string, number[]>();
  const serverOf = new Map<string, string>();
  for (const s of services) for (const i of s.instances) if (i.server) serverOf.set(`${s.name}\u0000${i.id}`, i.server);
  for (const p of collection.probes ?? []) {
    if (p.service) push(perService, p.service, p.rttMs);
    const server = p.server ?? (p.service && p.instance ? serverOf.get(`${p.service}\u0000${p.instance}`) : undefined);
    if (server) push(perServer, server, p.rttMs);
  }
  for (const s of services) s.probe = rttHistogram(perService.get(s.name) ?? []);
  const out: Record<string, RttHistogram> = dict<RttHistogram>();
  for (const [server, xs] of [...perServer].sort((a, b) => a[0].localeCompare(b[0]))) {
    const h = rttHistogram(xs);
    if (h) out[server] = h;
  }
  return out;
}

function push(map: Map<string, number[]>, key: string, x: number): void {
  const xs = map.get(key);
  if (xs) xs.push(x);
  else map.set(key, [x]);
}
