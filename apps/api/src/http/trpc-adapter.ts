/**
 * tRPC over fastify, on tRPC's own request resolver (`resolveResponse`: batching, error shapes,
 * status codes, subscriptions are all tRPC's). It replaces `fastifyTRPCPlugin`, which costs a
 * large share of each call on Node 20: the body is turned back into bytes for undici to decode
 * and parse again, and every JSON answer is piped out through a web stream. Here:
 * - a JSON body is parsed once, from the string fastify read;
 * - a JSON answer is read as one string and sent with its length, after `RawJsonSplicer`
 *   swaps in stored JSON text (see raw-json.ts: loads send a design as stored, without
 *   parsing and serialising it again);
 * - anything else (server-sent events for subscriptions, streamed batches) goes out exactly
 *   as the stock adapter sends it.
 */
import type { AnyTRPCRouter, TRPCError } from '@trpc/server';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import { resolveResponse } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { trpcErrorBody } from '../failures.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';
import { RawJsonSplicer } from './raw-json.ts';

export interface TrpcRouteOptions<TRouter extends AnyTRPCRouter> {
  prefix: string;
  router: TRouter;
  createContext(opts: { req: FastifyRequest; res: FastifyReply; raw: RawJsonSplicer }): unknown;
  onError?(opts: { error: TRPCError; path: string | undefined; req: FastifyRequest }): void;
}

/** Registers `${prefix}/:path` in `scope` (its own encapsulation context: it takes over the JSON body parser). */
export function registerTrpc<TRouter extends AnyTRPCRouter>(scope: FastifyInstance, options: TrpcRouteOptions<TRouter>): void {
  // tRPC reads the body itself, so fastify only collects it as text (as the stock plugin does).
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  scope.all(`${options.prefix}/:path`, async (req, reply) => {
    const path = (req.params as { path: string }).path;
    const body = typeof req.body === 'string' ? req.body : undefined;
    const query = req.url.includes('?') ? new URL(req.url, 'http://busboard').searchParams.get('input') : null;
    for (const [where, text] of [
      ['body', body],
      ['input parameter', query],
    ] as const) {
      const at = text ? tooDeepAt(text) : -1;
      if (at >= 0) {
        return reply
          .code(400)
          .send(
            trpcErrorBody(
              'BAD_REQUEST',
              400,
              -32600,
              `the request's ${where} nests JSON more than ${MAX_JSON_DEPTH} levels deep (at position ${at}); no Busboard document needs that many`,
            ),
          );
      }
    }
    // The body was consumed by fastify: tell tRPC's converter there is none to stream.
    const incoming = req.raw as typeof req.raw & { body?: unknown };
    incoming.body = undefined;
    const request = incomingMessageToRequest(incoming, reply.raw, { maxBodySize: null });
    if (body !== undefined) {
      // tRPC calls `json()` to read a JSON body: parse the text directly (rejecting, not throwing, on bad JSON, as undici does).
      Object.defineProperty(request, 'json', { value: async () => JSON.parse(body) });
      Object.defineProperty(request, 'text', { value: async () => body });
    }
    const raw = new RawJsonSplicer();
    const response = await resolveResponse({
      router: options.router,
      req: request,
      path,
      error: null,
      createContext: async () => options.createContext({ req, res: reply, raw }),
      onError: (o) => options.onError?.({ error: o.error, path: o.path, req }),
    });
    const type = response.headers.get('content-type');
    if (type !== 'application/json' || response.headers.has('transfer-encoding') || response.body === null) return reply.send(response);
    reply.code(response.status);
    for (const [name, value] of response.headers) reply.header(name, value);
    return reply.send(raw.splice(await response.text()));
  });
}
