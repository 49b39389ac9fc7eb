/**
 * Whether the goal-seek dialog is open (the what-if bar's button, the Results panel's link and
 * the G key all open it), and the last answer, kept when the dialog closes: reopening shows it,
 * marked stale once the design or the options differ from what it was computed for.
 */
import type { GoalOptions, GoalSeekResult, Topology } from '@busboard/core';
import { create } from 'zustand';
import { hashText } from '../scenarios/desRuns.ts';

/** The last answer and what it was computed for. */
export interface KeptGoal {
  /** The design it belongs to (another design opened: not shown). */
  designId: string | null;
  /** `docKey` of the document searched. */
  docKey: string;
  options: GoalOptions;
  goal: GoalSeekResult;
  currentP99Ms: number | null;
  /** The frontier point previewed, or -1 for the answer. */
  selected: number;
}

interface GoalSeekState {
  open: boolean;
  last: KeptGoal | null;
  show(): void;
  close(): void;
  keep(last: KeptGoal | null): void;
}

export const useGoalSeek = create<GoalSeekState>((set) => ({
  open: false,
  last: null,
  show: () => set({ open: true }),
  close: () => set({ open: false }),
  keep: (last) => set({ last }),
}));

/** What a search depends on in the document (its variants are not part of it). */
export function docKey(doc: Topology): string {
  const { scenarios: _, ...rest } = doc;
  return hashText(JSON.stringify(rest));
}

const near = (x: number | undefined, y: number | undefined) => x === y || (x !== undefined && y !== undefined && Math.abs(x - y) < 1e-9);

/** The same search options (the dialog's fields; a percent and back may differ in the last bit). */
export function sameOptions(a: GoalOptions, b: GoalOptions): boolean {
  return (
    a.objective === b.objective &&
    a.zoneFailure === b.zoneFailure &&
    near(a.rhoTarget, b.rhoTarget) &&
    near(a.cpuTarget, b.cpuTarget) &&
    near(a.scale, b.scale)
  );
}

/** Why a kept answer no longer stands for the design and options now (null: it does). */
export function staleReason(kept: Pick<KeptGoal, 'docKey' | 'options'>, key: string, options: GoalOptions): string | null {
  if (kept.docKey !== key) return 'the design changed since';
  if (!sameOptions(kept.options, options)) return 'the options changed since';
  return null;
}
