/**
 * What the browser asks of a snapshot without downloading it whole: a view without the
 * connections (streamed on every poll), and pages of connections and subscriptions —
 * filtered, sorted — for the tables.
 */
import { parseMicrobusSubject } from './microbus-parse.ts';
import type { LiveConnection, LiveSnapshot } from './types.ts';

/**
 * The snapshot minus its connections, and minus the one-replica Microbus queue groups (the
 * `id-` slot of every endpoint and each replica's response subject, queued on its id: most of
 * a large cluster's groups, and never load-balanced): what is streamed to the browser.
 */
export type LiveSnapshotView = Omit<LiveSnapshot, 'connections'> & { connectionCount: number; subscriptionCount: number; replicaSlotGroups: number };

export function snapshotView(s: LiveSnapshot): LiveSnapshotView {
  const { connections, queueGroups, ...rest } = s;
  const shown = queueGroups.filter((g) => g.slot !== 'id' && g.slot !== 'response' && !isReplicaSlot(g.subject));
  return {
    ...rest,
    queueGroups: shown,
    replicaSlotGroups: queueGroups.length - shown.length,
    connectionCount: connections.length,
    subscriptionCount: connections.reduce((a, c) => a + c.subscriptions.length, 0),
  };
}

/** A Microbus subject only one replica ever answers: an `id-` slot or a response subject. */
export function isReplicaSlot(subject: string): boolean {
  const mb = parseMicrobusSubject(subject);
  return mb !== null && (mb.kind === 'response' || mb.slot.kind === 'id');
}

export const CONNECTION_SORTS = [
  'server',
  'cid',
  'name',
  'lang',
  'rtt',
  'msgRate',
  'inMsgs',
  'outMsgs',
  'subscriptions',
  'pending',
  'uptime',
] as const;
export type ConnectionSort = (typeof CONNECTION_SORTS)[number];

export interface ConnectionQuery {
  /** Words that must all appear in the name, server, address, account, client or a subscribed subject/queue group. */
  filter?: string;
  server?: string;
  sort?: ConnectionSort;
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export type ConnectionRow = Omit<LiveConnection, 'subscriptions'> & { subscriptions: LiveConnection['subscriptions'] };

export interface Page<T> {
  /** All rows before the filter. */
  total: number;
  /** Rows the filter kept. */
  matched: number;
  offset: number;
  rows: T[];
}

function words(filter: string | undefined): string[] {
  return (filter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

function connectionText(c: LiveConnection): string {
  return `${c.name} ${c.server} ${c.address} ${c.account ?? ''} ${c.lang} ${c.version} ${c.kind} ${c.cid}`.toLowerCase();
}

function sortKey(c: LiveConnection, sort: ConnectionSort): number | string {
  switch (sort) {
    case 'server':
      return c.server;
    case 'cid':
      return c.cid;
    case 'name':
      return c.name.toLowerCase();
    case 'lang':
      return `${c.lang} ${c.version}`;
    case 'rtt':
      return c.rttMs ?? -1;
    case 'msgRate':
      return c.msgRate ?? -1;
    case 'inMsgs':
      return c.inMsgs;
    case 'outMsgs':
      return c.outMsgs;
    case 'subscriptions':
      return c.numSubscriptions;
    case 'pending':
      return c.pendingBytes;
    case 'uptime':
      return c.uptime;
  }
}

function compare(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function paginate<T>(rows: T[], total: number, offset = 0, limit = 50): Page<T> {
  const start = Math.max(0, Math.min(offset, rows.length));
  return { total, matched: rows.length, offset: start, rows: rows.slice(start, start + Math.max(1, Math.min(limit, 1000))) };
}

export function queryConnections(s: LiveSnapshot, q: ConnectionQuery = {}): Page<ConnectionRow> {
  const ws = words(q.filter);
  const kept = s.connections.filter((c) => {
    if (q.server && c.server !== q.server) return false;
    if (ws.length === 0) return true;
    const text = connectionText(c);
    return ws.every(
      (w) => text.includes(w) || c.subscriptions.some((sub) => sub.subject.toLowerCase().includes(w) || (sub.qgroup ?? '').toLowerCase().includes(w)),
    );
  });
  const sort = q.sort ?? 'server';
  const sign = q.dir === 'desc' ? -1 : 1;
  kept.sort((a, b) => sign * compare(sortKey(a, sort), sortKey(b, sort)) || compare(a.server, b.server) || a.cid - b.cid);
  return paginate(kept, s.connections.length, q.offset, q.limit);
}

export interface SubscriptionRow {
  subject: string;
  queue: string | null;
  msgs: number;
  server: string;
  cid: number;
  connectionName: string;
}

export const SUBSCRIPTION_SORTS = ['subject', 'queue', 'msgs', 'server'] as const;
export type SubscriptionSort = (typeof SUBSCRIPTION_SORTS)[number];

export function querySubscriptions(
  s: LiveSnapshot,
  q: { filter?: string; sort?: SubscriptionSort; dir?: 'asc' | 'desc'; offset?: number; limit?: number; queuedOnly?: boolean } = {},
): Page<SubscriptionRow> {
  const ws = words(q.filter);
  const rows: SubscriptionRow[] = [];
  let total = 0;
  for (const c of s.connections) {
    for (const sub of c.subscriptions) {
      total++;
      if (q.queuedOnly && !sub.qgroup) continue;
      if (ws.length) {
        const text = `${sub.subject} ${sub.qgroup ?? ''} ${c.server} ${c.name}`.toLowerCase();
        if (!ws.every((w) => text.includes(w))) continue;
      }
      rows.push({ subject: sub.subject, queue: sub.qgroup || null, msgs: sub.msgs ?? 0, server: c.server, cid: c.cid, connectionName: c.name });
    }
  }
  const sort = q.sort ?? 'subject';
  const sign = q.dir === 'desc' ? -1 : 1;
  rows.sort(
    (a, b) => sign * compare(a[sort] ?? '', b[sort] ?? '') || a.subject.localeCompare(b.subject) || a.server.localeCompare(b.server) || a.cid - b.cid,
  );
  return paginate(rows, total, q.offset, q.limit);
}
