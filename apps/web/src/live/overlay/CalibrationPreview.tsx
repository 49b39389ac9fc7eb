/**
 * A calibration preview: every change from → to and why, what is refused and why, what is left
 * as designed, and the buttons to apply it (one undoable edit), measure again, or cancel. Used by
 * "Calibrate from live" and by the Measured tab's Prometheus calibration.
 */
import type { ReactNode } from 'react';

export interface PreviewChange {
  path: string;
  from: number | string;
  to: number | string;
  reason: string;
}

export function CalibrationPreview({
  header,
  changes,
  refused = [],
  skipped,
  nothingNote,
  canApply,
  onApply,
  onRefresh,
  onCancel,
}: {
  header?: ReactNode;
  changes: PreviewChange[];
  refused?: PreviewChange[];
  skipped: string[];
  /** What "nothing to change" means here. */
  nothingNote: string;
  canApply: boolean;
  onApply(): void;
  onRefresh?: () => void;
  onCancel?: () => void;
}) {
  return (
    <section className="calibrate-preview" data-testid="calibrate-preview" aria-label="Calibration preview">
      {header}
      {changes.length === 0 ? (
        <p>{nothingNote}</p>
      ) : (
        <ul className="calibrate-changes">
          {changes.map((c) => (
            <li key={c.path}>
              <code>{c.path}</code> {String(c.from)} → <strong>{String(c.to)}</strong>
              <div className="muted small">{c.reason}</div>
            </li>
          ))}
        </ul>
      )}
      {refused.length > 0 && (
        <>
          <h4>Not changed</h4>
          <ul className="calibrate-refused" data-testid="calibrate-refused">
            {refused.map((c) => (
              <li key={c.path}>
                <code>{c.path}</code> stays {String(c.from)} <span className="muted">(measured {String(c.to)})</span>
                <div className="warn-text small">{c.reason}</div>
              </li>
            ))}
          </ul>
        </>
      )}
      {skipped.length > 0 && (
        <details>
          <summary>Left as designed ({skipped.length})</summary>
          <ul>
            {skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="calibrate-actions">
        <button type="button" className="primary" disabled={!canApply} onClick={onApply}>
          Apply {changes.length} change{changes.length === 1 ? '' : 's'}
        </button>
        {onRefresh && (
          <button type="button" onClick={onRefresh} title="Measure again">
            Refresh
          </button>
        )}
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </section>
  );
}
