/**
 * The canvas at the scrubbed minute: while the timeline is open and has a day, the canvas
 * inside this provider reads the design as it stands at that minute (traffic × the minute's
 * factor, the ready replicas per zone, the zones failed then) and the engine's figures for it,
 * so the same badges the steady results feed show the minute. Outside it (inspector, panels)
 * the design stays the document.
 */
import type { SimulationResult } from '@busboard/core';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { DesignContext, useDesign } from '../design/context.ts';
import { simulateInWorker } from '../engine/client.ts';
import { hhmm, minuteDesign } from './minute.ts';
import { useTimeline } from './store.ts';

export function MinuteDesign({ children }: { children: ReactNode }) {
  const outer = useDesign();
  const open = useTimeline((s) => s.open);
  const minute = useTimeline((s) => s.minute);
  const day = useTimeline((s) => s.run.results[0]);
  const at = useMemo(() => (open && day ? minuteDesign(outer.doc, day, minute) : null), [open, day, outer.doc, minute]);
  const [figures, setFigures] = useState<{ for: typeof at; result: SimulationResult } | null>(null);
  useEffect(() => {
    if (!at) return;
    let live = true;
    simulateInWorker({ kind: 'simulate', doc: at.doc, options: { failZones: at.failZones } })
      .then((result) => live && setFigures({ for: at, result }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [at]);
  const value = useMemo(() => {
    if (!at || !figures) return outer;
    // Until this minute's figures arrive, the previous minute's stay (no flash back to the steady ones).
    return {
      ...outer,
      doc: figures.for?.doc ?? at.doc,
      result: figures.result,
      entriesPending: false,
      entriesError: null,
      error: null,
      options: { ...outer.options, scale: 1, failZones: figures.for?.failZones ?? [] },
      // The steady design's DES cross-check says nothing about this minute: its badges step aside.
      crossCheck: { status: 'none' as const },
    };
  }, [outer, at, figures]);
  return (
    <>
      <DesignContext.Provider value={value}>{children}</DesignContext.Provider>
      {value !== outer && (
        <output
          className="tl-canvas-at"
          data-testid="tl-canvas-at"
          title="The canvas shows the scrubbed minute of the timeline; the side panel the steady design"
        >
          Canvas at {hhmm(minute)}
          {failedNow(at)}
        </output>
      )}
    </>
  );
}

const failedNow = (at: { failZones: string[] } | null) => (at?.failZones.length ? ` (${at.failZones.join(', ')} down)` : '');
