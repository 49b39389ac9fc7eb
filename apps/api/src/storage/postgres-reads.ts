/** Every read of designs in the PostgreSQL store: SQL, mapped to rows.ts, answered by decide.ts and load.ts. */
import type pg from 'pg';
import { noRevision, readable } from './decide.ts';
import { cachedLoads } from './load.ts';
import { foldedInto, type PgHeadRow, type PgRevisionRow, readHead, SELECT_HEAD, SELECT_REVISION, toHead, toRevision } from './postgres-rows.ts';
import type { RevisionCache } from './revision-cache.ts';
import { deletedDesign, designSummary, revisionSummary } from './rows.ts';
import type { DesignStore } from './types.ts';

/** A load in one round trip: the head and the wanted revision's metadata (null columns when it does not exist). */
const LOAD = `SELECT d.revision AS latest, d.deleted_at, r.revision, r.name, r.author, r.message, r.autosave, r.created_at
  FROM designs d LEFT JOIN revisions r ON r.design_id = d.id AND r.revision = COALESCE($2, d.revision) WHERE d.id = $1`;

type PgLoadRow = Pick<PgRevisionRow, 'name' | 'author' | 'message' | 'autosave' | 'created_at'> & {
  revision: number | null;
  latest: number;
  deleted_at: Date | null;
};

export function postgresReads(pool: pg.Pool, cache: RevisionCache): Pick<DesignStore, 'list' | 'trash' | 'get' | 'getJson' | 'history'> {
  const heads = async (where: string) => (await pool.query<PgHeadRow>(`${SELECT_HEAD} ${where}`)).rows.map(toHead);
  const missing = async (id: string, revision: number) => noRevision(id, revision, await foldedInto(pool, id, revision));

  const loads = cachedLoads(
    {
      async row(id, revision) {
        const r = (await pool.query<PgLoadRow>({ name: 'busboard-load', text: LOAD, values: [id, revision ?? null] })).rows[0];
        if (!r) return undefined;
        const { latest, revision: rev } = r;
        const deletedAt = r.deleted_at?.toISOString() ?? null;
        if (rev === null) return { latest, deletedAt, revision: undefined };
        return {
          latest,
          deletedAt,
          revision: {
            revision: rev,
            name: r.name,
            author: r.author,
            message: r.message,
            autosave: r.autosave,
            createdAt: r.created_at.toISOString(),
          },
        };
      },
      async doc(id, revision) {
        const text = 'SELECT doc FROM revisions WHERE design_id = $1 AND revision = $2';
        return (await pool.query<{ doc: string }>({ name: 'busboard-doc', text, values: [id, revision] })).rows[0]?.doc;
      },
      missing,
    },
    cache,
  );

  return {
    ...loads,
    list: async () => (await heads('WHERE deleted_at IS NULL ORDER BY updated_at DESC, id')).map(designSummary),
    trash: async () => (await heads('WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id')).map(deletedDesign),
    async history(id) {
      const found = readable(id, await readHead(pool, id));
      if (!found.ok) return found;
      const rows = (await pool.query<PgRevisionRow>(`${SELECT_REVISION} WHERE design_id = $1 ORDER BY revision DESC`, [id])).rows;
      return { ok: true, revisions: rows.map((r) => revisionSummary(toRevision(r))) };
    },
  };
}
