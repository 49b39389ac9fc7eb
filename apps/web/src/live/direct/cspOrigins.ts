/**
 * The WebSocket origins this page's Content-Security-Policy allows. The policy is fixed when
 * the document loads, so a WebSocket URL configured afterwards needs a reload; reading the
 * policy once, as the app starts, lets the page say so instead of failing on a CSP error.
 */
let atLoad: Promise<string[]> | null = null;

export function parseConnectSrc(csp: string): string[] {
  const directive = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('connect-src'));
  return directive
    ? directive
        .split(/\s+/)
        .slice(1)
        .filter((t) => /^wss?:\/\//.test(t))
    : [];
}

export function wsOriginsAtLoad(): Promise<string[]> {
  atLoad ??= fetch('/healthz')
    .then((r) => parseConnectSrc(r.headers.get('content-security-policy') ?? ''))
    .catch(() => []);
  return atLoad;
}

export function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

// Read at module load, i.e. when the app starts (App imports the Live page statically).
void wsOriginsAtLoad();
