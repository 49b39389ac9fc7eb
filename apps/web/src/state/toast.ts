/** Short messages for edits that were refused or things that went wrong, shown over the canvas. */
import type { Problem } from '@busboard/core';
import { formatProblem } from '@busboard/core';
import { create } from 'zustand';

export interface Toast {
  id: number;
  title: string;
  lines: string[];
  tone: 'error' | 'info';
  /** A button in the toast (an Undo after a change made for the user); it dismisses the toast. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run(): void;
}

interface ToastState {
  toasts: Toast[];
  show(title: string, lines?: string[], tone?: Toast['tone'], action?: ToastAction): void;
  problems(title: string, problems: Problem[]): void;
  dismiss(id: number): void;
}

let next = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show: (title, lines = [], tone = 'info', action) => {
    const id = next++;
    set({ toasts: [...get().toasts.slice(-3), { id, title, lines, tone, ...(action ? { action } : {}) }] });
    // A toast with a button stays long enough to reach it from the keyboard.
    setTimeout(() => get().dismiss(id), tone === 'error' || action ? 9000 : 4000);
  },
  problems: (title, problems) => get().show(title, problems.map(formatProblem), 'error'),
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));
