/**
 * How the SQLite store reads its rows, on either connection (the server's reads, the writer
 * thread's checks): the SELECTs, and their mapping to rows.ts. Times are stored as ISO text,
 * so a head row needs no mapping beyond its column names; a revision's `autosave` is 0 or 1.
 */
import type { RevisionRow } from './rows.ts';

export const SELECT_HEAD = `SELECT id, name, revision, created_at AS createdAt, updated_at AS updatedAt, updated_by AS updatedBy,
  deleted_at AS deletedAt, deleted_by AS deletedBy FROM designs`;

const REVISION_COLUMNS = `revision, name, author, message, autosave, saves, COALESCE(started_at, created_at) AS startedAt,
  created_at AS createdAt, folded_from AS foldedFrom`;

export const SELECT_REVISION = `SELECT ${REVISION_COLUMNS} FROM revisions`;

/** The revision a folded one went into: the first later revision whose run began at or before it. */
export const FOLDED_INTO = 'SELECT revision FROM revisions WHERE design_id = ? AND folded_from <= ? AND revision > ? ORDER BY revision LIMIT 1';

/** A revision as SQLite returns it. */
export type SqliteRevisionRow = Omit<RevisionRow, 'autosave'> & { autosave: number };

export const fromSqlite = (r: SqliteRevisionRow): RevisionRow => ({ ...r, autosave: r.autosave === 1 });
