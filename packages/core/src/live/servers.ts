/**
 * Servers, routes, gateways and leaf nodes of a snapshot, from STATSZ/VARZ/ROUTEZ/GATEWAYZ/
 * LEAFZ replies. Route peer names come from STATSZ (2.9.10's `/routez` has none), then from
 * `remote_name` (2.10+), then from the ids of servers that answered; pooled routes (2.10+,
 * several connections to one peer) are merged into one edge.
 */
import type { RawRoute, RawServerReplies } from './raw.ts';
import type { LiveGateway, LiveLeafNode, LiveRoute, LiveServer, LiveSnapshot } from './types.ts';
import { parseRttMs, rate, zoneFromTags } from './units.ts';

/** One server's replies merged (a server can answer twice when a request crosses two gateways). */
export function mergeReplies(replies: readonly RawServerReplies[]): RawServerReplies[] {
  const byKey = new Map<string, RawServerReplies>();
  const order: string[] = [];
  for (const r of replies) {
    const key = serverKeyOf(r);
    const had = byKey.get(key);
    if (!had) {
      byKey.set(key, { ...r });
      order.push(key);
      continue;
    }
    const merged: RawServerReplies = { ...had };
    for (const [k, v] of Object.entries(r)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    merged.up = had.up || r.up;
    if (merged.up && !r.error) delete merged.error;
    byKey.set(key, merged);
  }
  return order.map((k) => byKey.get(k) as RawServerReplies);
}

export function serverKeyOf(r: RawServerReplies): string {
  const id = r.info?.id ?? r.varz?.server_id;
  return id ? `id:${id}` : `url:${r.url ?? '?'}`;
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

function sumMsgs(...xs: Array<number | undefined>): number {
  return xs.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export interface ServerIndex {
  /** server id → name, from this poll and the previous snapshot. */
  nameOfId: Map<string, string>;
  servers: LiveServer[];
}

export function buildServers(
  replies: readonly RawServerReplies[],
  previous: LiveSnapshot | null,
  collectedAt: number,
  intervalMs: number | null,
  forgetAfterMs: number,
): ServerIndex {
  const nameOfId = new Map<string, string>();
  for (const s of previous?.servers ?? []) if (!s.id.startsWith('url:')) nameOfId.set(s.id, s.name);
  for (const r of replies) {
    const id = r.info?.id ?? r.varz?.server_id;
    const name = r.info?.name ?? r.varz?.server_name;
    if (id) nameOfId.set(id, name ?? shortId(id));
  }
  const prevById = new Map((previous?.servers ?? []).map((s) => [s.id, s]));
  const prevByUrl = new Map((previous?.servers ?? []).filter((s) => s.url).map((s) => [s.url as string, s]));
  // A restarted server has a new id but the same name in the same cluster: one entry, not a ghost.
  const prevByName = new Map((previous?.servers ?? []).map((s) => [`${s.cluster}\u0000${s.name}`, s]));
  const seen = new Set<string>();
  const servers: LiveServer[] = [];

  for (const r of replies) {
    const id = r.info?.id ?? r.varz?.server_id ?? null;
    const nameKey = `${r.info?.cluster ?? r.varz?.cluster?.name ?? ''}\u0000${r.info?.name ?? r.varz?.server_name ?? ''}`;
    const sameName = r.info?.name || r.varz?.server_name ? prevByName.get(nameKey) : undefined;
    const before = (id ? prevById.get(id) : undefined) ?? (r.url ? prevByUrl.get(r.url) : undefined) ?? sameName;
    const key = id ?? before?.id ?? `url:${r.url ?? '?'}`;
    seen.add(key);
    if (before) seen.add(before.id);
    // Counters of a restarted server start again from zero: no rate against the old ones.
    const restarted = !!before && !!id && before.id !== id;
    if (!r.up) {
      servers.push(downServer(before, key, r.url ?? before?.url ?? null, r.error ?? 'did not answer'));
      continue;
    }
    const v = r.varz;
    const st = r.statsz;
    const tags = r.info?.tags ?? v?.tags ?? [];
    const inMsgs = v?.in_msgs ?? st?.received?.msgs ?? 0;
    const outMsgs = v?.out_msgs ?? st?.sent?.msgs ?? 0;
    const inBytes = v?.in_bytes ?? st?.received?.bytes ?? 0;
    const outBytes = v?.out_bytes ?? st?.sent?.bytes ?? 0;
    const beforeUp = before?.up && !restarted ? before : undefined;
    const routeNames = routePeerNames(r, nameOfId);
    const gateways = new Set<string>([...(st?.gateways ?? []).map((g) => g.name ?? ''), ...Object.keys(r.gatewayz?.outbound_gateways ?? {})]);
    gateways.delete('');
    const name = r.info?.name ?? v?.server_name ?? (id ? shortId(id) : (r.url ?? '?'));
    servers.push({
      id: key,
      name,
      cluster: r.info?.cluster ?? v?.cluster?.name ?? '',
      version: r.info?.ver ?? v?.version ?? '',
      zone: zoneFromTags(tags),
      tags: [...tags],
      up: true,
      error: r.error ?? null,
      lastSeen: collectedAt,
      url: r.url ?? null,
      connections: v?.connections ?? st?.connections ?? r.connz?.[0]?.total ?? r.connz?.[0]?.num_connections ?? 0,
      subscriptions: v?.subscriptions ?? st?.subscriptions ?? r.subsz?.num_subscriptions ?? 0,
      inMsgs,
      outMsgs,
      inBytes,
      outBytes,
      msgRate: rate(inMsgs + outMsgs, beforeUp ? beforeUp.inMsgs + beforeUp.outMsgs : undefined, intervalMs),
      byteRate: rate(inBytes + outBytes, beforeUp ? beforeUp.inBytes + beforeUp.outBytes : undefined, intervalMs),
      cpu: v?.cpu ?? st?.cpu ?? null,
      memBytes: v?.mem ?? st?.mem ?? null,
      slowConsumers: v?.slow_consumers ?? st?.slow_consumers ?? 0,
      uptime: v?.uptime ?? null,
      routes: [...new Set(routeNames)].sort(),
      gateways: [...gateways].sort(),
      leafNodes: v?.leafnodes ?? r.leafz?.leafnodes ?? r.leafz?.leafs?.length ?? 0,
      jetstream: r.info?.jetstream ?? (r.jsz ? !r.jsz.disabled : false),
      wsPort: v?.websocket?.port ?? before?.wsPort ?? null,
    });
  }
  // Servers known from earlier polls that did not answer this one: down, not forgotten (for a while).
  for (const s of previous?.servers ?? []) {
    if (seen.has(s.id)) continue;
    if (s.lastSeen !== null && collectedAt - s.lastSeen > forgetAfterMs) continue;
    servers.push(downServer(s, s.id, s.url, s.up ? 'did not answer this poll' : (s.error ?? 'did not answer')));
  }
  servers.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name));
  return { nameOfId, servers };
}

function downServer(before: LiveServer | undefined, id: string, url: string | null, error: string): LiveServer {
  return {
    id,
    name: before?.name ?? url ?? id,
    cluster: before?.cluster ?? '',
    version: before?.version ?? '',
    zone: before?.zone ?? null,
    tags: before?.tags ?? [],
    up: false,
    error,
    lastSeen: before?.lastSeen ?? null,
    url,
    connections: 0,
    subscriptions: 0,
    inMsgs: before?.inMsgs ?? 0,
    outMsgs: before?.outMsgs ?? 0,
    inBytes: before?.inBytes ?? 0,
    outBytes: before?.outBytes ?? 0,
    msgRate: null,
    byteRate: null,
    cpu: null,
    memBytes: null,
    slowConsumers: 0,
    uptime: null,
    routes: [],
    gateways: [],
    leafNodes: 0,
    jetstream: before?.jetstream ?? false,
    wsPort: before?.wsPort ?? null,
  };
}

function routePeerNames(r: RawServerReplies, nameOfId: Map<string, string>): string[] {
  const fromStatsz = (r.statsz?.routes ?? []).map((x) => x.name).filter((x): x is string => !!x);
  const fromRoutez = (r.routez?.routes ?? []).map((x) => peerOfRoute(r, x, nameOfId)).filter((x): x is string => !!x);
  return [...fromStatsz, ...fromRoutez];
}

function peerOfRoute(r: RawServerReplies, route: RawRoute, nameOfId: Map<string, string>): string | null {
  if (route.remote_name) return route.remote_name;
  const byRid = r.statsz?.routes?.find((x) => x.rid !== undefined && x.rid === route.rid)?.name;
  if (byRid) return byRid;
  if (route.remote_id) return nameOfId.get(route.remote_id) ?? shortId(route.remote_id);
  return null;
}

export function buildRoutes(
  replies: readonly RawServerReplies[],
  index: ServerIndex,
  previous: LiveSnapshot | null,
  intervalMs: number | null,
): LiveRoute[] {
  // Per side: (server, peer) → msgs both ways and RTTs, summed over pooled routes.
  const sides = new Map<string, { server: string; peer: string; cluster: string; msgs: number; rtts: number[] }>();
  for (const r of replies) {
    if (!r.up) continue;
    const server = r.info?.name ?? r.varz?.server_name ?? index.nameOfId.get(r.info?.id ?? r.varz?.server_id ?? '') ?? '';
    const cluster = r.info?.cluster ?? r.varz?.cluster?.name ?? '';
    const add = (peer: string, msgs: number, rtt: number | null) => {
      const key = `${server}\u0000${peer}`;
      const side = sides.get(key) ?? { server, peer, cluster, msgs: 0, rtts: [] };
      side.msgs += msgs;
      if (rtt !== null) side.rtts.push(rtt);
      sides.set(key, side);
    };
    if (r.routez?.routes?.length) {
      for (const route of r.routez.routes) {
        const peer = peerOfRoute(r, route, index.nameOfId);
        if (peer) add(peer, sumMsgs(route.in_msgs, route.out_msgs), parseRttMs(route.rtt));
      }
    } else {
      for (const route of r.statsz?.routes ?? []) if (route.name) add(route.name, sumMsgs(route.sent?.msgs, route.received?.msgs), null);
    }
  }
  const pairs = new Map<string, LiveRoute & { fromSide: string }>();
  for (const side of sides.values()) {
    const [a, b] = side.server < side.peer ? [side.server, side.peer] : [side.peer, side.server];
    const key = `${a}\u0000${b}`;
    const rttMs = side.rtts.length ? side.rtts.reduce((x, y) => x + y, 0) / side.rtts.length : null;
    const had = pairs.get(key);
    // Counters come from the side whose name sorts first when it answered, so rates stay comparable poll to poll.
    if (!had || side.server === a) {
      pairs.set(key, { a, b, cluster: side.cluster, rttMs: rttMs ?? had?.rttMs ?? null, msgs: side.msgs, msgRate: null, fromSide: side.server });
    } else if (had.rttMs === null && rttMs !== null) had.rttMs = rttMs;
  }
  const prev = new Map((previous?.routes ?? []).map((x) => [`${x.a}\u0000${x.b}`, x]));
  return [...pairs.entries()]
    .map(([key, { fromSide: _, ...route }]) => ({ ...route, msgRate: rate(route.msgs, prev.get(key)?.msgs, intervalMs) }))
    .sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

export function buildGateways(
  replies: readonly RawServerReplies[],
  index: ServerIndex,
  previous: LiveSnapshot | null,
  intervalMs: number | null,
): LiveGateway[] {
  const out: LiveGateway[] = [];
  const prev = new Map((previous?.gateways ?? []).map((g) => [`${g.server}\u0000${g.remoteCluster}`, g]));
  for (const r of replies) {
    if (!r.up) continue;
    const server = r.info?.name ?? r.varz?.server_name ?? '';
    const cluster = r.info?.cluster ?? r.varz?.cluster?.name ?? r.gatewayz?.name ?? '';
    const gz = r.gatewayz;
    const remotes = new Set<string>([...Object.keys(gz?.outbound_gateways ?? {}), ...(r.statsz?.gateways ?? []).map((g) => g.name ?? '')]);
    remotes.delete('');
    for (const remote of remotes) {
      const outbound = gz?.outbound_gateways?.[remote]?.connection;
      const inbound = gz?.inbound_gateways?.[remote] ?? [];
      const st = r.statsz?.gateways?.find((g) => g.name === remote);
      const msgs = gz
        ? sumMsgs(outbound?.out_msgs, outbound?.in_msgs, ...inbound.map((c) => sumMsgs(c.connection?.in_msgs, c.connection?.out_msgs)))
        : sumMsgs(st?.sent?.msgs, st?.received?.msgs);
      const remoteId = outbound?.name;
      const key = `${server}\u0000${remote}`;
      out.push({
        server,
        cluster,
        remoteCluster: remote,
        remoteServer: remoteId ? (index.nameOfId.get(remoteId) ?? shortId(remoteId)) : null,
        rttMs: parseRttMs(outbound?.rtt),
        msgs,
        msgRate: rate(msgs, prev.get(key)?.msgs, intervalMs),
      });
    }
  }
  return out.sort((a, b) => a.server.localeCompare(b.server) || a.remoteCluster.localeCompare(b.remoteCluster));
}

export function buildLeafNodes(replies: readonly RawServerReplies[], previous: LiveSnapshot | null, intervalMs: number | null): LiveLeafNode[] {
  const out: LiveLeafNode[] = [];
  const prev = new Map((previous?.leafNodes ?? []).map((l) => [`${l.server}\u0000${l.address}`, l]));
  for (const r of replies) {
    if (!r.up) continue;
    const server = r.info?.name ?? r.varz?.server_name ?? '';
    for (const leaf of r.leafz?.leafs ?? []) {
      const address = `${leaf.ip ?? '?'}:${leaf.port ?? '?'}`;
      const msgs = sumMsgs(leaf.in_msgs, leaf.out_msgs);
      out.push({
        server,
        name: leaf.name ?? null,
        account: leaf.account ?? null,
        address,
        rttMs: parseRttMs(leaf.rtt),
        subscriptions: leaf.subscriptions ?? 0,
        msgs,
        msgRate: rate(msgs, prev.get(`${server}\u0000${address}`)?.msgs, intervalMs),
      });
    }
  }
  return out;
}
