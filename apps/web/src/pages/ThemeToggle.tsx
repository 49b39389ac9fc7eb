import './theme.css';
import { useTheme } from '../state/theme.ts';

export function ThemeToggle() {
  const theme = useTheme((s) => s.theme);
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => useTheme.getState().toggle()}
      aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
      data-testid="theme-toggle"
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
