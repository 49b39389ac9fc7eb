/**
 * SQLite design store (the embedded default): one file under DATA_DIR, WAL, `synchronous =
 * FULL` (an acknowledged save survives a crash of the process or the machine), one
 * transaction per write. Reads run here on the server's thread (better-sqlite3 is
 * synchronous, and WAL lets them run beside a write); every write goes to one writer thread
 * (sqlite-writer.ts) with its own connection, which group-commits, so the server never waits
 * for the disk and writes are serialised: a transaction never waits on another.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreOpenError } from './open-error.ts';
import { RevisionCache } from './revision-cache.ts';
import { migrateSqlite } from './sqlite-schema.ts';
import type { WriteOutcome, WriterReply, WriterRequest } from './sqlite-writer.ts';
import type { WriteJob } from './sqlite-writes.ts';
import {
  type DeletedDesign,
  type DesignRecord,
  type DesignRecordJson,
  type DesignStore,
  type DesignSummary,
  RETENTION_MS,
  type RevisionSummary,
  type Saved,
  type SealedTable,
  type StoreOptions,
  type StoreResult,
} from './types.ts';

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
  author: string;
  message: string;
  autosave: number;
  saves: number;
  startedAt: string;
  createdAt: string;
  foldedFrom: number | null;
}

/**
 * The server's side of the writer thread: posts jobs, resolves each once its commit is on
 * disk. The thread keeps the process alive only while writes are pending.
 */
class SqliteWriter {
  #worker: Worker;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #seq = 0;
  #failure: Error | undefined;
  #closed: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;

  constructor(file: string) {
    this.#worker = new Worker(new URL('./sqlite-writer-boot.mjs', import.meta.url), { workerData: { file } });
    this.#worker.unref();
    this.#worker.on('message', (msg: WriterReply) => {
      if ('results' in msg) {
        for (const [seq, outcome] of msg.results) this.#settle(seq, outcome);
      } else if ('closed' in msg) {
        this.#onClosed?.();
      } else {
        this.#fail(new Error(`the SQLite writer could not open the database: ${msg.failed.message}`));
      }
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', () => {
      this.#fail(new Error('the SQLite writer stopped'));
      this.#onClosed?.();
    });
  }

  run(job: WriteJob, at: Date): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({ seq, job, at: at.getTime() } satisfies WriterRequest);
    });
  }

  /** Why the writer cannot take writes (it failed to open the database, or stopped), if it cannot. */
  get failure(): Error | undefined {
    return this.#closed ? undefined : this.#failure;
  }

  /** Commits what is queued, then stops the thread. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#onClosed = resolve;
      if (this.#failure) return resolve();
      this.#worker.ref();
      this.#worker.postMessage({ close: true } satisfies WriterRequest);
    });
    return this.#closed;
  }

  #settle(seq: number, outcome: WriteOutcome) {
    const p = this.#pending.get(seq);
    if (!p) return;
    this.#pending.delete(seq);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('value' in outcome) p.resolve(outcome.value);
    else p.reject(Object.assign(new Error(outcome.error.message), outcome.error));
  }

  #fail(err: Error) {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
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
  const writer = new SqliteWriter(file);

  const HEAD = `SELECT id, name, revision, created_at AS createdAt, updated_at AS updatedAt, updated_by AS updatedBy, deleted_at AS deletedAt, deleted_by AS deletedBy FROM designs`;
  const REV = `SELECT revision, name, author, message, autosave, saves, COALESCE(started_at, created_at) AS startedAt,
    created_at AS createdAt, folded_from AS foldedFrom FROM revisions`;
  const q = {
    list: db.prepare(`${HEAD} WHERE deleted_at IS NULL ORDER BY updated_at DESC, id`),
    trash: db.prepare(`${HEAD} WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`),
    head: db.prepare(`${HEAD} WHERE id = ?`),
    history: db.prepare(`${REV} WHERE design_id = ? ORDER BY revision DESC`),
    /** A load in one statement: the head and the wanted revision's metadata (null columns when it does not exist). */
    load: db.prepare(
      `SELECT d.revision AS latest, d.deleted_at AS deletedAt, r.revision, r.name, r.author, r.message, r.autosave, r.saves,
         COALESCE(r.started_at, r.created_at) AS startedAt, r.created_at AS createdAt, r.folded_from AS foldedFrom
       FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = COALESCE(?, d.revision) WHERE d.id = ?`,
    ),
    doc: db.prepare('SELECT doc FROM revisions WHERE design_id = ? AND revision = ?'),
    foldedInto: db.prepare('SELECT revision FROM revisions WHERE design_id = ? AND folded_from <= ? AND revision > ? ORDER BY revision LIMIT 1'),
    sealedGet: db.prepare(
      'SELECT name, key_id AS keyId, sealed, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records WHERE name = ?',
    ),
    sealedList: db.prepare('SELECT name, key_id AS keyId, created_at AS createdAt, updated_at AS updatedAt FROM sealed_records ORDER BY name'),
  };

  let closed = false;
  const cache = new RevisionCache();

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

  const summary = ({ deletedAt: _a, deletedBy: _b, ...h }: HeadRow): DesignSummary => h;

  /** The head of `id` and the metadata of `revision` (default: the latest). */
  const load = (id: string, revision: number | undefined): StoreResult<{ latest: number; row: RevisionRow }> => {
    const r = q.load.get(revision ?? null, id) as
      | (Omit<RevisionRow, 'revision'> & { revision: number | null; latest: number; deletedAt: string | null })
      | undefined;
    if (!r) return { ok: false, reason: 'not-found', id };
    if (r.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: r.deletedAt };
    if (r.revision === null) return noRevision(id, revision ?? r.latest);
    return { ok: true, latest: r.latest, row: r as RevisionRow };
  };

  const noRevision = (id: string, revision: number): StoreResult<never> => {
    const into = q.foldedInto.get(id, revision, revision) as { revision: number } | undefined;
    return { ok: false, reason: 'no-revision', id, revision, ...(into ? { foldedInto: into.revision } : {}) };
  };

  const sealed: SealedTable = {
    async put(name, keyId, blob) {
      await writeOrThrow({ op: 'sealedPut', name, keyId, sealed: blob });
    },
    async get(name) {
      return q.sealedGet.get(name) as Awaited<ReturnType<SealedTable['get']>>;
    },
    async list() {
      return q.sealedList.all() as Awaited<ReturnType<SealedTable['list']>>;
    },
    async remove(name) {
      return writeOrThrow<boolean>({ op: 'sealedRemove', name });
    },
  };

  return {
    backend: 'sqlite',
    sealed,
    async list() {
      return (q.list.all() as HeadRow[]).map(summary);
    },
    async get(id, revision) {
      const found = load(id, revision);
      if (!found.ok) return found;
      const { row, latest } = found;
      const doc = cache.doc(id, row.revision) ?? cache.parse(id, row.revision, (q.doc.get(id, row.revision) as { doc: string }).doc);
      return { ok: true, design: { ...toMeta(id, latest, row), doc } };
    },
    async getJson(id, revision) {
      const found = load(id, revision);
      if (!found.ok) return found;
      const { row, latest } = found;
      let docJson = cache.json(id, row.revision);
      if (docJson === undefined) {
        docJson = (q.doc.get(id, row.revision) as { doc: string }).doc;
        cache.put(id, row.revision, docJson);
      }
      return { ok: true, design: { ...toMeta(id, latest, row), docJson } satisfies DesignRecordJson };
    },
    async save({ doc, ...input }) {
      // Not cached here: most saved revisions (autosaves) are never loaded, and keeping each one
      // would promote its JSON into the old generation on every save; a load caches what it reads.
      return write<StoreResult<Saved>>({ op: 'save', input, docJson: JSON.stringify(doc) });
    },
    async history(id) {
      const h = q.head.get(id) as HeadRow | undefined;
      if (!h) return { ok: false, reason: 'not-found', id };
      if (h.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: h.deletedAt };
      return { ok: true, revisions: (q.history.all(id) as RevisionRow[]).map(toSummary) };
    },
    restore: (input) => write({ op: 'restore', input }),
    delete: (id, author) => write({ op: 'delete', id, author }),
    undelete: (id) => write({ op: 'undelete', id }),
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

function toSummary(row: RevisionRow): RevisionSummary {
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

function toMeta(id: string, latestRevision: number, row: RevisionRow): Omit<DesignRecord, 'doc'> {
  return {
    id,
    name: row.name,
    revision: row.revision,
    latestRevision,
    updatedAt: row.createdAt,
    author: row.author,
    message: row.message,
    autosave: row.autosave === 1,
  };
}
