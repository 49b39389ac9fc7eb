/**
 * The designer's rehearsal: which run it follows and its newest state (from the server's
 * stream), whether the Rehearse panel is open, and the predicted-vs-measured panel's settings.
 * View state: never saved into the document.
 */
import type { RunView } from '@busboard/api';
import { create } from 'zustand';

export const MEASURED_TAB = 'measured';

interface RehearseState {
  panelOpen: boolean;
  runId: string | null;
  run: RunView | null;
  /** Where the predicted-vs-measured panel takes its figures from. */
  source: 'rehearsal' | 'prometheus';
  /** |error| above this is coloured as off (a fraction: 0.15 = 15 %). */
  tolerance: number;
  setPanelOpen(open: boolean): void;
  follow(runId: string): void;
  update(run: RunView): void;
  setSource(source: 'rehearsal' | 'prometheus'): void;
  setTolerance(t: number): void;
}

export const useRehearsal = create<RehearseState>((set) => ({
  panelOpen: false,
  runId: null,
  run: null,
  source: 'rehearsal',
  tolerance: 0.15,
  setPanelOpen: (panelOpen) => set({ panelOpen }),
  follow: (runId) => set({ runId, run: null }),
  update: (run) => set((s) => (s.runId === run.id ? { run } : s)),
  setSource: (source) => set({ source }),
  setTolerance: (tolerance) => set({ tolerance }),
}));
