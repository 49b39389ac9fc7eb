/**
 * The HTTP server: tRPC under /trpc, the built web app at /, health endpoints.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createContextFactory, type Services } from './context.ts';
import { type AppRouter, appRouter } from './routers/_app.ts';

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
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export async function buildServer(config: Config, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 8 * 1024 * 1024,
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', contentSecurityPolicy(services.live?.wsOrigins()));
  });
  app.addHook('onClose', async () => services.live?.close());

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: { router: appRouter, createContext: createContextFactory(services) },
  } as { prefix: string; trpcOptions: { router: AppRouter; createContext: () => unknown } });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async () => {
    services.store.list();
    return { ok: true };
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
