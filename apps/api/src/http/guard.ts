/**
 * Who may call /trpc. With BUSBOARD_TOKEN, every call needs `Authorization: Bearer <token>`
 * (wrong tokens are throttled per address, see throttle.ts). Always: every call, GETs
 * included, must show it comes from the app (the `X-Busboard-Request` header, or
 * `Sec-Fetch-Site: same-origin`/`none`), so an `<img>`, `<script>` or form on another site
 * reaches no procedure; an `Origin` that does not match `Host` is refused (no CORS); a POST
 * must be JSON; and a
 * server on loopback without a token only answers requests addressed to this machine, which
 * stops DNS rebinding. The web app itself and /healthz, /readyz stay open: the app holds no
 * data, and it is what asks for the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopback } from '../config.ts';
import { trpcErrorBody } from '../failures.ts';
import { TokenThrottle } from './throttle.ts';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** The header the web app, the CLI and any API client send to show a call is no cross-site request. */
export const REQUEST_HEADER = 'x-busboard-request';

/**
 * Proof that a call comes from Busboard's own web app or an API client, not from a page on
 * another site: our custom header (a page elsewhere cannot send it without a CORS preflight,
 * which this server never grants), or the browser's own word that the request is same-origin
 * or typed by the user (`Sec-Fetch-Site`). An `<img>`, `<script>`, form or `fetch` from another
 * site has neither, whether or not a token is configured.
 */
function fromTheApp(req: FastifyRequest): boolean {
  const custom = req.headers[REQUEST_HEADER];
  if (typeof custom === 'string' && custom.length > 0) return true;
  const site = req.headers['sec-fetch-site'];
  return site === 'same-origin' || site === 'none';
}

/** The procedure path of a tRPC URL (`/trpc/live.watch?…` → `live.watch`). */
function procedurePath(req: FastifyRequest): string {
  const p = (req.params as { path?: unknown } | undefined)?.path;
  if (typeof p === 'string') return p;
  // A route of its own (the live stream, live/stream.ts): the last segment of its path.
  return req.routeOptions.url?.split('/').pop() ?? '';
}

/**
 * A browser's EventSource (tRPC subscriptions over server-sent events) cannot send headers: its
 * token comes as tRPC's `connectionParams` query parameter instead, and only for the streams
 * (`streamPaths`, e.g. `live.watch`), never for any other GET. (Our request logs leave query
 * strings out.)
 */
function streamToken(req: FastifyRequest, streamPaths: ReadonlySet<string>): string | undefined {
  if (req.method !== 'GET' || !/text\/event-stream/.test(req.headers.accept ?? '') || !streamPaths.has(procedurePath(req))) return undefined;
  const raw = new URL(req.url, 'http://busboard').searchParams.get('connectionParams');
  if (!raw) return undefined;
  try {
    const token = (JSON.parse(raw) as { token?: unknown }).token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

export interface GuardOptions {
  token?: string;
  host: string;
  /** Subscription procedures (server-sent event streams), the only ones that take the token from the query string. */
  streamPaths?: Iterable<string>;
  throttle?: TokenThrottle;
}

const forbidden = (reply: FastifyReply, message: string) => reply.code(403).send(trpcErrorBody('FORBIDDEN', 403, -32003, message));

/** The checks for /trpc; the web app itself and /healthz, /readyz are served without them. */
export function createGuard(options: GuardOptions) {
  const expected = options.token ? digest(options.token) : undefined;
  const rebindingCheck = !options.token && isLoopback(options.host);
  const streamPaths = new Set(options.streamPaths ?? []);
  const throttle = options.throttle ?? new TokenThrottle();

  /** Registered for the tRPC routes only (see server.ts). */
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const host = req.headers.host ?? '';
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost = '';
      try {
        originHost = new URL(origin).host;
      } catch {}
      if (originHost !== host) return forbidden(reply, `requests from ${origin} are refused: Busboard only answers its own web app`);
    }
    if (rebindingCheck && !isLoopback(hostnameOf(host))) {
      return forbidden(reply, `Busboard on ${options.host} only answers requests addressed to this machine (Host: ${host})`);
    }
    const given = expected ? (/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? streamToken(req, streamPaths)) : undefined;
    // A stream's EventSource can send neither our header nor, from a plain-http address other than
    // localhost, Sec-Fetch-Site: its token in the query string is its proof (checked below).
    const streamWithToken = given !== undefined && !req.headers.authorization;
    if (!fromTheApp(req) && !streamWithToken) {
      return forbidden(
        reply,
        `this request does not come from Busboard's web app: API clients send the header "X-Busboard-Request: 1" (pages on other sites cannot, so they are refused)`,
      );
    }
    if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return reply.code(415).send(trpcErrorBody('UNSUPPORTED_MEDIA_TYPE', 415, -32015, 'send tRPC calls as application/json'));
    }
    if (expected) {
      const wait = throttle.waitMs(req.ip);
      if (wait > 0) {
        const s = Math.ceil(wait / 1000);
        return reply
          .code(429)
          .header('Retry-After', String(s))
          .send(trpcErrorBody('TOO_MANY_REQUESTS', 429, -32029, `too many wrong access tokens from ${req.ip}; try again in ${s} s`));
      }
      if (!given || !timingSafeEqual(digest(given), expected)) {
        if (given) throttle.failed(req.ip);
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer realm="busboard"')
          .send(
            trpcErrorBody(
              'UNAUTHORIZED',
              401,
              -32001,
              given ? 'the access token is wrong' : 'this Busboard server needs an access token (BUSBOARD_TOKEN)',
            ),
          );
      }
      throttle.succeeded(req.ip);
    }
  };
}
