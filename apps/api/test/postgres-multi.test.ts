/**
 * Two API processes against one PostgreSQL database, as behind a load balancer: they start
 * together (one migrates, one seeds), see each other's saves, and a save made through one on
 * top of a revision already superseded through the other gets CONFLICT.
 */
import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFromSecret } from '../src/secrets/cipher.ts';
import { createCredentialStore } from '../src/secrets/credentials.ts';
import { openPostgresStore } from '../src/storage/postgres.ts';
import { freshDatabase, type TestDatabase } from './support/postgres.ts';
import { type ServerProcess, startServerProcess } from './support/process.ts';
import { dataOf, tempDir, trpcHttp } from './support/server.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const SECRET = 'shared-secret-for-both-processes-0123456789';
const named = (name: string): TopologyInput => ({ ...structuredClone(checkout), name });

describe('two API processes, one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    db = await freshDatabase();
    const env = (n: string) => ({ DATABASE_URL: db.url, BUSBOARD_SECRET: SECRET, DATA_DIR: tempDir(`busboard-${n}-`) });
    // Started at the same moment: migrations and seeding must not trip over each other.
    [a, b] = await Promise.all([startServerProcess(env('a')), startServerProcess(env('b'))]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await db?.drop();
  });

  it('started together, they seed the examples once', async () => {
    const fromA = (await trpcHttp(a.url, 'designs.list', undefined)).body.result?.data as { name: string }[];
    const fromB = (await trpcHttp(b.url, 'designs.list', undefined)).body.result?.data as { name: string }[];
    expect(fromA.map((d) => d.name).sort()).toEqual(EXAMPLES.map((e) => e.title).sort());
    expect(fromB).toEqual(fromA);
  });

  it('a save through one is read through the other, and a stale save through either gets CONFLICT', async () => {
    const created = await trpcHttp(a.url, 'designs.save', { name: 'Shared', doc: named('from a') }, 'mutation');
    const { id } = dataOf<{ id: string }>(created);
    const readB = (await trpcHttp(b.url, 'designs.get', { id })).body.result?.data as { revision: number; doc: TopologyInput };
    expect([readB.revision, readB.doc.name]).toEqual([1, 'from a']);

    // Both processes save on top of revision 1 at the same moment: exactly one wins.
    const [viaA, viaB] = await Promise.all([
      trpcHttp(a.url, 'designs.save', { id, name: 'Shared', doc: named('a wins?'), expectedRevision: 1 }, 'mutation'),
      trpcHttp(b.url, 'designs.save', { id, name: 'Shared', doc: named('b wins?'), expectedRevision: 1 }, 'mutation'),
    ]);
    expect([viaA.status, viaB.status].sort()).toEqual([200, 409]);
    const loser = viaA.status === 409 ? viaA : viaB;
    expect(loser.body.error?.data).toMatchObject({
      code: 'CONFLICT',
      problems: [{ path: 'expectedRevision', message: expect.stringMatching(/revision 2 \(by .*\) is newer than 1/) }],
    });
    const winner = viaA.status === 200 ? 'a wins?' : 'b wins?';
    for (const url of [a.url, b.url]) {
      const latest = (await trpcHttp(url, 'designs.get', { id })).body.result?.data as { revision: number; doc: TopologyInput };
      expect([latest.revision, latest.doc.name]).toEqual([2, winner]);
    }
  });

  it('clients alternating between the processes build one unbroken history', async () => {
    const created = await trpcHttp(b.url, 'designs.save', { name: 'Relay', doc: named('0') }, 'mutation');
    const { id } = dataOf<{ id: string }>(created);
    let revision = 1;
    for (let i = 1; i <= 30; i++) {
      const via = i % 2 ? a.url : b.url;
      const res = await trpcHttp(via, 'designs.save', { id, name: 'Relay', doc: named(String(i)), expectedRevision: revision }, 'mutation');
      expect(res.status).toBe(200);
      revision = dataOf<{ revision: number }>(res).revision;
    }
    const history = (await trpcHttp(a.url, 'designs.history', { id })).body.result?.data as { revision: number }[];
    expect(history.map((h) => h.revision)).toEqual(Array.from({ length: 31 }, (_, i) => 31 - i));
    for (const r of [1, 16, 31]) {
      const got = (await trpcHttp(b.url, 'designs.get', { id, revision: r })).body.result?.data as { doc: TopologyInput };
      expect(got.doc.name).toBe(String(r - 1));
    }
  });

  it('credentials saved through one process are readable by the other (same BUSBOARD_SECRET), and sealed in the database', async () => {
    const save = await trpcHttp(a.url, 'credentials.save', { name: 'prod', secret: 'token-only-the-server-knows-42' }, 'mutation');
    expect(save.status).toBe(200);
    const list = (await trpcHttp(b.url, 'credentials.list', undefined)).body.result?.data as { name: string }[];
    expect(list.map((c) => c.name)).toEqual(['prod']);
    const store = await openPostgresStore(db.url, { poolSize: 1 });
    try {
      const got = await createCredentialStore(store.sealed, keyFromSecret(SECRET)).getCredentials('prod');
      expect(got.ok && got.secret.reveal()).toBe('token-only-the-server-knows-42');
      const raw = await store.sealed.get('prod');
      expect(raw?.sealed.toString('latin1')).not.toContain('token-only-the-server-knows-42');
    } finally {
      await store.close();
    }
  });
});
