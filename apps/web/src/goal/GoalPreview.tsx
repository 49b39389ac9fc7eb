/**
 * One design of goal seek's, looked at before it is applied: per bundle and zone the replicas
 * before → after and (for the answer) the constraint that keeps each count from going lower,
 * then replicas, cost per month and P99 before → after. Apply is one undo step.
 */
import { type GoalConstraintKind, type GoalPoint, type GoalSeekResult, money } from '@busboard/core';
import { currentReplicas, previewRows, sameReplicas } from './frontier.ts';

const KIND: Record<GoalConstraintKind, { label: string; className: string }> = {
  rho: { label: 'ρ', className: 'binds-rho' },
  cpu: { label: 'CPU', className: 'binds-cpu' },
  slo: { label: 'SLO', className: 'binds-slo' },
  'zone-down': { label: 'zone down', className: 'binds-zone' },
  floor: { label: 'min 1', className: 'binds-floor' },
};

const ms = (v: number | null) => (v === null ? '—' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`);

export function GoalPreview({
  goal,
  point,
  title,
  isAnswer,
  currentP99Ms,
  onApply,
}: {
  goal: GoalSeekResult;
  point: GoalPoint;
  title: string;
  isAnswer: boolean;
  currentP99Ms: number | null;
  onApply(): void;
}) {
  const rows = previewRows(goal, point);
  const changed = !sameReplicas(point.replicas, currentReplicas(goal));
  const $ = (x: number) => money(x, goal.currency);
  return (
    <section className="goal-preview" data-testid="goal-preview" aria-label={`preview: ${title}`}>
      <h3>Preview: {title}</h3>
      <dl className="goal-totals">
        <dt>Replicas</dt>
        <dd data-testid="goal-preview-replicas">
          {goal.currentReplicas} → <strong>{point.totalReplicas}</strong>
        </dd>
        <dt>Cost per month</dt>
        <dd data-testid="goal-preview-cost">
          {$(goal.currentCostMonthly)} → <strong>{$(point.costMonthly)}</strong>
        </dd>
        <dt>Worst P99</dt>
        <dd>
          {ms(currentP99Ms)} → <strong>{ms(point.p99Ms)}</strong>
        </dd>
      </dl>
      <table className="rec-table goal-table" data-testid="goal-preview-table">
        <thead>
          <tr>
            <th>bundle</th>
            <th>zone</th>
            <th>replicas</th>
            <th>{isAnswer ? 'what binds (one fewer fails)' : 'binds'}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.bundle}/${r.zone}`} data-testid={`goal-row-${r.bundle}-${r.zone}`} className={r.before !== r.after ? 'changed' : ''}>
              <td>{i === 0 || rows[i - 1]?.bundle !== r.bundle ? r.bundle : ''}</td>
              <td>{r.zone}</td>
              <td className="num">
                {r.before} → <strong>{r.after}</strong>
              </td>
              <td>
                {r.binds ? (
                  <>
                    <span className={`binds ${KIND[r.binds.kind].className}`}>{KIND[r.binds.kind].label}</span>{' '}
                    <span className="small" data-testid="goal-binds-detail">
                      {r.binds.detail}
                    </span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!isAnswer && (
        <p className="muted small">What binds is named for the answer; a frontier point trades cost for P99 and meets every constraint.</p>
      )}
      <ul className="rec-verdict goal-verdict">
        <li className={point.feasible ? 'ok' : 'error'} data-testid="goal-preview-feasible">
          {point.feasible ? 'meets every constraint' : 'does not meet every constraint'}
          {goal.options.zoneFailure ? ' (with any one zone down too)' : ''}
        </li>
        {isAnswer && goal.binding && <li data-testid="goal-preview-binding">tightest: {goal.binding.detail}</li>}
        {isAnswer &&
          goal.reasons.map((r) => (
            <li key={r} className="error">
              {r}
            </li>
          ))}
      </ul>
      <div className="rec-actions">
        <button type="button" className="primary" onClick={onApply} disabled={!changed} data-testid="goal-apply">
          {changed ? 'Apply (Ctrl+Z undoes it)' : 'Same as the current design'}
        </button>
      </div>
    </section>
  );
}
