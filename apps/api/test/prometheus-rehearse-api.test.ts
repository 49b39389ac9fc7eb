/**
 * The `prometheus` and `rehearse` routers over HTTP: credentials stay on the server (sealed, never
 * answered), failures come back as values that say what to do, and a server without nats-server
 * says how to install it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from '@busboard/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { LiveRegistry, memoryConnectionStore } from '../src/live/registry.ts';
import { PrometheusSources, prometheusFromEnv } from '../src/prometheus/source.ts';
import { RehearsalManager } from '../src/rehearse/manager.ts';
import { loadKey } from '../src/secrets/cipher.ts';
import { type CredentialStore, createCredentialStore } from '../src/secrets/credentials.ts';
import { buildServer } from '../src/server.ts';
import { openStore } from '../src/storage/open.ts';
import { dataOf, tempDir, trpcHttp } from './support/server.ts';

const TOKEN = 'prom-token-7c1e0b9d5a3f48e2b6d4c8a1f0e9d7b3';

describe('prometheus and rehearse over HTTP', () => {
  let app: FastifyInstance;
  let url: string;
  let dataDir: string;
  let credentials: CredentialStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dataDir = tempDir();
    const loaded = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const store = await openStore(loaded.config);
    const key = loadKey({ secret: loaded.config.secret, dataDir });
    if (!key.ok) throw new Error(key.message);
    credentials = createCredentialStore(store.sealed, key.key);
    const live = new LiveRegistry(memoryConnectionStore());
    // A server where nats-server is not installed.
    const rehearsals = new RehearsalManager(live, () => null);
    const prometheus = new PrometheusSources(null, credentials);
    app = await buildServer(loaded.config, { store, credentials, live, rehearsals, prometheus });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await store.close();
    };
  });
  afterAll(async () => close?.());

  it('says how to install nats-server instead of rehearsing', async () => {
    const status = dataOf<{ available: boolean; problem: string }>(await trpcHttp(url, 'rehearse.status', undefined));
    expect(status.available).toBe(false);
    expect(status.problem).toContain('apt-get install -y nats-server');
    const doc = EXAMPLES.find((e) => e.id === 'checkout')?.doc;
    const started = dataOf<{ ok: boolean; problems: { path: string; message: string }[] }>(
      await trpcHttp(url, 'rehearse.start', { doc, durationS: 10 }, 'mutation'),
    );
    expect(started).toEqual({ ok: false, problems: [{ path: '', message: expect.stringContaining('nats-server is not installed') }] });
  });

  it('refuses a broken design with every problem and its path', async () => {
    const res = await trpcHttp(url, 'rehearse.start', { doc: { schema: 'busboard.topology/v3', zones: [] } }, 'mutation');
    expect(res.status).toBe(400);
    expect(res.body.error?.data.problems?.[0]?.path).toBe('zones');
  });

  it('asks for a Prometheus before comparing, and keeps its credentials sealed', async () => {
    const doc = EXAMPLES.find((e) => e.id === 'checkout')?.doc;
    expect(dataOf(await trpcHttp(url, 'prometheus.source', undefined))).toEqual({ configured: false, url: null, auth: 'none', origin: null });
    const none = dataOf<{ ok: boolean; problems: { path: string; message: string }[] }>(
      await trpcHttp(url, 'prometheus.compare', { doc }, 'mutation'),
    );
    expect(none).toEqual({ ok: false, problems: [{ path: '', message: expect.stringContaining('BUSBOARD_PROMETHEUS_URL') }] });

    const bad = dataOf<{ ok: boolean; problems: { path: string; message: string }[] }>(
      await trpcHttp(url, 'prometheus.setSource', { source: { url: 'http://user:pw@127.0.0.1:9' } }, 'mutation'),
    );
    expect(bad.problems[0]).toEqual({ path: 'url', message: expect.stringContaining('not in the URL') });

    const set = await trpcHttp(
      url,
      'prometheus.setSource',
      { source: { url: 'http://127.0.0.1:1', auth: { kind: 'bearer', token: TOKEN } } },
      'mutation',
    );
    expect(set.text).not.toContain(TOKEN);
    expect(dataOf(set)).toEqual({ ok: true, view: { configured: true, url: 'http://127.0.0.1:1', auth: 'bearer', origin: 'app' } });
    for (const f of readdirSync(dataDir).filter((f) => f.startsWith('busboard.sqlite')))
      expect(readFileSync(join(dataDir, f)).includes(TOKEN)).toBe(false);
    // Read back by a fresh process's loader, and hidden from the credentials list.
    const again = new PrometheusSources(null, credentials);
    expect(await again.load()).toBeNull();
    expect(again.get()?.auth).toEqual({ kind: 'bearer', token: TOKEN });
    const listed = dataOf<{ name: string }[]>(await trpcHttp(url, 'credentials.list', undefined));
    expect(listed.map((c) => c.name)).not.toContain('prometheus-source');
    const clash = await trpcHttp(url, 'credentials.save', { name: 'prometheus-source', secret: 'x' }, 'mutation');
    expect(clash.status).toBe(400);

    // Nothing listens there: a value that says what to check.
    const down = dataOf<{ ok: boolean; problems: { path: string; message: string }[] }>(
      await trpcHttp(url, 'prometheus.compare', { doc }, 'mutation'),
    );
    expect(down).toEqual({ ok: false, problems: [{ path: '', message: expect.stringContaining('cannot be reached') }] });
    expect(JSON.stringify(down)).not.toContain(TOKEN);
  });

  it('reads its source from the environment, refusing what cannot work', () => {
    expect(prometheusFromEnv({})).toEqual({ ok: true, source: null });
    expect(prometheusFromEnv({ BUSBOARD_PROMETHEUS_URL: 'ftp://x' })).toMatchObject({ ok: false });
    expect(
      prometheusFromEnv({ BUSBOARD_PROMETHEUS_URL: 'http://p:9090', BUSBOARD_PROMETHEUS_TOKEN: 't', BUSBOARD_PROMETHEUS_USER: 'u' }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      prometheusFromEnv({ BUSBOARD_PROMETHEUS_URL: 'http://p:9090', BUSBOARD_PROMETHEUS_USER: 'u', BUSBOARD_PROMETHEUS_PASSWORD: 'pw' }),
    ).toEqual({
      ok: true,
      source: { url: 'http://p:9090', auth: { kind: 'basic', username: 'u', password: 'pw' } },
    });
  });
});
