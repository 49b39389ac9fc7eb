/**
 * Every write of the PostgreSQL store. A revision is appended by one statement, APPEND: the
 * design's head moves by compare-and-set (`UPDATE designs … WHERE revision = expected AND
 * deleted_at IS NULL`), and the new revision is inserted (and the one it folds deleted) in the
 * same statement only if that update took. It runs two ways:
 *
 * - A save that names the revision it started from (every save from the web app) runs it on
 *   its own: one round trip that commits by itself, instead of BEGIN, a locking read, the
 *   append and COMMIT (four, each waking the database). Two saves on the same revision
 *   serialise on the row: the second re-reads it, finds the newer revision and changes
 *   nothing, and is answered CONFLICT naming it.
 * - A write that names none (a restore, a save without `expectedRevision`) first locks the
 *   design's row (`SELECT … FOR UPDATE`) and appends on whatever is the latest then, so such
 *   writes queue, each on top of the one before. Deletes and undeletes lock the row too.
 *
 * Whether an autosave folds into the revision it replaces depends on that revision (fold.ts).
 * Revisions never change once written, so what this process knows of one (it wrote it, or read
 * it) stays true; the update's condition guarantees it is still the head when the save lands.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { noRevision, restoring, undeletable, writable } from './decide.ts';
import { type LatestRevision, nextRevision } from './fold.ts';
import { foldedInto, type PgRevisionRow, type Queryable, readHead, SELECT_REVISION, toRevision } from './postgres-rows.ts';
import { type HeadRow, purgeAfter, type RevisionMeta } from './rows.ts';
import type { DesignStore, Saved, StoreResult } from './types.ts';

const APPEND = `WITH head AS (
    UPDATE designs SET name = $3, revision = $2, updated_at = $10, updated_by = $5
    WHERE id = $1 AND revision = $13 AND deleted_at IS NULL
    RETURNING id),
  gone AS (DELETE FROM revisions WHERE $12::boolean AND design_id = $1 AND revision = $13 AND EXISTS (SELECT 1 FROM head)),
  added AS (INSERT INTO revisions (design_id, revision, name, doc, author, message, autosave, saves, started_at, created_at, folded_from)
    SELECT $1, $2::integer, $3, $4, $5, $6, $7::boolean, $8::integer, $9::timestamptz, $10::timestamptz, $11::integer FROM head
    RETURNING revision)
  SELECT (SELECT count(*) FROM added)::integer AS saved`;

const CREATE = `WITH d AS (INSERT INTO designs (id, name, revision, created_at, updated_at, updated_by) VALUES ($1, $2, 1, $5, $5, $4))
  INSERT INTO revisions (design_id, revision, name, doc, author, message, autosave, saves, started_at, created_at)
  VALUES ($1, 1, $2, $3, $4, $6, $7, 1, $5, $5)`;

const REVISION = `${SELECT_REVISION} WHERE design_id = $1 AND revision = $2`;

/** Revisions this process has written or read, for the fold decision; small entries, the oldest forgotten first. */
class KnownRevisions {
  #map = new Map<string, LatestRevision>();
  constructor(private readonly max = 10_000) {}
  get(id: string, revision: number) {
    return this.#map.get(`${revision}:${id}`);
  }
  set(id: string, r: LatestRevision) {
    this.#map.set(`${r.revision}:${id}`, r);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as string);
  }
}

/** Runs `fn` in a transaction on one client; it commits unless `fn` returns a failure or throws. */
async function tx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<StoreResult<T>>): Promise<StoreResult<T>> {
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
}

export type PostgresWrites = Pick<DesignStore, 'save' | 'restore' | 'delete' | 'undelete' | 'purgeDeleted' | 'claimOnce'>;

export function postgresWrites(pool: pg.Pool, now: () => Date): PostgresWrites {
  const known = new KnownRevisions();

  /** Revision `rev` of `id`, from memory or read with `db`; undefined if it has no row. */
  const revisionOf = async (db: Queryable, id: string, rev: number): Promise<LatestRevision | undefined> => {
    const hit = known.get(id, rev);
    if (hit) return hit;
    const r = (await db.query<PgRevisionRow>({ name: 'busboard-revision', text: REVISION, values: [id, rev] })).rows[0];
    if (!r) return undefined;
    const latest = toRevision(r);
    known.set(id, latest);
    return latest;
  };

  /** APPEND on top of `latest`; undefined when that is no longer the head of `id` (or the design is deleted). */
  const append = async (db: Queryable, id: string, latest: LatestRevision, meta: RevisionMeta, docJson: string): Promise<Saved | undefined> => {
    const at = now();
    const { next, folds } = nextRevision(latest, meta, at);
    const r = await db.query<{ saved: number }>({
      // A prepared statement (per connection): PostgreSQL plans it once, not on every save.
      name: 'busboard-append',
      text: APPEND,
      values: [
        id,
        next.revision,
        meta.name,
        docJson,
        meta.author,
        meta.message ?? '',
        next.autosave,
        next.saves,
        new Date(next.startedAt),
        at,
        next.foldedFrom,
        folds,
        latest.revision,
      ],
    });
    if (r.rows[0]?.saved !== 1) return undefined;
    known.set(id, next);
    return { id, revision: next.revision };
  };

  /**
   * A save on the named revision `expected`, without a transaction. Undefined when it cannot
   * tell (the head matched but the update did not take twice running, e.g. a delete and an
   * undelete racing it): the caller then saves under the lock.
   */
  const saveOn = async (id: string, expected: number, meta: RevisionMeta, docJson: string): Promise<StoreResult<Saved> | undefined> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const latest = await revisionOf(pool, id, expected);
      const saved = latest && (await append(pool, id, latest, meta, docJson));
      if (saved) return { ok: true, ...saved };
      const w = writable(id, await readHead(pool, id), expected);
      if (!w.ok) return w;
      if (!latest) throw new Error(`design ${id} has no row for its head revision ${expected}`);
    }
    return undefined;
  };

  /** Runs `fn` in a transaction holding the row of `id`, if `writable` allows the write. */
  const locked = <T>(id: string, expected: number | undefined, fn: (c: pg.PoolClient, head: HeadRow) => Promise<StoreResult<T>>) =>
    tx<T>(pool, async (c) => {
      const w = writable(id, await readHead(c, id, true), expected);
      if (!w.ok) return w;
      return fn(c, w.head);
    });

  /** APPEND on the locked head `h`: with the row held, it cannot miss. */
  const appendLocked = async (c: pg.PoolClient, h: HeadRow, meta: RevisionMeta, docJson: string): Promise<StoreResult<Saved>> => {
    const latest = await revisionOf(c, h.id, h.revision);
    if (!latest) throw new Error(`design ${h.id} has no row for its head revision ${h.revision}`);
    const saved = await append(c, h.id, latest, meta, docJson);
    if (!saved) throw new Error(`design ${h.id} moved from revision ${h.revision} while its row was locked`);
    return { ok: true, ...saved };
  };

  return {
    async save({ doc, ...input }) {
      const docJson = JSON.stringify(doc);
      const { id, expectedRevision } = input;
      if (id === undefined) {
        const created = randomUUID();
        const at = now();
        const { next } = nextRevision(undefined, input, at);
        await pool.query(CREATE, [created, input.name, docJson, input.author, at, input.message ?? '', next.autosave]);
        known.set(created, next);
        return { ok: true, id: created, revision: next.revision };
      }
      const saved = expectedRevision === undefined ? undefined : await saveOn(id, expectedRevision, input, docJson);
      return saved ?? locked(id, expectedRevision, (c, h) => appendLocked(c, h, input, docJson));
    },
    restore: (input) =>
      locked(input.id, input.expectedRevision, async (c, h) => {
        const old = (
          await c.query<{ name: string; doc: string }>('SELECT name, doc FROM revisions WHERE design_id = $1 AND revision = $2', [
            input.id,
            input.revision,
          ])
        ).rows[0];
        if (!old) return noRevision(input.id, input.revision, await foldedInto(c, input.id, input.revision));
        return appendLocked(c, h, restoring(input.revision, old.name, input.author), old.doc);
      }),
    delete: (id, author) =>
      locked(id, undefined, async (c) => {
        const at = now();
        await c.query('UPDATE designs SET deleted_at = $2, deleted_by = $3 WHERE id = $1', [id, at, author]);
        return { ok: true, purgeAfter: purgeAfter(at.toISOString()) };
      }),
    undelete: (id) =>
      tx(pool, async (c) => {
        const u = undeletable(id, await readHead(c, id, true), now());
        if (!u.ok) return u;
        if (u.inTrash) await c.query('UPDATE designs SET deleted_at = NULL, deleted_by = NULL WHERE id = $1', [id]);
        return { ok: true, ...u.saved };
      }),
    // Revisions go with their design (ON DELETE CASCADE).
    purgeDeleted: async (before) =>
      (await pool.query('DELETE FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < $1', [before])).rowCount ?? 0,
    claimOnce: async (key) =>
      ((await pool.query('INSERT INTO markers (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, now()])).rowCount ?? 0) > 0,
  };
}
