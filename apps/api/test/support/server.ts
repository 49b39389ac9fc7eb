/** A real API server on a free port with a fresh SQLite file, for tests over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { LiveRegistry, memoryConnectionStore } from '../../src/live/registry.ts';
import { buildServer } from '../../src/server.ts';
import { openSqliteStore } from '../../src/storage/sqlite.ts';
import type { DesignStore } from '../../src/storage/types.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  app: FastifyInstance;
  store: DesignStore;
  live: LiveRegistry;
  close(keepData?: boolean): Promise<void>;
}

export function tempDir(prefix = 'busboard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestServer(dataDir = tempDir()): Promise<TestServer> {
  const loaded = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const store = openSqliteStore(dataDir);
  const live = new LiveRegistry(memoryConnectionStore());
  const app = await buildServer(loaded.config, { store, live });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    dataDir,
    app,
    store,
    live,
    async close(keepData = false) {
      await app.close();
      store.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls a tRPC procedure over HTTP the way the web app does (no batching). */
export async function trpcHttp(url: string, path: string, input: unknown, kind: 'query' | 'mutation' = 'query') {
  const res =
    kind === 'query'
      ? await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await fetch(`${url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  return {
    status: res.status,
    body: (await res.json()) as { result?: { data: unknown }; error?: { message: string; data: Record<string, unknown> } },
  };
}
