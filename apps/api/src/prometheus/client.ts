/**
 * A Prometheus HTTP API client (`/api/v1/query`): instant queries, credentials kept on the
 * server (bearer token or basic auth from the environment or the sealed store), failures as
 * values that say what to check. Never logs the URL's credentials or the token.
 */

export interface PrometheusSource {
  url: string;
  auth?: { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };
  timeoutMs?: number;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export type QueryResult = { ok: true; samples: Sample[] } | { ok: false; problem: string };

/** The URL without credentials or query, for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(not a URL)';
  }
}

/** A problem with the URL itself, or null. */
export function checkPrometheusUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL: give Prometheus's address, e.g. http://127.0.0.1:9090`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `Prometheus is reached over http or https, not ${u.protocol}`;
  if (u.username || u.password) return 'put credentials in BUSBOARD_PROMETHEUS_USER / _PASSWORD or _TOKEN, not in the URL';
  return null;
}

export async function instantQuery(source: PrometheusSource, query: string, time?: number): Promise<QueryResult> {
  const base = source.url.replace(/\/$/, '');
  const params = new URLSearchParams({ query });
  if (time !== undefined) params.set('time', String(time));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.auth?.kind === 'bearer') headers.authorization = `Bearer ${source.auth.token}`;
  if (source.auth?.kind === 'basic')
    headers.authorization = `Basic ${Buffer.from(`${source.auth.username}:${source.auth.password}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/query?${params}`, { headers, signal: AbortSignal.timeout(source.timeoutMs ?? 10_000) });
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError' ? 'no answer in time' : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
    return { ok: false, problem: `Prometheus at ${displayUrl(source.url)} cannot be reached (${reason}): check BUSBOARD_PROMETHEUS_URL` };
  }
  if (res.status === 401 || res.status === 403)
    return {
      ok: false,
      problem: `Prometheus at ${displayUrl(source.url)} refused the credentials (HTTP ${res.status}): check BUSBOARD_PROMETHEUS_TOKEN or _USER/_PASSWORD`,
    };
  let body: {
    status?: string;
    error?: string;
    data?: { resultType?: string; result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return { ok: false, problem: `Prometheus at ${displayUrl(source.url)} answered HTTP ${res.status} without JSON: is this Prometheus's address?` };
  }
  if (body.status !== 'success') return { ok: false, problem: `Prometheus refused the query ${query}: ${body.error ?? `HTTP ${res.status}`}` };
  const result = body.data?.resultType === 'vector' ? (body.data.result ?? []) : [];
  return {
    ok: true,
    samples: result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) })).filter((s) => Number.isFinite(s.value)),
  };
}
