/**
 * Every write of the SQLite store, as jobs a writer runs inside a transaction (see
 * sqlite-writer.ts: a worker thread that group-commits them). Each job reads the head row in
 * the same transaction that writes, asks decide.ts / fold.ts, and writes only on `ok`, so
 * checks and writes cannot interleave with another writer's.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { noRevision, restoring, undeletable, writable } from './decide.ts';
import { type LatestRevision, nextRevision } from './fold.ts';
import { type HeadRow, purgeAfter, type RevisionMeta } from './rows.ts';
import { FOLDED_INTO, fromSqlite, SELECT_HEAD, SELECT_REVISION, type SqliteRevisionRow } from './sqlite-rows.ts';
import type { Saved, SaveInput, StoreResult } from './types.ts';

/** A write, as posted to the writer: plain data (the document already serialised). */
export type WriteJob =
  | { op: 'save'; input: Omit<SaveInput, 'doc'>; docJson: string }
  | { op: 'restore'; input: { id: string; revision: number; expectedRevision?: number; author: string } }
  | { op: 'delete'; id: string; author: string }
  | { op: 'undelete'; id: string }
  | { op: 'purge'; before: string }
  | { op: 'claim'; key: string }
  | { op: 'sealedPut'; name: string; keyId: string; sealed: Uint8Array }
  | { op: 'sealedRemove'; name: string };

function prepareStatements(db: Database.Database) {
  return {
    head: db.prepare(`${SELECT_HEAD} WHERE id = ?`),
    revision: db.prepare(`${SELECT_REVISION} WHERE design_id = ? AND revision = ?`),
    old: db.prepare('SELECT name, doc FROM revisions WHERE design_id = ? AND revision = ?'),
    foldedInto: db.prepare(FOLDED_INTO),
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
    sealedRemove: db.prepare('DELETE FROM sealed_records WHERE name = ?'),
    claim: db.prepare('INSERT INTO markers (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The writes of designs and their revisions over the statements `q`. */
function designWrites(q: Statements) {
  const head = (id: string) => q.head.get(id) as HeadRow | undefined;

  const insertRevision = (id: string, next: LatestRevision, meta: RevisionMeta, docJson: string, at: string) =>
    q.insertRevision.run({
      id,
      revision: next.revision,
      name: meta.name,
      doc: docJson,
      at,
      author: meta.author,
      message: meta.message ?? '',
      autosave: next.autosave ? 1 : 0,
      saves: next.saves,
      startedAt: next.startedAt,
      foldedFrom: next.foldedFrom,
    });

  /** A new revision on top of the head `h` (replacing the latest one when the save folds into it). */
  const append = (h: HeadRow, meta: RevisionMeta, docJson: string, at: Date): Saved => {
    const latest = fromSqlite(q.revision.get(h.id, h.revision) as SqliteRevisionRow);
    const { next, folds } = nextRevision(latest, meta, at);
    const iso = at.toISOString();
    if (folds) q.deleteRevision.run(h.id, h.revision);
    insertRevision(h.id, next, meta, docJson, iso);
    q.updateDesign.run(meta.name, next.revision, iso, meta.author, h.id);
    return { id: h.id, revision: next.revision };
  };

  return {
    save(input: Omit<SaveInput, 'doc'>, docJson: string, at: Date): StoreResult<Saved> {
      if (input.id === undefined) {
        const id = randomUUID();
        const iso = at.toISOString();
        const { next } = nextRevision(undefined, input, at);
        q.insertDesign.run(id, input.name, next.revision, iso, iso, input.author);
        insertRevision(id, next, input, docJson, iso);
        return { ok: true, id, revision: next.revision };
      }
      const w = writable(input.id, head(input.id), input.expectedRevision);
      if (!w.ok) return w;
      return { ok: true, ...append(w.head, input, docJson, at) };
    },

    restore(input: Extract<WriteJob, { op: 'restore' }>['input'], at: Date): StoreResult<Saved> {
      const w = writable(input.id, head(input.id), input.expectedRevision);
      if (!w.ok) return w;
      const old = q.old.get(input.id, input.revision) as { name: string; doc: string } | undefined;
      if (!old) {
        const into = q.foldedInto.get(input.id, input.revision, input.revision) as { revision: number } | undefined;
        return noRevision(input.id, input.revision, into?.revision);
      }
      return { ok: true, ...append(w.head, restoring(input.revision, old.name, input.author), old.doc, at) };
    },

    delete(id: string, author: string, at: Date): StoreResult<{ purgeAfter: string }> {
      const w = writable(id, head(id), undefined);
      if (!w.ok) return w;
      const iso = at.toISOString();
      q.softDelete.run(iso, author, id);
      return { ok: true, purgeAfter: purgeAfter(iso) };
    },

    undelete(id: string, at: Date): StoreResult<Saved> {
      const u = undeletable(id, head(id), at);
      if (!u.ok) return u;
      if (u.inTrash) q.undelete.run(id);
      return { ok: true, ...u.saved };
    },
  };
}

/** Prepares the write statements on `db`; returns the function that runs one job at time `at`. */
export function prepareWrites(db: Database.Database): (job: WriteJob, at: Date) => unknown {
  const q = prepareStatements(db);
  const designs = designWrites(q);
  return (job, at) => {
    switch (job.op) {
      case 'save':
        return designs.save(job.input, job.docJson, at);
      case 'restore':
        return designs.restore(job.input, at);
      case 'delete':
        return designs.delete(job.id, job.author, at);
      case 'undelete':
        return designs.undelete(job.id, at);
      case 'purge':
        q.purgeRevisions.run(job.before);
        return q.purgeDesigns.run(job.before).changes;
      case 'claim':
        return q.claim.run(job.key, at.toISOString()).changes > 0;
      case 'sealedPut': {
        const iso = at.toISOString();
        q.sealedPut.run(job.name, job.keyId, Buffer.from(job.sealed.buffer, job.sealed.byteOffset, job.sealed.byteLength), iso, iso);
        return undefined;
      }
      case 'sealedRemove':
        return q.sealedRemove.run(job.name).changes > 0;
    }
  };
}
