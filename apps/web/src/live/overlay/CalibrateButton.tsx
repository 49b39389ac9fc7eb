import { type CalibrationResult, calibrate, formatProblem } from '@busboard/core';
import { useEffect, useState } from 'react';
import { useEditor } from '../../state/editor.ts';
import type { SnapshotView } from '../useLive.ts';
import { CalibrationPreview } from './CalibrationPreview.tsx';

function when(ms: number | null): string {
  return ms === null ? '–' : new Date(ms).toLocaleTimeString();
}

/**
 * "Calibrate from live": a preview of what the measurements would change in the open design —
 * every change from → to and why, what it refuses to lower and why — taken when asked (it
 * does not move under the reader), applied as one undoable edit.
 */
export function CalibrateButton({ snapshot }: { snapshot: SnapshotView | null }) {
  const doc = useEditor((s) => s.doc);
  const [preview, setPreview] = useState<CalibrationResult | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    setApplied(null);
    setError(null);
    if (!doc || !snapshot) return;
    try {
      setPreview(calibrate(doc, snapshot));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    if (!preview) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setPreview(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [preview]);
  const apply = () => {
    if (!preview?.command) return;
    const problems = useEditor.getState().dispatch(preview.command);
    if (problems.length) return setError(problems.map(formatProblem).join('; '));
    setApplied(`Applied ${preview.changes.length} change${preview.changes.length === 1 ? '' : 's'} as one edit: Ctrl+Z undoes them.`);
    setPreview(null);
  };
  return (
    <div className="calibrate">
      <button type="button" disabled={!doc || !snapshot} onClick={open} title="Preview what the live measurements would change in this design">
        Calibrate from live…
      </button>
      {applied && (
        <p className="muted small" data-testid="calibrate-applied">
          {applied}
        </p>
      )}
      {error && <p className="error small">{error}</p>}
      {preview && (
        <CalibrationPreview
          header={
            <p className="small">
              Measured over {preview.window.polls} poll{preview.window.polls === 1 ? '' : 's'} ({when(preview.window.fromMs)}–
              {when(preview.window.toMs)})
              {preview.window.failures.length > 0 && (
                <span className="warn-text"> · with a server failure: {preview.window.failures.join(', ')}</span>
              )}
            </p>
          }
          changes={preview.changes}
          refused={preview.refused}
          skipped={preview.skipped}
          nothingNote={`Nothing to change${preview.refused.length ? ' that can be trusted' : ': the design already says what was measured'}.`}
          canApply={Boolean(preview.command)}
          onApply={apply}
          onRefresh={open}
          onCancel={() => setPreview(null)}
        />
      )}
    </div>
  );
}
