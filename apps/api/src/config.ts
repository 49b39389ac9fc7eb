/**
 * Configuration from the environment, validated once at start. Errors say which variable
 * is wrong and what to set instead.
 */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Where the built web app lives (served at /). */
  webDist: string;
  logLevel: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigResult {
  const errors: string[] = [];
  const portText = env.PORT ?? '4300';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    errors.push(`PORT="${portText}" is not a port number; set PORT to a whole number from 1 to 65535 (default 4300)`);
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(cwd, env.DATA_DIR?.trim() || 'data');
  const webDist = resolve(env.BUSBOARD_WEB_DIST?.trim() || new URL('../../web/dist', import.meta.url).pathname);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    errors.push(`LOG_LEVEL="${logLevel}" is not a level; use one of fatal, error, warn, info, debug, trace, silent`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, config: { port, host, dataDir, webDist, logLevel } };
}
