/**
 * A load, written once for both backends: the backend reads the head and the asked revision's
 * metadata (one statement) and, unless the cache has it, the revision's document; the cache
 * keeps what was read (revision-cache.ts). A load sent as is never parses the document.
 */
import { readable } from './decide.ts';
import type { RevisionCache } from './revision-cache.ts';
import { type HeadRow, type LoadedRevision, recordMeta } from './rows.ts';
import type { DesignRecord, DesignStore, StoreResult } from './types.ts';

type Maybe<T> = T | Promise<T>;

/** A design's head beside the asked revision's metadata (undefined: there is no such revision). */
export interface LoadRow {
  latest: number;
  deletedAt: HeadRow['deletedAt'];
  revision: LoadedRevision | undefined;
}

export interface LoadSource {
  /** The head of `id` and the metadata of `revision` (default: the latest), in one read; undefined: no such design. */
  row(id: string, revision: number | undefined): Maybe<LoadRow | undefined>;
  /** The stored JSON text of a revision; undefined if it has gone since (purged meanwhile). */
  doc(id: string, revision: number): Maybe<string | undefined>;
  /** The answer for a revision that is not there. */
  missing(id: string, revision: number): Maybe<StoreResult<never>>;
}

export function cachedLoads(source: LoadSource, cache: RevisionCache): Pick<DesignStore, 'get' | 'getJson'> {
  const load = async (id: string, revision: number | undefined): Promise<StoreResult<{ meta: Omit<DesignRecord, 'doc'> }>> => {
    const found = readable(id, await source.row(id, revision));
    if (!found.ok) return found;
    const { latest, revision: row } = found.head;
    if (!row) return source.missing(id, revision ?? latest);
    return { ok: true, meta: recordMeta(id, latest, row) };
  };
  return {
    async get(id, revision) {
      const found = await load(id, revision);
      if (!found.ok) return found;
      const { meta } = found;
      let doc = cache.doc(id, meta.revision);
      if (!doc) {
        const docJson = await source.doc(id, meta.revision);
        if (docJson === undefined) return source.missing(id, meta.revision);
        doc = cache.parse(id, meta.revision, docJson);
      }
      return { ok: true, design: { ...meta, doc } };
    },
    async getJson(id, revision) {
      const found = await load(id, revision);
      if (!found.ok) return found;
      const { meta } = found;
      let docJson = cache.json(id, meta.revision);
      if (docJson === undefined) {
        docJson = await source.doc(id, meta.revision);
        if (docJson === undefined) return source.missing(id, meta.revision);
        cache.put(id, meta.revision, docJson);
      }
      return { ok: true, design: { ...meta, docJson } };
    },
  };
}
