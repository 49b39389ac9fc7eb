/**
 * Cluster connections: a name, NATS URL(s), credentials (user/password, token, a .creds file
 * for JWT/NKey, TLS with a CA file), optional system-account credentials, optional HTTP
 * monitoring URLs and WebSocket URLs (browser-direct mode). Configured in the app or in the
 * environment; credentials never leave the server (`publicView` is what the browser sees).
 */
import { z } from 'zod';

export const Auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('user'), user: z.string().min(1), password: z.string() }),
  z.object({ kind: z.literal('token'), token: z.string().min(1) }),
  z.object({ kind: z.literal('creds'), credsFile: z.string().min(1) }),
]);
export type Auth = z.infer<typeof Auth>;

const natsUrl = z
  .string()
  .trim()
  .min(1)
  .refine((u) => /^(nats|tls|wss?):\/\//.test(u) || /^[\w.-]+(:\d+)?$/.test(u) || /^\[[\d:a-f]+\](:\d+)?$/i.test(u), {
    message: 'must be a NATS URL such as nats://127.0.0.1:4222 or host:port',
  });
const httpUrl = z
  .string()
  .trim()
  .min(1)
  .refine((u) => /^https?:\/\/[^\s]+$/.test(u) || /^[\w.-]+:\d+$/.test(u), { message: 'must be an HTTP URL such as http://127.0.0.1:8222' });
const wsUrl = z
  .string()
  .trim()
  .refine((u) => /^wss?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u), { message: 'must be a WebSocket URL such as ws://127.0.0.1:8443' });

/** A monitoring port's HTTP basic-auth credentials, kept apart from its URL (sealed with the connection). */
export const MonitorAuth = z.object({ user: z.string().min(1), password: z.string() });
export type MonitorAuth = z.infer<typeof MonitorAuth>;

/**
 * A monitoring URL with its credentials split off: `http://user:pass@host:8222` → the URL
 * `http://host:8222` and `{user, password}` (sent as an Authorization header; Node's fetch
 * refuses URLs with credentials anyway, and a URL is shown, logged and returned everywhere).
 */
export function splitMonitorUrl(raw: string): { url: string; auth?: MonitorAuth } {
  const trimmed = raw.trim().replace(/\/+$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { url: stripUserInfo(withScheme) };
  }
  if (!parsed.username && !parsed.password) return { url: withScheme };
  const auth = { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/+$/, ''), ...(auth.user ? { auth } : {}) };
}

export const ConnectionInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    servers: z.array(natsUrl).max(64).default([]),
    auth: Auth.default({ kind: 'none' }),
    /** A system-account user, for `$SYS.REQ.SERVER.PING.*` (the whole cluster and its gateways). */
    systemAuth: Auth.optional(),
    tlsCaFile: z.string().trim().min(1).optional(),
    monitorUrls: z.array(httpUrl).max(64).default([]),
    /** Basic-auth credentials per monitoring URL (without credentials), split off the URLs on input. */
    monitorAuth: z.record(z.string().max(2000), MonitorAuth).default({}),
    /** WebSocket URLs the browser may connect to itself (browser-direct mode); the CSP allows just these. */
    wsUrls: z.array(wsUrl).max(16).default([]),
    pollMs: z.number().int().min(250).max(60_000).default(2000),
  })
  .refine((c) => c.servers.length > 0 || c.monitorUrls.length > 0, {
    message: 'give NATS URLs (servers) or monitoring URLs (monitorUrls), or both',
    path: ['servers'],
  })
  .transform((c) => {
    // Credentials never stay in a URL: they move to monitorAuth, keyed by the URL without them.
    const monitorAuth: Record<string, MonitorAuth> = Object.assign(Object.create(null), c.monitorAuth);
    const monitorUrls = c.monitorUrls.map((raw) => {
      const { url, auth } = splitMonitorUrl(raw);
      if (auth) monitorAuth[url] = auth;
      return url;
    });
    return { ...c, monitorUrls, monitorAuth: { ...monitorAuth } };
  });
export type ConnectionInput = z.input<typeof ConnectionInput>;
export type ConnectionSpec = z.output<typeof ConnectionInput>;

export interface LiveConnectionConfig extends Omit<ConnectionSpec, 'monitorAuth'> {
  monitorAuth?: ConnectionSpec['monitorAuth'];
  id: string;
  /** `env` when it came from the environment (it cannot be removed from the app); `rehearsal` while a rehearsal runs (never stored). */
  origin: 'app' | 'env' | 'rehearsal';
}

/** What the browser may see of a connection: no password, token or file contents. */
export interface PublicConnection {
  id: string;
  name: string;
  origin: 'app' | 'env' | 'rehearsal';
  servers: string[];
  auth: string;
  systemAuth: string | null;
  tls: boolean;
  monitorUrls: string[];
  /** How each monitoring URL signs in ("user mon"), never the password. */
  monitorAuth: Record<string, string>;
  wsUrls: string[];
  pollMs: number;
}

export function describeAuth(a: Auth | undefined): string {
  if (!a) return 'none';
  switch (a.kind) {
    case 'none':
      return 'none';
    case 'user':
      return `user ${a.user}`;
    case 'token':
      return 'token';
    case 'creds':
      return `creds file ${a.credsFile.split('/').pop()}`;
  }
}

export function publicView(c: LiveConnectionConfig): PublicConnection {
  return {
    id: c.id,
    name: c.name,
    origin: c.origin,
    servers: c.servers.map(stripUserInfo),
    auth: describeAuth(c.auth),
    systemAuth: c.systemAuth ? describeAuth(c.systemAuth) : null,
    tls: !!c.tlsCaFile,
    monitorUrls: c.monitorUrls.map(stripUserInfo),
    monitorAuth: Object.fromEntries(Object.entries(c.monitorAuth ?? {}).map(([u, a]) => [stripUserInfo(u), `user ${a.user}`])),
    wsUrls: c.wsUrls.map(stripUserInfo),
    pollMs: c.pollMs,
  };
}

/** `nats://user:pass@host:4222` → `nats://host:4222`, so a URL with a password never reaches the browser or a log. */
export function stripUserInfo(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1');
}

function authFromEnv(env: NodeJS.ProcessEnv, prefix: string): Auth | undefined {
  const user = env[`${prefix}USER`]?.trim();
  const token = env[`${prefix}TOKEN`]?.trim();
  const creds = env[`${prefix}CREDS`]?.trim();
  if (creds) return { kind: 'creds', credsFile: creds };
  if (token) return { kind: 'token', token };
  if (user) return { kind: 'user', user, password: env[`${prefix}PASSWORD`] ?? '' };
  return undefined;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export type EnvConnections = { ok: true; connections: LiveConnectionConfig[] } | { ok: false; errors: string[] };

/**
 * Connections from the environment: `BUSBOARD_NATS_URL` (comma-separated) with
 * `BUSBOARD_NATS_USER`/`_PASSWORD`, `_TOKEN` or `_CREDS`, `_CA`, `BUSBOARD_NATS_SYSTEM_USER`/
 * `_PASSWORD`/`_CREDS`, `BUSBOARD_NATS_MONITOR_URLS`, `BUSBOARD_NATS_WS_URLS`,
 * `BUSBOARD_NATS_NAME`, `BUSBOARD_NATS_POLL_MS`; or several as a JSON array in
 * `BUSBOARD_LIVE_CONNECTIONS`. Errors name the variable and the field.
 */
export function connectionsFromEnv(env: NodeJS.ProcessEnv): EnvConnections {
  const errors: string[] = [];
  const out: LiveConnectionConfig[] = [];
  let index = 0;
  const add = (raw: unknown, where: string) => {
    index++;
    const parsed = ConnectionInput.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      return;
    }
    out.push({ ...parsed.data, id: `env-${index}`, origin: 'env' });
  };
  const json = env.BUSBOARD_LIVE_CONNECTIONS?.trim();
  if (json) {
    let items: unknown;
    try {
      items = JSON.parse(json);
    } catch (err) {
      errors.push(`BUSBOARD_LIVE_CONNECTIONS is not JSON (${(err as Error).message}); give an array of {name, servers, auth, monitorUrls}`);
    }
    if (items !== undefined) {
      if (!Array.isArray(items)) errors.push('BUSBOARD_LIVE_CONNECTIONS must be a JSON array of connections');
      else {
        for (const [i, item] of items.entries()) add(item, `BUSBOARD_LIVE_CONNECTIONS[${i}]`);
      }
    }
  }
  const servers = list(env.BUSBOARD_NATS_URL);
  const monitorUrls = list(env.BUSBOARD_NATS_MONITOR_URLS);
  if (servers.length || monitorUrls.length) {
    const pollText = env.BUSBOARD_NATS_POLL_MS?.trim();
    const raw: Record<string, unknown> = {
      name: env.BUSBOARD_NATS_NAME?.trim() || 'cluster',
      servers,
      auth: authFromEnv(env, 'BUSBOARD_NATS_') ?? { kind: 'none' },
      monitorUrls,
      wsUrls: list(env.BUSBOARD_NATS_WS_URLS),
    };
    const systemAuth = authFromEnv(env, 'BUSBOARD_NATS_SYSTEM_');
    if (systemAuth) raw.systemAuth = systemAuth;
    if (env.BUSBOARD_NATS_CA?.trim()) raw.tlsCaFile = env.BUSBOARD_NATS_CA.trim();
    if (pollText) raw.pollMs = Number(pollText);
    add(raw, 'BUSBOARD_NATS_*');
  }
  return errors.length ? { ok: false, errors } : { ok: true, connections: out };
}
