/**
 * SQLite design store (the embedded default): one file under DATA_DIR, WAL, one transaction
 * per save. Its schema is versioned through `PRAGMA user_version`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TopologyInput } from '@busboard/core';
import Database from 'better-sqlite3';
import type { DesignRecord, DesignStore, DesignSummary, SaveResult } from './types.ts';

const MIGRATIONS: string[] = [
  `CREATE TABLE designs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     revision INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE revisions (
     design_id TEXT NOT NULL REFERENCES designs(id),
     revision INTEGER NOT NULL,
     name TEXT NOT NULL,
     doc TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (design_id, revision)
   );`,
];

export function openSqliteStore(dataDir: string, now: () => Date = () => new Date()): DesignStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'busboard.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }

  const listStmt = db.prepare('SELECT id, name, revision, updated_at AS updatedAt FROM designs ORDER BY updated_at DESC, id');
  const headStmt = db.prepare('SELECT id, name, revision, updated_at AS updatedAt FROM designs WHERE id = ?');
  const revStmt = db.prepare('SELECT doc, name, created_at AS createdAt FROM revisions WHERE design_id = ? AND revision = ?');
  const insertDesign = db.prepare('INSERT INTO designs (id, name, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const updateDesign = db.prepare('UPDATE designs SET name = ?, revision = ?, updated_at = ? WHERE id = ?');
  const insertRevision = db.prepare('INSERT INTO revisions (design_id, revision, name, doc, created_at) VALUES (?, ?, ?, ?, ?)');

  const save = db.transaction((input: { id?: string; name: string; doc: TopologyInput; expectedRevision?: number }): SaveResult => {
    const at = now().toISOString();
    const json = JSON.stringify(input.doc);
    if (!input.id) {
      const id = randomUUID();
      insertDesign.run(id, input.name, 1, at, at);
      insertRevision.run(id, 1, input.name, json, at);
      return { ok: true, id, revision: 1 };
    }
    const head = headStmt.get(input.id) as DesignSummary | undefined;
    if (!head) return { ok: false, reason: 'not-found' };
    if (head.revision !== input.expectedRevision) return { ok: false, reason: 'conflict', latestRevision: head.revision };
    const revision = head.revision + 1;
    updateDesign.run(input.name, revision, at, input.id);
    insertRevision.run(input.id, revision, input.name, json, at);
    return { ok: true, id: input.id, revision };
  });

  return {
    list: () => listStmt.all() as DesignSummary[],
    get(id, revision) {
      const head = headStmt.get(id) as DesignSummary | undefined;
      if (!head) return undefined;
      const rev = revision ?? head.revision;
      const row = revStmt.get(id, rev) as { doc: string; name: string; createdAt: string } | undefined;
      if (!row) return undefined;
      return { id, name: row.name, revision: rev, updatedAt: row.createdAt, doc: JSON.parse(row.doc) } satisfies DesignRecord;
    },
    save: (input) => save.immediate(input),
    close: () => db.close(),
  };
}
