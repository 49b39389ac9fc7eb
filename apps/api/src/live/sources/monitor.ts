/**
 * Collection through each server's HTTP monitoring port (`/varz /connz?subs=detail /routez
 * /gatewayz /leafz /subsz /jsz`). Each server is asked on its own with a timeout; one that
 * fails is shown down and asked again only after a growing pause (backoff), so a dead server
 * never slows the others.
 */
import type { RawConnz, RawServerReplies } from '@busboard/core';
import type { MonitorAuth } from '../config.ts';
import { splitMonitorUrl } from '../config.ts';
import { basicAuthHeaders } from '../monitor.ts';
import type { TimingOptions } from './system.ts';

/** Every stream and consumer this server holds, with their config (subjects, replicas, limits, ack settings). */
export const JSZ_PATH = '/jsz?accounts=true&streams=true&consumers=true&config=true';

interface Backoff {
  failures: number;
  nextAt: number;
  error: string;
}

async function getJson(url: string, timeoutMs: number, auth: MonitorAuth | undefined): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: basicAuthHeaders(auth) });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  return res.json();
}

export function describeFetchError(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (err as Error & { cause?: { code?: string } }).cause?.code;
  if (cause === 'ECONNREFUSED') return 'connection refused';
  if (err.message.includes('fetch failed')) return `unreachable${cause ? ` (${cause})` : ''}`;
  return err.message;
}

export class MonitorSource {
  private readonly backoff = new Map<string, Backoff>();

  constructor(
    private readonly maxBackoffMs = 30_000,
    private readonly baseBackoffMs = 1000,
  ) {}

  /** `auth`: basic-auth credentials by URL (a connection's `monitorAuth`); credentials in a URL itself are split off too. */
  async collect(
    rawUrls: readonly string[],
    now: number,
    t: TimingOptions & { timeoutMs: number },
    auth: Readonly<Record<string, MonitorAuth>> = {},
  ): Promise<RawServerReplies[]> {
    return Promise.all(
      rawUrls.map((u) => {
        const split = splitMonitorUrl(u);
        return this.collectOne(split.url, split.auth ?? (Object.hasOwn(auth, split.url) ? auth[split.url] : undefined), now, t);
      }),
    );
  }

  private async collectOne(
    url: string,
    auth: MonitorAuth | undefined,
    now: number,
    t: TimingOptions & { timeoutMs: number },
  ): Promise<RawServerReplies> {
    const waiting = this.backoff.get(url);
    if (waiting && now < waiting.nextAt) {
      return { url, up: false, error: `${waiting.error}; asking again in ${Math.ceil((waiting.nextAt - now) / 1000)} s` };
    }
    let varz: RawServerReplies['varz'];
    try {
      varz = (await getJson(`${url}/varz`, t.timeoutMs, auth)) as RawServerReplies['varz'];
    } catch (err) {
      const error = describeFetchError(err, t.timeoutMs);
      const failures = (waiting?.failures ?? 0) + 1;
      const pause = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (failures - 1));
      this.backoff.set(url, { failures, nextAt: now + pause, error });
      return { url, up: false, error };
    }
    this.backoff.delete(url);
    const problems: string[] = [];
    const optional = async <T>(path: string): Promise<T | undefined> => {
      try {
        return (await getJson(`${url}${path}`, t.timeoutMs, auth)) as T;
      } catch (err) {
        // /jsz answers 404 or an error when JetStream is off; that is not a problem worth showing.
        if (!path.startsWith('/jsz')) problems.push(`${path.split('?')[0]}: ${describeFetchError(err, t.timeoutMs)}`);
        return undefined;
      }
    };
    const [connz, routez, gatewayz, leafz, subsz, jsz] = await Promise.all([
      this.pagedConnz(url, auth, t, problems),
      optional<RawServerReplies['routez']>('/routez'),
      optional<RawServerReplies['gatewayz']>('/gatewayz'),
      optional<RawServerReplies['leafz']>('/leafz'),
      optional<RawServerReplies['subsz']>('/subsz'),
      optional<RawServerReplies['jsz']>(JSZ_PATH),
    ]);
    const r: RawServerReplies = { url, up: true, varz };
    if (connz.length) r.connz = connz;
    if (routez) r.routez = routez;
    if (gatewayz) r.gatewayz = gatewayz;
    if (leafz) r.leafz = leafz;
    if (subsz) r.subsz = subsz;
    if (jsz) r.jsz = jsz;
    if (problems.length) r.error = problems.join('; ');
    return r;
  }

  private async pagedConnz(
    url: string,
    auth: MonitorAuth | undefined,
    t: TimingOptions & { timeoutMs: number },
    problems: string[],
  ): Promise<RawConnz[]> {
    const pages: RawConnz[] = [];
    let offset = 0;
    for (let i = 0; i < t.maxPages; i++) {
      let page: RawConnz;
      try {
        page = (await getJson(`${url}/connz?subs=detail&auth=true&offset=${offset}&limit=${t.pageSize}`, t.timeoutMs, auth)) as RawConnz;
      } catch (err) {
        problems.push(`/connz: ${describeFetchError(err, t.timeoutMs)}`);
        break;
      }
      pages.push(page);
      const n = page.connections?.length ?? 0;
      offset += n;
      if (n === 0 || offset >= (page.total ?? 0)) break;
    }
    return pages;
  }
}
