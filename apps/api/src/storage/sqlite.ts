/**
 * SQLite design store (the embedded default): one file under DATA_DIR, WAL, `synchronous =
 * FULL` (an acknowledged save survives a crash of the process or the machine), one
 * transaction per write. better-sqlite3 is synchronous, so within one process writes are
 * serialised and a transaction never waits on another.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { foldsInto, type LatestRevision } from './fold.ts';
import { StoreOpenError } from './open-error.ts';
import { RevisionCache } from './revision-cache.ts';
import { migrateSqlite } from './sqlite-schema.ts';
import {
  type DeletedDesign,
  type DesignRecord,
  type DesignStore,
  type DesignSummary,
  RETENTION_MS,
  type RevisionSummary,
  type Saved,
  type SaveInput,
  type SealedTable,
  type StoreOptions,
  type StoreResult,
} from './types.ts';

/** What a revision records besides its document. */
type RevisionMeta = Pick<SaveInput, 'name' | 'author' | 'message' | 'autosave'>;

export const SQLITE_FILE = 'busboard.sqlite';

interface HeadRow {
  id: string;
  name: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  deletedAt: string | null;
  deletedBy: string | null;
}

interface RevisionRow {
  revision: number;
  name: string;
  doc: string;
  author: string;
  message: string;
  autosave: number;
  saves: number;
  startedAt: string;
  createdAt: string;
  foldedFrom: number | null;
}

export function openSqliteStore(dataDir: string, options: StoreOptions = {}): DesignStore {
  const now = options.now ?? (() => new Date());
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const migrated = migrateSqlite(db, file);
  if (!migrated.ok) {
    db.close();
    throw new StoreOpenError(migrated.message);
  }

  const HEAD = `SELECT id, name, revision, created_at AS createdAt, updated_at AS updatedAt, updated_by AS updatedBy, deleted_at AS deletedAt, deleted_by AS deletedBy FROM designs`;
  const REV = `SELECT revision, name, doc, author, message, autosave, saves, COALESCE(started_at, created_at) AS startedAt,
    created_at AS createdAt, folded_from AS foldedFrom FROM revisions`;
  const q = {
    list: db.prepare(`${HEAD} WHERE deleted_at IS NULL ORDER BY updated_at DESC, id`),
    trash: db.prepare(`${HEAD} WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`),
    head: db.prepare(`${HEAD} WHERE id = ?`),
    revision: db.prepare(`${REV} WHERE design_id = ? AND revision = ?`),
    history: db.prepare(`${REV.replace('doc, ', '')} WHERE design_id = ? ORDER BY revision DESC`),
    revisionMeta: db.prepare(`${REV.replace('doc, ', '')} WHERE design_id = ? AND revision = ?`),
    doc: db.prepare('SELECT doc FROM revisions WHERE design_id = ? AND revision = ?'),
    foldedInto: db.prepare('SELECT revision FROM revisions WHERE design_id = ? AND folded_from <= ? AND revision > ? ORDER BY revision LIMIT 1'),
    insertDesign: db.prepare('INSERT INTO designs (id, name, revision, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)'),
    updateDesign: db.prepare('UPDATE designs SET name = ?, revision = ?, updated_at = ?, updated_by = ? WHERE id = ?'),
    insertRevision: db.prepare(
      `INSERT INTO revisions (design_id, revision, name, doc, created_at, author, message, autosave, saves, started_at, folded_from)
       VALUES (@id, @revision, @name, @doc, @at, @author, @message, @autosave, @saves, @startedAt, @foldedFrom)`,
    ),
    deleteRevision: db.prepare('DELETE FROM revisions WHERE design_id = ? AND revision = ?'),
    softDelete: db.prepare('UPDATE designs SET deleted_at = ?, deleted_by = ? WHERE id = ?'),
    undelete: db.prepare('UPDATE designs SET deleted_at = NULL, deleted_by = NULL WHERE id = ?'),
    purgeRevisions: db.prepare('DELETE FROM revisions WHERE design_id IN (SELECT id FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < ?)'),
    purgeDesigns: db.prepare('DELETE FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < ?'),
    sealedPut: db.prepare(
      `INSERT INTO sealed_records (name, key_id, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at`,
    ),
    sealedGet: db.prepare(
      'SELECT name, key_id AS keyId, sealed, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records WHERE name = ?',
    ),
    sealedList: db.prepare('SELECT name, key_id AS keyId, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records ORDER BY name'),
    claim: db.prepare('INSERT INTO markers (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    sealedRemove: db.prepare('DELETE FROM sealed_records WHERE name = ?'),
  };

  let closed = false;
  const cache = new RevisionCache();

  /*
   * Group commit: writes that arrive while the event loop is busy are queued and committed
   * together in one transaction, so one fsync acknowledges several saves (PostgreSQL does the
   * same across connections). Each write runs in its own savepoint, so a write that throws
   * fails alone; nobody's promise resolves before the commit is on disk.
   */
  const queue: { run: () => unknown; resolve: (v: never) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = queue.splice(0);
    if (!batch.length) return;
    const outcomes: ({ value: unknown } | { error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const job of batch) {
          try {
            outcomes.push({ value: db.transaction(job.run)() });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i] as { value: unknown } | { error: unknown };
      if ('error' in o) job.reject(o.error);
      else job.resolve(o.value as never);
    });
  };
  const write = <T>(run: () => StoreResult<T>): Promise<StoreResult<T>> => {
    if (closed) return Promise.resolve({ ok: false, reason: 'closing' });
    return new Promise((resolve, reject) => {
      queue.push({ run, resolve: resolve as (v: never) => void, reject });
      if (queue.length === 1) setImmediate(flush);
    });
  };

  const head = (id: string) => q.head.get(id) as HeadRow | undefined;
  const summary = ({ deletedAt: _a, deletedBy: _b, ...h }: HeadRow): DesignSummary => h;

  /** Checks that `id` may take a new revision on top of `expectedRevision`. */
  const writable = (id: string, expectedRevision: number | undefined): StoreResult<{ head: HeadRow }> => {
    const h = head(id);
    if (!h) return { ok: false, reason: 'not-found', id };
    if (h.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: h.deletedAt };
    if (expectedRevision !== undefined && h.revision !== expectedRevision) {
      return { ok: false, reason: 'conflict', id, expectedRevision, latestRevision: h.revision, latestBy: h.updatedBy, latestAt: h.updatedAt };
    }
    return { ok: true, head: h };
  };

  const append = (h: HeadRow, input: RevisionMeta, docJson: string, at: string): Saved => {
    const latest = q.revisionMeta.get(h.id, h.revision) as Omit<RevisionRow, 'doc'>;
    const fold = foldsInto(toLatest(latest), input, now());
    const revision = h.revision + 1;
    if (fold) q.deleteRevision.run(h.id, h.revision);
    q.insertRevision.run({
      id: h.id,
      revision,
      name: input.name,
      doc: docJson,
      at,
      author: input.author,
      message: input.message ?? '',
      autosave: input.autosave ? 1 : 0,
      saves: fold ? latest.saves + 1 : 1,
      startedAt: fold ? latest.startedAt : at,
      foldedFrom: fold ? (latest.foldedFrom ?? latest.revision) : null,
    });
    q.updateDesign.run(input.name, revision, at, input.author, h.id);
    return { id: h.id, revision };
  };

  const save = (input: SaveInput): StoreResult<Saved> => {
    const at = now().toISOString();
    const docJson = JSON.stringify(input.doc);
    if (input.id === undefined) {
      const id = randomUUID();
      q.insertDesign.run(id, input.name, 1, at, at, input.author);
      q.insertRevision.run({
        id,
        revision: 1,
        name: input.name,
        doc: docJson,
        at,
        author: input.author,
        message: input.message ?? '',
        autosave: input.autosave ? 1 : 0,
        saves: 1,
        startedAt: at,
        foldedFrom: null,
      });
      return { ok: true, id, revision: 1 };
    }
    const w = writable(input.id, input.expectedRevision);
    if (!w.ok) return w;
    return { ok: true, ...append(w.head, input, docJson, at) };
  };

  const restore = (input: { id: string; revision: number; expectedRevision?: number; author: string }): StoreResult<Saved> => {
    const w = writable(input.id, input.expectedRevision);
    if (!w.ok) return w;
    const old = q.revision.get(input.id, input.revision) as RevisionRow | undefined;
    if (!old) return noRevision(input.id, input.revision);
    const message = `restored revision ${input.revision}`;
    return { ok: true, ...append(w.head, { name: old.name, author: input.author, message }, old.doc, now().toISOString()) };
  };

  const noRevision = (id: string, revision: number): StoreResult<never> => {
    const into = q.foldedInto.get(id, revision, revision) as { revision: number } | undefined;
    return { ok: false, reason: 'no-revision', id, revision, ...(into ? { foldedInto: into.revision } : {}) };
  };

  const sealed: SealedTable = {
    async put(name, keyId, blob) {
      const at = now().toISOString();
      q.sealedPut.run(name, keyId, blob, at, at);
    },
    async get(name) {
      return q.sealedGet.get(name) as Awaited<ReturnType<SealedTable['get']>>;
    },
    async list() {
      return q.sealedList.all() as Awaited<ReturnType<SealedTable['list']>>;
    },
    async remove(name) {
      return q.sealedRemove.run(name).changes > 0;
    },
  };

  return {
    backend: 'sqlite',
    sealed,
    async list() {
      return (q.list.all() as HeadRow[]).map(summary);
    },
    async get(id, revision) {
      const h = head(id);
      if (!h) return { ok: false, reason: 'not-found', id };
      if (h.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: h.deletedAt };
      const rev = revision ?? h.revision;
      const row = q.revisionMeta.get(id, rev) as Omit<RevisionRow, 'doc'> | undefined;
      if (!row) return noRevision(id, rev);
      const doc = cache.get(id, rev) ?? cache.parse(id, rev, (q.doc.get(id, rev) as { doc: string }).doc);
      return { ok: true, design: toRecord(id, h.revision, row, doc) };
    },
    save: (input) => write(() => save(input)),
    async history(id) {
      const h = head(id);
      if (!h) return { ok: false, reason: 'not-found', id };
      if (h.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: h.deletedAt };
      return { ok: true, revisions: (q.history.all(id) as Omit<RevisionRow, 'doc'>[]).map(toSummary) };
    },
    restore: (input) => write(() => restore(input)),
    delete: (id, author) =>
      write(() => {
        const w = writable(id, undefined);
        if (!w.ok) return w;
        const at = now();
        q.softDelete.run(at.toISOString(), author, id);
        return { ok: true, purgeAfter: new Date(at.getTime() + RETENTION_MS).toISOString() };
      }),
    undelete: (id) =>
      write<Saved>(() => {
        const h = head(id);
        if (!h) return { ok: false, reason: 'not-found', id };
        if (!h.deletedAt) return { ok: true, id, revision: h.revision };
        if (Date.parse(h.deletedAt) + RETENTION_MS <= now().getTime()) return { ok: false, reason: 'purged', id };
        q.undelete.run(id);
        return { ok: true, id, revision: h.revision };
      }),
    async trash() {
      return (q.trash.all() as HeadRow[]).map((h): DeletedDesign => {
        const deletedAt = h.deletedAt as string;
        return {
          id: h.id,
          name: h.name,
          revision: h.revision,
          deletedAt,
          deletedBy: h.deletedBy ?? 'unknown',
          purgeAfter: new Date(Date.parse(deletedAt) + RETENTION_MS).toISOString(),
        };
      });
    },
    async purgeDeleted(before) {
      return db
        .transaction(() => {
          const iso = before.toISOString();
          q.purgeRevisions.run(iso);
          return q.purgeDesigns.run(iso).changes;
        })
        .immediate();
    },
    async claimOnce(key) {
      return q.claim.run(key, now().toISOString()).changes > 0;
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (closed) return;
      closed = true;
      // Writes already queued are committed before the file closes.
      flush();
      db.close();
    },
  };
}

function toLatest(row: Omit<RevisionRow, 'doc'>): LatestRevision {
  return {
    revision: row.revision,
    autosave: row.autosave === 1,
    author: row.author,
    startedAt: row.startedAt,
    saves: row.saves,
    foldedFrom: row.foldedFrom,
  };
}

function toSummary(row: Omit<RevisionRow, 'doc'>): RevisionSummary {
  return {
    revision: row.revision,
    name: row.name,
    author: row.author,
    message: row.message,
    autosave: row.autosave === 1,
    saves: row.saves,
    startedAt: row.startedAt,
    createdAt: row.createdAt,
  };
}

function toRecord(id: string, latestRevision: number, row: Omit<RevisionRow, 'doc'>, doc: DesignRecord['doc']): DesignRecord {
  return {
    id,
    name: row.name,
    revision: row.revision,
    latestRevision,
    updatedAt: row.createdAt,
    author: row.author,
    message: row.message,
    autosave: row.autosave === 1,
    doc,
  };
}
