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
}

/**
 * Per subscription (keyed by the subscription object itself, so a snapshot of 50,000 of them
 * builds no key strings), where one subject alone would mislead: the service that subscribed
 * it when that is not the hostname in the subject (an event sink, a v1.x prefix), and the slot
 * of a v1.x subject (which it cannot say alone). `microbusOwnerOf`/`microbusSlotOf` read them.
 */
export interface MicrobusMarks {
  owner: Map<MicrobusSubscriptionRef, string>;
  slot: Map<MicrobusSubscriptionRef, MicrobusSlotKind>;
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

export function readMicrobusConnection(
  subs: readonly MicrobusSubscriptionRef[],
  connectionName = '',
  marks: MicrobusMarks | null = null,
): MicrobusConnectionReading {
  const requests: Entry[] = [];
  const v1: Array<{ ref: MicrobusSubscriptionRef; mb: MicrobusRequestSubject }> = [];
  const idOwner = new Map<string, string>();
  for (const ref of subs) {
    const mb = parseMicrobusSubject(ref.subject);
    if (!mb) continue;
    if (mb.kind === 'response') {
      // Its queue group is the id: a plain subject that merely looks like one is not a response.
      if (!ref.qgroup || ref.qgroup.replace(/^id-/, '') === mb.id) {
        idOwner.set(mb.id, mb.host);
      }
    } else if (mb.generation === 'v1') v1.push({ ref, mb });
    else requests.push({ ref, mb, host: mb.host, slot: mb.slot });
  }
  if (!requests.length && !v1.length) return { replicas: [] };
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
  for (const [id, host] of idOwner) idsOf.set(host, (idsOf.get(host) ?? new Set<string>()).add(id));

  // One endpoint = its subscriptions on every slot (and, nearly always, one queue group).
  const groups = new Map<string, Entry[]>();
  for (const e of requests) {
    const key = endpointKey(e.mb, e.host);
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }

  // Whose each endpoint is; the replica ids its id slots carry name that service's replicas too.
  const owned: Array<{ entries: Entry[]; owner: string; id: string | null }> = [];
  for (const all of groups.values()) {
    for (const entries of byQueue(all)) {
      const o = ownerOf(entries, idOwner, idsOf, controlHosts);
      if (!o) continue;
      owned.push({ entries, ...o });
      if (o.id) idsOf.set(o.owner, (idsOf.get(o.owner) ?? new Set()).add(o.id));
    }
  }

  const replicas = new Map<string, MicrobusReplicaSeen>();
  const own = new Map<MicrobusReplicaSeen, Entry[]>();
  for (const { entries, owner, id: slotId } of owned) {
    // An endpoint without an id slot (a framework one, say) is on the owner's one replica here.
    const known = idsOf.get(owner);
    const id = slotId ?? (known?.size === 1 ? (known.values().next().value as string) : null);
    const r = replicaOf(entries, owner, id, replicas, marks);
    const head = entries[0] as Entry;
    if (isFrameworkRoute(head.mb)) continue;
    let any: Entry | undefined;
    for (const e of entries) {
      r.msgs += e.ref.msgs ?? 0;
      if (!any && e.slot.kind === 'any') any = e;
    }
    if (any)
      r.endpoints.push({
        subject: any.ref.subject,
        queue: head.ref.qgroup || null,
        host: any.host,
        port: any.mb.port,
        method: any.mb.method,
        path: any.mb.path,
      });
    if (head.host !== r.service) {
      if (!r.listensTo.includes(head.host)) r.listensTo.push(head.host);
    } else {
      const xs = own.get(r);
      if (xs) xs.push(any ?? head);
      else own.set(r, [any ?? head]);
    }
  }
  for (const r of replicas.values()) r.queue = queueStatus(r.service, own.get(r) ?? []);
  return { replicas: [...replicas.values()] };
}

/** One endpoint's subscriptions split by queue group (a group of one queue, the usual case, is returned as is). */
function byQueue(entries: Entry[]): Entry[][] {
  const q = entries[0]?.ref.qgroup;
  if (entries.every((e) => e.ref.qgroup === q)) return [entries];
  const split = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = e.ref.qgroup ?? '';
    const g = split.get(key);
    if (g) g.push(e);
    else split.set(key, [e]);
  }
  return [...split.values()];
}

/** Whose one endpoint's subscriptions are: by replica id, queue group, control subscriptions, hostname. */
function ownerOf(
  entries: readonly Entry[],
  idOwner: ReadonlyMap<string, string>,
  idsOf: ReadonlyMap<string, Set<string>>,
  controlHosts: ReadonlySet<string>,
): { owner: string; id: string | null } | null {
  const head = entries[0] as Entry;
  const queue = head.ref.qgroup || null;
  let byId: string | undefined;
  for (const e of entries) if (!byId && e.slot.kind === 'id') byId = idOwner.get(e.slot.id);
  let owner: string | null;
  if (byId) owner = byId;
  else if (queue && (controlHosts.has(queue) || idsOf.has(queue))) owner = queue;
  else if (head.host !== MICROBUS_ALL_HOST && (controlHosts.has(head.host) || idsOf.has(head.host))) owner = head.host;
  else owner = queue ?? (head.host === MICROBUS_ALL_HOST ? null : head.host);
  if (!owner || owner === MICROBUS_ALL_HOST) return null;
  let id: string | null = null;
  for (const e of entries) if (!id && e.slot.kind === 'id' && (idOwner.get(e.slot.id) ?? owner) === owner) id = e.slot.id;
  return { owner, id };
}

/** The replica an endpoint's subscriptions belong to (made on first sight), with its locality. */
function replicaOf(
  entries: readonly Entry[],
  owner: string,
  id: string | null,
  replicas: Map<string, MicrobusReplicaSeen>,
  marks: MicrobusMarks | null,
): MicrobusReplicaSeen {
  const head = entries[0] as Entry;
  const rkey = id ? `${owner}\u0000${id}` : owner;
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
    };
    replicas.set(rkey, r);
  }
  for (const e of entries) {
    if (marks && e.mb.generation === 'v1') marks.slot.set(e.ref, e.slot.kind);
    if (marks && (owner !== e.mb.host || e.mb.generation === 'v1')) marks.owner.set(e.ref, owner);
    // The most specific locality a replica subscribes to is its own (the others are its prefixes).
    if (e.slot.kind === 'locality' && (!r.locality || e.slot.locality.length > r.locality.length)) r.locality = e.slot.locality;
  }
  return r;
}

/** The service that made a subscription: marked by the connection's reading, else the subject's hostname. */
export function microbusOwnerOf(ref: MicrobusSubscriptionRef, marks: MicrobusMarks): string | null {
  const marked = marks.owner.get(ref);
  if (marked) return marked;
  const mb = parseMicrobusSubject(ref.subject);
  return mb?.kind === 'request' && mb.host !== MICROBUS_ALL_HOST ? mb.host : null;
}

/** A Microbus subscription's slot (`response` for a response subject); null for other subjects. */
export function microbusSlotOf(ref: MicrobusSubscriptionRef, marks: MicrobusMarks): MicrobusSlotKind | null {
  const marked = marks.slot.get(ref);
  if (marked) return marked;
  const mb = parseMicrobusSubject(ref.subject);
  if (!mb) return null;
  return mb.kind === 'response' ? 'response' : mb.slot.kind;
}

// A subject's endpoint without its slot, computed once per parsed subject (parses are memoised).
const endpointKeys = new WeakMap<MicrobusRequestSubject, string>();

function endpointKey(mb: MicrobusRequestSubject, host: string): string {
  if (mb.generation === 'v1') return `${mb.plane}\u0000${host}\u0000${mb.port}\u0000${mb.method}\u0000${mb.path}`;
  let key = endpointKeys.get(mb);
  if (key === undefined) {
    key = `${mb.plane}\u0000${host}\u0000${mb.port}\u0000${mb.method}\u0000${mb.path}`;
    endpointKeys.set(mb, key);
  }
  return key;
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
