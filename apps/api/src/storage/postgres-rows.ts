/**
 * How the PostgreSQL store reads its rows: the SELECTs, the rows as `pg` returns them
 * (timestamptz as Date), and their mapping to rows.ts.
 */
import type pg from 'pg';
import type { HeadRow, RevisionRow } from './rows.ts';

/** The pool, or one client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

export const SELECT_HEAD = 'SELECT id, name, revision, created_at, updated_at, updated_by, deleted_at, deleted_by FROM designs';
export const SELECT_REVISION = 'SELECT revision, name, author, message, autosave, saves, started_at, created_at, folded_from FROM revisions';

/** The revision a folded one went into: the first later revision whose run began at or before it. */
export const FOLDED_INTO = 'SELECT revision FROM revisions WHERE design_id = $1 AND folded_from <= $2 AND revision > $2 ORDER BY revision LIMIT 1';

export interface PgHeadRow {
  id: string;
  name: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
  deleted_at: Date | null;
  deleted_by: string | null;
}

export interface PgRevisionRow {
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

export const toHead = (h: PgHeadRow): HeadRow => ({
  id: h.id,
  name: h.name,
  revision: h.revision,
  createdAt: h.created_at.toISOString(),
  updatedAt: h.updated_at.toISOString(),
  updatedBy: h.updated_by,
  deletedAt: h.deleted_at?.toISOString() ?? null,
  deletedBy: h.deleted_by,
});

export const toRevision = (r: PgRevisionRow): RevisionRow => ({
  revision: r.revision,
  name: r.name,
  author: r.author,
  message: r.message,
  autosave: r.autosave,
  saves: r.saves,
  startedAt: r.started_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  foldedFrom: r.folded_from,
});

const HEAD = { name: 'busboard-head', text: `${SELECT_HEAD} WHERE id = $1` };
const LOCK_HEAD = { name: 'busboard-lock-head', text: `${SELECT_HEAD} WHERE id = $1 FOR UPDATE` };

/** The head of `id` (with `lock`, locked until the transaction ends), or undefined. */
export async function readHead(db: Queryable, id: string, lock = false): Promise<HeadRow | undefined> {
  const r = (await db.query<PgHeadRow>({ ...(lock ? LOCK_HEAD : HEAD), values: [id] })).rows[0];
  return r && toHead(r);
}

/** The revision that `revision` of `id` was folded into, if it was. */
export async function foldedInto(db: Queryable, id: string, revision: number): Promise<number | undefined> {
  return (await db.query<{ revision: number }>(FOLDED_INTO, [id, revision])).rows[0]?.revision;
}
