/**
 * At the top of Results while the timeline shows a minute: the canvas is at that minute
 * (MinuteDesign) but the side panel stays the steady design's, so it says so, and gives the
 * minute's headline figures from the timeline's own series (the day computed in core).
 */
import type { Topology } from '@busboard/core';
import { formatMs } from '../canvas/adapter.ts';
import { hhmm, rpsAt } from './minute.ts';
import { useTimeline } from './store.ts';

export function ResultsMinuteNote({ doc }: { doc: Topology }) {
  const open = useTimeline((s) => s.open);
  const day = useTimeline((s) => s.run.results[0]);
  const scrubbed = useTimeline((s) => s.minute);
  if (!open || !day) return null;
  const minute = Math.min(scrubbed, day.minutes - 1);
  const at = hhmm(minute);
  const entries = Object.entries(day.series.entries).slice(0, 2);
  return (
    <p className="tl-results-note" role="note" data-testid="results-minute-note">
      <strong>Steady figures, not {at}’s:</strong> this panel shows the steady design (each entry at its set rps, every replica ready); the canvas and
      the timeline show {at}.{' '}
      <span className="tl-results-at">
        At {at}: {rpsAt(doc, day, minute).toFixed(0)} rps
        {entries.map(([e, s]) => (
          <span key={e}>
            {' '}
            · {e} P99 {s.p99Ms[minute] == null ? '—' : formatMs(s.p99Ms[minute] as number)}
            {s.sloMet[minute] === false && <strong className="error"> over SLO</strong>}
          </span>
        ))}
        .
      </span>
    </p>
  );
}
