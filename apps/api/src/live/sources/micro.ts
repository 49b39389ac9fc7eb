/**
 * NATS micro services: `$SRV.PING`, `$SRV.INFO` and `$SRV.STATS` (many replies each, types
 * `io.nats.micro.v1.*_response`), and latency probes: timed `$SRV.PING.<name>` requests,
 * one round-trip time per answering instance.
 */
import type { ProbeSample, RawMicro, RawMicroReply } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { gather } from '../nats.ts';

const instanceOf = (r: unknown) => {
  const m = r as RawMicroReply;
  return m.name && m.id ? `${m.name}/${m.id}` : undefined;
};

function isMicro(kind: string) {
  return (r: unknown): r is RawMicroReply => typeof r === 'object' && r !== null && (r as RawMicroReply).type === `io.nats.micro.v1.${kind}_response`;
}

export interface MicroCollection {
  micro: RawMicro;
  probes: ProbeSample[];
}

export async function collectMicro(
  nc: NatsConnection,
  known: ReadonlySet<string>,
  t: { maxWaitMs: number; stallMs: number; graceMs: number; probesPerService: number },
): Promise<MicroCollection> {
  const opts = { maxWaitMs: t.maxWaitMs, stallMs: t.stallMs, expect: known, graceMs: t.graceMs, idOf: instanceOf };
  const [ping, info, stats] = await Promise.all([
    gather(nc, '$SRV.PING', undefined, opts),
    gather(nc, '$SRV.INFO', undefined, opts),
    gather(nc, '$SRV.STATS', undefined, opts),
  ]);
  const probes: ProbeSample[] = [];
  const pings = ping.replies.filter((r) => isMicro('ping')(r.data));
  for (const r of pings) {
    const m = r.data as RawMicroReply;
    if (m.name) probes.push({ service: m.name, instance: m.id, rttMs: r.rttMs });
  }
  // A few more probes per service, addressed by name, one after another so they do not queue behind each other.
  const names = [...new Set(pings.map((r) => (r.data as RawMicroReply).name).filter((n): n is string => !!n))];
  const expectByName = new Map<string, Set<string>>();
  for (const r of pings) {
    const m = r.data as RawMicroReply;
    if (m.name && m.id) expectByName.set(m.name, (expectByName.get(m.name) ?? new Set()).add(`${m.name}/${m.id}`));
  }
  await Promise.all(
    names.map(async (name) => {
      for (let i = 1; i < t.probesPerService; i++) {
        const res = await gather(nc, `$SRV.PING.${name}`, undefined, { ...opts, expect: expectByName.get(name) ?? new Set(), graceMs: 0 });
        for (const r of res.replies) {
          const m = r.data as RawMicroReply;
          if (isMicro('ping')(m)) probes.push({ service: name, instance: m.id, rttMs: r.rttMs });
        }
      }
    }),
  );
  return {
    micro: {
      ping: pings.map((r) => r.data as RawMicroReply),
      info: info.replies.map((r) => r.data).filter(isMicro('info')),
      stats: stats.replies.map((r) => r.data).filter(isMicro('stats')),
    },
    probes,
  };
}
