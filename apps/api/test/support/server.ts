/** A real API server on a free port with a fresh SQLite file (or PostgreSQL database), for tests over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, outboundOptions } from '../../src/config.ts';
import { EnginePool } from '../../src/engine/pool.ts';
import { LiveRegistry, memoryConnectionStore } from '../../src/live/registry.ts';
import { createOutboundPolicy } from '../../src/outbound.ts';
import { loadKey } from '../../src/secrets/cipher.ts';
import { type CredentialStore, createCredentialStore } from '../../src/secrets/credentials.ts';
import { buildServer } from '../../src/server.ts';
import { openStore } from '../../src/storage/open.ts';
import type { DesignStore } from '../../src/storage/types.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  app: FastifyInstance;
  store: DesignStore;
  credentials: CredentialStore;
  live: LiveRegistry;
  /** The server's engine pool (simulations on worker threads). */
  engine: EnginePool;
  /** Every log line the server wrote. */
  logs: string[];
  close(keepData?: boolean): Promise<void>;
}

export function tempDir(prefix = 'busboard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const loaded = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const store = await openStore(loaded.config);
  const key = loadKey({ secret: loaded.config.secret, dataDir });
  if (!key.ok) throw new Error(key.message);
  const credentials = createCredentialStore(store.sealed, key.key);
  const outbound = createOutboundPolicy(outboundOptions(loaded.config, []));
  const live = new LiveRegistry(memoryConnectionStore(), { outbound });
  const engine = new EnginePool(loaded.config.engine);
  const logs: string[] = [];
  const app = await buildServer(
    loaded.config,
    { store, credentials, live, engine, outbound },
    loaded.config.logLevel === 'silent' ? {} : { logStream: { write: (line) => void logs.push(line) } },
  );
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    dataDir,
    app,
    store,
    credentials,
    live,
    engine,
    logs,
    async close(keepData = false) {
      await app.close();
      await engine.close();
      await store.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TrpcAnswer {
  status: number;
  text: string;
  body: {
    result?: { data: unknown };
    error?: {
      message: string;
      data: { code?: string; httpStatus?: number; problems?: { path: string; message: string }[] };
    };
  };
}

/** The header every API client sends (apps/api/src/http/guard.ts refuses calls without it). */
export const APP = { 'x-busboard-request': '1' };

/** Calls a tRPC procedure over HTTP the way the web app does (no batching). */
export async function trpcHttp(
  url: string,
  path: string,
  input: unknown,
  kind: 'query' | 'mutation' = 'query',
  headers: Record<string, string> = {},
): Promise<TrpcAnswer> {
  const res =
    kind === 'query'
      ? await fetch(`${url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, {
          headers: { ...APP, ...headers },
        })
      : await fetch(`${url}/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...APP, ...headers },
          body: JSON.stringify(input),
        });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

/** The result of a successful call; throws with the answer when the call failed. */
export function dataOf<T>(answer: TrpcAnswer): T {
  if (!answer.body.result) throw new Error(`expected a result, got ${answer.status}: ${answer.text}`);
  return answer.body.result.data as T;
}
