/** Light or dark, remembered in this browser; the first visit follows the system setting. */
import { create } from 'zustand';

export type Theme = 'light' | 'dark';

function initial(): Theme {
  const saved = localStorage.getItem('busboard.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme: Theme) {
  document.documentElement.dataset.theme = theme;
}

export const useTheme = create<{ theme: Theme; toggle(): void }>((set, get) => {
  const theme = initial();
  apply(theme);
  return {
    theme,
    toggle: () => {
      const next = get().theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('busboard.theme', next);
      apply(next);
      set({ theme: next });
    },
  };
});
