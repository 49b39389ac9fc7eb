/**
 * Durability against the real server process: SIGKILL in the middle of a stream of saves, and
 * SIGTERM with saves in flight. Whatever the server acknowledged must be there afterwards.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, type TopologyInput } from '@busboard/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../src/storage/sqlite.ts';
import { freshDatabase, queryDatabase, type TestDatabase } from './support/postgres.ts';
import { startServerProcess } from './support/process.ts';
import { dataOf, tempDir, trpcHttp } from './support/server.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;
const marked = (marker: string): TopologyInput => ({ ...structuredClone(checkout), name: marker });

interface Ack {
  id: string;
  revision: number;
  marker: string;
}

/** Writers that each save revision after revision of their own design, recording every acknowledgement. */
async function streamSaves(url: string, writers: number, stop: { now: boolean }): Promise<{ acks: Ack[]; errors: string[] }> {
  const acks: Ack[] = [];
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let id: string | undefined;
      let revision = 0;
      for (let n = 1; !stop.now; n++) {
        const marker = `writer ${w} save ${n}`;
        try {
          const res = await trpcHttp(
            url,
            'designs.save',
            id ? { id, name: `w${w}`, doc: marked(marker), expectedRevision: revision } : { name: `w${w}`, doc: marked(marker) },
            'mutation',
          );
          if (res.status !== 200) {
            errors.push(`${res.status} ${res.text}`);
            return;
          }
          const data = res.body.result?.data as { id: string; revision: number };
          id = data.id;
          revision = data.revision;
          acks.push({ id, revision, marker });
        } catch (err) {
          // The server is gone: this save was never acknowledged.
          errors.push((err as Error).message);
          return;
        }
      }
    }),
  );
  return { acks, errors };
}

async function expectAcknowledged(url: string, acks: Ack[]) {
  for (const ack of acks) {
    const res = await trpcHttp(url, 'designs.get', { id: ack.id, revision: ack.revision });
    expect(res.status, `revision ${ack.revision} of ${ack.id}`).toBe(200);
    expect(dataOf<{ doc: TopologyInput }>(res).doc.name).toBe(ack.marker);
  }
}

interface Backend {
  name: string;
  env(): Promise<Record<string, string>>;
  /** The database is consistent: every design's head revision exists, revisions are valid JSON. */
  checkConsistent(env: Record<string, string>): Promise<void>;
}

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

const backends: Backend[] = [
  {
    name: 'SQLite',
    env: async () => ({ DATA_DIR: tempDir('busboard-crash-') }),
    async checkConsistent(env) {
      const db = new Database(join(env.DATA_DIR as string, SQLITE_FILE), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const orphans = db
          .prepare('SELECT d.id FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = d.revision WHERE r.design_id IS NULL')
          .all();
        expect(orphans).toEqual([]);
        for (const r of db.prepare('SELECT doc FROM revisions').all() as { doc: string }[]) JSON.parse(r.doc);
      } finally {
        db.close();
      }
      rmSync(env.DATA_DIR as string, { recursive: true, force: true });
    },
  },
  {
    name: 'PostgreSQL',
    async env() {
      const db = await freshDatabase();
      databases.push(db);
      return { DATABASE_URL: db.url, DATA_DIR: tempDir('busboard-crash-'), BUSBOARD_SECRET: 's'.repeat(40) };
    },
    async checkConsistent(env) {
      const url = env.DATABASE_URL as string;
      const orphans = await queryDatabase(
        url,
        'SELECT d.id FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = d.revision WHERE r.design_id IS NULL',
      );
      expect(orphans).toEqual([]);
      for (const r of await queryDatabase<{ doc: string }>(url, 'SELECT doc FROM revisions')) JSON.parse(r.doc);
    },
  },
];

describe.each(backends)('durability ($name, real server process)', (backend) => {
  it('keeps every acknowledged revision after SIGKILL in the middle of a stream of saves', async () => {
    const env = await backend.env();
    const server = await startServerProcess(env);
    const stop = { now: false };
    const streaming = streamSaves(server.url, 4, stop);
    // Let the stream run, then kill the server without warning while saves are in flight.
    const started = Date.now();
    while (Date.now() - started < 1500) await new Promise((r) => setTimeout(r, 50));
    expect(await server.kill('SIGKILL')).toBe('SIGKILL');
    stop.now = true;
    const { acks, errors } = await streaming;
    expect(acks.length).toBeGreaterThan(20);
    expect(errors.length).toBeGreaterThan(0); // saves were in flight when it died

    const again = await startServerProcess(env);
    try {
      await expectAcknowledged(again.url, acks);
      // Nothing newer than an acknowledged save was half-written: each design's latest is the last ack or one past it.
      const lastAck = new Map<string, number>();
      for (const a of acks) lastAck.set(a.id, Math.max(lastAck.get(a.id) ?? 0, a.revision));
      for (const [id, rev] of lastAck) {
        const latest = (await trpcHttp(again.url, 'designs.get', { id })).body.result?.data as { revision: number };
        expect(latest.revision - rev).toBeGreaterThanOrEqual(0);
        expect(latest.revision - rev).toBeLessThanOrEqual(1);
      }
    } finally {
      expect(await again.kill('SIGTERM')).toBe(0);
    }
    await backend.checkConsistent(env);
  }, 120_000);

  it('finishes saves in flight on SIGTERM, exits 0, and every acknowledged save is there after a restart', async () => {
    const env = await backend.env();
    const server = await startServerProcess(env);
    const first = await trpcHttp(server.url, 'designs.save', { name: 'burst', doc: marked('start') }, 'mutation');
    const { id } = dataOf<{ id: string }>(first);
    // A burst of saves (each a new design), SIGTERM as soon as the first is answered.
    const outcome = new Map<number, number | string>();
    const acks: Ack[] = [];
    let signalled = false;
    const burst = Array.from({ length: 40 }, async (_, i) => {
      try {
        const res = await trpcHttp(server.url, 'designs.save', { name: `b${i}`, doc: marked(`burst ${i}`) }, 'mutation');
        outcome.set(i, res.status);
        if (res.status === 200) acks.push({ ...dataOf<{ id: string; revision: number }>(res), marker: `burst ${i}` });
      } catch (err) {
        // Refused, or reset before the server read the request (a connection it had not started on).
        outcome.set(i, (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
      }
      if (!signalled) {
        signalled = true;
        server.child.kill('SIGTERM');
      }
    });
    await Promise.all(burst);
    expect(await server.exited).toBe(0);
    expect(acks.length).toBeGreaterThan(0);
    expect([...outcome.values()].filter((o) => o !== 200 && typeof o === 'number').every((o) => o === 503)).toBe(true);

    const again = await startServerProcess(env);
    try {
      await expectAcknowledged(again.url, [{ id, revision: 1, marker: 'start' }, ...acks]);
      // A save that was not acknowledged left nothing behind: none was cut off half-done.
      const names = new Set(dataOf<{ name: string }[]>(await trpcHttp(again.url, 'designs.list', undefined)).map((d) => d.name));
      for (const [i, o] of outcome) expect(names.has(`b${i}`), `b${i}: ${o}`).toBe(o === 200);
    } finally {
      await again.kill('SIGTERM');
    }
    await backend.checkConsistent(env);
  }, 120_000);
});
