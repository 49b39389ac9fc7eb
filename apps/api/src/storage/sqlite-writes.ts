/**
 * Every write of the SQLite store, as jobs a writer runs inside a transaction (see
 * sqlite-writer.ts: a worker thread that group-commits them). Each job checks what it needs
 * (the head revision, the trash) in the same transaction that writes, so checks and writes
 * cannot interleave with another writer's.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { foldsInto } from './fold.ts';
import { RETENTION_MS, type Saved, type SaveInput, type StoreResult } from './types.ts';

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

type RevisionMeta = Pick<SaveInput, 'name' | 'author' | 'message' | 'autosave'>;

interface HeadRow {
  id: string;
  revision: number;
  updatedAt: string;
  updatedBy: string;
  deletedAt: string | null;
}

interface LatestRow {
  revision: number;
  author: string;
  autosave: number;
  saves: number;
  startedAt: string;
  foldedFrom: number | null;
}

/** Prepares the write statements on `db`; returns the function that runs one job at time `at`. */
export function prepareWrites(db: Database.Database): (job: WriteJob, at: Date) => unknown {
  const q = {
    head: db.prepare('SELECT id, revision, updated_at AS updatedAt, updated_by AS updatedBy, deleted_at AS deletedAt FROM designs WHERE id = ?'),
    latest: db.prepare(
      `SELECT revision, author, autosave, saves, COALESCE(started_at, created_at) AS startedAt, folded_from AS foldedFrom
       FROM revisions WHERE design_id = ? AND revision = ?`,
    ),
    old: db.prepare('SELECT name, doc FROM revisions WHERE design_id = ? AND revision = ?'),
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
    sealedRemove: db.prepare('DELETE FROM sealed_records WHERE name = ?'),
    claim: db.prepare('INSERT INTO markers (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  };

  /** Checks that `id` may take a new revision on top of `expectedRevision`. */
  const writable = (id: string, expectedRevision: number | undefined): StoreResult<{ head: HeadRow }> => {
    const h = q.head.get(id) as HeadRow | undefined;
    if (!h) return { ok: false, reason: 'not-found', id };
    if (h.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: h.deletedAt };
    if (expectedRevision !== undefined && h.revision !== expectedRevision) {
      return { ok: false, reason: 'conflict', id, expectedRevision, latestRevision: h.revision, latestBy: h.updatedBy, latestAt: h.updatedAt };
    }
    return { ok: true, head: h };
  };

  const append = (h: HeadRow, input: RevisionMeta, docJson: string, at: Date): Saved => {
    const latest = q.latest.get(h.id, h.revision) as LatestRow;
    const fold = foldsInto({ ...latest, autosave: latest.autosave === 1 }, input, at);
    const revision = h.revision + 1;
    const iso = at.toISOString();
    if (fold) q.deleteRevision.run(h.id, h.revision);
    q.insertRevision.run({
      id: h.id,
      revision,
      name: input.name,
      doc: docJson,
      at: iso,
      author: input.author,
      message: input.message ?? '',
      autosave: input.autosave ? 1 : 0,
      saves: fold ? latest.saves + 1 : 1,
      startedAt: fold ? latest.startedAt : iso,
      foldedFrom: fold ? (latest.foldedFrom ?? latest.revision) : null,
    });
    q.updateDesign.run(input.name, revision, iso, input.author, h.id);
    return { id: h.id, revision };
  };

  const save = (input: Omit<SaveInput, 'doc'>, docJson: string, at: Date): StoreResult<Saved> => {
    if (input.id === undefined) {
      const id = randomUUID();
      const iso = at.toISOString();
      q.insertDesign.run(id, input.name, 1, iso, iso, input.author);
      q.insertRevision.run({
        id,
        revision: 1,
        name: input.name,
        doc: docJson,
        at: iso,
        author: input.author,
        message: input.message ?? '',
        autosave: input.autosave ? 1 : 0,
        saves: 1,
        startedAt: iso,
        foldedFrom: null,
      });
      return { ok: true, id, revision: 1 };
    }
    const w = writable(input.id, input.expectedRevision);
    if (!w.ok) return w;
    return { ok: true, ...append(w.head, input, docJson, at) };
  };

  const restore = (input: { id: string; revision: number; expectedRevision?: number; author: string }, at: Date): StoreResult<Saved> => {
    const w = writable(input.id, input.expectedRevision);
    if (!w.ok) return w;
    const old = q.old.get(input.id, input.revision) as { name: string; doc: string } | undefined;
    if (!old) {
      const into = q.foldedInto.get(input.id, input.revision, input.revision) as { revision: number } | undefined;
      return { ok: false, reason: 'no-revision', id: input.id, revision: input.revision, ...(into ? { foldedInto: into.revision } : {}) };
    }
    const message = `restored revision ${input.revision}`;
    return { ok: true, ...append(w.head, { name: old.name, author: input.author, message }, old.doc, at) };
  };

  return (job, at) => {
    switch (job.op) {
      case 'save':
        return save(job.input, job.docJson, at);
      case 'restore':
        return restore(job.input, at);
      case 'delete': {
        const w = writable(job.id, undefined);
        if (!w.ok) return w;
        q.softDelete.run(at.toISOString(), job.author, job.id);
        return { ok: true, purgeAfter: new Date(at.getTime() + RETENTION_MS).toISOString() };
      }
      case 'undelete': {
        const h = q.head.get(job.id) as HeadRow | undefined;
        if (!h) return { ok: false, reason: 'not-found', id: job.id };
        if (!h.deletedAt) return { ok: true, id: job.id, revision: h.revision };
        if (Date.parse(h.deletedAt) + RETENTION_MS <= at.getTime()) return { ok: false, reason: 'purged', id: job.id };
        q.undelete.run(job.id);
        return { ok: true, id: job.id, revision: h.revision };
      }
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
