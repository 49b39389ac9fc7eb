/**
 * Which Microbus replicas one NATS connection holds, read from all of its subscriptions
 * (MODEL.md §4). One subject alone is not enough: a v1.x subject does not say where the
 * hostname ends and the id or locality prefix begins, and an event sink subscribes under the
 * *source's* hostname. So a connection is read as a whole:
 *
 * - v1.x subscriptions of one endpoint (same port, method, path and queue group) share the
 *   reversed hostname as their first tokens; the shortest is the bare hostname, the others add
 *   the replica id or a locality suffix.
 * - A replica's id comes from its response subscription, its `:888` control subscriptions on
 *   the `id-` slot, or (v1.x) the connection name `<id>.<hostname>`.
 * - A subscription belongs to the service whose replica id it carries; else to the service
 *   named by its queue group (the subscribing service's hostname, so a sink lands on the sink);
 *   else to the hostname in the subject. The reserved host `all` and response subjects are
 *   never services.
 */

import { type MicrobusRequestSubject, parseMicrobusSubject } from './microbus-parse.ts';
import { localityToHyphen, MICROBUS_ALL_HOST, type MicrobusGeneration, type MicrobusSlot } from './microbus-subjects.ts';

export interface MicrobusSubscriptionRef {
  subject: string;
  qgroup?: string;
  msgs?: number;
}

/** One endpoint as its `_` slot subscribes it. */
export interface MicrobusEndpointSeen {
  subject: string;
  queue: string | null;
  /** The hostname in the URL: the service's own, or the event source's for a sink. */
  host: string;
  port: string;
  method: string;
  path: string;
}

export type MicrobusQueueStatus =
  | { status: 'ok' }
  | { status: 'none'; subjects: string[] }
  | { status: 'mismatch'; group: string; subjects: string[] };

export interface MicrobusReplicaSeen {
  service: string;
  id: string | null;
  generation: MicrobusGeneration;
  plane: string;
  /** Hyphen form, broadest first (`us-east-1-a`), whichever generation subscribed it. */
  locality: string | null;
  /** Its own endpoints and the events it listens to (`_` slot), the framework's left out. */
  endpoints: MicrobusEndpointSeen[];
  /** Messages delivered to those endpoints on every slot (the framework's left out). */
  msgs: number;
  /** How its own endpoints are queued: on its hostname (ok), on no group, or on another group. */
  queue: MicrobusQueueStatus;
  /** Hostnames whose events it listens to (sink subscriptions under another host). */
  listensTo: string[];
}

/** Which slot a subscription is on; `response` for a replica's response subject. */
export type MicrobusSlotKind = MicrobusSlot['kind'] | 'response';

export interface MicrobusConnectionReading {
  replicas: MicrobusReplicaSeen[];
  /** `subject \u0000 queue` → the service that subscribed it. */
  owners: Map<string, string>;
  /** `subject \u0000 queue` → its slot, as settled from the whole connection (v1.x subjects cannot say alone). */
  slots: Map<string, MicrobusSlotKind>;
}

interface Entry {
  ref: MicrobusSubscriptionRef;
  mb: MicrobusRequestSubject;
  host: string;
  slot: MicrobusSlot;
}

const V1_ID = /^[0-9a-v]{10}$/;

/** Subscriptions the framework makes on every replica (control, cache, OpenAPI): not the service's endpoints. */
export function isFrameworkRoute(mb: { port: string; path: string }): boolean {
  return mb.port === '888' || mb.path === 'openapi.json';
}

export function ownerKey(subject: string, queue: string | undefined | null): string {
  return `${subject}\u0000${queue ?? ''}`;
}

export function readMicrobusConnection(subs: readonly MicrobusSubscriptionRef[], connectionName = ''): MicrobusConnectionReading {
  const requests: Entry[] = [];
  const v1: Array<{ ref: MicrobusSubscriptionRef; mb: MicrobusRequestSubject }> = [];
  const idOwner = new Map<string, string>();
  const slots = new Map<string, MicrobusSlotKind>();
  for (const ref of subs) {
    const mb = parseMicrobusSubject(ref.subject);
    if (!mb) continue;
    if (mb.kind === 'response') {
      // Its queue group is the id: a plain subject that merely looks like one is not a response.
      if (!ref.qgroup || ref.qgroup.replace(/^id-/, '') === mb.id) {
        idOwner.set(mb.id, mb.host);
        slots.set(ownerKey(ref.subject, ref.qgroup), 'response');
      }
    } else if (mb.generation === 'v1') v1.push({ ref, mb });
    else requests.push({ ref, mb, host: mb.host, slot: mb.slot });
  }
  if (!requests.length && !v1.length) return { replicas: [], owners: new Map(), slots };
  const named = /^([0-9a-v]{10})\.(.+)$/.exec(connectionName);
  if (named) idOwner.set(named[1] as string, (named[2] as string).toLowerCase());
  requests.push(...settleV1(v1, new Set(idOwner.keys())));

  // Control subscriptions on a replica's own hostname say which services live here and their ids.
  const controlHosts = new Set<string>();
  for (const e of requests) {
    if (e.mb.port !== '888' || e.host === MICROBUS_ALL_HOST) continue;
    controlHosts.add(e.host);
    if (e.slot.kind === 'id' && !e.ref.qgroup && !idOwner.has(e.slot.id)) idOwner.set(e.slot.id, e.host);
  }
  const idsOf = new Map<string, Set<string>>();
  for (const [id, host] of idOwner) idsOf.set(host, (idsOf.get(host) ?? new Set()).add(id));

  // One endpoint = its subscriptions on every slot.
  const groups = new Map<string, Entry[]>();
  for (const e of requests) {
    const key = `${e.mb.plane}\u0000${e.host}\u0000${e.mb.port}\u0000${e.mb.method}\u0000${e.mb.path}\u0000${e.ref.qgroup ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }

  const replicas = new Map<string, MicrobusReplicaSeen & { own: Entry[] }>();
  const owners = new Map<string, string>();
  for (const entries of groups.values()) {
    const head = entries[0] as Entry;
    const queue = head.ref.qgroup || null;
    const ids = entries.flatMap((e) => (e.slot.kind === 'id' ? [e.slot.id] : []));
    const byId = ids.map((id) => idOwner.get(id)).find((o) => o !== undefined);
    let owner: string | null;
    if (byId) owner = byId;
    else if (queue && (controlHosts.has(queue) || idsOf.has(queue))) owner = queue;
    else if (head.host !== MICROBUS_ALL_HOST && (controlHosts.has(head.host) || idsOf.has(head.host))) owner = head.host;
    else owner = queue ?? (head.host === MICROBUS_ALL_HOST ? null : head.host);
    if (!owner || owner === MICROBUS_ALL_HOST) continue;
    const ownIds = ids.filter((id) => (idOwner.get(id) ?? owner) === owner);
    const known = idsOf.get(owner);
    const id = ownIds[0] ?? (known?.size === 1 ? (known.values().next().value as string) : null);
    const rkey = `${owner}\u0000${id ?? ''}`;
    let r = replicas.get(rkey);
    if (!r) {
      r = {
        service: owner,
        id,
        generation: head.mb.generation,
        plane: head.mb.plane,
        locality: null,
        endpoints: [],
        msgs: 0,
        queue: { status: 'ok' },
        listensTo: [],
        own: [],
      };
      replicas.set(rkey, r);
    }
    for (const e of entries) {
      owners.set(ownerKey(e.ref.subject, e.ref.qgroup), owner);
      slots.set(ownerKey(e.ref.subject, e.ref.qgroup), e.slot.kind);
      // The most specific locality a replica subscribes to is its own (the others are its prefixes).
      if (e.slot.kind === 'locality' && (!r.locality || e.slot.locality.length > r.locality.length)) r.locality = e.slot.locality;
    }
    if (isFrameworkRoute(head.mb)) continue;
    r.msgs += entries.reduce((a, e) => a + (e.ref.msgs ?? 0), 0);
    const any = entries.find((e) => e.slot.kind === 'any');
    if (any) r.endpoints.push({ subject: any.ref.subject, queue, host: any.host, port: any.mb.port, method: any.mb.method, path: any.mb.path });
    if (head.host !== owner) {
      if (!r.listensTo.includes(head.host)) r.listensTo.push(head.host);
    } else r.own.push(any ?? head);
  }
  for (const r of replicas.values()) r.queue = queueStatus(r.service, r.own);
  return { replicas: [...replicas.values()].map(({ own: _, ...r }) => r), owners, slots };
}

function queueStatus(service: string, own: Entry[]): MicrobusQueueStatus {
  const bare = own.filter((e) => !e.ref.qgroup).map((e) => e.ref.subject);
  if (bare.length) return { status: 'none', subjects: bare.sort() };
  const other = own.filter((e) => e.ref.qgroup && e.ref.qgroup !== service);
  if (other.length) return { status: 'mismatch', group: other[0]?.ref.qgroup as string, subjects: other.map((e) => e.ref.subject).sort() };
  return { status: 'ok' };
}

/**
 * v1.x: within one endpoint's subscriptions (same plane, port, method, path and queue group),
 * the bare subscription's tokens are the reversed hostname and every other one adds a prefix:
 * the replica id (one token) or a locality suffix (reversed, so broadest first).
 */
function settleV1(v1: Array<{ ref: MicrobusSubscriptionRef; mb: MicrobusRequestSubject }>, knownIds: ReadonlySet<string>): Entry[] {
  const groups = new Map<string, Array<{ ref: MicrobusSubscriptionRef; mb: MicrobusRequestSubject }>>();
  for (const x of v1) {
    const key = `${x.mb.plane}\u0000${x.mb.port}\u0000${x.mb.method}\u0000${x.mb.path}\u0000${x.ref.qgroup ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(x);
    else groups.set(key, [x]);
  }
  const out: Entry[] = [];
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => (a.mb.v1Tokens?.length ?? 0) - (b.mb.v1Tokens?.length ?? 0));
    const bases: string[][] = [];
    for (const m of sorted) {
      const tokens = m.mb.v1Tokens ?? [];
      const base = bases.find((b) => b.length < tokens.length && b.every((t, i) => tokens[i] === t));
      if (!base) {
        bases.push(tokens);
        out.push({ ref: m.ref, mb: m.mb, host: [...tokens].reverse().join('.'), slot: { kind: 'any' } });
        continue;
      }
      const extra = tokens.slice(base.length);
      const host = [...base].reverse().join('.');
      const first = extra[0] as string;
      const isId =
        extra.length === 1 &&
        (knownIds.has(first) ||
          (knownIds.size === 0 &&
            V1_ID.test(first) &&
            !sorted.some((o) => (o.mb.v1Tokens?.length ?? 0) > tokens.length && o.mb.v1Tokens?.[base.length] === first)));
      const slot: MicrobusSlot = isId ? { kind: 'id', id: first } : { kind: 'locality', locality: localityToHyphen([...extra].reverse().join('.')) };
      out.push({ ref: m.ref, mb: m.mb, host, slot });
    }
  }
  return out;
}
