/**
 * A save on top of a named revision in one statement, the PostgreSQL store's common case (every
 * save from the web app names the revision it started from). Instead of BEGIN, a locking read,
 * the append and COMMIT (four round trips, each waking the database), the design's head moves
 * by compare-and-set: `UPDATE designs … WHERE revision = expected`, with the new revision
 * inserted in the same statement only if that update took. Two saves on the same revision
 * serialise on the row: the second re-reads it, finds the newer revision and changes nothing,
 * and is then answered CONFLICT naming it, as before. The statement commits on its own.
 *
 * Whether an autosave folds into the revision it replaces depends on that revision (fold.ts).
 * Revisions never change once written, so what this process knows of one (it wrote it, or read
 * it) stays true; the update's condition guarantees it is still the head when the save lands.
 */
import type pg from 'pg';
import { foldsInto, type LatestRevision } from './fold.ts';
import type { Saved, SaveInput, StoreResult } from './types.ts';

const SAVE_ON = `WITH head AS (
    UPDATE designs SET name = $3, revision = $2, updated_at = $10, updated_by = $5
    WHERE id = $1 AND revision = $13 AND deleted_at IS NULL
    RETURNING id),
  gone AS (DELETE FROM revisions WHERE $12::boolean AND design_id = $1 AND revision = $13 AND EXISTS (SELECT 1 FROM head)),
  added AS (INSERT INTO revisions (design_id, revision, name, doc, author, message, autosave, saves, started_at, created_at, folded_from)
    SELECT $1, $2::integer, $3, $4, $5, $6, $7::boolean, $8::integer, $9::timestamptz, $10::timestamptz, $11::integer FROM head
    RETURNING revision)
  SELECT (SELECT count(*) FROM added)::integer AS saved`;

const REVISION = 'SELECT revision, author, autosave, saves, started_at, folded_from FROM revisions WHERE design_id = $1 AND revision = $2';
const HEAD = 'SELECT revision, updated_by, updated_at, deleted_at FROM designs WHERE id = $1';

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

export type SaveOn = (input: SaveInput & { id: string; expectedRevision: number }, docJson: string) => Promise<StoreResult<Saved> | undefined>;

/**
 * The save above; `undefined` when it cannot tell (the head matched but the update did not take
 * twice running, e.g. a delete and undelete racing it): the caller then saves in a transaction.
 */
export function createSaveOn(pool: pg.Pool, now: () => Date): { saveOn: SaveOn; remember(id: string, r: LatestRevision): void } {
  const known = new KnownRevisions();

  /** The revision the save starts from, from memory or the database; undefined if it has no row. */
  const revision = async (id: string, rev: number): Promise<LatestRevision | undefined> => {
    const hit = known.get(id, rev);
    if (hit) return hit;
    const r = (
      await pool.query<{ revision: number; author: string; autosave: boolean; saves: number; started_at: Date; folded_from: number | null }>({
        name: 'busboard-revision',
        text: REVISION,
        values: [id, rev],
      })
    ).rows[0];
    if (!r) return undefined;
    const latest = {
      revision: r.revision,
      author: r.author,
      autosave: r.autosave,
      saves: r.saves,
      startedAt: r.started_at.toISOString(),
      foldedFrom: r.folded_from,
    };
    known.set(id, latest);
    return latest;
  };

  /** Why a save on `expected` did not take: the design is gone, deleted, or has moved on. Undefined if none of these. */
  const refusal = async (id: string, expected: number): Promise<StoreResult<never> | undefined> => {
    const h = (
      await pool.query<{ revision: number; updated_by: string; updated_at: Date; deleted_at: Date | null }>({
        name: 'busboard-head',
        text: HEAD,
        values: [id],
      })
    ).rows[0];
    if (!h) return { ok: false, reason: 'not-found', id };
    if (h.deleted_at) return { ok: false, reason: 'deleted', id, deletedAt: h.deleted_at.toISOString() };
    if (h.revision !== expected) {
      return {
        ok: false,
        reason: 'conflict',
        id,
        expectedRevision: expected,
        latestRevision: h.revision,
        latestBy: h.updated_by,
        latestAt: h.updated_at.toISOString(),
      };
    }
    return undefined;
  };

  const saveOn: SaveOn = async (input, docJson) => {
    const { id, expectedRevision: expected } = input;
    for (let attempt = 0; attempt < 2; attempt++) {
      const latest = await revision(id, expected);
      if (!latest) {
        const refused = await refusal(id, expected);
        if (refused) return refused;
        throw new Error(`design ${id} has no row for its head revision ${expected}`);
      }
      const at = now();
      const fold = foldsInto(latest, input, at);
      const next: LatestRevision = {
        revision: expected + 1,
        author: input.author,
        autosave: input.autosave === true,
        saves: fold ? latest.saves + 1 : 1,
        startedAt: fold ? latest.startedAt : at.toISOString(),
        foldedFrom: fold ? (latest.foldedFrom ?? latest.revision) : null,
      };
      const r = await pool.query<{ saved: number }>({
        // A prepared statement (per connection): PostgreSQL plans it once, not on every save.
        name: 'busboard-save-on',
        text: SAVE_ON,
        values: [
          id,
          next.revision,
          input.name,
          docJson,
          input.author,
          input.message ?? '',
          next.autosave,
          next.saves,
          new Date(next.startedAt),
          at,
          next.foldedFrom,
          fold,
          expected,
        ],
      });
      if (r.rows[0]?.saved === 1) {
        known.set(id, next);
        return { ok: true, id, revision: next.revision };
      }
      const refused = await refusal(id, expected);
      if (refused) return refused;
    }
    return undefined;
  };

  return { saveOn, remember: (id, r) => known.set(id, r) };
}
