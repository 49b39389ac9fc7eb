/** When autosaves fold into the previous revision instead of adding one (pure, shared by both backends). */
import type { RevisionRow } from './rows.ts';
import { AUTOSAVE_WINDOW_MS } from './types.ts';

/** What folding needs to know of the revision a save lands on. */
export type LatestRevision = Pick<RevisionRow, 'revision' | 'autosave' | 'author' | 'startedAt' | 'saves' | 'foldedFrom'>;

type Saving = { autosave?: boolean; author: string };

/**
 * An autosave folds into the latest revision when that one is an autosave by the same author
 * whose run began less than `AUTOSAVE_WINDOW_MS` ago. An explicit save, another author or an
 * old run starts a new revision, so history stays readable and nobody's work is folded away.
 */
export function foldsInto(latest: LatestRevision, input: Saving, now: Date): boolean {
  if (!input.autosave || !latest.autosave || latest.author !== input.author) return false;
  const age = now.getTime() - Date.parse(latest.startedAt);
  return age >= 0 && age < AUTOSAVE_WINDOW_MS;
}

/**
 * The revision a save at `at` adds on top of `latest` (undefined: the first of a new design).
 * A folding save replaces `latest`: the backend deletes that row in the same transaction, and
 * the new revision carries the run on (its saves, when it began, where it was folded from).
 */
export function nextRevision(latest: LatestRevision | undefined, input: Saving, at: Date): { next: LatestRevision; folds: boolean } {
  const folds = latest !== undefined && foldsInto(latest, input, at);
  const next: LatestRevision = {
    revision: (latest?.revision ?? 0) + 1,
    author: input.author,
    autosave: input.autosave === true,
    saves: folds ? latest.saves + 1 : 1,
    startedAt: folds ? latest.startedAt : at.toISOString(),
    foldedFrom: folds ? (latest.foldedFrom ?? latest.revision) : null,
  };
  return { next, folds };
}
