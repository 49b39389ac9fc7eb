/**
 * A design's rows as both backends hand them over, in the contract's terms (ISO times,
 * booleans): each backend maps its SQL rows to these, the decisions (decide.ts, fold.ts) are
 * taken over them, and the answers below are built from them once.
 */
import { type DeletedDesign, type DesignRecord, type DesignSummary, RETENTION_MS, type RevisionSummary, type SaveInput } from './types.ts';

/** A design's row: its latest revision, who wrote it, and whether it is in the trash. */
export interface HeadRow {
  id: string;
  name: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  deletedAt: string | null;
  deletedBy: string | null;
}

/** One revision's metadata (its document apart). */
export interface RevisionRow {
  revision: number;
  name: string;
  author: string;
  message: string;
  autosave: boolean;
  /** How many saves a folded run of autosaves stands for. */
  saves: number;
  /** When the run of autosaves began (for an explicit save, when it was written). */
  startedAt: string;
  createdAt: string;
  /** The first revision of a folded run, or null. */
  foldedFrom: number | null;
}

/** What a new revision says about itself beside its document. */
export type RevisionMeta = Pick<SaveInput, 'name' | 'author' | 'message' | 'autosave'>;

export function designSummary(h: HeadRow): DesignSummary {
  return { id: h.id, name: h.name, revision: h.revision, createdAt: h.createdAt, updatedAt: h.updatedAt, updatedBy: h.updatedBy };
}

/** When a design deleted at `deletedAt` is purged for good. */
export function purgeAfter(deletedAt: string): string {
  return new Date(Date.parse(deletedAt) + RETENTION_MS).toISOString();
}

/** A design in the trash (its `deletedAt` set). */
export function deletedDesign(h: HeadRow): DeletedDesign {
  const deletedAt = h.deletedAt ?? '';
  return { id: h.id, name: h.name, revision: h.revision, deletedAt, deletedBy: h.deletedBy ?? 'unknown', purgeAfter: purgeAfter(deletedAt) };
}

export function revisionSummary(r: RevisionRow): RevisionSummary {
  return {
    revision: r.revision,
    name: r.name,
    author: r.author,
    message: r.message,
    autosave: r.autosave,
    saves: r.saves,
    startedAt: r.startedAt,
    createdAt: r.createdAt,
  };
}

/** What a load reads of a revision beside its document. */
export type LoadedRevision = Pick<RevisionRow, 'revision' | 'name' | 'author' | 'message' | 'autosave' | 'createdAt'>;

/** A loaded revision's metadata; `latestRevision` is the design's head. */
export function recordMeta(id: string, latestRevision: number, r: LoadedRevision): Omit<DesignRecord, 'doc'> {
  return {
    id,
    name: r.name,
    revision: r.revision,
    latestRevision,
    updatedAt: r.createdAt,
    author: r.author,
    message: r.message,
    autosave: r.autosave,
  };
}
