/**
 * SQLite design store (the embedded default): one file under DATA_DIR, WAL, `synchronous =
 * FULL` (an acknowledged save survives a crash of the process or the machine), one
 * transaction per write. Reads run here on the server's thread (better-sqlite3 is
 * synchronous, and WAL lets them run beside a write); every write goes to one writer thread
 * (sqlite-writer.ts, its jobs in sqlite-writes.ts) with its own connection, which
 * group-commits, so the server never waits for the disk and writes are serialised: a
 * transaction never waits on another.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { noRevision, readable } from './decide.ts';
import { cachedLoads } from './load.ts';
import { StoreOpenError } from './open-error.ts';
import { RevisionCache } from './revision-cache.ts';
import { deletedDesign, designSummary, type HeadRow, type LoadedRevision, revisionSummary } from './rows.ts';
import { FOLDED_INTO, fromSqlite, SELECT_HEAD, SELECT_REVISION, type SqliteRevisionRow } from './sqlite-rows.ts';
import { connectSqlite, migrateSqlite } from './sqlite-schema.ts';
import { SqliteWriter } from './sqlite-writer-client.ts';
import type { WriteJob } from './sqlite-writes.ts';
import type { DesignStore, SealedTable, StoreOptions } from './types.ts';

export const SQLITE_FILE = 'busboard.sqlite';

/** The head of a design beside the asked revision's metadata (null columns when there is no such revision). */
type SqliteLoadRow = { latest: number; deletedAt: string | null; revision: number | null; autosave: number } & Omit<
  LoadedRevision,
  'revision' | 'autosave'
>;

export function openSqliteStore(dataDir: string, options: StoreOptions = {}): DesignStore {
  const now = options.now ?? (() => new Date());
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE);
  const db = connectSqlite(file);
  const migrated = migrateSqlite(db, file);
  if (!migrated.ok) {
    db.close();
    throw new StoreOpenError(migrated.message);
  }
  const writer = new SqliteWriter(file);
  let closed = false;

  /** A write, committed by the writer thread; refused once the store is closing. */
  const write = async <T>(job: WriteJob): Promise<T | { ok: false; reason: 'closing' }> => {
    if (closed) return { ok: false, reason: 'closing' };
    return (await writer.run(job, now())) as T;
  };
  /** Writes that are not store results (purge, claim, sealed records) fail as errors once closing. */
  const writeOrThrow = async <T>(job: WriteJob): Promise<T> => {
    if (closed) throw new Error('the design store is closed');
    return (await writer.run(job, now())) as T;
  };

  return {
    backend: 'sqlite',
    ...sqliteReads(db),
    sealed: sealedTable(db, writeOrThrow),
    // Not cached here: most saved revisions (autosaves) are never loaded, and keeping each one
    // would promote its JSON into the old generation on every save; a load caches what it reads.
    save: ({ doc, ...input }) => write({ op: 'save', input, docJson: JSON.stringify(doc) }),
    restore: (input) => write({ op: 'restore', input }),
    delete: (id, author) => write({ op: 'delete', id, author }),
    undelete: (id) => write({ op: 'undelete', id }),
    purgeDeleted: (before) => writeOrThrow<number>({ op: 'purge', before: before.toISOString() }),
    claimOnce: (key) => writeOrThrow<boolean>({ op: 'claim', key }),
    async ping() {
      db.prepare('SELECT 1').get();
      // Reads alone are not ready: /readyz must fail when saves cannot be written.
      if (writer.failure) throw writer.failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Writes already posted are committed before the file closes.
      await writer.close();
      db.close();
    },
  };
}

/** Every read of designs, on the server's connection. */
function sqliteReads(db: Database.Database): Pick<DesignStore, 'list' | 'trash' | 'get' | 'getJson' | 'history'> {
  const q = {
    list: db.prepare(`${SELECT_HEAD} WHERE deleted_at IS NULL ORDER BY updated_at DESC, id`),
    trash: db.prepare(`${SELECT_HEAD} WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`),
    head: db.prepare(`${SELECT_HEAD} WHERE id = ?`),
    history: db.prepare(`${SELECT_REVISION} WHERE design_id = ? ORDER BY revision DESC`),
    /** A load in one statement: the head and the wanted revision's metadata. */
    load: db.prepare(
      `SELECT d.revision AS latest, d.deleted_at AS deletedAt, r.revision, r.name, r.author, r.message, r.autosave, r.created_at AS createdAt
       FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = COALESCE(?, d.revision) WHERE d.id = ?`,
    ),
    doc: db.prepare('SELECT doc FROM revisions WHERE design_id = ? AND revision = ?'),
    foldedInto: db.prepare(FOLDED_INTO),
  };
  const missing = (id: string, revision: number) =>
    noRevision(id, revision, (q.foldedInto.get(id, revision, revision) as { revision: number } | undefined)?.revision);

  const loads = cachedLoads(
    {
      row(id, revision) {
        const r = q.load.get(revision ?? null, id) as SqliteLoadRow | undefined;
        if (!r) return undefined;
        const { latest, deletedAt, revision: rev } = r;
        if (rev === null) return { latest, deletedAt, revision: undefined };
        return {
          latest,
          deletedAt,
          revision: { revision: rev, name: r.name, author: r.author, message: r.message, autosave: r.autosave === 1, createdAt: r.createdAt },
        };
      },
      doc: (id, revision) => (q.doc.get(id, revision) as { doc: string } | undefined)?.doc,
      missing,
    },
    new RevisionCache(),
  );

  return {
    ...loads,
    list: async () => (q.list.all() as HeadRow[]).map(designSummary),
    trash: async () => (q.trash.all() as HeadRow[]).map(deletedDesign),
    async history(id) {
      const found = readable(id, q.head.get(id) as HeadRow | undefined);
      if (!found.ok) return found;
      return { ok: true, revisions: (q.history.all(id) as SqliteRevisionRow[]).map((r) => revisionSummary(fromSqlite(r))) };
    },
  };
}

/** Sealed records: read here, written by the writer thread. */
function sealedTable(db: Database.Database, write: <T>(job: WriteJob) => Promise<T>): SealedTable {
  const get = db.prepare('SELECT name, key_id AS keyId, sealed, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records WHERE name = ?');
  const list = db.prepare('SELECT name, key_id AS keyId, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records ORDER BY name');
  return {
    async put(name, keyId, sealed) {
      await write({ op: 'sealedPut', name, keyId, sealed });
    },
    get: async (name) => get.get(name) as Awaited<ReturnType<SealedTable['get']>>,
    list: async () => list.all() as Awaited<ReturnType<SealedTable['list']>>,
    remove: (name) => write<boolean>({ op: 'sealedRemove', name }),
  };
}
