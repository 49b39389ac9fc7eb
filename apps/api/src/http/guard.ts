/**
 * Who may call /trpc. With BUSBOARD_TOKEN, every call needs `Authorization: Bearer <token>`.
 * Always: a browser page from another origin may not call (no CORS, and an `Origin` that does
 * not match `Host` is refused), a POST must be JSON (a cross-site form cannot send it), and a
 * server on loopback without a token only answers requests addressed to this machine, which
 * stops DNS rebinding. The web app itself and /healthz, /readyz stay open: the app holds no
 * data, and it is what asks for the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopback } from '../config.ts';

/** A body the tRPC client reads as an error for every call of a batch. */
export function trpcErrorBody(code: string, httpStatus: number, jsonRpcCode: number, message: string) {
  return { error: { message, code: jsonRpcCode, data: { code, httpStatus } } };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/**
 * A browser's EventSource (tRPC subscriptions over server-sent events) cannot send headers: its
 * token comes as tRPC's `connectionParams` query parameter instead, and only for such streams.
 * (Our request logs leave query strings out.)
 */
function subscriptionToken(req: FastifyRequest): string | undefined {
  if (req.method !== 'GET' || !/text\/event-stream/.test(req.headers.accept ?? '')) return undefined;
  const raw = new URL(req.url, 'http://busboard').searchParams.get('connectionParams');
  if (!raw) return undefined;
  try {
    const token = (JSON.parse(raw) as { token?: unknown }).token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The checks for /trpc; the web app itself and /healthz, /readyz are served without them. */
export function createGuard(options: { token?: string; host: string }) {
  const expected = options.token ? digest(options.token) : undefined;
  const rebindingCheck = !options.token && isLoopback(options.host);

  /** Registered for the tRPC routes only (see server.ts). */
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const host = req.headers.host ?? '';
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost = '';
      try {
        originHost = new URL(origin).host;
      } catch {}
      if (originHost !== host) {
        return reply
          .code(403)
          .send(trpcErrorBody('FORBIDDEN', 403, -32003, `requests from ${origin} are refused: Busboard only answers its own web app`));
      }
    }
    if (rebindingCheck && !isLoopback(hostnameOf(host))) {
      return reply
        .code(403)
        .send(trpcErrorBody('FORBIDDEN', 403, -32003, `Busboard on ${options.host} only answers requests addressed to this machine (Host: ${host})`));
    }
    if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return reply.code(415).send(trpcErrorBody('UNSUPPORTED_MEDIA_TYPE', 415, -32015, 'send tRPC calls as application/json'));
    }
    if (expected) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? subscriptionToken(req);
      if (!given || !timingSafeEqual(digest(given), expected)) {
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
    }
  };
}
