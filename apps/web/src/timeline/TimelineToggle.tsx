/** The toolbar's "Timeline" button and its key, T (not while typing in a field, not with a modifier). */
import { useEffect } from 'react';
import { useTimeline } from './store.ts';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable));
}

export function TimelineToggle() {
  const open = useTimeline((s) => s.open);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 't' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      e.preventDefault();
      useTimeline.getState().toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <button
      type="button"
      aria-pressed={open}
      onClick={() => useTimeline.getState().toggle()}
      data-testid="timeline-toggle"
      title="The design over its day: traffic profiles, autoscalers, what-ifs (T)"
    >
      Timeline
    </button>
  );
}
