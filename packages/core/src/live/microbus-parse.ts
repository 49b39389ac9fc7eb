/**
 * Reading one Microbus subject (the format is described in microbus-subjects.ts). Pure and
 * memoised: replicas repeat the same subjects, and most subjects on a busy cluster are not
 * Microbus ones, which are ruled out before any regular expression runs.
 */
/** Which generation of Microbus subjects a subscription follows (MODEL.md §4). */
export type MicrobusGeneration = 'newest' | 'v1';

/** Who a subject addresses: any replica, one by id, or the replicas of a locality. */
export type MicrobusSlot = { kind: 'any' } | { kind: 'id'; id: string } | { kind: 'locality'; locality: string };

/** A request subscription subject. */
export interface MicrobusRequestSubject {
  kind: 'request';
  generation: MicrobusGeneration;
  plane: string;
  /**
   * The hostname. Newest: exact. v1.x: every host token read as the hostname, prefix
   * included (a single v1.x subject cannot say where the prefix begins; see `v1Tokens`).
   */
  host: string;
  /** `443`, or `*` for any port. */
  port: string;
  /** `GET`, or `*` for any method. */
  method: string;
  /** Decoded and `/`-joined without the leading slash (`items`, `file.html`, `dir/*`); `` for the root. */
  path: string;
  /** Newest: from the slot token. v1.x: `any` until the connection's subscriptions settle it. */
  slot: MicrobusSlot;
  /** Port 888: the framework's own endpoints. */
  control: boolean;
  /** v1.x: the reversed host-and-prefix tokens as they stand in the subject. */
  v1Tokens?: string[];
}

/** A replica's response subscription: `<plane>.reply._.*.<host>.<id>` or `<plane>.r.<reversed host>.<id>`. */
export interface MicrobusResponseSubject {
  kind: 'response';
  generation: MicrobusGeneration;
  plane: string;
  host: string;
  /** The replica id, without the newest code's `id-` prefix. */
  id: string;
}

export type MicrobusSubject = MicrobusRequestSubject | MicrobusResponseSubject;

const PLANE = /^[0-9A-Za-z]+$/;
const PORT = /^(\d+|\*)$/;
const METHOD = /^([A-Z]+|\*)$/;
const LABEL = /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/;
const NEWEST_SLOT = /^(_|id-[a-z0-9]+|loc-[a-z0-9-]+)$/;

const cache = new Map<string, MicrobusSubject | null>();

/** Reads a Microbus subject, or returns null when the subject is not one. */
export function parseMicrobusSubject(subject: string): MicrobusSubject | null {
  // Most subjects on a busy cluster are not Microbus ones: rule them out before the memo.
  if (
    !subject.includes('.safe.') &&
    !subject.includes('.danger.') &&
    !subject.includes('.reply._.') &&
    !subject.includes('.|.') &&
    !subject.includes('.r.')
  )
    return null;
  const hit = cache.get(subject);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(subject);
  // A bounded memo keeps a snapshot of 50,000 subscriptions cheap without growing forever.
  if (cache.size > 50_000) cache.clear();
  cache.set(subject, parsed);
  return parsed;
}

function parseUncached(subject: string): MicrobusSubject | null {
  const first = subject.indexOf('.');
  if (first <= 0) return null;
  const plane = subject.slice(0, first);
  if (plane === '$SYS' || plane === '$SRV' || plane === '_INBOX' || plane === '$JS' || !PLANE.test(plane)) return null;
  const t = subject.split('.');
  const second = t[1] as string;
  if (second === 'safe' || second === 'danger') return parseNewestRequest(plane, t);
  if (second === 'reply') return parseNewestResponse(plane, t);
  if (second === 'r') return parseV1Response(plane, t);
  if (PORT.test(second)) return parseV1Request(plane, t);
  return null;
}

function parseNewestRequest(plane: string, t: string[]): MicrobusRequestSubject | null {
  if (t.length < 8) return null;
  const [, trust, port, src, dest, slot, method] = t as [string, string, string, string, string, string, string];
  if (!PORT.test(port) || !METHOD.test(method) || !NEWEST_SLOT.test(slot) || !src) return null;
  if ((trust === 'danger') !== (port === '666') && port !== '*') return null;
  const host = unescapeHostname(dest);
  if (!host || !isHostname(host)) return null;
  const path = decodePath(t.slice(7), decodeNewestPart);
  if (path === null) return null;
  return { kind: 'request', generation: 'newest', plane, host, port, method, path, slot: slotOf(slot), control: port === '888' };
}

function parseNewestResponse(plane: string, t: string[]): MicrobusResponseSubject | null {
  if (t.length !== 6 || t[2] !== '_') return null;
  const host = unescapeHostname(t[4] as string);
  const token = t[5] as string;
  if (!host || !isHostname(host) || !/^(id-)?[a-z0-9]+$/.test(token)) return null;
  return { kind: 'response', generation: 'newest', plane, host, id: token.replace(/^id-/, '') };
}

function parseV1Response(plane: string, t: string[]): MicrobusResponseSubject | null {
  if (t.length < 4) return null;
  const id = t[t.length - 1] as string;
  const hostTokens = t.slice(2, -1);
  if (!/^[0-9a-v]{10}$/.test(id) || !hostTokens.every((x) => LABEL.test(x))) return null;
  return { kind: 'response', generation: 'v1', plane, host: [...hostTokens].reverse().join('.'), id };
}

function parseV1Request(plane: string, t: string[]): MicrobusRequestSubject | null {
  const bar = t.indexOf('|');
  if (bar < 3 || t.length < bar + 3) return null;
  const port = t[1] as string;
  const method = t[bar + 1] as string;
  const hostTokens = t.slice(2, bar);
  if (!METHOD.test(method) || !hostTokens.every((x) => LABEL.test(x))) return null;
  const path = decodePath(t.slice(bar + 2), decodeV1Part);
  if (path === null) return null;
  return {
    kind: 'request',
    generation: 'v1',
    plane,
    host: [...hostTokens].reverse().join('.'),
    port,
    method,
    path,
    slot: { kind: 'any' },
    control: port === '888',
    v1Tokens: hostTokens,
  };
}

function slotOf(token: string): MicrobusSlot {
  if (token.startsWith('id-')) return { kind: 'id', id: token.slice(3) };
  if (token.startsWith('loc-')) return { kind: 'locality', locality: token.slice(4) };
  return { kind: 'any' };
}

/** Newest hostname segment: `_` → `.`, then `%xx` decoded. */
function unescapeHostname(token: string): string | null {
  return percentDecode(token.replace(/_/g, '.'))?.toLowerCase() ?? null;
}

function decodePath(tokens: string[], part: (t: string) => string | null): string | null {
  // The root path is one `_`; otherwise `_` is an empty segment.
  if (tokens.length === 1 && tokens[0] === '_') return '';
  const out: string[] = [];
  for (const t of tokens) {
    if (t === '_') out.push('');
    else if (t === '*' || t === '>') out.push(t);
    else {
      const decoded = part(t);
      if (decoded === null) return null;
      out.push(decoded);
    }
  }
  return out.join('/');
}

function decodeNewestPart(token: string): string | null {
  return percentDecode(token);
}

/** v1.x: `_` is `.`, `%` + 4 hex digits is one character. */
function decodeV1Part(token: string): string | null {
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string;
    if (c === '_') out += '.';
    else if (c === '%') {
      const hex = token.slice(i + 1, i + 5);
      if (!/^[0-9a-f]{4}$/i.test(hex)) return null;
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 4;
    } else out += c;
  }
  return out;
}

/** `%xx` byte sequences decoded as UTF-8; null when malformed. */
function percentDecode(text: string): string | null {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function isHostname(host: string): boolean {
  return host.split('.').every((label) => label.length > 0 && !/[\s/]/.test(label));
}
