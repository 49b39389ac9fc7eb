/** What-if controls over the canvas: traffic multiplier, failed zones, apply the recommendation. */
import { useState } from 'react';
import { recommendFn } from '../lib/recommend.ts';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { useView } from '../state/view.ts';
import { useDesign } from './context.ts';

export function WhatIfBar() {
  const { doc } = useDesign();
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const [busy, setBusy] = useState(false);
  const recommend = recommendFn();
  const apply = () => {
    if (!recommend) return;
    setBusy(true);
    // Give the button a frame to show it is working: a recommendation searches many designs.
    setTimeout(() => {
      try {
        const rec = recommend(doc);
        const problems = useEditor.getState().dispatch({ type: 'applyRecommendation', bundles: rec.bundles });
        const toasts = useToasts.getState();
        if (problems.length) toasts.problems('Cannot apply the recommendation', problems);
        else
          toasts.show(
            rec.meetsSlo ? 'Recommendation applied (undo with Ctrl+Z)' : 'Best found applied: not every SLO holds',
            rec.reasons,
            rec.meetsSlo ? 'info' : 'error',
          );
      } finally {
        setBusy(false);
      }
    }, 16);
  };
  return (
    <div className="whatif" data-testid="whatif">
      <label className="whatif-scale">
        <span>Traffic ×{scale.toFixed(2)}</span>
        <input
          type="range"
          min={0.1}
          max={3}
          step={0.05}
          value={scale}
          aria-label="traffic multiplier"
          data-testid="scale-slider"
          onChange={(e) => useView.getState().setScale(Number(e.target.value))}
        />
      </label>
      <span className="whatif-zones">
        <span className="muted">Fail</span>
        {doc.zones.map((z) => (
          <button
            key={z.name}
            type="button"
            className={`chip${failZones.includes(z.name) ? ' on' : ''}`}
            aria-pressed={failZones.includes(z.name)}
            data-testid={`fail-${z.name}`}
            onClick={() => useView.getState().toggleZone(z.name)}
          >
            {z.name}
          </button>
        ))}
      </span>
      {(scale !== 1 || failZones.length > 0) && (
        <button type="button" className="small" onClick={() => useView.getState().resetWhatIf()}>
          Reset
        </button>
      )}
      <button
        type="button"
        className="small"
        disabled={!recommend || busy}
        data-testid="apply-recommendation"
        title={recommend ? 'Set replica counts to the engine’s recommendation (undoable)' : 'The recommendation comes with the full engine'}
        onClick={apply}
      >
        {busy ? 'Recommending…' : 'Apply recommendation'}
      </button>
    </div>
  );
}
