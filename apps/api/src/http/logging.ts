/**
 * Structured logs (pino, through fastify) that never hold credentials: request lines carry the
 * path without its query string (a tRPC query's input may hold monitoring URLs with a password),
 * headers are not logged, and any field named like a secret is redacted wherever it appears.
 */
import type { FastifyServerOptions } from 'fastify';

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
