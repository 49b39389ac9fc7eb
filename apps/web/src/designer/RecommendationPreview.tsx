/**
 * "Apply recommendation", looked at before it is applied: per bundle and zone, the replica
 * count before → after and what decides it (ρ, CPU, an SLO, or the floor of one per zone),
 * with each replica's ρ and CPU after the change in normal operation and with the zone
 * failure that loads it most. Apply is one undo step.
 */
import { describeBinding, type Recommendation, type ZoneConstraint } from '@busboard/core';
import { useEffect, useRef } from 'react';

const BINDS: Record<ZoneConstraint, { label: string; title: string }> = {
  rho: { label: 'ρ', title: 'the busiest service’s workers (ρ ≤ 0.7, below 1 with a zone down)' },
  cpu: { label: 'CPU', title: 'the replica’s cores (CPU ≤ 70 %, below 100 % with a zone down)' },
  slo: { label: 'SLO', title: 'an entry’s latency SLO needed more than utilization alone' },
  floor: { label: 'min 1', title: 'every zone the bundle uses keeps at least one replica' },
};

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function RecommendationPreview({ rec, scale, onApply, onClose }: { rec: Recommendation; scale: number; onApply(): void; onClose(): void }) {
  const apply = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    apply.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const changed = Object.values(rec.bundles).some((b) => Object.values(b.zones).some((z) => z.current !== z.replicas));
  return (
    <div className="modal-backdrop">
      <div className="modal rec-preview" role="dialog" aria-labelledby="rec-title" data-testid="recommendation-preview">
        <h2 id="rec-title" className="plain">
          Recommendation{scale !== 1 ? ` for traffic ×${scale.toFixed(2)}` : ''}: {rec.currentReplicas} → {rec.totalReplicas} replicas
        </h2>
        <p className="muted small">
          Every replica at ρ ≤ 0.7 and CPU ≤ 70 % in normal operation, both below 100 % with any one zone down, and every SLO held.
        </p>
        <table className="rec-table" data-testid="recommendation-table">
          <thead>
            <tr>
              <th>bundle</th>
              <th>zone</th>
              <th>replicas</th>
              <th>binds</th>
              <th title="one replica after the change, normal operation">CPU</th>
              <th title="one replica after the change, with the zone failure that loads it most">CPU, zone down</th>
              <th title="busiest service's workers, normal operation">ρ</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(rec.bundles).flatMap(([bundle, b]) =>
              Object.entries(b.zones).map(([zone, z], i) => (
                <tr key={`${bundle}/${zone}`} data-testid={`rec-${bundle}-${zone}`} className={z.current !== z.replicas ? 'changed' : ''}>
                  <td>{i === 0 ? bundle : ''}</td>
                  <td>{zone}</td>
                  <td className="num">
                    {z.current} → <strong>{z.replicas}</strong>
                  </td>
                  <td>
                    <span className={`binds binds-${z.binds}`} title={BINDS[z.binds].title}>
                      {BINDS[z.binds].label}
                    </span>
                  </td>
                  <td className="num">{pct(z.normal.cpu)}</td>
                  <td className="num" title={z.zoneDown ? `with ${z.zoneDown.zone} down` : 'a single zone'}>
                    {z.zoneDown ? `${pct(z.zoneDown.cpu)} (${z.zoneDown.zone})` : '—'}
                  </td>
                  <td className="num">{z.normal.rho.toFixed(2)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        <ul className="rec-verdict">
          <li className={rec.meetsSlo ? 'ok' : 'error'}>{rec.meetsSlo ? 'every SLO met' : 'not every SLO met'}</li>
          <li className={rec.survivesZoneFailure ? 'ok' : 'error'}>
            {rec.survivesZoneFailure ? 'survives any one zone failing' : 'does not survive every zone failure'}
          </li>
          {rec.binding && (
            <li data-testid="recommendation-binding">
              headroom after: {rec.headroom?.toFixed(2)}×, bound by {describeBinding(rec.binding)}
            </li>
          )}
          {rec.reasons.map((r) => (
            <li key={r} className="error">
              {r}
            </li>
          ))}
        </ul>
        <div className="rec-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" ref={apply} onClick={onApply} disabled={!changed} data-testid="recommendation-apply">
            {changed ? 'Apply (Ctrl+Z undoes it)' : 'Nothing to change'}
          </button>
        </div>
      </div>
    </div>
  );
}
