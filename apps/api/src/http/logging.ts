/**
 * Structured logs (pino, through fastify) that never hold credentials: request lines carry the
 * path without its query string (a tRPC query's input may hold monitoring URLs with a password),
 * headers are not logged, and any field named like a secret is redacted wherever it appears.
 */
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.secret',
  '*.password',
  '*.pass',
  '*.token',
  '*.creds',
  '*.credentials',
  '*.seed',
  '*.nkey',
  '*.databaseUrl',
  'secret',
  'password',
  'token',
  'credentials',
  'databaseUrl',
];

export function loggerOptions(level: string, stream?: { write(msg: string): void }): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        remoteAddress: req.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}

/**
 * One log line per request, when it completes (method, path, address, status, time), instead of
 * fastify's two (one more as it arrives): half the logging work on every call. Errors and
 * everything else fastify logs stay as they are, except that an unknown route is named by its
 * path alone, like every other line.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override routeNotFound(request: FastifyRequest) {
    request.log.info(`Route ${request.method}:${request.url.split('?')[0]} not found`);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
