/** Short messages for edits that were refused or things that went wrong, shown over the canvas. */
import type { Problem } from '@busboard/core';
import { formatProblem } from '@busboard/core';
import { create } from 'zustand';

export interface Toast {
  id: number;
  title: string;
  lines: string[];
  tone: 'error' | 'info';
}

interface ToastState {
  toasts: Toast[];
  show(title: string, lines?: string[], tone?: Toast['tone']): void;
  problems(title: string, problems: Problem[]): void;
  dismiss(id: number): void;
}

let next = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show: (title, lines = [], tone = 'info') => {
    const id = next++;
    set({ toasts: [...get().toasts.slice(-3), { id, title, lines, tone }] });
    setTimeout(() => get().dismiss(id), tone === 'error' ? 9000 : 4000);
  },
  problems: (title, problems) => get().show(title, problems.map(formatProblem), 'error'),
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));
