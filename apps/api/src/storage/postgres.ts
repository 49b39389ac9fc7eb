/**
 * PostgreSQL design store (`DATABASE_URL=postgres://…`): the same contract as the SQLite
 * store, for several API processes serving the same designs behind a load balancer. A save
 * locks its design's row (`SELECT … FOR UPDATE`), so two processes saving on top of the same
 * revision serialise and the second one gets a conflict: nothing is overwritten silently.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { foldsInto } from './fold.ts';
import { StoreOpenError } from './open-error.ts';
import { migratePostgres } from './postgres-schema.ts';
import { RevisionCache } from './revision-cache.ts';
import {
  type DeletedDesign,
  type DesignStore,
  RETENTION_MS,
  type RevisionSummary,
  type Saved,
  type SaveInput,
  type SealedTable,
  type StoreOptions,
  type StoreResult,
} from './types.ts';

type RevisionMeta = Pick<SaveInput, 'name' | 'author' | 'message' | 'autosave'>;

interface HeadRow {
  id: string;
  name: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
  deleted_at: Date | null;
  deleted_by: string | null;
}

interface RevisionRow {
  revision: number;
  name: string;
  author: string;
  message: string;
  autosave: boolean;
  saves: number;
  started_at: Date;
  created_at: Date;
  folded_from: number | null;
}

const HEAD = 'SELECT id, name, revision, created_at, updated_at, updated_by, deleted_at, deleted_by FROM designs';

/** A design's row to lock, with its latest revision's folding details (null if not visible yet). */
const LOCK = `SELECT d.id, d.name, d.revision, d.created_at, d.updated_at, d.updated_by, d.deleted_at, d.deleted_by,
    (SELECT json_build_object('revision', r.revision, 'author', r.author, 'autosave', r.autosave, 'saves', r.saves,
       'started_at', r.started_at, 'folded_from', r.folded_from)
     FROM revisions r WHERE r.design_id = d.id AND r.revision = d.revision) AS latest
  FROM designs d WHERE d.id = $1 FOR UPDATE OF d`;

type LockedHead = HeadRow & {
  latest: { revision: number; author: string; autosave: boolean; saves: number; started_at: string; folded_from: number | null } | null;
};

const REV = 'SELECT revision, name, author, message, autosave, saves, started_at, created_at, folded_from FROM revisions';

/** Appends a revision (dropping the one it folds) and moves the design's head, in one statement. */
const APPEND = `WITH gone AS (DELETE FROM revisions WHERE $12::boolean AND design_id = $1 AND revision = $13),
  added AS (INSERT INTO revisions (design_id, revision, name, doc, author, message, autosave, saves, started_at, created_at, folded_from)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))
  UPDATE designs SET name = $3, revision = $2, updated_at = $10, updated_by = $5 WHERE id = $1`;

const CREATE = `WITH d AS (INSERT INTO designs (id, name, revision, created_at, updated_at, updated_by) VALUES ($1, $2, 1, $5, $5, $4))
  INSERT INTO revisions (design_id, revision, name, doc, author, message, autosave, saves, started_at, created_at)
  VALUES ($1, 1, $2, $3, $4, $6, $7, 1, $5, $5)`;

/** `postgres://user:***@host:5432/db`: a URL fit for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

export async function openPostgresStore(connectionString: string, options: StoreOptions & { poolSize?: number } = {}): Promise<DesignStore> {
  const now = options.now ?? (() => new Date());
  const where = describeDatabaseUrl(connectionString);
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (a database restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      const migrated = await migratePostgres(client, where);
      if (!migrated.ok) throw new StoreOpenError(migrated.message);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof StoreOpenError) throw err;
    throw new StoreOpenError(`cannot open PostgreSQL at ${where}: ${(err as Error).message}; start PostgreSQL or fix DATABASE_URL`);
  }

  let closed = false;
  const cache = new RevisionCache();
  const inflight = new Set<Promise<unknown>>();
  /** Writes are tracked so that `close()` lets them finish (graceful shutdown). */
  const write = <T>(fn: () => Promise<StoreResult<T>>): Promise<StoreResult<T>> => {
    if (closed) return Promise.resolve({ ok: false, reason: 'closing' });
    const p = fn();
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => {});
    return p;
  };

  /** Runs `fn` in a transaction; it commits unless `fn` returns a failure or throws. */
  const tx = async <T>(fn: (c: pg.PoolClient) => Promise<StoreResult<T>>): Promise<StoreResult<T>> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query(result.ok ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  };

  /** Locks the design's row and checks that it may take a revision on top of `expectedRevision`. */
  const lockWritable = async (c: pg.PoolClient, id: string, expectedRevision: number | undefined): Promise<StoreResult<{ head: LockedHead }>> => {
    // Locked until commit. The latest revision comes along in a subquery, not a join: a query that
    // waited for the lock re-checks only the locked row, and a join condition would then drop it.
    const h = (await c.query<LockedHead>(LOCK, [id])).rows[0];
    if (!h) return { ok: false, reason: 'not-found', id };
    if (h.deleted_at) return { ok: false, reason: 'deleted', id, deletedAt: h.deleted_at.toISOString() };
    if (expectedRevision !== undefined && h.revision !== expectedRevision) {
      return {
        ok: false,
        reason: 'conflict',
        id,
        expectedRevision,
        latestRevision: h.revision,
        latestBy: h.updated_by,
        latestAt: h.updated_at.toISOString(),
      };
    }
    return { ok: true, head: h };
  };

  const append = async (c: pg.PoolClient, h: LockedHead, meta: RevisionMeta, docJson: string): Promise<Saved> => {
    // After waiting for the lock, the subquery's snapshot may predate the head revision: then ask
    // again in a new statement, which sees what the previous lock holder committed.
    const latest = h.latest
      ? { ...h.latest, started_at: new Date(h.latest.started_at) }
      : (await c.query<RevisionRow>(`${REV} WHERE design_id = $1 AND revision = $2`, [h.id, h.revision])).rows[0];
    if (!latest) throw new Error(`design ${h.id} has no row for its head revision ${h.revision}`);
    const at = now();
    const fold = foldsInto(
      { ...latest, startedAt: latest.started_at.toISOString(), foldedFrom: latest.folded_from },
      { autosave: meta.autosave, author: meta.author },
      at,
    );
    const revision = h.revision + 1;
    await c.query(APPEND, [
      h.id,
      revision,
      meta.name,
      docJson,
      meta.author,
      meta.message ?? '',
      meta.autosave === true,
      fold ? latest.saves + 1 : 1,
      fold ? latest.started_at : at,
      at,
      fold ? (latest.folded_from ?? latest.revision) : null,
      fold,
      h.revision,
    ]);
    return { id: h.id, revision };
  };

  const noRevision = async (id: string, revision: number): Promise<StoreResult<never>> => {
    const into = (
      await pool.query<{ revision: number }>(
        'SELECT revision FROM revisions WHERE design_id = $1 AND folded_from <= $2 AND revision > $2 ORDER BY revision LIMIT 1',
        [id, revision],
      )
    ).rows[0];
    return { ok: false, reason: 'no-revision', id, revision, ...(into ? { foldedInto: into.revision } : {}) };
  };

  const sealed: SealedTable = {
    async put(name, keyId, blob) {
      const at = now();
      await pool.query(
        `INSERT INTO sealed_records (name, key_id, sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at`,
        [name, keyId, blob, at],
      );
    },
    async get(name) {
      const r = (
        await pool.query<{ name: string; key_id: string; sealed: Buffer; created_at: Date; updated_at: Date }>(
          'SELECT name, key_id, sealed, created_at, updated_at FROM sealed_records WHERE name = $1',
          [name],
        )
      ).rows[0];
      return r && { name: r.name, keyId: r.key_id, sealed: r.sealed, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
    },
    async list() {
      const rows = (
        await pool.query<{ name: string; key_id: string; created_at: Date; updated_at: Date }>(
          'SELECT name, key_id, created_at, updated_at FROM sealed_records ORDER BY name',
        )
      ).rows;
      return rows.map((r) => ({ name: r.name, keyId: r.key_id, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() }));
    },
    async remove(name) {
      return ((await pool.query('DELETE FROM sealed_records WHERE name = $1', [name])).rowCount ?? 0) > 0;
    },
  };

  return {
    backend: 'postgres',
    sealed,
    async list() {
      const rows = (await pool.query<HeadRow>(`${HEAD} WHERE deleted_at IS NULL ORDER BY updated_at DESC, id`)).rows;
      return rows.map((h) => ({
        id: h.id,
        name: h.name,
        revision: h.revision,
        createdAt: h.created_at.toISOString(),
        updatedAt: h.updated_at.toISOString(),
        updatedBy: h.updated_by,
      }));
    },
    async get(id, revision) {
      // One round trip: the head and the wanted revision's metadata; the document from the cache when it is there.
      const r = (
        await pool.query<RevisionRow & { latest: number; deleted_at: Date | null }>(
          `SELECT d.revision AS latest, d.deleted_at, r.revision, r.name, r.author, r.message, r.autosave, r.saves, r.started_at, r.created_at, r.folded_from
           FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = COALESCE($2, d.revision) WHERE d.id = $1`,
          [id, revision ?? null],
        )
      ).rows[0];
      if (!r) return { ok: false, reason: 'not-found', id };
      if (r.deleted_at) return { ok: false, reason: 'deleted', id, deletedAt: r.deleted_at.toISOString() };
      if (r.revision === null) return noRevision(id, revision ?? r.latest);
      let doc = cache.get(id, r.revision);
      if (!doc) {
        const row = (await pool.query<{ doc: string }>('SELECT doc FROM revisions WHERE design_id = $1 AND revision = $2', [id, r.revision])).rows[0];
        if (!row) return noRevision(id, r.revision);
        doc = cache.parse(id, r.revision, row.doc);
      }
      return {
        ok: true,
        design: {
          id,
          name: r.name,
          revision: r.revision,
          latestRevision: r.latest,
          updatedAt: r.created_at.toISOString(),
          author: r.author,
          message: r.message,
          autosave: r.autosave,
          doc,
        },
      };
    },
    save(input) {
      return write(async () => {
        const docJson = JSON.stringify(input.doc);
        if (input.id === undefined) {
          const id = randomUUID();
          await pool.query(CREATE, [id, input.name, docJson, input.author, now(), input.message ?? '', input.autosave === true]);
          return { ok: true, id, revision: 1 };
        }
        const { id, expectedRevision } = input;
        return tx(async (c) => {
          const w = await lockWritable(c, id, expectedRevision);
          if (!w.ok) return w;
          return { ok: true, ...(await append(c, w.head, input, docJson)) };
        });
      });
    },
    async history(id) {
      const h = (await pool.query<HeadRow>(`${HEAD} WHERE id = $1`, [id])).rows[0];
      if (!h) return { ok: false, reason: 'not-found', id };
      if (h.deleted_at) return { ok: false, reason: 'deleted', id, deletedAt: h.deleted_at.toISOString() };
      const rows = (await pool.query<RevisionRow>(`${REV} WHERE design_id = $1 ORDER BY revision DESC`, [id])).rows;
      return {
        ok: true,
        revisions: rows.map(
          (r): RevisionSummary => ({
            revision: r.revision,
            name: r.name,
            author: r.author,
            message: r.message,
            autosave: r.autosave,
            saves: r.saves,
            startedAt: r.started_at.toISOString(),
            createdAt: r.created_at.toISOString(),
          }),
        ),
      };
    },
    restore(input) {
      return write(() =>
        tx(async (c) => {
          const w = await lockWritable(c, input.id, input.expectedRevision);
          if (!w.ok) return w;
          const old = (
            await c.query<{ name: string; doc: string }>('SELECT name, doc FROM revisions WHERE design_id = $1 AND revision = $2', [
              input.id,
              input.revision,
            ])
          ).rows[0];
          if (!old) return noRevision(input.id, input.revision);
          return {
            ok: true,
            ...(await append(c, w.head, { name: old.name, author: input.author, message: `restored revision ${input.revision}` }, old.doc)),
          };
        }),
      );
    },
    delete(id, author) {
      return write(() =>
        tx(async (c) => {
          const w = await lockWritable(c, id, undefined);
          if (!w.ok) return w;
          const at = now();
          await c.query('UPDATE designs SET deleted_at = $2, deleted_by = $3 WHERE id = $1', [id, at, author]);
          return { ok: true, purgeAfter: new Date(at.getTime() + RETENTION_MS).toISOString() };
        }),
      );
    },
    undelete(id) {
      return write(() =>
        tx<Saved>(async (c) => {
          const h = (await c.query<HeadRow>(`${HEAD} WHERE id = $1 FOR UPDATE`, [id])).rows[0];
          if (!h) return { ok: false, reason: 'not-found', id };
          if (!h.deleted_at) return { ok: true, id, revision: h.revision };
          if (h.deleted_at.getTime() + RETENTION_MS <= now().getTime()) return { ok: false, reason: 'purged', id };
          await c.query('UPDATE designs SET deleted_at = NULL, deleted_by = NULL WHERE id = $1', [id]);
          return { ok: true, id, revision: h.revision };
        }),
      );
    },
    async trash() {
      const rows = (await pool.query<HeadRow>(`${HEAD} WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`)).rows;
      return rows.map((h): DeletedDesign => {
        const deletedAt = h.deleted_at as Date;
        return {
          id: h.id,
          name: h.name,
          revision: h.revision,
          deletedAt: deletedAt.toISOString(),
          deletedBy: h.deleted_by ?? 'unknown',
          purgeAfter: new Date(deletedAt.getTime() + RETENTION_MS).toISOString(),
        };
      });
    },
    async purgeDeleted(before) {
      // Revisions go with their design (ON DELETE CASCADE).
      return (await pool.query('DELETE FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < $1', [before])).rowCount ?? 0;
    },
    async claimOnce(key) {
      return ((await pool.query('INSERT INTO markers (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, now()])).rowCount ?? 0) > 0;
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inflight]);
      await pool.end();
    },
  };
}
