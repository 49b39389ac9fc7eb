/**
 * The Results panel's cross-check: which entry figures are approximations and why, the
 * background simulation's progress (with a cancel), then both numbers side by side with the
 * one to trust said in words. Kept until the design or the what-if changes.
 */
import type { AutoFigure, FigureKey, SloT } from '@busboard/core';
import { useDesign } from '../design/context.ts';
import type { CombinedAuto, CrossCheck } from './controller.ts';
import { FIGURE_LABEL, flagReasons, gap, interval, ms, sloVerdict, verdict } from './words.ts';
import './crosscheck.css';

const KEYS: readonly FigureKey[] = ['mean', 'p50', 'p95', 'p99'];

function Running({ state, onCancel }: { state: Extract<CrossCheck, { status: 'running' }>; onCancel(): void }) {
  return (
    <div className="crosscheck-running" role="status" data-testid="crosscheck-running">
      <span>
        Checking by simulation… {Math.round(state.fraction * 100)} %
        {state.requests > 0 && <span className="muted"> · {state.requests.toLocaleString('en-US')} requests</span>}
      </span>
      <progress value={state.fraction} max={1} aria-label="simulation progress" />
      <button type="button" onClick={onCancel} data-testid="crosscheck-cancel" title="Stop the simulation; the analytic figures stay">
        Cancel
      </button>
    </div>
  );
}

function EntryCheck({ entry, row, slo }: { entry: string; row: Record<FigureKey, AutoFigure>; slo: string | null }) {
  return (
    <div className="crosscheck-entry" data-testid={`crosscheck-${entry}`}>
      <table className="entries-table crosscheck-table">
        <caption>{entry}, end to end (ms; simulated with its 99 % interval)</caption>
        <thead>
          <tr>
            <th scope="col">figure</th>
            <th scope="col" title="the analytic engine: an approximation here">
              analytic
            </th>
            <th scope="col" title="discrete-event simulation, with its 99 % confidence interval">
              simulated
            </th>
            <th scope="col" title="which of the two to use">
              use
            </th>
          </tr>
        </thead>
        <tbody>
          {KEYS.map((k) => {
            const f = row[k];
            return (
              <tr key={k} data-testid={`crosscheck-${entry}-${k}`}>
                <th scope="row">{FIGURE_LABEL[k]}</th>
                <td>≈ {ms(f.analytic)}</td>
                <td data-testid={`crosscheck-${entry}-${k}-des`} title={f.des === null ? undefined : `${gap(f)} against the analytic figure`}>
                  {ms(f.des)} <span className="small">[{interval(f.ci)}]</span>
                </td>
                <td className={`trust trust-${f.trusted}`} title={f.why}>
                  {f.trusted === 'des' ? 'simulated' : 'analytic'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="crosscheck-verdict" data-testid={`crosscheck-verdict-${entry}`}>
        {verdict(entry, 'p99', row.p99)}
      </p>
      {slo && (
        <p className="crosscheck-verdict" data-testid={`crosscheck-slo-${entry}`}>
          {slo}
        </p>
      )}
    </div>
  );
}

function Done({ auto, state, slos }: { auto: CombinedAuto; state: Extract<CrossCheck, { status: 'done' }>; slos: SloT[] }) {
  const rows = Object.entries(auto.entries).filter(([, row]) => row.p99.validity !== 'ok');
  const d = state.des.des;
  return (
    <>
      {rows.map(([entry, row]) => (
        <EntryCheck
          key={entry}
          entry={entry}
          row={row}
          slo={sloVerdict(
            row,
            slos.find((s) => s.entry === entry),
          )}
        />
      ))}
      {rows.length === 0 && (
        <p className="small">The simulation checked the per-service figures; every entry figure is analytic and inside its comfort zone.</p>
      )}
      <p className="muted small" data-testid="crosscheck-run">
        Discrete-event simulation of {d.requests.toLocaleString('en-US')} requests (seed {d.seed}, stopped by {d.stoppedBy},{' '}
        {(state.elapsedMs / 1000).toFixed(1)} s); kept until the design or the what-if changes.
      </p>
    </>
  );
}

/** In the entries table's SLO cell: the verdict on the figures to trust, where it differs from the analytic one. */
export function SimulatedSlo({
  checks,
  met,
  row,
}: {
  checks: { percentile: 'p50' | 'p95' | 'p99'; limitMs: number }[] | undefined;
  met: boolean | undefined;
  row: Record<FigureKey, AutoFigure> | undefined;
}) {
  if (!checks?.length || met === undefined || !row) return null;
  const simulatedMet = checks.every((c) => row[c.percentile].value <= c.limitMs);
  if (simulatedMet === met) return null;
  return (
    <span
      className={`small slo-simulated ${simulatedMet ? 'ok' : 'error'}`}
      data-testid="slo-simulated"
      title="judged on the figures to trust (see the cross-check)"
    >
      {' '}
      (simulated: {simulatedMet ? 'met' : 'missed'})
    </span>
  );
}

export function CrossCheckSection() {
  const { doc, result, crossCheck, controller } = useDesign();
  if (!result) return null;
  const reasons = [...new Set(Object.values(result.entries).flatMap((e) => (e.latencyMs ? flagReasons(e.validity) : [])))];
  if (crossCheck.status === 'none' && reasons.length === 0) return null;
  return (
    <section className="crosscheck" data-testid="crosscheck" aria-label="Cross-check by simulation">
      <h3>Cross-check by simulation</h3>
      {reasons.length > 0 && (
        <p className="crosscheck-flag" data-testid="crosscheck-flag">
          <strong>Approximate figures:</strong> {reasons.join('; ')}.
        </p>
      )}
      {crossCheck.status === 'running' && <Running state={crossCheck} onCancel={controller.cancelCrossCheck} />}
      {crossCheck.status === 'done' && <Done auto={crossCheck.auto} state={crossCheck} slos={doc.slo} />}
      {(crossCheck.status === 'cancelled' || crossCheck.status === 'error') && (
        <p className="crosscheck-stopped" data-testid="crosscheck-stopped">
          {crossCheck.status === 'cancelled'
            ? 'Simulation cancelled: the figures above are the analytic approximations.'
            : `The simulation failed: ${crossCheck.message}`}{' '}
          <button type="button" onClick={controller.retryCrossCheck} data-testid="crosscheck-retry">
            Check by simulation
          </button>
        </p>
      )}
    </section>
  );
}
