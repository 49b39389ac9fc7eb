/** When autosaves fold into the previous revision instead of adding one (pure, shared by both backends). */
import { AUTOSAVE_WINDOW_MS } from './types.ts';

export interface LatestRevision {
  revision: number;
  autosave: boolean;
  author: string;
  /** When the latest revision's run of autosaves began. */
  startedAt: string;
  saves: number;
  foldedFrom: number | null;
}

/**
 * An autosave folds into the latest revision when that one is an autosave by the same author
 * whose run began less than `AUTOSAVE_WINDOW_MS` ago. An explicit save, another author or an
 * old run starts a new revision, so history stays readable and nobody's work is folded away.
 */
export function foldsInto(latest: LatestRevision, input: { autosave?: boolean; author: string }, now: Date): boolean {
  if (!input.autosave || !latest.autosave || latest.author !== input.author) return false;
  const age = now.getTime() - Date.parse(latest.startedAt);
  return age >= 0 && age < AUTOSAVE_WINDOW_MS;
}
