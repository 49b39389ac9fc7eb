/**
 * The live stream over HTTP (`GET /trpc/live.watch`, server-sent events in the shape tRPC's
 * `httpSubscriptionLink` reads), written straight to the sockets: each poll's update becomes one
 * view and one encoded SSE chunk, shared by every watcher of that connection, instead of a
 * snapshot view, a JSON serialisation and a web-stream pipeline per watcher and per poll. With
 * 1,000 watchers that is the difference between a stalled server and an idle one
 * (test/live-streams.test.ts). A watcher whose socket is still busy with the previous update
 * skips to the newest one. The tRPC procedure `live.watch` stays for in-process callers.
 */
import { type LiveSnapshotView, snapshotView } from '@busboard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type FailureCode, trpcErrorBody } from '../failures.ts';
import type { CollectorStatus, LiveUpdate } from './collector.ts';
import type { LiveRegistry } from './registry.ts';

export interface LiveUpdateView {
  connectionId: string;
  status: CollectorStatus;
  snapshot: LiveSnapshotView | null;
}

/** The view the browser gets of an update. */
export function updateView(u: LiveUpdate): LiveUpdateView {
  return { connectionId: u.connectionId, status: u.status, snapshot: u.snapshot ? snapshotView(u.snapshot) : null };
}

interface Watcher {
  write(chunk: Buffer): void;
}

interface Channel {
  watchers: Set<Watcher>;
  unsubscribe: () => void;
  last: Buffer | null;
}

const sse = (u: LiveUpdate) => Buffer.from(`data: ${JSON.stringify(updateView(u))}\n\n`, 'utf8');
const CONNECTED = Buffer.from('event: connected\ndata: {}\n\n', 'utf8');
/** Sent every 15 s so proxies do not close an idle stream. */
const COMMENT = Buffer.from(': keep-alive\n\n', 'utf8');

export class LiveBroadcast {
  readonly #channels = new Map<string, Channel>();

  constructor(private readonly registry: LiveRegistry) {}

  /** Adds a watcher of connection `id`; returns how to remove it, or null when there is no such connection. */
  watch(id: string, watcher: Watcher): (() => void) | null {
    const collector = this.registry.collector(id);
    if (!collector) return null;
    let channel = this.#channels.get(id);
    if (!channel) {
      const ch: Channel = { watchers: new Set(), last: null, unsubscribe: () => {} };
      ch.unsubscribe = collector.subscribe((u) => {
        // One view and one encoding per update, whatever the number of watchers.
        ch.last = sse(u);
        for (const w of ch.watchers) w.write(ch.last);
      });
      this.#channels.set(id, ch);
      channel = ch;
    }
    channel.watchers.add(watcher);
    if (collector.latest || collector.status.state !== 'idle') {
      channel.last ??= sse({ connectionId: id, status: collector.status, snapshot: collector.latest });
      watcher.write(channel.last);
    }
    return () => {
      const ch = this.#channels.get(id);
      if (!ch) return;
      ch.watchers.delete(watcher);
      if (ch.watchers.size === 0) {
        ch.unsubscribe();
        this.#channels.delete(id);
      }
      // Keeps the collector for its idle time after the last watcher left.
      this.registry.collector(id);
    };
  }

  get watchers(): number {
    let n = 0;
    for (const ch of this.#channels.values()) n += ch.watchers.size;
    return n;
  }
}

const Input = z.object({ connectionId: z.string().min(1) });

function refuse(reply: FastifyReply, status: number, code: FailureCode, jsonRpc: number, message: string) {
  return reply.code(status).send(trpcErrorBody(code, status, jsonRpc, message));
}

/** Registers `GET /trpc/live.watch` in the tRPC scope (so the guard runs first), ahead of tRPC's own route. */
export function registerLiveStream(scope: FastifyInstance, live: LiveRegistry | undefined): void {
  if (!live) return;
  const broadcast = new LiveBroadcast(live);
  scope.get('/trpc/live.watch', async (req: FastifyRequest, reply: FastifyReply) => {
    let input: unknown;
    try {
      input = JSON.parse(new URL(req.url, 'http://busboard').searchParams.get('input') ?? 'null');
    } catch {
      return refuse(reply, 400, 'BAD_REQUEST', -32600, 'the request is not valid JSON');
    }
    const parsed = Input.safeParse(input);
    if (!parsed.success) return refuse(reply, 400, 'BAD_REQUEST', -32600, 'connectionId: give the id of a cluster connection');
    const id = parsed.data.connectionId;
    if (!live.get(id)) {
      return refuse(reply, 404, 'NOT_FOUND', -32004, `no cluster connection "${id}"; add one on the Live page or in BUSBOARD_NATS_URL`);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    // The headers, the connected event and the newest update leave in one write.
    res.cork();
    res.write(CONNECTED);
    process.nextTick(() => res.uncork());
    const watcher: Watcher = {
      // A socket still sending the previous update skips this one: only the newest matters.
      write: (chunk) => {
        if (!res.writableNeedDrain) res.write(chunk);
      },
    };
    const stop = broadcast.watch(id, watcher);
    const keepAlive = setInterval(() => watcher.write(COMMENT), 15_000);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      stop?.();
    };
    req.raw.once('close', end);
    res.once('close', end);
  });
}
