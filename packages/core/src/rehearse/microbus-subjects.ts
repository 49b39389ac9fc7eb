/**
 * Microbus's newest subject format (MODEL.md §4), as the rehearsal's emulated replicas
 * subscribe and publish it:
 *
 * - requests `<plane>.safe.<port>.<src>.<dest>.<slot>.<METHOD>.<path…>` (`danger` for port 666),
 *   subscriptions with `*` in `<src>`; hostnames with `.` → `_`; port 0 and method ANY are `*`
 *   in a subscription; path segments percent-encode bytes outside `[A-Za-z0-9-]`.
 * - slots `_` (any replica), `id-<id>` (one replica), `loc-<prefix>` (every prefix of the
 *   hyphen-form locality, broadest first).
 * - responses `<plane>.reply._.<src>.<host>.<id>`, subscribed with `*` in `<src>`, queue = id.
 *
 * TEMPORARY: the live reader's own builder (issue #13) replaces this module once it lands, so
 * the emulator and the reader share one definition.
 */

/** A subject slot: every replica, one replica, or a locality prefix. */
export type SubjectSlot = { kind: 'any' } | { kind: 'id'; id: string } | { kind: 'locality'; locality: string };

export interface EndpointAddress {
  port: number;
  method: string;
  /** `/path/to/thing`; `''` or `/` is the root. */
  path: string;
}

export interface MicrobusSubjectBuilder {
  /** What a replica of `host` subscribes to for one endpoint in one slot. */
  subscription(plane: string, host: string, endpoint: EndpointAddress, slot: SubjectSlot): string;
  /** What a caller on `fromHost` publishes to reach `toHost`'s endpoint through one slot. */
  request(plane: string, fromHost: string, toHost: string, endpoint: EndpointAddress, slot: SubjectSlot): string;
  /** Where a replica receives the answers to its own requests (queue group: its id). */
  responses(plane: string, host: string, id: string): string;
  /** Where a responder on `fromHost` sends an answer for replica `toId` of `toHost`. */
  response(plane: string, fromHost: string, toHost: string, toId: string): string;
  /** `loc-` prefixes of a hyphen-form locality, broadest first (`us`, `us-east`, `us-east-1`…). */
  localityPrefixes(locality: string): string[];
}

const hostToken = (host: string) => host.toLowerCase().replace(/\./g, '_');

function slotToken(slot: SubjectSlot): string {
  if (slot.kind === 'id') return `id-${slot.id.toLowerCase()}`;
  if (slot.kind === 'locality') return `loc-${slot.locality.toLowerCase()}`;
  return '_';
}

function encodeSegment(segment: string): string {
  if (segment === '') return '_';
  // encodeURIComponent gives UTF-8 bytes as %XX; what it leaves alone besides [A-Za-z0-9-] is encoded too.
  return encodeURIComponent(segment)
    .replace(/[^A-Za-z0-9%-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

function pathTokens(path: string): string {
  const trimmed = path.replace(/^\//, '');
  return trimmed === '' ? '_' : trimmed.split('/').map(encodeSegment).join('.');
}

function subject(plane: string, src: string, dest: string, e: EndpointAddress, slot: SubjectSlot, wildcards: boolean): string {
  const port = wildcards && e.port === 0 ? '*' : String(e.port);
  const method = e.method.toUpperCase();
  return [
    plane,
    e.port === 666 ? 'danger' : 'safe',
    port,
    src,
    hostToken(dest),
    slotToken(slot),
    wildcards && method === 'ANY' ? '*' : method,
    pathTokens(e.path),
  ].join('.');
}

export const microbusSubjects: MicrobusSubjectBuilder = {
  subscription: (plane, host, endpoint, slot) => subject(plane, '*', host, endpoint, slot, true),
  request: (plane, fromHost, toHost, endpoint, slot) => subject(plane, hostToken(fromHost), toHost, endpoint, slot, false),
  responses: (plane, host, id) => `${plane}.reply._.*.${hostToken(host)}.${id.toLowerCase()}`,
  response: (plane, fromHost, toHost, toId) => `${plane}.reply._.${hostToken(fromHost)}.${hostToken(toHost)}.${toId.toLowerCase()}`,
  localityPrefixes(locality) {
    const parts = locality.toLowerCase().split('-').filter(Boolean);
    return parts.map((_, i) => parts.slice(0, i + 1).join('-'));
  },
};
