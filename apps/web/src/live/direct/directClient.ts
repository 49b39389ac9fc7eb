/**
 * Browser-direct mode: this page connects to the cluster itself over WebSocket (`wsconnect`
 * from @nats-io/nats-core), discovers micro services (`$SRV.PING/INFO/STATS`) and measures
 * the browser's own round trips — to the server (`rtt()`) and to each service. Credentials
 * typed into the page stay in this module's memory and go to the NATS server only.
 * The snapshot is built by core's `buildSnapshot`, as on the server.
 */
import { buildSnapshot, type LiveSnapshot, type ProbeSample, type RawMicroReply } from '@busboard/core';
import type { NatsConnection } from '@nats-io/nats-core';

export type DirectAuth = { kind: 'none' } | { kind: 'user'; user: string; pass: string } | { kind: 'token'; token: string };

export interface DirectSession {
  nc: NatsConnection;
  url: string;
  close(): Promise<void>;
}

export async function connectDirect(url: string, auth: DirectAuth): Promise<DirectSession> {
  // Loaded on first use: most visits never need a NATS client in the page.
  const { wsconnect } = await import('@nats-io/nats-core');
  const opts: Parameters<typeof wsconnect>[0] = {
    servers: url,
    name: 'busboard (browser)',
    timeout: 5000,
    reconnect: true,
    maxReconnectAttempts: 10,
    // nats-server before 2.10.24 answers a close frame without a status with status 1005,
    // which must never be sent (nats-io/nats-server#6259): browsers then report a "broken close
    // frame". Closing with 1000 (normal closure) gets 1000 back.
    wsFactory: async (u: string) => {
      const socket = new WebSocket(u);
      const close = socket.close.bind(socket);
      socket.close = (code?: number, reason?: string) => close(code ?? 1000, reason);
      return { socket, encrypted: u.startsWith('wss://') };
    },
  };
  if (auth.kind === 'user') Object.assign(opts, { user: auth.user, pass: auth.pass });
  if (auth.kind === 'token') Object.assign(opts, { token: auth.token });
  const nc = await wsconnect(opts);
  return { nc, url, close: () => nc.close() };
}

interface Reply {
  data: unknown;
  rttMs: number;
}

/** Many replies to one request, until they stop coming for `stallMs` or at `maxWaitMs`. */
export function gatherDirect(nc: NatsConnection, subject: string, maxWaitMs = 1500, stallMs = 250): Promise<Reply[]> {
  const inbox = `_INBOX.${crypto.randomUUID().replace(/-/g, '')}`;
  const replies: Reply[] = [];
  const started = performance.now();
  return new Promise((resolve) => {
    let stall: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(stall);
      clearTimeout(max);
      sub.unsubscribe();
      resolve(replies);
    };
    const max = setTimeout(done, maxWaitMs);
    const sub = nc.subscribe(inbox, {
      callback: (err, msg) => {
        if (err || msg.headers?.code === 503) return done();
        try {
          replies.push({ data: msg.json(), rttMs: performance.now() - started });
        } catch {
          return;
        }
        clearTimeout(stall);
        stall = setTimeout(done, stallMs);
      },
    });
    nc.publish(subject, '', { reply: inbox });
  });
}

const isType = (kind: string) => (r: unknown) =>
  typeof r === 'object' && r !== null && (r as RawMicroReply).type === `io.nats.micro.v1.${kind}_response`;

/** One poll from the browser; `probes` is the window kept between polls (mutated). */
export async function pollDirect(session: DirectSession, previous: LiveSnapshot | null, probes: ProbeSample[]): Promise<LiveSnapshot> {
  const { nc } = session;
  const info = nc.info;
  const server = info?.server_name ?? 'server';
  for (let i = 0; i < 3; i++) probes.push({ server, rttMs: await nc.rtt() });
  const [ping, inf, stats] = await Promise.all([gatherDirect(nc, '$SRV.PING'), gatherDirect(nc, '$SRV.INFO'), gatherDirect(nc, '$SRV.STATS')]);
  for (const r of ping) {
    const m = r.data as RawMicroReply;
    if (isType('ping')(m) && m.name) probes.push({ service: m.name, instance: m.id, rttMs: r.rttMs });
  }
  if (probes.length > 600) probes.splice(0, probes.length - 600);
  return buildSnapshot(
    {
      source: 'account',
      sourceDetail: `this browser, over ${session.url}`,
      collectedAt: Date.now(),
      servers: [{ info: { name: server, id: info?.server_id, ver: info?.version, cluster: info?.cluster }, up: true }],
      micro: {
        ping: ping.map((r) => r.data).filter(isType('ping')) as RawMicroReply[],
        info: inf.map((r) => r.data).filter(isType('info')) as RawMicroReply[],
        stats: stats.map((r) => r.data).filter(isType('stats')) as RawMicroReply[],
      },
      probes: [...probes],
    },
    previous,
  );
}
