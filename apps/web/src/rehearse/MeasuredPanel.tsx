/**
 * The predicted-vs-measured panel (a side-panel tab): for each entry and service, the model's
 * figure beside the measured one and the error, coloured against a tolerance the user sets.
 * Figures come from the last rehearsal or from Prometheus over a chosen window; from
 * Prometheus it also previews the calibration the measurements suggest, applied as one
 * undoable edit.
 */
import './rehearse.css';
import { type ComparisonRow, formatProblem, formatProblems, rehearsalRows } from '@busboard/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { CalibrationPreview } from '../live/overlay/CalibrationPreview.tsx';
import { useEditor } from '../state/editor.ts';
import { useTRPC } from '../trpc.ts';
import { ComparisonTable } from './ComparisonTable.tsx';
import { PrometheusSettings } from './PrometheusSettings.tsx';
import { useRehearsal } from './state.ts';

const WINDOWS = [
  { s: 60, label: 'last minute' },
  { s: 300, label: 'last 5 minutes' },
  { s: 900, label: 'last 15 minutes' },
  { s: 3600, label: 'last hour' },
];

interface Preview {
  rows: ComparisonRow[];
  doc: unknown;
  changes: { path: string; from: number | string; to: number | string; reason: string }[];
  skipped: string[];
}

function FromRehearsal({ tolerance }: { tolerance: number }) {
  const run = useRehearsal((s) => s.run);
  const report = run?.report ?? null;
  const rows = useMemo(() => (report ? rehearsalRows(report.predicted, report.measured) : []), [report]);
  if (!report)
    return (
      <p className="muted">
        {run?.state === 'running'
          ? 'The rehearsal is running; the figures come when it ends.'
          : 'No rehearsal yet: press Rehearse in the toolbar to measure this design.'}
      </p>
    );
  return (
    <>
      <p className="muted small">
        Rehearsal of {report.design}: {report.options.durationS} s at dilation ×{report.options.dilation}
        {report.options.scale !== 1 ? `, traffic × ${report.options.scale}` : ''}
        {report.options.failZones.length ? `, zones down: ${report.options.failZones.join(', ')}` : ''}. Measured figures in design time.
      </p>
      <ComparisonTable rows={rows} tolerance={tolerance} testId="measured-table" />
    </>
  );
}

function FromPrometheus({ tolerance }: { tolerance: number }) {
  const trpc = useTRPC();
  const report = useRehearsal((s) => s.run?.report ?? null);
  // -1: the last rehearsal's own window (a rate over a window longer than the run would be diluted).
  const [windowS, setWindow] = useState(report ? -1 : 300);
  const [timeScale, setTimeScale] = useState(report?.options.dilation ?? 1);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  const compare = useMutation(
    trpc.prometheus.compare.mutationOptions({
      onSuccess: (res) => {
        if (!res.ok) {
          setProblem(formatProblems(res.problems));
          setPreview(null);
          return;
        }
        setProblem(null);
        setApplied(null);
        setPreview({ rows: res.rows, doc: res.calibration.doc, changes: res.calibration.changes, skipped: res.calibration.skipped });
      },
      onError: (err) => setProblem(err.message),
    }),
  );
  const apply = () => {
    if (!preview) return;
    const problems = useEditor.getState().dispatch({ type: 'replaceDocument', doc: preview.doc as never });
    if (problems.length) setProblem(problems.map(formatProblem).join('; '));
    else setApplied(`Applied ${preview.changes.length} change${preview.changes.length === 1 ? '' : 's'} as one edit: Ctrl+Z undoes them.`);
  };
  return (
    <>
      <PrometheusSettings />
      <div className="measured-controls">
        <select
          aria-label="Window"
          value={windowS}
          onChange={(e) => {
            const w = Number(e.target.value);
            setWindow(w);
            if (w === -1 && report) setTimeScale(report.options.dilation);
          }}
        >
          {report && <option value={-1}>the last rehearsal ({Math.round(report.window.to - report.window.from)} s)</option>}
          {WINDOWS.map((w) => (
            <option key={w.s} value={w.s}>
              {w.label}
            </option>
          ))}
        </select>
        <label title="A rehearsal's dilation, to read its metrics in design time; 1 for a real deployment">
          time scale × <input type="number" min={1} max={1000} value={timeScale} onChange={(e) => setTimeScale(Number(e.target.value) || 1)} />
        </label>
        <button
          type="button"
          className="primary"
          disabled={compare.isPending}
          onClick={() => {
            const doc = useEditor.getState().doc;
            if (!doc) return;
            if (windowS === -1 && report)
              compare.mutate({ doc, windowS: Math.max(10, Math.floor(report.window.to - report.window.from)), at: report.window.to, timeScale });
            else compare.mutate({ doc, windowS: Math.max(10, windowS), timeScale });
          }}
        >
          {compare.isPending ? 'Reading…' : 'Compare'}
        </button>
      </div>
      {problem && <p className="error small">{problem}</p>}
      {preview && (
        <>
          <ComparisonTable rows={preview.rows} tolerance={tolerance} testId="prometheus-table" />
          <h3>Calibration the measurements suggest</h3>
          {applied ? (
            <p className="muted small" data-testid="calibrate-applied">
              {applied}
            </p>
          ) : (
            <CalibrationPreview
              changes={preview.changes}
              skipped={preview.skipped}
              nothingNote="Nothing to change: the design already says what was measured."
              canApply={preview.changes.length > 0}
              onApply={apply}
              onCancel={() => setPreview(null)}
            />
          )}
        </>
      )}
    </>
  );
}

export function MeasuredPanel() {
  const source = useRehearsal((s) => s.source);
  const tolerance = useRehearsal((s) => s.tolerance);
  return (
    <div className="measured-panel panel-pad" data-testid="measured-panel">
      <div className="measured-head">
        <fieldset className="segmented" aria-label="measured by">
          {(['rehearsal', 'prometheus'] as const).map((s) => (
            <button key={s} type="button" aria-pressed={source === s} onClick={() => useRehearsal.getState().setSource(s)}>
              {s === 'rehearsal' ? 'Rehearsal' : 'Prometheus'}
            </button>
          ))}
        </fieldset>
        <label title="Errors beyond this are marked">
          tolerance ±{' '}
          <input
            type="number"
            aria-label="Tolerance in percent"
            min={1}
            max={100}
            value={Math.round(tolerance * 100)}
            onChange={(e) => useRehearsal.getState().setTolerance(Math.max(0.01, (Number(e.target.value) || 15) / 100))}
          />{' '}
          %
        </label>
      </div>
      {source === 'rehearsal' ? <FromRehearsal tolerance={tolerance} /> : <FromPrometheus tolerance={tolerance} />}
    </div>
  );
}
