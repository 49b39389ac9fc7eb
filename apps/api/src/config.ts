/**
 * Configuration from the environment, validated once at start. Every error says which
 * variable is wrong and what to set instead; secrets are never echoed back.
 */

import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_ENGINE_BUDGET, type EngineBudget } from './engine/pool.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Where the built web app lives (served at /). */
  webDist: string;
  logLevel: string;
  /** `postgres://…`: PostgreSQL instead of SQLite under DATA_DIR. */
  databaseUrl?: string;
  /** When set, every /trpc request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Derives the key that encrypts stored credentials; otherwise DATA_DIR/secret.key is used. */
  secret?: string;
  /** The engine pool's size and budgets (BUSBOARD_ENGINE_*). */
  engine: EngineBudget;
  /** BUSBOARD_OUTBOUND_HOSTS, when set: the hosts the server may contact (see outbound.ts). */
  outboundHosts?: string[];
  /** Where credentials files (.creds, TLS CA) may be read from (BUSBOARD_CREDENTIALS_DIRS; default DATA_DIR/credentials). */
  credentialsDirs: string[];
}

export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; errors: string[] };

/** The variables `loadConfig` reads, documented in the README's configuration table. */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'DATABASE_URL',
  'BUSBOARD_TOKEN',
  'BUSBOARD_SECRET',
  'LOG_LEVEL',
  'BUSBOARD_ENGINE_WORKERS',
  'BUSBOARD_ENGINE_TIMEOUT_MS',
  'BUSBOARD_ENGINE_MEMORY_MB',
  'BUSBOARD_OUTBOUND_HOSTS',
  'BUSBOARD_CREDENTIALS_DIRS',
] as const;

const LOOPBACK = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const MIN_TOKEN_LENGTH = 32;
/** Fewer different characters than this (`aaaa…`, `abab…`) is no secret, whatever its length. */
export const MIN_TOKEN_VARIETY = 8;
export const MIN_SECRET_LENGTH = 32;

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || (isIP(host) === 4 && host.startsWith('127.'));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const text = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const portText = text('PORT') ?? '4300';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    errors.push(`PORT="${portText}" is not a port number; set PORT to a whole number from 1 to 65535 (default 4300)`);
  }

  const host = text('HOST') ?? '127.0.0.1';
  if (!isIP(host) && !HOSTNAME.test(host)) {
    errors.push(`HOST="${host}" is not an IP address or host name; use 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)`);
  }

  const dataDir = resolve(cwd, text('DATA_DIR') ?? 'data');
  const webDist = resolve(text('BUSBOARD_WEB_DIST') ?? new URL('../../web/dist', import.meta.url).pathname);

  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) errors.push(`LOG_LEVEL="${logLevel}" is not a level; use one of ${LOG_LEVELS.join(', ')}`);

  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(databaseUrl);
    } catch {}
    if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname) {
      // The URL may hold a password: say what is wrong without repeating it.
      errors.push(
        'DATABASE_URL is not a PostgreSQL URL; use postgres://USER:PASSWORD@HOST:5432/DATABASE, or unset it to keep designs in SQLite under DATA_DIR',
      );
    }
  }

  const token = env.BUSBOARD_TOKEN;
  if (token !== undefined && token !== '') {
    if (token.length < MIN_TOKEN_LENGTH) {
      errors.push(
        `BUSBOARD_TOKEN is too short (${token.length} characters); use at least ${MIN_TOKEN_LENGTH} random characters, e.g. the output of \`openssl rand -hex 32\``,
      );
    } else if (!/^[\x21-\x7e]+$/.test(token)) {
      errors.push('BUSBOARD_TOKEN must be printable ASCII without spaces (it travels in an HTTP header); e.g. the output of `openssl rand -hex 32`');
    } else if (new Set(token).size < MIN_TOKEN_VARIETY) {
      errors.push(
        `BUSBOARD_TOKEN is too easy to guess (only ${new Set(token).size} different characters); use a random one, e.g. the output of \`openssl rand -hex 32\``,
      );
    }
  }

  const secret = env.BUSBOARD_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < MIN_SECRET_LENGTH) {
    errors.push(
      `BUSBOARD_SECRET is too short (${secret.length} characters); use at least ${MIN_SECRET_LENGTH}, e.g. the output of \`openssl rand -base64 32\``,
    );
  }

  const whole = (name: string, min: number, max: number, fallback: number, what: string): number => {
    const t = text(name);
    if (t === undefined) return fallback;
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < min || n > max) {
      errors.push(`${name}="${t}" is not a whole number from ${min} to ${max}; it is ${what} (default ${fallback})`);
      return fallback;
    }
    return n;
  };
  const engine: EngineBudget = {
    workers: whole(
      'BUSBOARD_ENGINE_WORKERS',
      1,
      64,
      Math.max(1, Math.min(DEFAULT_ENGINE_BUDGET.workers, availableParallelism())),
      'how many worker threads run simulations',
    ),
    timeoutMs: whole('BUSBOARD_ENGINE_TIMEOUT_MS', 100, 3_600_000, DEFAULT_ENGINE_BUDGET.timeoutMs, 'the longest one simulation may run, in ms'),
    memoryMb: whole('BUSBOARD_ENGINE_MEMORY_MB', 64, 65_536, DEFAULT_ENGINE_BUDGET.memoryMb, 'the heap one simulation worker may use, in MB'),
    queue: DEFAULT_ENGINE_BUDGET.queue,
  };

  const listOf = (name: string) =>
    text(name)
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const outboundHosts = listOf('BUSBOARD_OUTBOUND_HOSTS');
  for (const h of outboundHosts ?? []) {
    if (h !== '*' && !/^(\*\.)?[A-Za-z0-9.:[\]-]+$/.test(h)) {
      errors.push(
        `BUSBOARD_OUTBOUND_HOSTS: "${h}" is not a host; list host names or addresses, comma-separated (host:port for one port, *.example.com for subdomains, * for any)`,
      );
    }
  }
  const credentialsDirs = (listOf('BUSBOARD_CREDENTIALS_DIRS') ?? [resolve(dataDir, 'credentials')]).map((d) => resolve(cwd, d));

  if (!isLoopback(host) && !token) {
    errors.push(
      `HOST="${host}" makes Busboard reachable from other machines, and without BUSBOARD_TOKEN anyone who can reach it could read and change every design and use the stored NATS credentials; set BUSBOARD_TOKEN to a long random secret (e.g. \`openssl rand -hex 32\`), or keep HOST=127.0.0.1`,
    );
  }

  if (databaseUrl && !secret) {
    warnings.push(
      `DATABASE_URL is set but BUSBOARD_SECRET is not: credentials are encrypted with ${dataDir}/secret.key, which other API processes sharing this database do not have; set the same BUSBOARD_SECRET on every process`,
    );
  }

  if (errors.length) return { ok: false, errors };
  const config: Config = { port, host, dataDir, webDist, logLevel, engine, credentialsDirs };
  if (outboundHosts) config.outboundHosts = outboundHosts;
  if (databaseUrl) config.databaseUrl = databaseUrl;
  if (token) config.token = token;
  if (secret) config.secret = secret;
  return { ok: true, config, warnings };
}

/** The outbound allow-list of a configuration (outbound.ts), given the connections and Prometheus set in the environment. */
export function outboundOptions(config: Config, configuredUrls: string[]) {
  return {
    ...(config.outboundHosts ? { hosts: config.outboundHosts } : {}),
    configured: configuredUrls,
    loopback: isLoopback(config.host),
    credentialsDirs: config.credentialsDirs,
  };
}
