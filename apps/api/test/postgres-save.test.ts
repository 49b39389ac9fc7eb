/**
 * PostgreSQL saves on top of a named revision run as one compare-and-set statement, deciding
 * autosave folding from what each process remembers of the revision it builds on. Two stores on
 * one database stand for two API processes: neither may trust the other's history to be what it
 * last saw, and nothing may be overwritten or folded wrongly.
 */
import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/storage/postgres.ts';
import { AUTOSAVE_WINDOW_MS, type DesignStore, type SaveInput } from '../src/storage/types.ts';
import { freshDatabase, type TestDatabase } from './support/postgres.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const withReplicas = (n: number) => {
  const doc = structuredClone(checkout);
  const shop = doc.bundles?.find((b) => b.name === 'shop');
  if (shop) shop.replicas['us-west-2a'] = n;
  return doc;
};
const replicasOf = (doc: TopologyInput) => doc.bundles?.find((b) => b.name === 'shop')?.replicas['us-west-2a'];

describe('PostgreSQL saves on a named revision, from two processes', () => {
  let db: TestDatabase;
  let a: DesignStore;
  let b: DesignStore;
  let t = Date.parse('2025-06-01T08:00:00.000Z');
  const now = () => new Date(t);
  beforeAll(async () => {
    db = await freshDatabase();
    a = await openPostgresStore(db.url, { now, poolSize: 3 });
    b = await openPostgresStore(db.url, { now, poolSize: 3 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const save = async (store: DesignStore, input: SaveInput) => {
    const r = await store.save(input);
    if (!r.ok) throw new Error(`save failed: ${r.reason}`);
    return r.revision;
  };
  const history = async (store: DesignStore, id: string) => {
    const h = await store.history(id);
    if (!h.ok) throw new Error(h.reason);
    return h.revisions.map((r) => [r.revision, r.author, r.autosave, r.saves]);
  };

  it('folds autosaves across processes from the database’s history, and refuses a save on a revision another process replaced', async () => {
    const id = (await a.save({ name: 'x', doc: withReplicas(1), author: 'ana' })) as { id: string };
    t += 10_000;
    const r2 = await save(a, { id: id.id, name: 'x', doc: withReplicas(2), expectedRevision: 1, autosave: true, author: 'ana' });
    // B has never seen revision 2: it must learn it is ana's autosave to fold into it.
    t += 10_000;
    const r3 = await save(b, { id: id.id, name: 'x', doc: withReplicas(3), expectedRevision: r2, autosave: true, author: 'ana' });
    expect(await history(a, id.id)).toEqual([
      [3, 'ana', true, 2],
      [1, 'ana', false, 1],
    ]);
    // A still remembers revision 2, which no longer exists: its save on it is a conflict naming 3.
    expect(await a.save({ id: id.id, name: 'stale', doc: withReplicas(9), expectedRevision: r2, autosave: true, author: 'ana' })).toMatchObject({
      ok: false,
      reason: 'conflict',
      expectedRevision: 2,
      latestRevision: 3,
      latestBy: 'ana',
    });
    // On revision 3 (written by B), A folds again, counting every save of the run.
    t += 10_000;
    const r4 = await save(a, { id: id.id, name: 'x', doc: withReplicas(4), expectedRevision: r3, autosave: true, author: 'ana' });
    expect(await history(b, id.id)).toEqual([
      [4, 'ana', true, 3],
      [1, 'ana', false, 1],
    ]);
    // Past the window, the run ends even though both processes know the revision.
    t += AUTOSAVE_WINDOW_MS;
    await save(b, { id: id.id, name: 'x', doc: withReplicas(5), expectedRevision: r4, autosave: true, author: 'ana' });
    expect((await history(a, id.id))[0]).toEqual([5, 'ana', true, 1]);
    const latest = await a.get(id.id);
    expect(latest.ok && [latest.design.revision, replicasOf(latest.design.doc)]).toEqual([5, 5]);
  });

  it('lets one of many saves racing from both processes on one revision win, and the others name the winner', async () => {
    const { id } = (await a.save({ name: 'race', doc: withReplicas(1), author: 'ana' })) as { id: string };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).save({ id, name: 'race', doc: withReplicas(i + 2), expectedRevision: 1, author: `user${i}` }),
      ),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = results.indexOf(winners[0] as (typeof results)[number]);
    for (const r of results) if (!r.ok) expect(r).toMatchObject({ reason: 'conflict', latestRevision: 2, latestBy: `user${winner}` });
    const latest = await b.get(id);
    expect(latest.ok && replicasOf(latest.design.doc)).toBe(winner + 2);
    expect((await history(a, id)).map((r) => r[0])).toEqual([2, 1]);
  });

  it('refuses a save on a design another process deleted, and saves again once it is restored', async () => {
    const { id } = (await a.save({ name: 'gone', doc: withReplicas(1), author: 'ana' })) as { id: string };
    const r2 = await save(a, { id, name: 'gone', doc: withReplicas(2), expectedRevision: 1, author: 'ana' });
    expect(await b.delete(id, 'ben')).toMatchObject({ ok: true });
    expect(await a.save({ id, name: 'gone', doc: withReplicas(3), expectedRevision: r2, author: 'ana' })).toMatchObject({
      ok: false,
      reason: 'deleted',
    });
    expect(await b.undelete(id)).toMatchObject({ ok: true, revision: 2 });
    expect(await save(a, { id, name: 'gone', doc: withReplicas(3), expectedRevision: r2, author: 'ana' })).toBe(3);
    expect(await a.save({ id: 'no-such-design', name: 'n', doc: withReplicas(1), expectedRevision: 1, author: 'ana' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
  });
});
