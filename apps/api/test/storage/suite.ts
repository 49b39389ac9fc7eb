/**
 * The storage suite: one set of behaviours, run against every backend (SQLite and PostgreSQL),
 * each time on a real database. A backend supplies how to make a fresh location, open a store
 * on it (with a clock the test moves), and throw it away.
 */
import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyFromSecret } from '../../src/secrets/cipher.ts';
import { createCredentialStore } from '../../src/secrets/credentials.ts';
import { AUTOSAVE_WINDOW_MS, type DesignStore, RETENTION_MS } from '../../src/storage/types.ts';

export interface Backend {
  name: string;
  /** A fresh, empty place for a store (a directory, a database URL). */
  create(): Promise<string>;
  open(location: string, now: () => Date): Promise<DesignStore>;
  destroy(location: string): Promise<void>;
}

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const shop = EXAMPLES.find((e) => e.id === 'microbus-shop')?.doc as TopologyInput;

/** The checkout design with `replicas` in the shop bundle's first zone. */
function withReplicas(replicas: number): TopologyInput {
  const doc = structuredClone(checkout);
  const bundle = doc.bundles?.find((b) => b.name === 'shop');
  if (!bundle) throw new Error('no shop bundle');
  bundle.replicas['us-west-2a'] = replicas;
  return doc;
}
const replicasOf = (doc: TopologyInput) => doc.bundles?.find((b) => b.name === 'shop')?.replicas['us-west-2a'];

export function storageSuite(backend: Backend) {
  describe(`design store: ${backend.name}`, () => {
    let location: string;
    let store: DesignStore;
    let t = Date.parse('2025-03-01T09:00:00.000Z');
    const now = () => new Date(t);
    const open = async () => {
      store = await backend.open(location, now);
      return store;
    };
    const saved = async (input: Parameters<DesignStore['save']>[0]) => {
      const r = await store.save(input);
      if (!r.ok) throw new Error(`save failed: ${r.reason}`);
      return r;
    };

    beforeAll(async () => {
      location = await backend.create();
      await open();
    });
    afterEach(() => {
      t += 3600_000;
    });
    afterAll(async () => {
      await store?.close();
      await backend.destroy(location);
    });

    it('saves a new design and reads back exactly the document it was given', async () => {
      const { id, revision } = await saved({ name: 'Checkout', doc: checkout, author: 'ana', message: 'first cut' });
      expect(revision).toBe(1);
      const got = await store.get(id);
      expect(got).toMatchObject({
        ok: true,
        design: { id, name: 'Checkout', revision: 1, latestRevision: 1, author: 'ana', message: 'first cut', autosave: false },
      });
      if (got.ok) expect(got.design.doc).toEqual(checkout);
      expect((await store.list()).find((d) => d.id === id)).toMatchObject({ name: 'Checkout', revision: 1, updatedBy: 'ana' });
    });

    it('keeps every explicit save as a revision with who, when and message, newest first', async () => {
      const { id } = await saved({ name: 'h', doc: withReplicas(1), author: 'ana', message: 'one' });
      const t1 = now().toISOString();
      t += 60_000;
      await saved({ id, name: 'h', doc: withReplicas(2), expectedRevision: 1, author: 'ben', message: 'two' });
      t += 60_000;
      await saved({ id, name: 'h2', doc: withReplicas(3), expectedRevision: 2, author: 'ana', message: 'three' });
      const h = await store.history(id);
      if (!h.ok) throw new Error(h.reason);
      expect(h.revisions.map((r) => [r.revision, r.author, r.message, r.name])).toEqual([
        [3, 'ana', 'three', 'h2'],
        [2, 'ben', 'two', 'h'],
        [1, 'ana', 'one', 'h'],
      ]);
      expect(h.revisions[2]?.createdAt).toBe(t1);
      for (const rev of [1, 2, 3]) {
        const g = await store.get(id, rev);
        expect(g.ok && replicasOf(g.design.doc)).toBe(rev);
      }
    });

    it('refuses a save on top of a stale revision, naming the newer one and who wrote it, and changes nothing', async () => {
      const { id } = await saved({ name: 'c', doc: withReplicas(1), author: 'ana' });
      await saved({ id, name: 'c', doc: withReplicas(2), expectedRevision: 1, author: 'ben' });
      const stale = await store.save({ id, name: 'stale', doc: withReplicas(9), expectedRevision: 1, author: 'ana' });
      expect(stale).toMatchObject({ ok: false, reason: 'conflict', expectedRevision: 1, latestRevision: 2, latestBy: 'ben' });
      const g = await store.get(id);
      expect(g.ok && [g.design.revision, g.design.name, replicasOf(g.design.doc)]).toEqual([2, 'c', 2]);
    });

    it('lets exactly one of many concurrent saves on the same revision win', async () => {
      const { id } = await saved({ name: 'race', doc: withReplicas(1), author: 'ana' });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.save({ id, name: 'race', doc: withReplicas(i + 2), expectedRevision: 1, author: `user${i}` })),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(11);
      const h = await store.history(id);
      expect(h.ok && h.revisions.map((r) => r.revision)).toEqual([2, 1]);
    });

    it('queues concurrent writes that do not name a revision (restores), each on top of the one before', async () => {
      const { id } = await saved({ name: 'q', doc: withReplicas(1), author: 'ana' });
      await saved({ id, name: 'q', doc: withReplicas(2), expectedRevision: 1, author: 'ana' });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.restore({ id, revision: 1 + (i % 2), author: `user${i}` })));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.map((r) => (r.ok ? r.revision : 0)).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8]);
      const h = await store.history(id);
      expect(h.ok && h.revisions.map((r) => r.revision)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('folds a run of autosaves by one author into one revision, until an explicit save or the window passes', async () => {
      const { id } = await saved({ name: 'a', doc: withReplicas(1), author: 'ana', message: 'start' });
      let rev = 1;
      for (let i = 2; i <= 5; i++) {
        t += 20_000;
        rev = (await saved({ id, name: 'a', doc: withReplicas(i), expectedRevision: rev, autosave: true, author: 'ana' })).revision;
      }
      expect(rev).toBe(5);
      let h = await store.history(id);
      if (!h.ok) throw new Error(h.reason);
      expect(h.revisions.map((r) => [r.revision, r.autosave, r.saves])).toEqual([
        [5, true, 4],
        [1, false, 1],
      ]);
      // The folded revisions say where they went.
      expect(await store.get(id, 3)).toMatchObject({ ok: false, reason: 'no-revision', revision: 3, foldedInto: 5 });
      const latest = await store.get(id);
      expect(latest.ok && replicasOf(latest.design.doc)).toBe(5);

      // An explicit save ends the run; the next autosave starts a new one.
      rev = (await saved({ id, name: 'a', doc: withReplicas(6), expectedRevision: rev, author: 'ana', message: 'checkpoint' })).revision;
      t += 1000;
      rev = (await saved({ id, name: 'a', doc: withReplicas(7), expectedRevision: rev, autosave: true, author: 'ana' })).revision;
      // Another author's autosave does not fold into ana's.
      t += 1000;
      rev = (await saved({ id, name: 'a', doc: withReplicas(8), expectedRevision: rev, autosave: true, author: 'ben' })).revision;
      // After the window, ben's next autosave starts a new revision too.
      t += AUTOSAVE_WINDOW_MS;
      rev = (await saved({ id, name: 'a', doc: withReplicas(9), expectedRevision: rev, autosave: true, author: 'ben' })).revision;
      h = await store.history(id);
      if (!h.ok) throw new Error(h.reason);
      expect(h.revisions.map((r) => [r.author, r.autosave, r.saves, r.message])).toEqual([
        ['ben', true, 1, ''],
        ['ben', true, 1, ''],
        ['ana', true, 1, ''],
        ['ana', false, 1, 'checkpoint'],
        ['ana', true, 4, ''],
        ['ana', false, 1, 'start'],
      ]);
      // A stale autosave is a conflict like any other save: folding never overwrites silently.
      expect(await store.save({ id, name: 'a', doc: withReplicas(1), expectedRevision: rev - 1, autosave: true, author: 'ben' })).toMatchObject({
        ok: false,
        reason: 'conflict',
      });
    });

    it('restores an old revision as a new revision, losing nothing', async () => {
      const { id } = await saved({ name: 'r', doc: withReplicas(1), author: 'ana' });
      await saved({ id, name: 'r', doc: withReplicas(4), expectedRevision: 1, author: 'ana' });
      const restored = await store.restore({ id, revision: 1, author: 'ben' });
      expect(restored).toMatchObject({ ok: true, id, revision: 3 });
      const g = await store.get(id);
      expect(g.ok && [replicasOf(g.design.doc), g.design.message, g.design.author]).toEqual([1, 'restored revision 1', 'ben']);
      const two = await store.get(id, 2);
      expect(two.ok && replicasOf(two.design.doc)).toBe(4);
      expect(await store.restore({ id, revision: 1, expectedRevision: 2, author: 'ben' })).toMatchObject({
        ok: false,
        reason: 'conflict',
        latestRevision: 3,
      });
      expect(await store.restore({ id, revision: 99, author: 'ben' })).toMatchObject({ ok: false, reason: 'no-revision', revision: 99 });
    });

    it('moves a deleted design to the trash, restorable with its history for 30 days, then purged', async () => {
      const { id } = await saved({ name: 'Doomed', doc: shop, author: 'ana' });
      await saved({ id, name: 'Doomed', doc: shop, expectedRevision: 1, author: 'ana' });
      const deletedAt = now();
      const del = await store.delete(id, 'ben');
      expect(del).toEqual({ ok: true, purgeAfter: new Date(deletedAt.getTime() + RETENTION_MS).toISOString() });
      expect((await store.list()).map((d) => d.id)).not.toContain(id);
      expect(await store.get(id)).toMatchObject({ ok: false, reason: 'deleted' });
      expect(await store.save({ id, name: 'x', doc: shop, expectedRevision: 2, author: 'ana' })).toMatchObject({ ok: false, reason: 'deleted' });
      expect((await store.trash()).find((d) => d.id === id)).toMatchObject({
        name: 'Doomed',
        revision: 2,
        deletedBy: 'ben',
        deletedAt: deletedAt.toISOString(),
      });

      t += RETENTION_MS - 60_000;
      expect(await store.undelete(id)).toEqual({ ok: true, id, revision: 2 });
      const h = await store.history(id);
      expect(h.ok && h.revisions.length).toBe(2);

      // Deleted again and left for more than 30 days: gone for good.
      await store.delete(id, 'ben');
      t += RETENTION_MS + 1;
      expect(await store.undelete(id)).toEqual({ ok: false, reason: 'purged', id });
      expect(await store.purgeDeleted(new Date(t - RETENTION_MS))).toBeGreaterThanOrEqual(1);
      expect(await store.get(id)).toEqual({ ok: false, reason: 'not-found', id });
      expect((await store.trash()).map((d) => d.id)).not.toContain(id);
    });

    it('answers unknown designs and revisions as values', async () => {
      expect(await store.get('nope')).toEqual({ ok: false, reason: 'not-found', id: 'nope' });
      expect(await store.history('nope')).toEqual({ ok: false, reason: 'not-found', id: 'nope' });
      expect(await store.save({ id: 'nope', name: 'x', doc: checkout, expectedRevision: 1, author: 'a' })).toEqual({
        ok: false,
        reason: 'not-found',
        id: 'nope',
      });
      const { id } = await saved({ name: 'one', doc: checkout, author: 'a' });
      expect(await store.get(id, 7)).toEqual({ ok: false, reason: 'no-revision', id, revision: 7 });
    });

    it('keeps everything after the store is closed and opened again', async () => {
      const { id } = await saved({ name: 'Persist', doc: withReplicas(3), author: 'ana' });
      await saved({ id, name: 'Persist', doc: withReplicas(4), expectedRevision: 1, author: 'ana' });
      await store.close();
      await open();
      const g = await store.get(id);
      expect(g.ok && [g.design.revision, replicasOf(g.design.doc)]).toEqual([2, 4]);
      const old = await store.get(id, 1);
      expect(old.ok && replicasOf(old.design.doc)).toBe(3);
    });

    it('claims a marker exactly once', async () => {
      expect(await store.claimOnce('suite-marker')).toBe(true);
      expect(await store.claimOnce('suite-marker')).toBe(false);
    });

    it('stores credentials sealed: they read back with the key, fail clearly with another, and list without contents', async () => {
      const creds = createCredentialStore(store.sealed, keyFromSecret('k'.repeat(40)));
      const info = await creds.saveCredentials('prod-nats', 'user: alice\npassword: hunter2-hunter2');
      expect(info).toMatchObject({ name: 'prod-nats' });
      const got = await creds.getCredentials('prod-nats');
      expect(got.ok && got.secret.reveal()).toBe('user: alice\npassword: hunter2-hunter2');
      expect(JSON.stringify(got)).not.toContain('hunter2');
      expect(await creds.listCredentials()).toEqual([{ name: 'prod-nats', createdAt: info.createdAt, updatedAt: info.updatedAt }]);
      const raw = await store.sealed.get('prod-nats');
      expect(raw?.sealed.toString('latin1')).not.toContain('hunter2');

      const other = createCredentialStore(store.sealed, keyFromSecret('o'.repeat(40)));
      expect(await other.getCredentials('prod-nats')).toMatchObject({
        ok: false,
        reason: 'wrong-key',
        message: expect.stringContaining('BUSBOARD_SECRET'),
      });
      expect(await creds.getCredentials('missing')).toEqual({ ok: false, reason: 'not-found', name: 'missing' });
      expect(await creds.deleteCredentials('prod-nats')).toBe(true);
      expect(await creds.listCredentials()).toEqual([]);
    });

    it('refuses writes once closing, after letting the ones in flight finish', async () => {
      const { id } = await saved({ name: 'shutdown', doc: withReplicas(1), author: 'ana' });
      const inflight = store.save({ id, name: 'shutdown', doc: withReplicas(2), expectedRevision: 1, author: 'ana' });
      const closing = store.close();
      expect(await store.save({ id, name: 'late', doc: withReplicas(3), expectedRevision: 2, author: 'ana' })).toEqual({
        ok: false,
        reason: 'closing',
      });
      expect(await inflight).toEqual({ ok: true, id, revision: 2 });
      await closing;
      await open();
      const g = await store.get(id);
      expect(g.ok && g.design.revision).toBe(2);
    });
  });
}
