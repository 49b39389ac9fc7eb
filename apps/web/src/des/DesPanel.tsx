/**
 * The discrete-event cross-check panel: runs the DES in a worker with a progress bar and
 * cancel, and shows analytic and simulated figures side by side as the replications come
 * in, marking every analytic figure that falls outside the simulated 99 % interval.
 */
import './des.css';
import { type SimulationResult, simulate, type Topology } from '@busboard/core';
import { useEffect, useMemo, useState } from 'react';
import { useScenarioDes } from '../scenarios/desRuns.ts';
import { useEditor } from '../state/editor.ts';
import { type Cell, compareResults, formatMs } from './compare.ts';
import { DES_BUDGET_MS } from './protocol.ts';
import { useDesRun } from './useDesRun.ts';

const REQUEST_CAPS = [100_000, 1_000_000, 5_000_000, 20_000_000];

export interface DesPanelProps {
  doc: Topology;
  onClose: () => void;
  scale?: number;
  failZones?: string[];
}

function analyticOf(doc: Topology, scale: number, failZones: string[]): SimulationResult | null {
  try {
    return simulate(doc, { scale, failZones });
  } catch {
    return null;
  }
}

function CellView({ cell, testId, note }: { cell: Cell; testId: string; note?: string | null }) {
  const interval = cell.ci ? `[${formatMs(cell.ci[0])}, ${formatMs(cell.ci[1])}]` : (note ?? '');
  return (
    <>
      <td
        className={`num${cell.outside ? ' outside' : ''}`}
        data-testid={`${testId}-analytic`}
        title={cell.outside ? `outside the simulated 99 % interval ${interval}` : undefined}
      >
        {cell.outside && (
          <span className="outside-mark" role="img" aria-label="outside the simulated interval">
            ⚠{' '}
          </span>
        )}
        {formatMs(cell.analytic)}
      </td>
      <td className="num" data-testid={`${testId}-des`}>
        {formatMs(cell.des)}
      </td>
      <td className={cell.ci ? 'num ci' : 'ci note'}>{interval}</td>
    </>
  );
}

export function DesPanel({ doc, onClose, scale = 1, failZones = [] }: DesPanelProps) {
  const { state, start, cancel } = useDesRun();
  const [requests, setRequests] = useState(1_000_000);
  const [seed, setSeed] = useState('1');
  const [toCap, setToCap] = useState(false);
  const [runDoc, setRunDoc] = useState<Topology | null>(null);
  const zones = failZones.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `zones` stands for failZones' content
  const analytic = useMemo(() => analyticOf(doc, scale, failZones), [doc, scale, zones]);
  const comparison = useMemo(() => compareResults(analytic, state.result), [analytic, state.result]);
  const running = state.status === 'running';

  // A finished run is kept as the active scenario's (the comparison shows it while it matches).
  const scenario = useEditor((s) => s.scenario);
  const [runOptions, setRunOptions] = useState<{ scenario: string; scale: number; failZones: string[] } | null>(null);
  useEffect(() => {
    if (state.status !== 'done' || !state.result || !runDoc || !runOptions) return;
    useScenarioDes.getState().record(runOptions.scenario, runDoc, runOptions, state.result, state.elapsedMs);
  }, [state.status, state.result, state.elapsedMs, runDoc, runOptions]);

  const run = () => {
    setRunOptions({ scenario, scale, failZones: [...failZones] });
    setRunDoc(doc);
    start(doc, { seed: /^\d{1,15}$/.test(seed) ? Number(seed) : seed, requests, precision: toCap ? 0 : 0.05, scale, failZones });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const des = state.result?.des;
  const pct = Math.round(state.fraction * 100);
  return (
    <section className="des-panel" aria-label="Discrete-event simulation" data-testid="des-panel">
      <header className="des-header">
        <h2>Discrete-event simulation</h2>
        <button type="button" className="des-close" onClick={onClose} aria-label="Close the simulation panel" title="Close (Esc)">
          ×
        </button>
      </header>
      <p className="muted des-intro">
        Simulates the design request by request (same routing, workers, caches and calls as the engine) and reports 99 % intervals from independent
        replications. Analytic figures outside the interval are marked ⚠.
      </p>
      <div className="des-controls">
        <label>
          Requests
          <select value={requests} onChange={(e) => setRequests(Number(e.target.value))} disabled={running} data-testid="des-requests">
            {REQUEST_CAPS.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed
          <input value={seed} onChange={(e) => setSeed(e.target.value)} disabled={running} size={8} data-testid="des-seed" />
        </label>
        <label className="des-check">
          <input type="checkbox" checked={toCap} onChange={(e) => setToCap(e.target.checked)} disabled={running} data-testid="des-to-cap" />
          run all requests (no early stop)
        </label>
        {running ? (
          <button type="button" onClick={cancel} data-testid="des-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="primary" onClick={run} data-testid="des-run">
            {state.status === 'idle' ? 'Run simulation' : 'Run again'}
          </button>
        )}
      </div>
      <div
        className={`des-progress ${state.status}`}
        role="progressbar"
        aria-label="Simulation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        data-testid="des-progress"
      >
        <div className="des-progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="des-status" data-testid="des-status">
        {state.status === 'idle' && 'Not run yet.'}
        {state.status === 'running' && `Running… ${pct} % · ${state.requests.toLocaleString('en-US')} requests · ${state.replications} replications`}
        {state.status === 'cancelled' &&
          `Cancelled at ${pct} % (${state.replications} replications${state.result ? '; figures below are from those' : ''}).`}
        {state.status === 'done' &&
          des &&
          `Done: ${des.requests.toLocaleString('en-US')} requests, ${des.replications} replications, ${(des.events / 1e6).toFixed(1)} M events in ${((state.elapsedMs ?? 0) / 1000).toFixed(1)} s · ${des.converged ? `P99 within ±${(des.achievedPrecision * 100).toFixed(1)} %` : des.stoppedBy === 'time' ? `stopped at its ${DES_BUDGET_MS / 60_000}-minute time budget, not converged (±${(des.achievedPrecision * 100).toFixed(1)} %): for more, run it with the CLI (busboard simulate FILE --des)` : `not converged (±${(des.achievedPrecision * 100).toFixed(1)} %): raise the request count`}`}
        {state.status === 'error' && <span className="error">The simulation failed: {state.error}</span>}
      </p>
      {runDoc && runDoc !== doc && <p className="des-stale">The design changed since this run: run again to compare.</p>}
      {state.result && (
        <p className={`des-verdict ${comparison.compared === 0 ? 'neutral' : comparison.outside ? 'bad' : 'good'}`} data-testid="des-verdict">
          {comparison.compared === 0
            ? 'The analytic engine gives no figures to compare yet.'
            : comparison.outside === 0
              ? `All ${comparison.compared} analytic figures lie inside the simulated intervals.`
              : `${comparison.outside} of ${comparison.compared} analytic figures lie outside the simulated intervals (⚠).`}
        </p>
      )}
      {state.result && (
        <div className="des-tables">
          <table className="des-table" data-testid="des-entries">
            <caption>End-to-end latency (ms)</caption>
            <thead>
              <tr>
                <th>Entry</th>
                <th />
                <th className="num">Analytic</th>
                <th className="num">Simulated</th>
                <th className="num">99 % interval</th>
              </tr>
            </thead>
            <tbody>
              {comparison.entries.map((r) => (
                <tr key={`${r.entry}-${r.figure}`} className={r.figure === 'mean' ? 'first' : undefined}>
                  <td>{r.figure === 'mean' ? r.entry : ''}</td>
                  <td className="figure">{r.figure === 'mean' ? 'mean' : r.figure.toUpperCase()}</td>
                  <CellView cell={r.cell} testId={`des-entry-${r.entry}-${r.figure}`} note={r.figure === 'mean' ? r.reason : null} />
                </tr>
              ))}
            </tbody>
          </table>
          <table className="des-table" data-testid="des-services">
            <caption>
              Per service: busiest replica ρ (⚠ when a replica's analytic ρ is outside its interval by more than 2 %) and sojourn (queue + own time,
              ms)
            </caption>
            <thead>
              <tr>
                <th>Service</th>
                <th className="num">ρ analytic</th>
                <th className="num">ρ simulated</th>
                <th />
                <th className="num">Analytic</th>
                <th className="num">Simulated</th>
                <th className="num">99 % interval</th>
              </tr>
            </thead>
            <tbody>
              {comparison.services.flatMap((s) =>
                (['mean', 'p99'] as const).map((k) => (
                  <tr key={`${s.service}-${k}`} className={k === 'mean' ? 'first' : undefined}>
                    <td>{k === 'mean' ? s.service : ''}</td>
                    {k === 'mean' ? (
                      <td
                        className={`num${s.rhoOutside.length ? ' outside' : ''}`}
                        data-testid={`des-service-${s.service}-rho-analytic`}
                        title={s.rhoOutside.length ? `analytic ρ outside the simulated interval on ${s.rhoOutside.join(', ')}` : undefined}
                      >
                        {s.rhoOutside.length > 0 && (
                          <span className="outside-mark" role="img" aria-label="outside the simulated interval">
                            ⚠{' '}
                          </span>
                        )}
                        {s.saturated.analytic ? 'saturated' : (s.rho.analytic?.toFixed(3) ?? '—')}
                      </td>
                    ) : (
                      <td />
                    )}
                    <td className="num">{k === 'mean' ? (s.saturated.des ? 'saturated' : (s.rho.des?.toFixed(3) ?? '—')) : ''}</td>
                    <td className="figure">{k === 'mean' ? 'mean' : 'P99'}</td>
                    <CellView cell={s[k]} testId={`des-service-${s.service}-${k}`} />
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
