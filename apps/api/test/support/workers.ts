/**
 * Real workers for live tests, written by hand on plain NATS subscriptions:
 * - `startMicroService`: a NATS micro service answering `$SRV.PING/INFO/STATS` in the
 *   `io.nats.micro.v1` format, with endpoints in a queue group and real request counters.
 * - `startMicrobusBundle`: one NATS connection holding several Microbus-style services, each
 *   subscribing to its `_`, `id-<replica>` and `loc-<locality>` slots (queue group = hostname)
 *   and to the `:888` control port (no queue group).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface MicroEndpointSpec {
  name: string;
  subject: string;
  /** Default `q`, as the micro libraries do. Null: no queue group. */
  queueGroup?: string | null;
}

export interface MicroServiceSpec {
  url: string;
  name: string;
  version: string;
  id?: string;
  metadata?: Record<string, string>;
  endpoints: MicroEndpointSpec[];
  /** Time each request holds the handler (ms), so processing time is measurable. */
  workMs?: number;
  user?: string;
  pass?: string;
}

export interface Worker {
  id: string;
  nc: NatsConnection;
  stop(): Promise<void>;
}

let counter = 0;
function nextId(): string {
  counter++;
  return `${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`.toUpperCase();
}

async function open(url: string, name: string, user?: string, pass?: string): Promise<NatsConnection> {
  return connect({ servers: url, name, ...(user ? { user, pass } : {}), reconnect: false });
}

function busy(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startMicroService(spec: MicroServiceSpec): Promise<Worker> {
  const id = spec.id ?? nextId();
  const nc = await open(spec.url, `${spec.name}-${id}`, spec.user, spec.pass);
  const started = new Date().toISOString();
  const stats = spec.endpoints.map((e) => ({ ...e, num_requests: 0, num_errors: 0, processing_time: 0 }));
  const base = () => ({ name: spec.name, id, version: spec.version, metadata: spec.metadata ?? {} });
  const answer = (kind: 'PING' | 'INFO' | 'STATS') => {
    if (kind === 'PING') return { type: 'io.nats.micro.v1.ping_response', ...base() };
    if (kind === 'INFO') {
      return {
        type: 'io.nats.micro.v1.info_response',
        ...base(),
        description: `${spec.name} (test worker)`,
        endpoints: spec.endpoints.map((e) => ({
          name: e.name,
          subject: e.subject,
          queue_group: e.queueGroup === undefined ? 'q' : e.queueGroup,
          metadata: null,
        })),
      };
    }
    return {
      type: 'io.nats.micro.v1.stats_response',
      ...base(),
      started,
      endpoints: stats.map((e) => ({
        name: e.name,
        subject: e.subject,
        queue_group: e.queueGroup === undefined ? 'q' : e.queueGroup,
        num_requests: e.num_requests,
        num_errors: e.num_errors,
        last_error: '',
        processing_time: e.processing_time,
        average_processing_time: e.num_requests ? Math.round(e.processing_time / e.num_requests) : 0,
      })),
    };
  };
  for (const kind of ['PING', 'INFO', 'STATS'] as const) {
    for (const subject of [`$SRV.${kind}`, `$SRV.${kind}.${spec.name}`, `$SRV.${kind}.${spec.name}.${id}`]) {
      nc.subscribe(subject, { callback: (_err, msg) => void msg.respond(JSON.stringify(answer(kind))) });
    }
  }
  stats.forEach((e) => {
    const queue = e.queueGroup === undefined ? 'q' : e.queueGroup;
    nc.subscribe(e.subject, {
      ...(queue ? { queue } : {}),
      callback: (_err, msg) => {
        const t = process.hrtime.bigint();
        void (spec.workMs ? busy(spec.workMs) : Promise.resolve()).then(() => {
          e.num_requests++;
          e.processing_time += Number(process.hrtime.bigint() - t);
          msg.respond(`ok from ${id}`);
        });
      },
    });
  });
  await nc.flush();
  return { id, nc, stop: () => nc.close() };
}

export interface MicrobusServiceSpec {
  host: string;
  id?: string;
  /** Locality, broadest part first (`us-east-1-a`); the replica subscribes to each prefix. */
  locality?: string;
  endpoints: Array<{ port?: number; method?: string; path: string }>;
  /** A queue group other than the hostname (to cause drift on purpose). */
  queueGroup?: string;
  /** Subscribe the `_` slot without a queue group (to cause drift on purpose). */
  noQueue?: boolean;
}

export interface MicrobusBundle extends Worker {
  ids: Record<string, string>;
}

function pathTokens(path: string): string {
  return path.replace(/^\//, '').replace(/\./g, '_').replace(/\//g, '.') || '_';
}

export function microbusSubjectOf(host: string, slot: string, method: string, port: number, path: string, plane = 'microbus'): string {
  return [plane, 'safe', String(port), '*', host.replace(/\./g, '_'), slot, method, pathTokens(path)].join('.');
}

/** Every prefix of a locality, broadest first: `us-east-1-a` → `us`, `us-east`, `us-east-1`, `us-east-1-a`. */
function localityPrefixes(locality: string): string[] {
  const parts = locality.split('-');
  return parts.map((_, i) => parts.slice(0, i + 1).join('-'));
}

export async function startMicrobusBundle(
  url: string,
  name: string,
  services: MicrobusServiceSpec[],
  auth: { user?: string; pass?: string } = {},
): Promise<MicrobusBundle> {
  const nc = await open(url, name, auth.user, auth.pass);
  const ids: Record<string, string> = {};
  for (const svc of services) {
    const id = svc.id ?? nextId().toLowerCase();
    ids[svc.host] = id;
    const group = svc.queueGroup ?? svc.host;
    const reply = (msg: { respond(d: string): boolean }) => void msg.respond(`ok from ${svc.host} ${id}`);
    for (const ep of svc.endpoints) {
      const method = ep.method ?? 'GET';
      const port = ep.port ?? 443;
      nc.subscribe(microbusSubjectOf(svc.host, '_', method, port, ep.path), {
        ...(svc.noQueue ? {} : { queue: group }),
        callback: (_e, m) => reply(m),
      });
      nc.subscribe(microbusSubjectOf(svc.host, `id-${id}`, method, port, ep.path), { queue: group, callback: (_e, m) => reply(m) });
      for (const loc of svc.locality ? localityPrefixes(svc.locality) : []) {
        nc.subscribe(microbusSubjectOf(svc.host, `loc-${loc}`, method, port, ep.path), { queue: group, callback: (_e, m) => reply(m) });
      }
    }
    // The control port: every replica gets every control message, so no queue group.
    nc.subscribe(microbusSubjectOf(svc.host, '_', 'ANY', 888, 'ping'), { callback: (_e, m) => reply(m) });
    nc.subscribe(microbusSubjectOf(svc.host, `id-${id}`, 'ANY', 888, 'ping'), { callback: (_e, m) => reply(m) });
  }
  await nc.flush();
  return { id: name, nc, ids, stop: () => nc.close() };
}

/** Sends `count` requests to `subject`, `concurrency` at a time; returns how many were answered. */
export async function drive(nc: NatsConnection, subject: string, count: number, concurrency = 4): Promise<number> {
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        try {
          await nc.request(subject, 'x', { timeout: 2000 });
          ok++;
        } catch {
          // unanswered requests are counted by what is missing from `ok`
        }
      }
    }),
  );
  return ok;
}
