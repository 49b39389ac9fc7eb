/**
 * Microbus subscription subjects of both generations in use (MODEL.md §4), built and read
 * exactly as the framework's connector code does (microbus-io/fabric: `connector/subjects.go`
 * and `activateSub` in `connector/subscribe.go`, newest code and the v1.7 tag).
 *
 * Newest: `<plane>.<safe|danger>.<port>.<src>.<dest>.<slot>.<METHOD>.<path…>`. `danger` only
 * for port 666; subscriptions put `*` in `<src>`; hostnames have `.` → `_` (other bytes
 * outside `[A-Za-z0-9_-]` → `%xx`); port 0 and method ANY are `*`; each path segment
 * percent-encodes every byte outside `[A-Za-z0-9-]` (`.` is `%2e`, `_` is `%5f`), an empty
 * segment is `_`, `{arg}` is `*` and a final `{arg...}` is `>`. Every endpoint is subscribed
 * once per slot: `_` (any replica), `id-<id>` (this replica) and `loc-<p>` for every prefix of
 * the hyphen-form locality, broadest first. Responses: `<plane>.reply._.*.<host>.<id>`,
 * queue group = the id.
 *
 * v1.x: `<plane>.<port>.<reversed(prefix + "." + host)>.|.<METHOD>.<path>`, prefixes `""`,
 * the replica id (10 characters of `0-9a-v`) and every suffix of the dotted, most-specific-first
 * locality; path `.` → `_`, other characters outside `[A-Za-z0-9-]` → `%` + 4 hex digits,
 * empty → `_`, `{arg}` → `*`, a final `{arg+}` → `>`. Responses `<plane>.r.<reversed host>.<id>`,
 * queue group = the id. One connection per microservice, named `<id>.<hostname>`.
 *
 * Both: the queue group is the *subscribing* service's hostname on every slot, so an event
 * sink subscribes under the source's hostname with its own hostname as queue group. The
 * control endpoints on `:888` have no queue group and are mirrored on the reserved host `all`;
 * the distributed cache's owner endpoint (`:888/dcache/one`, v1.x `:888/dcache/rescue`) and
 * `openapi.json` are queued on the hostname.
 *
 * The builder half (`microbusReplicaSubscriptions` and friends) is what a test or a rehearsal
 * uses to subscribe exactly like a real Microbus process; the reader half
 * (`parseMicrobusSubject`) is what the live model uses. A single v1.x subject cannot say
 * where the hostname ends and a prefix begins: `readMicrobusConnection` (microbus-read.ts)
 * settles that from all of a connection's subscriptions.
 */
import type { MicrobusGeneration } from './microbus-parse.ts';

export const MICROBUS_CONTROL_PORT = '888';
/** The reserved hostname every replica mirrors its `:888` control endpoints on. */
export const MICROBUS_ALL_HOST = 'all';
const DEFAULT_PLANE = 'microbus';

// ---------------------------------------------------------------------------------------
// Building

/** One replica of a microservice: who subscribes. */
export interface MicrobusReplicaSpec {
  generation: MicrobusGeneration;
  /** Letters and digits; default `microbus`. */
  plane?: string;
  /** The microservice's own hostname (`cart.example`): its default queue group. */
  hostname: string;
  /**
   * The replica id: 10 lowercase letters and digits (newest) or 10 characters of `0-9a-v`
   * (v1.x, the framework's `AlphaNum32`). The builder does not check it.
   */
  id: string;
  /**
   * Where it runs, hyphen form broadest first (`us-east-1-a`), as the newest code keeps it.
   * For v1.x the builder writes it dotted, most specific first (`a.1.east.us`).
   */
  locality?: string;
}

/** One endpoint a replica subscribes to. */
export interface MicrobusRoute {
  /** The hostname in the URL; defaults to the replica's own. An event sink names the source's. */
  host?: string;
  /** Default 443; 0 means any port (`*`). */
  port?: number | string;
  /** Default `GET`; `ANY` means any method (`*`). */
  method?: string;
  /** `/items`, `/on-checkout`, `/item/{id}`, `/files/{path...}` (v1.x: `{path+}`); `/` or `` for the root. */
  path: string;
  /** Default: the replica's hostname. `null`: no queue group (every replica gets every message). */
  queue?: string | null;
}

/** One NATS subscription: `SUB <subject> [<queue>] <sid>`. */
export interface NatsSubscriptionSpec {
  subject: string;
  queue: string | null;
}

/** Every prefix of a hyphen-form locality, broadest first: `us-east-1-a` → `us`, `us-east`, `us-east-1`, `us-east-1-a`. */
export function localityPrefixes(locality: string): string[] {
  const parts = locality.toLowerCase().split('-').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join('-'));
}

/** `a.1.east.us` (v1.x, most specific first) ↔ `us-east-1-a` (newest, broadest first). */
export function localityToHyphen(dotted: string): string {
  return dotted.toLowerCase().split('.').filter(Boolean).reverse().join('-');
}

export function localityToDotted(hyphen: string): string {
  return hyphen.toLowerCase().split('-').filter(Boolean).reverse().join('.');
}

const HEX = '0123456789abcdef';

/** Newest hostname segment: `.` → `_`, `[A-Za-z0-9_-]` kept, any other byte → `%xx`. */
export function escapeMicrobusHostname(hostname: string): string {
  let out = '';
  for (const byte of utf8(hostname.toLowerCase())) {
    const c = String.fromCharCode(byte);
    if (c === '.') out += '_';
    else if (/[A-Za-z0-9_-]/.test(c)) out += c;
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return bytes;
}

function pathTokens(generation: MicrobusGeneration, path: string, wildcards: boolean): string[] {
  const trimmed = path.replace(/^\//, '');
  if (trimmed === '') return ['_'];
  const parts = trimmed.split('/');
  return parts.map((part, i) => {
    if (wildcards && part.startsWith('{') && part.endsWith('}')) {
      const greedy = generation === 'newest' ? part.endsWith('...}') : part.endsWith('+}');
      return greedy && i === parts.length - 1 ? '>' : '*';
    }
    if (wildcards && part === '*') return '*';
    if (part === '') return '_';
    return generation === 'newest' ? escapeNewestPathPart(part) : escapeV1PathPart(part);
  });
}

function escapeNewestPathPart(part: string): string {
  let out = '';
  for (const byte of utf8(part)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(c) ? c : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

function escapeV1PathPart(part: string): string {
  let out = '';
  for (const ch of part) {
    if (ch === '.') out += '_';
    else if (/[A-Za-z0-9-]/.test(ch)) out += ch;
    else out += `%${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
  }
  return out;
}

function portToken(port: number | string | undefined, wildcards: boolean): string {
  const p = String(port ?? 443);
  return wildcards && p === '0' ? '*' : p;
}

function methodToken(method: string | undefined, wildcards: boolean): string {
  const m = (method ?? 'GET').toUpperCase();
  return wildcards && m === 'ANY' ? '*' : m;
}

/** The slot tokens a replica subscribes every endpoint under, in the framework's order. */
function slotPrefixes(replica: MicrobusReplicaSpec): string[] {
  const id = replica.id.toLowerCase();
  const localities = replica.locality ? localityPrefixes(replica.locality) : [];
  if (replica.generation === 'newest') return ['', `id-${id}`, ...localities.map((l) => `loc-${l}`)];
  // v1.x: every suffix of the dotted locality, broadest last in the string (`us`, `east.us`, …).
  const dotted = replica.locality ? localityToDotted(replica.locality).split('.') : [];
  const suffixes = dotted.map((_, i) => dotted.slice(i).join('.')).reverse();
  return ['', id, ...suffixes];
}

/**
 * A request subject. `slot` is `''` (any replica), `id-<id>` / `loc-<prefix>` (newest) or the
 * dotted prefix (v1.x); `from` is the caller's hostname when publishing (newest), omitted for a
 * subscription (`*`, and port 0 / method ANY become wildcards).
 */
export function microbusRequestSubject(o: {
  generation: MicrobusGeneration;
  plane?: string;
  host: string;
  port?: number | string;
  method?: string;
  path: string;
  slot?: string;
  from?: string;
}): string {
  const wildcards = o.from === undefined;
  const plane = o.plane ?? DEFAULT_PLANE;
  const port = portToken(o.port, wildcards);
  const method = methodToken(o.method, wildcards);
  const path = pathTokens(o.generation, o.path, wildcards);
  if (o.generation === 'newest') {
    const trust = String(o.port ?? 443) === '666' ? 'danger' : 'safe';
    const src = wildcards ? '*' : escapeMicrobusHostname(o.from ?? '');
    const slot = o.slot ? o.slot.toLowerCase() : '_';
    return [plane, trust, port, src, escapeMicrobusHostname(o.host), slot, method, ...path].join('.');
  }
  const hostAndPrefix = o.slot ? `${o.slot}.${o.host}` : o.host;
  const reversed = hostAndPrefix.toLowerCase().split('.').reverse().join('.');
  return [plane, port, reversed, '|', method, ...path].join('.');
}

/** Every subscription one endpoint gets: one per slot, all with the same queue group. */
export function microbusSubscriptions(replica: MicrobusReplicaSpec, route: MicrobusRoute): NatsSubscriptionSpec[] {
  const queue = route.queue === undefined ? replica.hostname.toLowerCase() : route.queue;
  return slotPrefixes(replica).map((slot) => ({
    subject: microbusRequestSubject({
      generation: replica.generation,
      plane: replica.plane,
      host: route.host ?? replica.hostname,
      port: route.port,
      method: route.method,
      path: route.path,
      slot,
    }),
    queue,
  }));
}

/** The replica's own response subscription (queue group = its id). */
export function microbusResponseSubscription(replica: MicrobusReplicaSpec): NatsSubscriptionSpec {
  const plane = replica.plane ?? DEFAULT_PLANE;
  const id = replica.id.toLowerCase();
  if (replica.generation === 'newest') {
    const token = `id-${id}`;
    return { subject: `${plane}.reply._.*.${escapeMicrobusHostname(replica.hostname)}.${token}`, queue: token };
  }
  return { subject: `${plane}.r.${replica.hostname.toLowerCase().split('.').reverse().join('.')}.${id}`, queue: id };
}

/**
 * The routes the framework itself subscribes every replica to: the `:888` control endpoints
 * (mirrored on host `all`), the distributed cache and `openapi.json`.
 */
export function microbusFrameworkRoutes(replica: MicrobusReplicaSpec): MicrobusRoute[] {
  const control = ['ping', 'config-refresh', 'metrics', 'trace', ...(replica.generation === 'newest' ? ['on-new-subs'] : [])];
  const routes: MicrobusRoute[] = [];
  for (const path of control) {
    const method = path === 'on-new-subs' ? 'POST' : 'ANY';
    routes.push({ port: 888, method, path: `/${path}`, queue: null }, { host: MICROBUS_ALL_HOST, port: 888, method, path: `/${path}`, queue: null });
  }
  if (replica.generation === 'newest') {
    routes.push({ port: 888, method: 'GET', path: '/openapi.json' }, { host: MICROBUS_ALL_HOST, port: 888, method: 'GET', path: '/openapi.json' });
  } else {
    routes.push({ port: 0, method: 'GET', path: '/openapi.json' });
  }
  routes.push(
    { port: 888, method: 'ANY', path: '/dcache/all', queue: null },
    { port: 888, method: 'ANY', path: replica.generation === 'newest' ? '/dcache/one' : '/dcache/rescue' },
  );
  return routes;
}

/** Everything one replica subscribes to: its response subject, the framework's routes and its own. */
export function microbusReplicaSubscriptions(replica: MicrobusReplicaSpec, routes: readonly MicrobusRoute[]): NatsSubscriptionSpec[] {
  return [
    microbusResponseSubscription(replica),
    ...[...microbusFrameworkRoutes(replica), ...routes].flatMap((r) => microbusSubscriptions(replica, r)),
  ];
}

/** The connection name a replica gives NATS: `<id>.<hostname>` in v1.x; the newest code sets none. */
export function microbusConnectionName(replica: MicrobusReplicaSpec): string | null {
  return replica.generation === 'v1' ? `${replica.id.toLowerCase()}.${replica.hostname}` : null;
}

export {
  type MicrobusGeneration,
  type MicrobusRequestSubject,
  type MicrobusResponseSubject,
  type MicrobusSlot,
  type MicrobusSubject,
  parseMicrobusSubject,
} from './microbus-parse.ts';
