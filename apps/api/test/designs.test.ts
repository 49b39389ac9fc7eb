import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import type { Context } from '../src/context.ts';
import { appRouter } from '../src/routers/_app.ts';
import { seedExamples } from '../src/storage/seed.ts';
import { openSqliteStore } from '../src/storage/sqlite.ts';
import type { DesignStore } from '../src/storage/types.ts';
import { createCallerFactory } from '../src/trpc.ts';
import { tempDir } from './support/server.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const callerFor = (store: DesignStore, author = 'ana') => createCallerFactory(appRouter)({ store, author } satisfies Context);

describe('designs router (createCaller, real SQLite file)', () => {
  it('saves, reads back, and keeps every revision after the store is reopened', async () => {
    const dir = tempDir();
    let store = openSqliteStore(dir);
    const caller = callerFor(store);
    const first = await caller.designs.save({ name: 'Checkout', doc: checkout });
    expect(first.revision).toBe(1);
    const edited = structuredClone(checkout);
    edited.bundles![1]!.replicas['us-west-2a'] = 5;
    const second = await caller.designs.save({ id: first.id, name: 'Checkout', doc: edited, expectedRevision: 1, message: 'more cart replicas' });
    expect(second).toEqual({ id: first.id, revision: 2 });
    await store.close();

    store = openSqliteStore(dir);
    const again = callerFor(store);
    const latest = await again.designs.get({ id: first.id });
    expect(latest).toMatchObject({ revision: 2, latestRevision: 2, author: 'ana', message: 'more cart replicas' });
    expect(latest.doc.bundles?.[1]?.replicas['us-west-2a']).toBe(5);
    const old = await again.designs.get({ id: first.id, revision: 1 });
    expect(old.doc.bundles?.[1]?.replicas['us-west-2a']).toBe(2);
    await store.close();
  });

  it('refuses a stale save with CONFLICT naming the newer revision and its author, and changes nothing', async () => {
    const store = openSqliteStore(tempDir());
    const { id } = await callerFor(store, 'ana').designs.save({ name: 'c', doc: checkout });
    await callerFor(store, 'ben').designs.save({ id, name: 'c', doc: checkout, expectedRevision: 1 });
    await expect(callerFor(store, 'ana').designs.save({ id, name: 'stale', doc: checkout, expectedRevision: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/revision 2 \(by ben at .*\) is newer than 1/),
      problems: [{ path: 'expectedRevision', message: expect.stringMatching(/revision 2 \(by ben at .*\) is newer than 1/) }],
    });
    expect((await callerFor(store).designs.get({ id })).name).toBe('c');
    await store.close();
  });

  it('requires expectedRevision whenever an id is given', async () => {
    const store = openSqliteStore(tempDir());
    const { id } = await callerFor(store).designs.save({ name: 'c', doc: checkout });
    await expect(callerFor(store).designs.save({ id, name: 'c', doc: checkout })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await callerFor(store).designs.history({ id })).length).toBe(1);
    await store.close();
  });

  it('lists history, diffs two revisions, restores one, and deletes into a restorable trash', async () => {
    const store = openSqliteStore(tempDir());
    const c = callerFor(store);
    const { id } = await c.designs.save({ name: 'Checkout', doc: checkout, message: 'v1' });
    const edited = structuredClone(checkout);
    edited.bundles![1]!.replicas['us-west-2a'] = 5;
    edited.services = edited.services!.filter((s) => s.name !== 'inventory.checkout');
    edited.services.forEach((s) => {
      s.calls = s.calls?.filter((call) => call.to !== 'inventory.checkout');
    });
    edited.bundles!.forEach((b) => {
      b.services = b.services.filter((s) => s !== 'inventory.checkout');
    });
    await c.designs.save({ id, name: 'Checkout', doc: edited, expectedRevision: 1, message: 'v2' });

    const history = await c.designs.history({ id });
    expect(history.map((r) => [r.revision, r.message, r.author])).toEqual([
      [2, 'v2', 'ana'],
      [1, 'v1', 'ana'],
    ]);
    const diff = await c.designs.diff({ id, from: 1, to: 2 });
    expect(diff.services.removed).toEqual(['inventory.checkout']);
    expect(diff.replicas).toEqual([{ bundle: 'shop', zone: 'us-west-2a', from: 2, to: 5 }]);

    expect(await c.designs.restore({ id, revision: 1 })).toEqual({ id, revision: 3 });
    expect((await c.designs.get({ id })).doc).toEqual(checkout);

    const { purgeAfter } = await c.designs.delete({ id });
    expect(Date.parse(purgeAfter) - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    expect(await c.designs.list()).toEqual([]);
    await expect(c.designs.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('restore it from the trash') });
    expect((await c.designs.trash()).map((d) => d.id)).toEqual([id]);
    expect(await c.designs.undelete({ id })).toEqual({ id, revision: 3 });
    expect((await c.designs.list()).map((d) => d.id)).toEqual([id]);
    await store.close();
  });

  it('seeds the examples into an empty store once', async () => {
    const store = openSqliteStore(tempDir());
    expect(await seedExamples(store)).toBe(EXAMPLES.length);
    expect(await seedExamples(store)).toBe(0);
    expect((await store.list()).map((d) => d.name).sort()).toEqual(EXAMPLES.map((e) => e.title).sort());
    await store.close();
  });
});
