/**
 * JetStream as an ordinary account user sees it: `$JS.API.STREAM.LIST` (each stream's
 * StreamInfo, its leader's view: config, state, Raft group) and `$JS.API.CONSUMER.LIST.<stream>`
 * for its consumers, both paged by `offset`. Only the connection's own account. Used when
 * the source could not ask JSZ (the account source); null when JetStream does not answer
 * (not enabled for the account, or on no server).
 */
import type { RawConsumerInfo, RawJsApi, RawStreamInfo } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import type { TimingOptions } from './system.ts';

interface ListReply {
  total?: number;
  streams?: RawStreamInfo[];
  consumers?: RawConsumerInfo[];
  error?: { code?: number; description?: string };
}

async function list<K extends 'streams' | 'consumers'>(
  nc: NatsConnection,
  subject: string,
  key: K,
  t: TimingOptions,
): Promise<NonNullable<ListReply[K]> | null> {
  const out: NonNullable<ListReply[K]> = [];
  for (let page = 0; page < t.maxPages; page++) {
    const msg = await nc.request(subject, JSON.stringify({ offset: out.length }), { timeout: t.maxWaitMs });
    const reply = msg.json<ListReply>();
    if (reply.error) return null;
    const items = (reply[key] ?? []) as NonNullable<ListReply[K]>;
    out.push(...(items as never[]));
    if (items.length === 0 || out.length >= (reply.total ?? 0)) break;
  }
  return out;
}

export async function collectJetStreamApi(nc: NatsConnection, t: TimingOptions, account?: string): Promise<RawJsApi | null> {
  let streams: RawStreamInfo[] | null;
  try {
    streams = await list(nc, '$JS.API.STREAM.LIST', 'streams', t);
  } catch {
    return null; // no responders: JetStream runs on no server this account reaches
  }
  if (!streams) return null;
  await Promise.all(
    streams.map(async (s) => {
      const name = s.config?.name;
      if (!name) return;
      const consumers = await list(nc, `$JS.API.CONSUMER.LIST.${name}`, 'consumers', t).catch(() => null);
      if (consumers) s.consumers = consumers;
    }),
  );
  return account ? { account, streams } : { streams };
}
