/**
 * The store's refusals, decided once for both backends over a design's head row (as fold.ts
 * decides folding): a backend reads the row (locked, or inside its write transaction), asks
 * here, and writes only on `ok`. Pure: the row and the clock come in, a value goes out.
 */
import type { HeadRow, RevisionMeta } from './rows.ts';
import { RETENTION_MS, type Saved, type StoreResult } from './types.ts';

/** A design can be read when it exists and is not in the trash. */
export function readable<H extends Pick<HeadRow, 'deletedAt'>>(id: string, head: H | undefined): StoreResult<{ head: H }> {
  if (!head) return { ok: false, reason: 'not-found', id };
  if (head.deletedAt) return { ok: false, reason: 'deleted', id, deletedAt: head.deletedAt };
  return { ok: true, head };
}

/**
 * A design can take a new revision (or be deleted) when it can be read and, if the writer
 * names the revision its edit started from, that one is still the latest: otherwise the
 * answer is a conflict naming the newer revision, who wrote it and when.
 */
export function writable<H extends Pick<HeadRow, 'revision' | 'updatedAt' | 'updatedBy' | 'deletedAt'>>(
  id: string,
  head: H | undefined,
  expectedRevision: number | undefined,
): StoreResult<{ head: H }> {
  const found = readable(id, head);
  if (!found.ok || expectedRevision === undefined || found.head.revision === expectedRevision) return found;
  const h = found.head;
  return { ok: false, reason: 'conflict', id, expectedRevision, latestRevision: h.revision, latestBy: h.updatedBy, latestAt: h.updatedAt };
}

/**
 * A design comes back from the trash within `RETENTION_MS` of its deletion; after that it is
 * purged (even if the hourly purge has not run yet). One that is not in the trash is left as
 * it is (`inTrash: false`): undeleting twice is not an error.
 */
export function undeletable(
  id: string,
  head: Pick<HeadRow, 'revision' | 'deletedAt'> | undefined,
  at: Date,
): StoreResult<{ saved: Saved; inTrash: boolean }> {
  if (!head) return { ok: false, reason: 'not-found', id };
  const saved = { id, revision: head.revision };
  if (!head.deletedAt) return { ok: true, saved, inTrash: false };
  if (Date.parse(head.deletedAt) + RETENTION_MS <= at.getTime()) return { ok: false, reason: 'purged', id };
  return { ok: true, saved, inTrash: true };
}

/** A revision that is not there; `foldedInto` names the autosave it was folded into, if it was. */
export function noRevision(id: string, revision: number, foldedInto: number | undefined): StoreResult<never> {
  return { ok: false, reason: 'no-revision', id, revision, ...(foldedInto !== undefined ? { foldedInto } : {}) };
}

/** What restoring `revision` (named `name`) writes beside its document: a new revision, so nothing is lost. */
export function restoring(revision: number, name: string, author: string): RevisionMeta {
  return { name, author, message: `restored revision ${revision}` };
}
