/** What-if controls over the canvas: traffic multiplier, failed zones, event bursts and consumer outages, apply the recommendation. */
import type { Recommendation } from '@busboard/core';
import { useState } from 'react';
import { zoneMarks } from '../canvas/zones.ts';
import { useDesign } from '../design/context.ts';
import { recommendInWorker } from '../engine/client.ts';
import { GoalSeekButton } from '../goal/GoalSeekButton.tsx';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { useView } from '../state/view.ts';
import { RecommendationPreview } from './RecommendationPreview.tsx';
import { WhatIfEvents } from './WhatIfEvents.tsx';

export function WhatIfBar() {
  const { doc } = useDesign();
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const asyncSet = useView((s) => s.eventBurst > 0 || s.consumerOutageSeconds > 0);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{ rec: Recommendation; scale: number } | null>(null);
  const ask = () => {
    setBusy(true);
    recommendInWorker(doc, scale)
      .then((rec) => setPreview({ rec, scale }))
      .catch((err: Error) => useToasts.getState().show('The recommendation failed', [err.message], 'error'))
      .finally(() => setBusy(false));
  };
  const apply = () => {
    if (!preview) return;
    const { rec } = preview;
    setPreview(null);
    const toasts = useToasts.getState();
    const problems = useEditor.getState().dispatch({ type: 'applyRecommendation', bundles: rec.bundles });
    if (problems.length) {
      toasts.problems('Cannot apply the recommendation', problems);
      return;
    }
    const summary = `${rec.currentReplicas} → ${rec.totalReplicas} replicas${preview.scale !== 1 ? ` for traffic ×${preview.scale.toFixed(2)}` : ''}`;
    const lines = [summary, rec.survivesZoneFailure ? 'survives any one zone failing' : 'does not survive every zone failure', ...rec.reasons];
    toasts.show(
      rec.meetsSlo ? 'Recommendation applied (Ctrl+Z undoes it)' : 'Best found applied: not every SLO holds',
      lines,
      rec.meetsSlo ? 'info' : 'error',
    );
  };
  return (
    <div className="whatif" data-testid="whatif">
      <span className="whatif-scale">
        <label htmlFor="traffic-scale">Traffic ×</label>
        <input
          id="traffic-scale"
          type="number"
          className="whatif-number"
          min={0.01}
          max={100}
          step={0.05}
          value={Number(scale.toFixed(2))}
          aria-label="traffic multiplier"
          data-testid="scale-input"
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isFinite(v) && v > 0) useView.getState().setScale(Math.min(100, v));
          }}
        />
        {/* Logarithmic: ×0.1 to ×10 with the same precision around ×1 as around ×5. */}
        <input
          type="range"
          min={-1}
          max={1}
          step={0.005}
          value={Math.log10(Math.min(10, Math.max(0.1, scale)))}
          aria-label="traffic multiplier, from ×0.1 to ×10"
          aria-valuetext={`×${scale.toFixed(2)}`}
          data-testid="scale-slider"
          onChange={(e) => useView.getState().setScale(Number((10 ** Number(e.target.value)).toFixed(2)))}
        />
      </span>
      <span className="whatif-zones">
        <span className="muted">Fail</span>
        {zoneMarks(doc.zones).map((z) => (
          <button
            key={z.name}
            type="button"
            className={`chip${failZones.includes(z.name) ? ' on' : ''}`}
            aria-pressed={failZones.includes(z.name)}
            data-testid={`fail-${z.name}`}
            title={`fail ${z.name} (${z.region})`}
            onClick={() => useView.getState().toggleZone(z.name)}
          >
            <span className="wide-only">{z.name}</span>
            <span className="narrow-only">{z.short}</span>
          </button>
        ))}
      </span>
      <WhatIfEvents />
      {(scale !== 1 || failZones.length > 0 || asyncSet) && (
        <button type="button" className="small" onClick={() => useView.getState().resetWhatIf()}>
          Reset
        </button>
      )}
      <button
        type="button"
        className="small"
        disabled={busy}
        data-testid="apply-recommendation"
        aria-label={busy ? 'Recommending…' : 'Apply recommendation…'}
        title="The fewest replicas that keep every replica at ρ and CPU ≤ 0.7, every SLO, and survive a zone failing: previewed per bundle and zone before it is applied (undoable)"
        onClick={ask}
      >
        {busy ? (
          'Recommending…'
        ) : (
          <>
            Apply <span className="wide-only">recommendation</span>…
          </>
        )}
      </button>
      <GoalSeekButton />
      {preview && <RecommendationPreview rec={preview.rec} scale={preview.scale} onApply={apply} onClose={() => setPreview(null)} />}
    </div>
  );
}
