/**
 * Collection through the system account: `$SYS.REQ.SERVER.PING` (STATSZ) finds every server
 * of the cluster and its gateways, then `$SYS.REQ.SERVER.PING.<ENDPOINT>` asks them all at
 * once. Large `connz` replies are paged per server with `$SYS.REQ.SERVER.<id>.CONNZ`.
 */
import type { ProbeSample, RawConnz, RawServerInfo, RawServerReplies } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { gather } from '../nats.ts';

export interface SysReply {
  server?: RawServerInfo;
  statsz?: unknown;
  data?: unknown;
  error?: { code?: number; description?: string };
}

export const ENDPOINTS = ['VARZ', 'ROUTEZ', 'GATEWAYZ', 'LEAFZ', 'SUBSZ', 'JSZ'] as const;
const ENDPOINT_FIELD = { VARZ: 'varz', ROUTEZ: 'routez', GATEWAYZ: 'gatewayz', LEAFZ: 'leafz', SUBSZ: 'subsz', JSZ: 'jsz' } as const;

export interface TimingOptions {
  maxWaitMs: number;
  stallMs: number;
  /** Connections per `connz` page (small enough that a page stays under max_payload). */
  pageSize: number;
  /** Stop paging a server after this many pages. */
  maxPages: number;
  /** After every known server answered a discovery request, how long to wait for new ones. */
  graceMs: number;
}

export const CONNZ_OPTIONS = { subscriptions_detail: true, auth: true } as const;
/** JSZ with every stream and consumer the server holds and their config (`consumer`, singular, is the server's own field name). */
export const JSZ_OPTIONS = { accounts: true, streams: true, consumer: true, config: true } as const;
const ENDPOINT_OPTIONS: Partial<Record<(typeof ENDPOINTS)[number], object>> = { JSZ: JSZ_OPTIONS };

const idOf = (r: unknown) => (r as SysReply).server?.id;

export interface SystemCollection {
  servers: RawServerReplies[];
  /** Per-server round trips of the STATSZ request. */
  probes: ProbeSample[];
  warnings: string[];
}

/** Null when the connection's user is not in the system account (no responders, or no reply at all). */
export async function collectSystem(nc: NatsConnection, known: ReadonlySet<string>, t: TimingOptions): Promise<SystemCollection | null> {
  const statsz = await gather(nc, '$SYS.REQ.SERVER.PING', undefined, {
    maxWaitMs: t.maxWaitMs,
    stallMs: t.stallMs,
    expect: known,
    graceMs: t.graceMs,
    idOf,
  });
  if (statsz.noResponders || statsz.replies.length === 0) return null;
  const byId = new Map<string, RawServerReplies>();
  const probes: ProbeSample[] = [];
  for (const { data, rttMs } of statsz.replies) {
    const r = data as SysReply;
    const id = r.server?.id;
    if (!id || byId.has(id)) continue;
    byId.set(id, { info: r.server, up: true, statsz: r.statsz as RawServerReplies['statsz'] });
    probes.push({ server: r.server?.name ?? id, rttMs });
  }
  const answered = new Set(byId.keys());
  const opts = { maxWaitMs: t.maxWaitMs, stallMs: t.stallMs, expect: answered, idOf };
  const warnings: string[] = [];
  const [connz, ...others] = await Promise.all([
    gather(nc, '$SYS.REQ.SERVER.PING.CONNZ', { ...CONNZ_OPTIONS, limit: t.pageSize, offset: 0 }, opts),
    ...ENDPOINTS.map((e) => gather(nc, `$SYS.REQ.SERVER.PING.${e}`, ENDPOINT_OPTIONS[e], opts)),
  ]);
  ENDPOINTS.forEach((endpoint, i) => {
    for (const { data } of others[i]?.replies ?? []) {
      const r = data as SysReply;
      const target = r.server?.id ? byId.get(r.server.id) : undefined;
      if (!target) continue;
      if (r.error) {
        if (endpoint !== 'JSZ') warnings.push(`${r.server?.name}: ${endpoint} failed (${r.error.description ?? r.error.code})`);
        continue;
      }
      (target as unknown as Record<string, unknown>)[ENDPOINT_FIELD[endpoint]] = r.data;
    }
  });
  for (const { data } of connz.replies) {
    const r = data as SysReply;
    const target = r.server?.id ? byId.get(r.server.id) : undefined;
    if (target && r.data && !target.connz) target.connz = [r.data as RawConnz];
  }
  await Promise.all([...byId.entries()].map(([id, s]) => pageConnz(nc, id, s, t)));
  for (const [id, s] of byId)
    if (!s.varz && !s.connz) warnings.push(`${s.info?.name ?? id}: answered STATSZ but not VARZ/CONNZ within ${t.maxWaitMs} ms`);
  return { servers: [...byId.values()], probes, warnings };
}

async function pageConnz(nc: NatsConnection, id: string, s: RawServerReplies, t: TimingOptions): Promise<void> {
  const pages = s.connz;
  if (!pages?.length) return;
  for (let page = 1; page < t.maxPages; page++) {
    const last = pages[pages.length - 1] as RawConnz;
    const read = pages.reduce((a, p) => a + (p.connections?.length ?? 0), 0);
    const total = last.total ?? 0;
    if (read >= total || (last.connections?.length ?? 0) === 0) return;
    const res = await gather(
      nc,
      `$SYS.REQ.SERVER.${id}.CONNZ`,
      { ...CONNZ_OPTIONS, limit: t.pageSize, offset: read },
      { maxWaitMs: t.maxWaitMs, stallMs: t.stallMs, expect: new Set([id]), idOf },
    );
    const data = (res.replies[0]?.data as SysReply | undefined)?.data as RawConnz | undefined;
    if (!data) return;
    pages.push(data);
  }
}
