/**
 * Connections (with their subscriptions) from `connz` pages, and queue groups: every
 * (subject, queue group) with its members per server and zone.
 */
import { parseMicrobusSubject } from './microbus-parse.ts';
import type { RawConnection, RawServerReplies } from './raw.ts';
import type { LiveConnection, LiveQueueGroup, LiveServer, LiveSnapshot, LiveSubscription, UnqueuedSubscription } from './types.ts';
import { parseRttMs, rate } from './units.ts';

export interface ConnectionsResult {
  connections: LiveConnection[];
  warnings: string[];
}

export function connectionKey(server: string, cid: number): string {
  return `${server}/${cid}`;
}

export function buildConnections(
  replies: readonly RawServerReplies[],
  servers: readonly LiveServer[],
  previous: LiveSnapshot | null,
  intervalMs: number | null,
): ConnectionsResult {
  const warnings: string[] = [];
  const zoneOf = new Map(servers.map((s) => [s.name, s.zone]));
  const prev = new Map<string, LiveConnection>();
  for (const c of previous?.connections ?? []) prev.set(c.key, c);
  const connections: LiveConnection[] = [];
  for (const r of replies) {
    if (!r.up || !r.connz?.length) continue;
    const server = r.info?.name ?? r.varz?.server_name ?? r.url ?? '?';
    const seen = new Set<number>();
    let total = 0;
    for (const page of r.connz) {
      total = Math.max(total, page.total ?? page.num_connections ?? 0);
      for (const c of page.connections ?? []) {
        if (seen.has(c.cid)) continue;
        seen.add(c.cid);
        connections.push(toConnection(c, server, zoneOf.get(server) ?? null, prev, intervalMs));
      }
    }
    if (total > seen.size) warnings.push(`${server}: read ${seen.size} of ${total} connections (the rest were not paged in)`);
  }
  return { connections, warnings };
}

function toConnection(
  c: RawConnection,
  server: string,
  zone: string | null,
  prev: Map<string, LiveConnection>,
  intervalMs: number | null,
): LiveConnection {
  const key = connectionKey(server, c.cid);
  const inMsgs = c.in_msgs ?? 0;
  const outMsgs = c.out_msgs ?? 0;
  const before = prev.get(key);
  let subscriptions: LiveSubscription[];
  if (c.subscriptions_list_detail) {
    subscriptions = c.subscriptions_list_detail;
  } else {
    subscriptions = (c.subscriptions_list ?? []).map((subject) => ({ subject }));
  }
  const startedAt = c.start ? Date.parse(c.start) : Number.NaN;
  return {
    key,
    ip: c.ip ?? null,
    startedAt: Number.isFinite(startedAt) ? startedAt : null,
    server,
    cid: c.cid,
    name: c.name ?? '',
    kind: c.kind ?? 'Client',
    lang: c.lang ?? '',
    version: c.version ?? '',
    account: c.account ?? null,
    address: `${c.ip ?? '?'}:${c.port ?? '?'}`,
    rttMs: parseRttMs(c.rtt),
    inMsgs,
    outMsgs,
    msgRate: rate(inMsgs + outMsgs, before ? before.inMsgs + before.outMsgs : undefined, intervalMs),
    pendingBytes: c.pending_bytes ?? 0,
    uptime: c.uptime ?? '',
    zone,
    subscriptions,
    numSubscriptions: c.subscriptions ?? subscriptions.length,
  };
}

/**
 * Queue groups by (subject, group); `serviceOf` names the service that subscribed (from the
 * group's first subscription), `slotOf` its Microbus slot, when they are recognised.
 */
export function buildQueueGroups(
  connections: readonly LiveConnection[],
  serviceOf: (sub: LiveSubscription) => string | null,
  slotOf: (sub: LiveSubscription) => LiveQueueGroup['slot'] = () => null,
): LiveQueueGroup[] {
  // subject → queue → group: nested maps, so 50,000 subscriptions build no composite keys.
  const bySubject = new Map<string, Map<string, LiveQueueGroup>>();
  const all: LiveQueueGroup[] = [];
  for (const c of connections) {
    if (c.kind !== 'Client') continue; // leaf connections carry interest propagated from elsewhere
    for (const s of c.subscriptions) {
      const queue = s.qgroup;
      if (!queue) continue;
      let groups = bySubject.get(s.subject);
      if (!groups) {
        groups = new Map();
        bySubject.set(s.subject, groups);
      }
      let g = groups.get(queue);
      if (!g) {
        g = { subject: s.subject, group: queue, members: [], service: serviceOf(s), slot: slotOf(s) };
        groups.set(queue, g);
        all.push(g);
      }
      g.members.push({ server: c.server, cid: c.cid, connection: c.key, zone: c.zone, msgs: s.msgs ?? 0 });
    }
  }
  for (const g of all) if (g.members.length > 1) g.members.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : a.cid - b.cid));
  return all.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** Subjects no design names: reply inboxes and the servers' and services' control subjects. */
export function isPlumbing(subject: string): boolean {
  return (
    subject.startsWith('_INBOX.') ||
    subject.startsWith('$SYS.') ||
    subject.startsWith('$SRV.') ||
    subject.startsWith('_R_.') ||
    subject.startsWith('$JS.') ||
    subject.startsWith('$LDS.')
  );
}

/** Microbus `:888` subjects (control, cache broadcast) and response subjects: unqueued by design. */
function isMicrobusFramework(subject: string): boolean {
  const mb = parseMicrobusSubject(subject);
  return mb !== null && (mb.kind === 'response' || mb.control);
}

export function buildUnqueued(connections: readonly LiveConnection[]): UnqueuedSubscription[] {
  const bySubject = new Map<string, UnqueuedSubscription & { serverSet: Set<string> }>();
  for (const c of connections) {
    if (c.kind !== 'Client') continue;
    for (const s of c.subscriptions) {
      if (s.qgroup || isPlumbing(s.subject) || isMicrobusFramework(s.subject)) continue;
      let u = bySubject.get(s.subject);
      if (!u) {
        u = { subject: s.subject, subscribers: 0, servers: [], msgs: 0, serverSet: new Set() };
        bySubject.set(s.subject, u);
      }
      u.subscribers++;
      u.msgs += s.msgs ?? 0;
      u.serverSet.add(c.server);
    }
  }
  return [...bySubject.values()]
    .map(({ serverSet, ...u }) => ({ ...u, servers: [...serverSet].sort() }))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}
