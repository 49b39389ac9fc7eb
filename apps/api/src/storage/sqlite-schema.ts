/**
 * The SQLite store's connection settings and its own schema migrations, versioned through
 * `PRAGMA user_version`. Append only: a released step never changes, since files in the field
 * have already run it.
 */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * A connection to the store's file, as both the server's reads and the writer thread use it:
 * WAL (reads run beside a write), `synchronous = FULL` (an acknowledged save survives a crash
 * of the machine), foreign keys on. The file is private to this user (0600), and so are its WAL
 * and shared-memory files, which SQLite creates with the database file's mode; a file made
 * by an older version (0644) is tightened.
 */
export function connectSqlite(file: string): Database.Database {
  // An empty file is a valid new database: create it private rather than with SQLite's 0644.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: the foundation slice.
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
  // 2: who/when/message, autosave runs, the trash, sealed credentials.
  `ALTER TABLE designs ADD COLUMN updated_by TEXT NOT NULL DEFAULT 'unknown';
   ALTER TABLE designs ADD COLUMN deleted_at TEXT;
   ALTER TABLE designs ADD COLUMN deleted_by TEXT;
   ALTER TABLE revisions ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';
   ALTER TABLE revisions ADD COLUMN message TEXT NOT NULL DEFAULT '';
   ALTER TABLE revisions ADD COLUMN autosave INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE revisions ADD COLUMN saves INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE revisions ADD COLUMN started_at TEXT;
   ALTER TABLE revisions ADD COLUMN folded_from INTEGER;
   CREATE INDEX designs_by_update ON designs (deleted_at, updated_at);
   CREATE TABLE sealed_records (
     name TEXT PRIMARY KEY,
     key_id TEXT NOT NULL,
     sealed BLOB NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE markers (key TEXT PRIMARY KEY, at TEXT NOT NULL);`,
];

export type MigrationOutcome = { ok: true; from: number; to: number } | { ok: false; message: string };

/** Brings the file to the latest schema, one transaction per step. Refuses a file from a newer Busboard. */
export function migrateSqlite(db: Database.Database, file: string): MigrationOutcome {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SQLITE_MIGRATIONS.length) {
    return {
      ok: false,
      message: `${file} has schema version ${from}, written by a newer Busboard (this one knows up to ${SQLITE_MIGRATIONS.length}); upgrade Busboard or point DATA_DIR elsewhere`,
    };
  }
  for (let v = from; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return { ok: true, from, to: SQLITE_MIGRATIONS.length };
}
