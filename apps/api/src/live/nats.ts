/**
 * NATS plumbing for the collectors: connecting with a connection's credentials, and
 * `gather`, a request that collects many replies (one per server, one per service instance).
 * It ends when every expected replier answered, when replies stop coming for `stallMs`, or at
 * `maxWaitMs`; each reply carries its own round-trip time, which makes it a probe too.
 */
import { readFileSync } from 'node:fs';
import { connect, createInbox, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { type Auth, stripUserInfo } from './config.ts';

export interface ConnectTarget {
  servers: string[];
  auth: Auth;
  tlsCaFile?: string;
  name: string;
  timeoutMs?: number;
}

export async function connectNats(target: ConnectTarget): Promise<NatsConnection> {
  const opts: Parameters<typeof connect>[0] = {
    servers: target.servers,
    name: target.name,
    timeout: target.timeoutMs ?? 3000,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
  };
  const a = target.auth;
  if (a.kind === 'user') Object.assign(opts, { user: a.user, pass: a.password });
  else if (a.kind === 'token') opts.token = a.token;
  else if (a.kind === 'creds') {
    let creds: Uint8Array;
    try {
      creds = readFileSync(a.credsFile);
    } catch (err) {
      throw new Error(`cannot read the creds file ${a.credsFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    opts.authenticator = credsAuthenticator(creds);
  }
  if (target.tlsCaFile) opts.tls = { caFile: target.tlsCaFile };
  try {
    return await connect(opts);
  } catch (err) {
    throw new Error(explainConnectError(err, target.servers));
  }
}

/** Turns a client error into a sentence that says what to fix, without credentials. */
export function explainConnectError(err: unknown, servers: string[]): string {
  const msg = err instanceof Error ? err.message : String(err);
  const where = servers.map(stripUserInfo).join(', ');
  if (/authorization|authentication|auth/i.test(msg))
    return `NATS at ${where} refused the credentials (${msg}); check the user, password, token or creds file`;
  if (/ECONNREFUSED|connection refused|CONNECTION_REFUSED/i.test(msg))
    return `nothing answers at ${where} (connection refused); check the URL and that nats-server runs`;
  if (/timeout/i.test(msg)) return `no answer from ${where} within the connect timeout; check the URL, firewall and TLS settings`;
  if (/tls|certificate/i.test(msg)) return `TLS with ${where} failed (${msg}); check the CA file`;
  return `cannot connect to ${where}: ${msg}`;
}

export interface GatherOptions {
  maxWaitMs: number;
  /** End this long after the last reply. */
  stallMs: number;
  /** Distinct ids (see `idOf`) that, once all have answered, shorten the wait to `graceMs`. */
  expect?: ReadonlySet<string>;
  /** How long to wait for newcomers once every expected replier answered (default 0: end at once). */
  graceMs?: number;
  idOf?: (reply: unknown) => string | undefined;
}

export interface GatheredReply {
  data: unknown;
  rttMs: number;
}

export interface GatherResult {
  replies: GatheredReply[];
  noResponders: boolean;
}

export async function gather(nc: NatsConnection, subject: string, payload: unknown, options: GatherOptions): Promise<GatherResult> {
  const inbox = createInbox();
  const replies: GatheredReply[] = [];
  const seen = new Set<string>();
  const started = performance.now();
  return new Promise<GatherResult>((resolve) => {
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (noResponders = false) => {
      if (done) return;
      done = true;
      clearTimeout(maxTimer);
      clearTimeout(stallTimer);
      sub.unsubscribe();
      resolve({ replies, noResponders });
    };
    const maxTimer = setTimeout(() => finish(), options.maxWaitMs);
    const sub = nc.subscribe(inbox, {
      callback: (err, msg) => {
        if (err) return finish();
        const status = msg.headers?.code ?? 0;
        if (status === 503 || (msg.data.length === 0 && msg.headers?.hasError)) return finish(replies.length === 0);
        let data: unknown;
        try {
          data = msg.json();
        } catch {
          return; // not JSON: not a reply we can read; keep waiting for others
        }
        replies.push({ data, rttMs: performance.now() - started });
        const id = options.idOf?.(data);
        if (id) seen.add(id);
        const allIn = !!options.expect && options.expect.size > 0 && [...options.expect].every((e) => seen.has(e));
        if (allIn && !options.graceMs) return finish();
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => finish(), allIn ? (options.graceMs as number) : options.stallMs);
      },
    });
    try {
      nc.publish(subject, payload === undefined ? '' : JSON.stringify(payload), { reply: inbox });
    } catch {
      finish();
    }
  });
}
