import { join } from 'node:path';
import { EXAMPLES } from '@busboard/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreOpenError } from '../src/storage/open-error.ts';
import { openSqliteStore, SQLITE_FILE } from '../src/storage/sqlite.ts';
import { SQLITE_MIGRATIONS } from '../src/storage/sqlite-schema.ts';
import { tempDir } from './support/server.ts';

describe('SQLite schema migrations', () => {
  it('brings a file written by the first release (schema 1) up to date, keeping its designs and revisions', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, SQLITE_FILE));
    db.exec(SQLITE_MIGRATIONS[0] as string);
    db.pragma('user_version = 1');
    const doc = JSON.stringify(EXAMPLES[0]?.doc);
    db.prepare("INSERT INTO designs VALUES ('old', 'Old design', 2, '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z')").run();
    db.prepare("INSERT INTO revisions VALUES ('old', 1, 'Old design', ?, '2024-01-01T00:00:00.000Z')").run(doc);
    db.prepare("INSERT INTO revisions VALUES ('old', 2, 'Old design', ?, '2024-01-02T00:00:00.000Z')").run(doc);
    db.close();

    const store = openSqliteStore(dir);
    expect((await store.list()).map((d) => [d.id, d.revision, d.updatedBy])).toEqual([['old', 2, 'unknown']]);
    const h = await store.history('old');
    expect(h.ok && h.revisions.map((r) => [r.revision, r.author, r.autosave, r.saves, r.startedAt])).toEqual([
      [2, 'unknown', false, 1, '2024-01-02T00:00:00.000Z'],
      [1, 'unknown', false, 1, '2024-01-01T00:00:00.000Z'],
    ]);
    expect(await store.save({ id: 'old', name: 'Old design', doc: EXAMPLES[0]!.doc, expectedRevision: 2, author: 'ana' })).toEqual({
      ok: true,
      id: 'old',
      revision: 3,
    });
    await store.close();
    const check = new Database(join(dir, SQLITE_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    check.close();
  });

  it('refuses a file from a newer Busboard instead of guessing', () => {
    const dir = tempDir();
    const db = new Database(join(dir, SQLITE_FILE));
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openSqliteStore(dir)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(dir)).toThrow(/written by a newer Busboard .* upgrade Busboard/);
  });
});
