/**
 * Reads nats-server HTTP monitoring endpoints (`/varz`, `/routez`). Each server is asked on
 * its own with a timeout: a dead server shows as down, the others are still reported.
 */
import { type MonitorAuth, splitMonitorUrl } from './config.ts';

export interface MonitoredServer {
  url: string;
  up: boolean;
  error?: string;
  id?: string;
  name?: string;
  version?: string;
  cluster?: string;
  connections?: number;
  routes?: number;
  inMsgs?: number;
  outMsgs?: number;
  uptime?: string;
}

/** The Authorization header for a monitoring port behind HTTP basic auth. */
export function basicAuthHeaders(auth: MonitorAuth | undefined): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}` } : {};
}

async function getJson(url: string, timeoutMs: number, auth?: MonitorAuth): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: basicAuthHeaders(auth) });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The URL with a scheme, without a trailing slash and without credentials (see `splitMonitorUrl`). */
export function normalizeMonitorUrl(raw: string): string {
  return splitMonitorUrl(raw).url;
}

/** One server's `/varz`; credentials in the URL are sent as a header and never shown back. */
export async function readServer(rawUrl: string, timeoutMs = 2000): Promise<MonitoredServer> {
  const { url, auth } = splitMonitorUrl(rawUrl);
  try {
    const varz = await getJson(`${url}/varz`, timeoutMs, auth);
    const cluster = varz.cluster as { name?: string } | undefined;
    return {
      url,
      up: true,
      id: String(varz.server_id ?? ''),
      name: String(varz.server_name ?? varz.server_id ?? url),
      version: String(varz.version ?? ''),
      cluster: cluster?.name ?? '',
      connections: Number(varz.connections ?? 0),
      routes: Number(varz.routes ?? 0),
      inMsgs: Number(varz.in_msgs ?? 0),
      outMsgs: Number(varz.out_msgs ?? 0),
      uptime: String(varz.uptime ?? ''),
    };
  } catch (err) {
    const message = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message) : String(err);
    return { url, up: false, error: message.includes('fetch failed') ? 'connection refused or unreachable' : message };
  }
}

export async function readServers(urls: string[], timeoutMs = 2000): Promise<MonitoredServer[]> {
  return Promise.all(urls.map((u) => readServer(u, timeoutMs)));
}
