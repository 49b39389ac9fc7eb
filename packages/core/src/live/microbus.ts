/**
 * Microbus microservices recognised from their subscription subjects (MODEL.md §4):
 * `<plane>.<safe|danger>.<port>.*.<host_with_underscores>.<slot>.<METHOD>.<path…>`, slot
 * `_` (any replica), `id-<replica id>` (one replica) or `loc-<locality prefix>`; and the older
 * `<plane>.<port>.<reversed.host>.|.<METHOD>.<path…>`. The queue group is the hostname; port
 * 888 is the control port, whose subscriptions have no queue group by design.
 */

export type MicrobusSlot = { kind: 'any' } | { kind: 'id'; id: string } | { kind: 'locality'; locality: string };

export interface MicrobusSubject {
  plane: string;
  host: string;
  port: string;
  method: string;
  path: string;
  slot: MicrobusSlot;
  /** Control subjects (port 888) carry no queue group on purpose. */
  control: boolean;
  format: 'current' | 'legacy';
}

export const MICROBUS_CONTROL_PORT = '888';

const CURRENT = /^([^.]+)\.(safe|danger)\.(\d+|\*)\.[^.]+\.([^.]+)\.(_|id-[^.]+|loc-[^.]+)\.([A-Za-z*]+)(?:\.(.*))?$/;
const LEGACY = /^([^.]+)\.(\d+|\*)\.([^|]+?)\.\|\.([A-Za-z*]+)(?:\.(.*))?$/;

function slotOf(token: string): MicrobusSlot {
  if (token.startsWith('id-')) return { kind: 'id', id: token.slice(3) };
  if (token.startsWith('loc-')) return { kind: 'locality', locality: token.slice(4) };
  return { kind: 'any' };
}

const cache = new Map<string, MicrobusSubject | null>();

/** Reads a Microbus subscription subject, or returns null when the subject is not one. */
export function parseMicrobusSubject(subject: string): MicrobusSubject | null {
  // Most subjects on a busy cluster are not Microbus ones: rule them out without a regex.
  if (!subject.includes('.safe.') && !subject.includes('.danger.') && !subject.includes('.|.')) return null;
  // Replicas repeat the same subjects; a bounded memo keeps a snapshot of 50,000 of them cheap.
  const hit = cache.get(subject);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(subject);
  if (cache.size > 50_000) cache.clear();
  cache.set(subject, parsed);
  return parsed;
}

function parseUncached(subject: string): MicrobusSubject | null {
  const current = CURRENT.exec(subject);
  if (current) {
    const [, plane, , port, hostToken, slot, method, path] = current as unknown as string[];
    const host = (hostToken as string).replace(/_/g, '.').toLowerCase();
    if (!isHostname(host)) return null;
    return {
      plane: plane as string,
      host,
      port: port as string,
      method: (method as string).toUpperCase(),
      path: path ?? '',
      slot: slotOf(slot as string),
      control: port === MICROBUS_CONTROL_PORT,
      format: 'current',
    };
  }
  const legacy = LEGACY.exec(subject);
  if (legacy) {
    const [, plane, port, reversed, method, path] = legacy as unknown as string[];
    if (plane === '$SRV' || plane === '$SYS' || plane === '_INBOX') return null;
    const host = (reversed as string).split('.').reverse().join('.').toLowerCase();
    if (!isHostname(host)) return null;
    return {
      plane: plane as string,
      host,
      port: port as string,
      method: (method as string).toUpperCase(),
      path: path ?? '',
      slot: { kind: 'any' },
      control: port === MICROBUS_CONTROL_PORT,
      format: 'legacy',
    };
  }
  return null;
}

function isHostname(host: string): boolean {
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host);
}

/** Builds a current-format subject (tests and the example workers use it). */
export function microbusSubject(o: { plane?: string; host: string; port?: number | string; method?: string; path?: string; slot?: string }): string {
  const path = (o.path ?? '').replace(/^\//, '').replace(/\./g, '_').replace(/\//g, '.') || '_';
  return [
    o.plane ?? 'microbus',
    'safe',
    String(o.port ?? 443),
    '*',
    o.host.replace(/\./g, '_'),
    o.slot ?? '_',
    (o.method ?? 'GET').toUpperCase(),
    path,
  ].join('.');
}
