/**
 * Goal seek (issue 20): "the fewest replicas (or the lowest cost) such that every SLO holds, ρ
 * and CPU stay at or below target, and any one zone may fail". The options, a search in a worker
 * of its own (Cancel stops it), then the answer and the cost–P99 frontier, any point of which is
 * previewed and applied as one undo step.
 */
import type { GoalObjective, GoalOptions, GoalPoint, GoalSeekResult } from '@busboard/core';
import { money } from '@busboard/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDesign } from '../design/context.ts';
import { CancelledError, type GoalRun, goalSeekInWorker } from '../engine/client.ts';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { useView } from '../state/view.ts';
import { FrontierChart } from './FrontierChart.tsx';
import { answerPoint, exactText, frontierSeries, sameReplicas, singleP99Slo } from './frontier.ts';
import { GoalPreview } from './GoalPreview.tsx';
import { docKey, type KeptGoal, staleReason, useGoalSeek } from './store.ts';
import './goal.css';

function useElapsed(running: boolean): number {
  const [s, setS] = useState(0);
  useEffect(() => {
    if (!running) return;
    const t0 = performance.now();
    setS(0);
    const t = setInterval(() => setS(Math.floor((performance.now() - t0) / 1000)), 250);
    return () => clearInterval(t);
  }, [running]);
  return s;
}

interface NumberOptionProps {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  step: number;
  testId: string;
  unit?: string;
}

/** One numeric option of the search: a label, the field, a unit. */
function NumberOption({ label, value, onChange, min, max, step, testId, unit }: NumberOptionProps) {
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        data-testid={testId}
        className="goal-number"
      />
      {unit ? ` ${unit}` : null}
    </label>
  );
}

function apply(point: GoalPoint, goal: GoalSeekResult) {
  const editor = useEditor.getState();
  const toasts = useToasts.getState();
  const problems = editor.dispatch({ type: 'applyReplicas', replicas: point.replicas });
  if (problems.length) {
    toasts.problems('Cannot apply this design', problems);
    return;
  }
  toasts.show(
    'Goal seek applied (Ctrl+Z undoes it)',
    [
      `${goal.currentReplicas} → ${point.totalReplicas} replicas`,
      `${money(goal.currentCostMonthly, goal.currency)} → ${money(point.costMonthly, goal.currency)} per month`,
    ],
    'info',
    { label: 'Undo', run: () => useEditor.getState().undo() },
  );
}

export default function GoalSeekDialog() {
  const { doc } = useDesign();
  const viewScale = useView((s) => s.scale);
  const designId = useEditor((s) => s.id);
  const close = useGoalSeek((s) => s.close);
  // The last answer of this design, kept from an earlier opening: shown again with its options.
  const [kept] = useState(() => {
    const last = useGoalSeek.getState().last;
    return last && last.designId === designId ? last : null;
  });
  const [objective, setObjective] = useState<GoalObjective>(kept?.options.objective ?? 'replicas');
  const [rho, setRho] = useState(kept?.options.rhoTarget ?? 0.7);
  const [cpuPct, setCpuPct] = useState(kept ? Number(((kept.options.cpuTarget ?? 0.7) * 100).toFixed(6)) : 70);
  const [zoneFailure, setZoneFailure] = useState(kept?.options.zoneFailure ?? true);
  const [scale, setScale] = useState(kept?.options.scale ?? Number(viewScale.toFixed(2)));
  const [run, setRun] = useState<GoalRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<KeptGoal | null>(kept);
  /** The frontier point previewed, or -1 for the answer. */
  const [selected, setSelected] = useState(kept?.selected ?? -1);
  const key = useMemo(() => docKey(doc), [doc]);
  // The answer and the point previewed outlive the dialog.
  useEffect(() => {
    if (answer) useGoalSeek.getState().keep({ ...answer, selected });
  }, [answer, selected]);
  const runButton = useRef<HTMLButtonElement>(null);
  const elapsed = useElapsed(run !== null);

  const options: GoalOptions = { objective, rhoTarget: rho, cpuTarget: cpuPct / 100, zoneFailure, scale };
  const valid = rho > 0 && rho < 1 && cpuPct > 0 && cpuPct <= 100 && scale > 0 && scale <= 100;

  const start = () => {
    run?.cancel();
    setError(null);
    const r = goalSeekInWorker(doc, options);
    const searched = { designId, docKey: key, options: { ...options } };
    setRun(r);
    r.promise
      .then((res) => {
        setAnswer({ ...res, ...searched, selected: -1 });
        setSelected(-1);
      })
      .catch((err: Error) => {
        if (!(err instanceof CancelledError)) setError(err.message);
      })
      .finally(() => setRun((cur) => (cur === r ? null : cur)));
  };
  const cancel = () => run?.cancel();
  const dismiss = () => {
    run?.cancel();
    close();
  };

  useEffect(() => {
    runButton.current?.focus();
  }, []);
  // Escape stops a search, else closes; the search stops with the dialog too.
  const latest = useRef({ run, dismiss });
  latest.current = { run, dismiss };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      if (latest.current.run) latest.current.run.cancel();
      else latest.current.dismiss();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      latest.current.run?.cancel();
    };
  }, []);

  const series = useMemo(() => (answer ? frontierSeries(answer.goal, answer.currentP99Ms) : null), [answer]);
  const slo = singleP99Slo(doc);
  const goal = answer?.goal;
  const point = goal ? ((selected >= 0 ? goal.frontier[selected] : undefined) ?? answerPoint(goal)) : null;
  const stale = answer ? staleReason(answer, key, options) : null;

  return (
    <div className="modal-backdrop">
      <div className="modal goal-modal" role="dialog" aria-modal="true" aria-labelledby="goal-title" data-testid="goal-seek">
        <h2 id="goal-title" className="plain">
          Goal seek
        </h2>
        <p className="muted small">
          The fewest replicas (or the lowest cost) per bundle and zone such that every SLO holds, every replica’s ρ and CPU stay at or below target
          {zoneFailure ? ', and the same with any one zone down' : ''}.
        </p>
        {/* Not a <form>: the canvas beneath prevents the click's default, so a submit button would never submit. Enter in a field runs. */}
        <fieldset
          className="goal-form"
          aria-label="goal-seek options"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT' && valid && !run) start();
          }}
        >
          <fieldset className="goal-objective">
            <legend>Minimise</legend>
            <label>
              <input
                type="radio"
                name="goal-objective"
                checked={objective === 'replicas'}
                onChange={() => setObjective('replicas')}
                data-testid="goal-objective-replicas"
              />{' '}
              replicas
            </label>
            <label>
              <input
                type="radio"
                name="goal-objective"
                checked={objective === 'cost'}
                onChange={() => setObjective('cost')}
                data-testid="goal-objective-cost"
              />{' '}
              cost
            </label>
          </fieldset>
          <NumberOption label="ρ ≤" value={rho} onChange={setRho} min={0.05} max={0.99} step={0.05} testId="goal-rho" />
          <NumberOption label="CPU ≤" value={cpuPct} onChange={setCpuPct} min={5} max={100} step={5} testId="goal-cpu" unit="%" />
          <label title="every constraint also holds with any one zone down">
            <input type="checkbox" checked={zoneFailure} onChange={(e) => setZoneFailure(e.target.checked)} data-testid="goal-zone-failure" /> any one
            zone may fail
          </label>
          <NumberOption label="traffic ×" value={scale} onChange={setScale} min={0.01} max={100} step={0.05} testId="goal-scale" />
          <button type="button" className="primary" ref={runButton} disabled={!valid || run !== null} onClick={start} data-testid="goal-run">
            {answer ? 'Run again' : 'Run'}
          </button>
        </fieldset>
        {run && (
          <p className="goal-running" role="status" data-testid="goal-running">
            <span className="goal-spinner" aria-hidden="true" /> Searching… {elapsed} s{' '}
            <button type="button" className="small" onClick={cancel} data-testid="goal-cancel">
              Cancel
            </button>
          </p>
        )}
        {error && (
          <p className="error small" role="alert">
            Goal seek stopped: {error}
          </p>
        )}
        {goal && series && point && (
          <div className={`goal-result${run ? ' goal-dim' : ''}`} data-testid="goal-result">
            <p className="goal-summary" data-testid="goal-summary">
              <strong>
                {goal.currentReplicas} → {goal.totalReplicas} replicas, {money(goal.currentCostMonthly, goal.currency)} →{' '}
                {money(goal.costMonthly, goal.currency)} per month
              </strong>{' '}
              <span className={goal.feasible ? 'ok-text' : 'error'}>{goal.feasible ? 'feasible' : 'not feasible'}</span> ·{' '}
              <span data-testid="goal-exact">{exactText(goal)}</span>
              {stale && (
                <span className="warn-text" data-testid="goal-stale">
                  {' '}
                  · {stale}: run again
                </span>
              )}
            </p>
            <div className="goal-columns">
              <FrontierChart series={series} currency={goal.currency} slo={slo} selected={selected} onSelect={setSelected} />
              <GoalPreview
                goal={goal}
                point={point}
                isAnswer={selected < 0 || sameReplicas(point.replicas, answerPoint(goal).replicas)}
                title={
                  selected < 0
                    ? 'the answer'
                    : `frontier point ${selected + 1} of ${goal.frontier.length}${sameReplicas(point.replicas, answerPoint(goal).replicas) ? ' (the answer)' : ''}`
                }
                currentP99Ms={answer.currentP99Ms}
                onApply={() => {
                  apply(point, goal);
                  dismiss();
                }}
              />
            </div>
            {selected >= 0 && (
              <button type="button" className="link small" onClick={() => setSelected(-1)} data-testid="goal-show-answer">
                back to the answer
              </button>
            )}
          </div>
        )}
        <div className="rec-actions">
          <button type="button" onClick={dismiss} data-testid="goal-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
