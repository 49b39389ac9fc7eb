/**
 * "Zone fails at the peak": a what-if event at the day's busiest minute for the chosen zone,
 * previewed on the timeline without touching the document; "Add to design" writes the events
 * into the document's `timeline` (one undo step).
 */
import type { TimelineResult, Topology } from '@busboard/core';
import { useState } from 'react';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { hhmm, peakMinute } from './minute.ts';
import { useTimeline } from './store.ts';

export function WhatIfControls({ doc, day }: { doc: Topology; day: TimelineResult | undefined }) {
  const whatIf = useTimeline((s) => s.whatIf);
  const [zone, setZone] = useState(doc.zones[0]?.name ?? '');
  const zoneName = doc.zones.some((z) => z.name === zone) ? zone : (doc.zones[0]?.name ?? '');
  const failAtPeak = () => {
    if (!day || !zoneName) return;
    const at = peakMinute(doc, day);
    const { setWhatIf, setMinute } = useTimeline.getState();
    setWhatIf([...whatIf.filter((e) => e.failZone !== zoneName), { atMinute: at, failZone: zoneName }]);
    setMinute(at);
  };
  const addToDesign = () => {
    const editor = useEditor.getState();
    if (!editor.doc) return;
    const problems = editor.dispatch({ type: 'replaceDocument', doc: { ...editor.doc, timeline: [...(editor.doc.timeline ?? []), ...whatIf] } });
    if (problems.length) return useToasts.getState().problems('Cannot add the what-if to the design', problems);
    useTimeline.getState().setWhatIf([]);
    useToasts.getState().show('Added to the design’s timeline', ['Ctrl+Z takes it out again']);
  };
  return (
    <span className="tl-whatif">
      {doc.zones.length > 1 && (
        <>
          <select value={zoneName} onChange={(e) => setZone(e.target.value)} aria-label="Zone to fail" data-testid="tl-fail-zone">
            {doc.zones.map((z) => (
              <option key={z.name} value={z.name}>
                {z.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={failAtPeak}
            disabled={!day}
            data-testid="tl-fail-at-peak"
            title="A what-if: the zone fails at the day's busiest minute (the design is not changed)"
          >
            fails at the peak
          </button>
        </>
      )}
      {whatIf.map((e) => (
        <span className="tl-chip" key={`${e.atMinute}:${e.failZone ?? e.restoreZone}`} data-testid="tl-whatif-chip">
          {e.failZone ? `${e.failZone} fails` : `${e.restoreZone} back`} at {hhmm(e.atMinute)}
          <button type="button" aria-label="Remove this what-if" onClick={() => useTimeline.getState().setWhatIf(whatIf.filter((x) => x !== e))}>
            ×
          </button>
        </span>
      ))}
      {whatIf.length > 0 && (
        <button
          type="button"
          onClick={addToDesign}
          data-testid="tl-add-to-design"
          title="Write these events into the design's timeline (Ctrl+Z undoes)"
        >
          Add to design
        </button>
      )}
    </span>
  );
}
