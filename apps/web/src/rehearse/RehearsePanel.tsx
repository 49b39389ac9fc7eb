/**
 * The Rehearse panel: runs the open design (with the what-if bar's traffic and failed zones)
 * on real nats-server processes on the server, shows progress and the figures measured so far,
 * the servers' monitoring URLs, and at the end how the model fared.
 */
import { formatProblems } from '@busboard/core';
import './rehearse.css';
import type { RunView } from '@busboard/api';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { useTRPC } from '../trpc.ts';
import { fmtError } from './format.ts';
import { MEASURED_TAB, useRehearsal } from './state.ts';

const DURATIONS = [15, 30, 60, 120, 300];

interface Status {
  available: boolean;
  problem: string | null;
  running: RunView | null;
}

function Progress({ run }: { run: RunView }) {
  const p = run.progress;
  const pct = p ? Math.min(100, Math.round((100 * p.elapsedS) / Math.max(1, p.totalS))) : 0;
  const services = Object.entries(p?.services ?? {});
  const entries = Object.entries(p?.entries ?? {});
  return (
    <>
      <div className="rehearse-progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="rehearsal progress">
        <div className="rehearse-progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="rehearse-phase" data-testid="rehearse-phase">
        {p ? `${p.phase} · ${Math.round(p.elapsedS)} of ${Math.round(p.totalS)} s` : 'starting the NATS servers…'}
      </p>
      {(services.length > 0 || entries.length > 0) && (
        <table className="rehearse-live">
          <thead>
            <tr>
              <th>Measured so far (design time)</th>
              <th className="num">req/s</th>
              <th className="num">mean ρ / latency</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, e]) => (
              <tr key={`e:${name}`}>
                <td>
                  <strong>{name}</strong> <span className="muted small">entry</span>
                </td>
                <td className="num">{e.rps.toFixed(0)}</td>
                <td className="num">{e.meanMs === null ? '–' : `${e.meanMs.toFixed(1)} ms`}</td>
              </tr>
            ))}
            {services.map(([name, s]) => (
              <tr key={`s:${name}`}>
                <td>{name}</td>
                <td className="num">{s.arrivalRps.toFixed(0)}</td>
                <td className="num">ρ {s.utilization.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Outcome({ run }: { run: RunView }) {
  const r = run.report;
  if (!r) return null;
  const held = r.target.checks.filter((c) => c.held);
  const ok = held.filter((c) => c.ok).length;
  return (
    <div className="rehearse-outcome" data-testid="rehearse-outcome">
      <p className={r.target.met ? 'verdict good' : 'verdict bad'}>
        {ok}/{held.length} figures within ±{Math.round(r.target.tolerance * 100)} % of measured (where every replica is at ρ ≤ {r.target.maxRho})
      </p>
      <ul className="rehearse-entries">
        {Object.entries(r.measured.entries).map(([name, m]) => {
          const e = r.errors.entries[name];
          return (
            <li key={name}>
              <strong>{name}</strong> P50 {m.latencyMs?.p50.toFixed(1) ?? '–'} ms ({fmtError(e?.p50 ?? null)}), P95{' '}
              {m.latencyMs?.p95.toFixed(1) ?? '–'} ms ({fmtError(e?.p95 ?? null)}), P99 {m.latencyMs?.p99.toFixed(1) ?? '–'} ms (
              {fmtError(e?.p99 ?? null)}) · {m.samples} requests
            </li>
          );
        })}
      </ul>
      <details>
        <summary>What the emulator cost ({r.notes.length} notes)</summary>
        <ul className="rehearse-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </details>
      <button
        type="button"
        className="primary"
        data-testid="open-measured"
        onClick={() => {
          useRehearsal.getState().setSource('rehearsal');
          useView.getState().setTab(MEASURED_TAB as 'results');
        }}
      >
        Predicted vs measured
      </button>
    </div>
  );
}

export function RehearsePanel({ status, streamError }: { status: Status | null; streamError: string | null }) {
  const trpc = useTRPC();
  const run = useRehearsal((s) => s.run);
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const [durationS, setDuration] = useState(run?.options.durationS ?? 60);
  const [dilation, setDilation] = useState(run?.options.dilation ?? 10);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => useRehearsal.getState().setPanelOpen(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && useRehearsal.getState().setPanelOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const start = useMutation(
    trpc.rehearse.start.mutationOptions({
      onSuccess: (res) => {
        if (res.ok) {
          setProblem(null);
          useRehearsal.getState().follow(res.runId);
        } else setProblem(formatProblems(res.problems));
      },
      onError: (err) => setProblem(err.message),
    }),
  );
  const stop = useMutation(trpc.rehearse.stop.mutationOptions());
  const running = run?.state === 'running';
  const unavailable = status && !status.available;
  return (
    <section className="rehearse-panel" aria-label="Rehearsal" data-testid="rehearse-panel">
      <header className="rehearse-header">
        <h2>Rehearse on real NATS</h2>
        <button type="button" className="rehearse-close" onClick={close} aria-label="Close the rehearsal panel" title="Close (Esc)">
          ×
        </button>
      </header>
      <p className="muted small">
        Starts nats-server processes shaped like the design (servers per zone, routes, gateways) and one emulated process per bundle replica that
        holds its workers for the designed times, makes its calls and answers over NATS; offers the design's traffic and compares what it measures
        with the model. It checks the model and NATS on this machine — it is not a load test of your code.
      </p>
      {unavailable && (
        <p className="error" data-testid="rehearse-unavailable">
          {status.problem}
        </p>
      )}
      <div className="rehearse-controls">
        <label>
          Measure for{' '}
          <select value={durationS} onChange={(e) => setDuration(Number(e.target.value))} disabled={running}>
            {DURATIONS.map((d) => (
              <option key={d} value={d}>
                {d} s
              </option>
            ))}
          </select>
        </label>
        <label title="Service times × K, rates ÷ K: ρ is unchanged and timer jitter is small next to service times">
          Dilation ×{' '}
          <input
            type="number"
            min={1}
            max={100}
            step={1}
            value={dilation}
            disabled={running}
            onChange={(e) => setDilation(Number(e.target.value) || 10)}
          />
        </label>
        <span className="muted small">
          traffic × {scale}
          {failZones.length ? `, zones down: ${failZones.join(', ')}` : ''}
        </span>
        {running ? (
          <button type="button" onClick={() => run && stop.mutate({ runId: run.id })} disabled={stop.isPending}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="rehearse-start"
            disabled={Boolean(unavailable) || start.isPending}
            onClick={() => {
              const doc = useEditor.getState().doc;
              if (doc) start.mutate({ doc, durationS, dilation, scale, failZones });
            }}
          >
            Start
          </button>
        )}
      </div>
      {(problem ?? streamError) && <p className="error">{problem ?? streamError}</p>}
      {run && (
        <div className="rehearse-run">
          {run.monitorUrls.length > 0 && (
            <p className="small" data-testid="rehearse-monitor">
              monitor:{' '}
              {run.monitorUrls.map((u) => (
                <a key={u} href={u} target="_blank" rel="noreferrer">
                  {u.replace('http://', '')}
                </a>
              ))}
              {run.connectionId && <span className="muted"> · on the Live page as “rehearsal: {run.design}”</span>}
            </p>
          )}
          {run.state === 'running' && <Progress run={run} />}
          {run.state === 'done' && <Outcome run={run} />}
          {(run.state === 'failed' || run.state === 'stopped') && <p className={run.state === 'failed' ? 'error' : 'muted'}>{run.problem}</p>}
        </div>
      )}
    </section>
  );
}
