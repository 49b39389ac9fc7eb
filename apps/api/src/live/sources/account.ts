/**
 * Collection as an ordinary account user: `$SYS.REQ.ACCOUNT.PING.CONNZ` answers with the
 * account's own connections on every server (and leaf servers that share the account).
 * Routes and gateways are not visible this way; the snapshot says so.
 */
import type { ProbeSample, RawConnz, RawServerReplies } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { gather } from '../nats.ts';
import { CONNZ_OPTIONS, type SysReply, type TimingOptions } from './system.ts';

const idOf = (r: unknown) => (r as SysReply).server?.id;

export interface AccountCollection {
  servers: RawServerReplies[];
  probes: ProbeSample[];
}

export async function collectAccount(nc: NatsConnection, known: ReadonlySet<string>, t: TimingOptions): Promise<AccountCollection | null> {
  const byId = new Map<string, RawServerReplies>();
  const probes: ProbeSample[] = [];
  for (let page = 0; page < t.maxPages; page++) {
    const wanting = page === 0 ? null : [...byId.entries()].filter(([, s]) => more(s)).map(([id]) => id);
    if (wanting && wanting.length === 0) break;
    const offsetOf = (s: RawServerReplies | undefined) => (s?.connz ?? []).reduce((a, p) => a + (p.connections?.length ?? 0), 0);
    // Every server answers a paged ping at the same offset; servers already read in full are skipped below.
    const offset = wanting ? Math.min(...wanting.map((id) => offsetOf(byId.get(id)))) : 0;
    const res = await gather(
      nc,
      '$SYS.REQ.ACCOUNT.PING.CONNZ',
      { ...CONNZ_OPTIONS, limit: t.pageSize, offset },
      { maxWaitMs: t.maxWaitMs, stallMs: t.stallMs, expect: page === 0 ? known : new Set(wanting), graceMs: page === 0 ? t.graceMs : 0, idOf },
    );
    if (page === 0 && (res.noResponders || res.replies.length === 0)) return null;
    for (const { data, rttMs } of res.replies) {
      const r = data as SysReply;
      const id = r.server?.id;
      if (!id || !r.data) continue;
      const had = byId.get(id);
      if (!had) {
        byId.set(id, { info: r.server, up: true, connz: [r.data as RawConnz] });
        probes.push({ server: r.server?.name ?? id, rttMs });
      } else if (page > 0 && offsetOf(had) === offset && more(had)) had.connz?.push(r.data as RawConnz);
    }
  }
  return { servers: [...byId.values()], probes };
}

function more(s: RawServerReplies): boolean {
  const pages = s.connz ?? [];
  const last = pages[pages.length - 1];
  const read = pages.reduce((a, p) => a + (p.connections?.length ?? 0), 0);
  return !!last && (last.connections?.length ?? 0) > 0 && read < (last.total ?? 0);
}
