import { EXAMPLES } from '@busboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { appRouter } from '../src/routers/_app.ts';
import { seedExamples } from '../src/storage/seed.ts';
import { openSqliteStore } from '../src/storage/sqlite.ts';
import { createCallerFactory } from '../src/trpc.ts';
import { startTestServer, type TestServer, tempDir, trpcHttp } from './support/server.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc;
if (!checkout) throw new Error('no checkout example');

describe('designs router (createCaller, real SQLite file)', () => {
  it('saves, reads back, and keeps every revision after the store is reopened', async () => {
    const dir = tempDir();
    let store = openSqliteStore(dir);
    const caller = createCallerFactory(appRouter)({ store });
    const first = await caller.designs.save({ name: 'Checkout', doc: checkout });
    expect(first.revision).toBe(1);
    const edited = structuredClone(checkout);
    edited.bundles![1]!.replicas['us-west-2a'] = 5;
    const second = await caller.designs.save({ id: first.id, name: 'Checkout', doc: edited, expectedRevision: 1 });
    expect(second).toEqual({ id: first.id, revision: 2 });
    store.close();

    store = openSqliteStore(dir);
    const again = createCallerFactory(appRouter)({ store });
    const latest = await again.designs.get({ id: first.id });
    expect(latest.revision).toBe(2);
    expect(latest.doc.bundles?.[1]?.replicas['us-west-2a']).toBe(5);
    const old = await again.designs.get({ id: first.id, revision: 1 });
    expect(old.doc.bundles?.[1]?.replicas['us-west-2a']).toBe(2);
    store.close();
  });

  it('refuses a stale save with CONFLICT naming the newer revision, and changes nothing', async () => {
    const store = openSqliteStore(tempDir());
    const caller = createCallerFactory(appRouter)({ store });
    const { id } = await caller.designs.save({ name: 'c', doc: checkout });
    await caller.designs.save({ id, name: 'c', doc: checkout, expectedRevision: 1 });
    await expect(caller.designs.save({ id, name: 'stale', doc: checkout, expectedRevision: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('revision 2 is newer'),
    });
    expect((await caller.designs.get({ id })).name).toBe('c');
    store.close();
  });

  it('seeds the three examples into an empty store once', () => {
    const store = openSqliteStore(tempDir());
    expect(seedExamples(store)).toBe(3);
    expect(seedExamples(store)).toBe(0);
    expect(
      store
        .list()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['Checkout', 'Microbus shop', 'flow8 stateless tier']);
    store.close();
  });
});

describe('designs over real HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it('refuses a bad document with every problem and its path, storing nothing', async () => {
    server = await startTestServer();
    const bad = structuredClone(checkout) as any;
    bad.services[2].calls[0].to = 'pricing.chekout';
    bad.services[0].serviceTimeMs = -1;
    const res = await trpcHttp(server.url, 'designs.save', { name: 'bad', doc: bad }, 'mutation');
    expect(res.status).toBe(400);
    expect(res.body.error?.data.problems).toEqual(
      expect.arrayContaining([
        { path: 'services[0].serviceTimeMs', message: 'must be > 0' },
        { path: 'services[2].calls[0].to', message: 'no service "pricing.chekout"' },
      ]),
    );
    const list = await trpcHttp(server.url, 'designs.list', undefined);
    expect(list.body.result?.data).toEqual([]);
  });

  it('serves the web app with a strict Content-Security-Policy and health endpoints', async () => {
    server = await startTestServer();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
