/** Whether the goal-seek dialog is open: the what-if bar's button, the Results panel's link and the G key all open it. */
import { create } from 'zustand';

interface GoalSeekState {
  open: boolean;
  show(): void;
  close(): void;
}

export const useGoalSeek = create<GoalSeekState>((set) => ({
  open: false,
  show: () => set({ open: true }),
  close: () => set({ open: false }),
}));
