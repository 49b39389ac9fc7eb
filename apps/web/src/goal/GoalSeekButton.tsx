/** The what-if bar's "Goal seek…" button and its key, G (not while typing, not with a modifier); it hosts the dialog. */
import { lazy, Suspense, useEffect } from 'react';
import { useGoalSeek } from './store.ts';

const GoalSeekDialog = lazy(() => import('./GoalSeekDialog.tsx'));

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable));
}

export function GoalSeekButton() {
  const open = useGoalSeek((s) => s.open);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'g' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      e.preventDefault();
      useGoalSeek.getState().show();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="small"
        data-testid="goal-seek-open"
        aria-haspopup="dialog"
        title="Fewest replicas or lowest cost for your SLO, ρ and CPU targets, with a zone down, and the cost–P99 frontier (G)"
        onClick={() => useGoalSeek.getState().show()}
      >
        Goal seek…
      </button>
      {open && (
        <Suspense fallback={null}>
          <GoalSeekDialog />
        </Suspense>
      )}
    </>
  );
}

/** The Results panel's way in (the same dialog). */
export function GoalSeekLink() {
  return (
    <button
      type="button"
      className="link small"
      data-testid="results-goal-seek"
      onClick={() => useGoalSeek.getState().show()}
      title="open goal seek (G)"
    >
      Goal seek: fewest replicas or lowest cost for these targets…
    </button>
  );
}
