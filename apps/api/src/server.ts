/**
 * The HTTP server: tRPC under /trpc, the built web app at /, health endpoints. Hardened by
 * default: request size limits, security headers with a strict Content-Security-Policy, the
 * token guard (src/http/guard.ts) and logs without credentials (src/http/logging.ts).
 */
import { existsSync } from 'node:fs';
import { failure } from '@busboard/core';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createContextFactory, type Services } from './context.ts';
import { EnginePool } from './engine/pool.ts';
import { trpcErrorBody } from './failures.ts';
import { createGuard } from './http/guard.ts';
import { loggerOptions, OneLinePerRequest } from './http/logging.ts';
import { registerTrpc } from './http/trpc-adapter.ts';
import { registerLiveStream } from './live/stream.ts';
import { appRouter } from './routers/_app.ts';

/**
 * The CSP, with `connect-src` widened to exactly the WebSocket origins of the configured
 * cluster connections (browser-direct mode) and nothing else.
 */
export function contentSecurityPolicy(wsOrigins: readonly string[] = []): string {
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", ["connect-src 'self'", ...wsOrigins].join(' '));
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React Flow positions nodes with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The largest request body: a 200-service design is ~150 KiB, so this leaves room without inviting abuse. */
export const BODY_LIMIT = 4 * 1024 * 1024;

/** The subscription procedures (server-sent event streams): the only calls that may carry their token in the query string. */
export function subscriptionPaths(): string[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, p]) => p._def.type === 'subscription')
    .map(([path]) => path);
}

export interface ServerOptions {
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(msg: string): void };
}

export async function buildServer(config: Config, services: Services, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, options.logStream),
    logController: new OneLinePerRequest(),
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: BODY_LIMIT,
    requestTimeout: 60_000,
    return503OnClosing: true,
  });

  // Once closing, answers in flight close their connection, so keep-alive clients do not hold the shutdown open.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });

  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('Connection', 'close');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', contentSecurityPolicy(services.live?.wsOrigins()));
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  });
  // Simulations run on worker threads under a time and memory budget (src/engine/pool.ts).
  const engine = services.engine ?? new EnginePool(config.engine);
  app.addHook('onClose', async () => {
    await Promise.all([services.live?.close(), services.engine ? undefined : engine.close()]);
  });

  // Errors before tRPC sees the request (a body too large, malformed JSON) in tRPC's shape, saying what to do.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `the request is larger than ${BODY_LIMIT / 1024 / 1024} MiB; split the design or remove unused parts`
        : status >= 500
          ? 'internal error; the server log has the details'
          : err.message;
    const code =
      status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const jsonRpc = status === 413 ? -32013 : status === 415 ? -32015 : status >= 500 ? -32603 : -32600;
    return reply.code(status).send(trpcErrorBody(code, status, jsonRpc, message));
  });

  // tRPC in its own scope, so the guard runs for every route it serves, however the URL is
  // spelled (`/%74rpc/…` reaches the same route as `/trpc/…`), and for nothing else.
  await app.register(async (scope) => {
    scope.addHook('onRequest', createGuard({ token: config.token, host: config.host, streamPaths: subscriptionPaths() }));
    scope.addHook('onSend', async (_req, reply) => {
      reply.header('Cache-Control', 'no-store');
    });
    const createContext = createContextFactory({ ...services, engine });
    // The live stream, shared by its watchers, ahead of tRPC's route for the same path (live/stream.ts).
    registerLiveStream(scope, services.live);
    registerTrpc(scope, {
      prefix: '/trpc',
      router: appRouter,
      createContext,
      // Never the input: it may hold a document or credentials.
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ path, err: error.cause ?? error }, 'procedure failed');
        else app.log.debug({ path, code: error.code }, 'procedure refused');
      },
    });
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    if (draining) return reply.code(503).send(failure('shutting down'));
    try {
      await services.store.ping();
      return { ok: true, storage: services.store.backend };
    } catch (err) {
      return reply.code(503).send(failure(`storage unavailable: ${(err as Error).message}`));
    }
  });

  if (existsSync(config.webDist)) {
    await app.register(fastifyStatic, { root: config.webDist, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send(`The web app is not built (${config.webDist} is missing): run \`npm run build\`.`),
    );
  }
  return app;
}
