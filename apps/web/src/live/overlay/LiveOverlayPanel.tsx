import '../live.css';
import type { Drift, ServiceOverlay } from '@busboard/core';
import { useEditor } from '../../state/editor.ts';
import { fmtMs, fmtRate } from '../format.ts';
import { CalibrateButton } from './CalibrateButton.tsx';
import { JetStreamOverlayTable } from './JetStreamOverlayTable.tsx';
import type { LiveOverlayState } from './useLiveOverlay.ts';

/** The toolbar switch for the design overlay. */
export function LiveToggle({ live }: { live: LiveOverlayState }) {
  return (
    <button
      type="button"
      className={live.enabled ? 'live-toggle on' : 'live-toggle'}
      aria-pressed={live.enabled}
      onClick={() => live.setEnabled(!live.enabled)}
      title="Show the live cluster over the design: replicas per zone, rates, latency and drift"
    >
      Live
    </button>
  );
}

function DriftItem({ d }: { d: Drift }) {
  const fix = d.fix;
  const kind = d.kind === 'server-down' ? 'cluster' : d.kind === 'failover' ? 'failover' : '';
  return (
    <li className={`drift ${d.severity} ${kind}`} data-testid={`drift-${d.kind}`} data-service={d.service}>
      <span className="drift-kind">{d.kind.replace(/-/g, ' ')}</span>
      <span className="drift-message">{d.message}</span>
      {d.path && <code className="drift-path">{d.path}</code>}
      {d.held && <span className="drift-held">No change offered: {d.held}.</span>}
      {fix && (
        <button
          type="button"
          className="small"
          onClick={() => useEditor.getState().dispatch(fix)}
          title="Set the design's replica count to what runs (undo with Ctrl+Z)"
        >
          Use live count ({fix.replicas})
        </button>
      )}
    </li>
  );
}

function driftKey(d: Drift): string {
  const where = 'zone' in d ? d.zone : 'server' in d ? d.server : '';
  const route = d.kind === 'failover' ? `${d.fromServer} ${d.toServer}` : '';
  // JetStream entries: one per stream, consumer and setting.
  const js = 'stream' in d ? `${d.path ?? ''} ${d.message}` : '';
  return `${d.kind} ${d.service} ${where} ${route} ${js}`;
}

function ServiceRow({ s }: { s: ServiceOverlay }) {
  return (
    <tr data-testid={`overlay-${s.service}`} className={s.live ? undefined : 'missing'}>
      <td>
        <strong>{s.service}</strong>
        <div className="muted small">{s.live ? s.kind : 'not seen'}</div>
      </td>
      <td>
        {s.zones.map((z) => (
          <span key={z.zone} className={`chip ${z.live !== z.designed ? 'warn' : ''}`} title={`${z.zone}: ${z.live} live, ${z.designed} designed`}>
            {z.zone} {z.live}/{z.designed}
          </span>
        ))}
      </td>
      <td className="num">
        {fmtRate(s.liveRps, '')}
        <div className="muted small">design {fmtRate(s.designedRps, '')}</div>
      </td>
      <td className="num">
        {s.measuredMs !== null ? fmtMs(s.measuredMs) : s.probeP50Ms !== null ? `rtt ${fmtMs(s.probeP50Ms)}` : '–'}
        <div className="muted small">design {fmtMs(s.designedServiceMs)}</div>
      </td>
    </tr>
  );
}

/** The overlay's side panel: which cluster, the drift list, and live figures beside the design's. */
export function LiveOverlayPanel({ live }: { live: LiveOverlayState }) {
  if (!live.enabled) return null;
  const status = live.update?.status;
  const errors = live.overlay?.drift.filter((d) => d.severity === 'error').length ?? 0;
  return (
    <aside className="live-overlay-panel" data-testid="live-overlay">
      <h2>Live overlay</h2>
      {live.connections.length === 0 ? (
        <p className="muted">
          No cluster connection yet: add one on the <a href="#/live">Live page</a>.
        </p>
      ) : (
        <label className="live-overlay-cluster">
          <span>Cluster</span>
          <select value={live.connectionId ?? ''} onChange={(e) => live.setConnectionId(e.target.value)}>
            {live.connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {live.error && <p className="error small">{live.error.message}</p>}
      {status && (
        <p className="muted small">
          {status.state === 'ok'
            ? `${status.source} · ${live.snapshot?.totals.serversUp}/${live.snapshot?.totals.servers} servers up`
            : (status.message ?? status.state)}
        </p>
      )}
      {!live.overlay && live.connections.length > 0 && <p className="muted">Waiting for the first snapshot…</p>}
      {live.overlay && (
        <>
          {!live.overlay.healthy && (
            <p className="overlay-health degraded" data-testid="overlay-health">
              {live.snapshot?.servers
                .filter((s) => !s.up)
                .map((s) => s.name)
                .join(', ')}{' '}
              down: replica counts are held, and calibration will not lower traffic from this window.
            </p>
          )}
          <CalibrateButton snapshot={live.snapshot} />
          <h3>
            Drift{' '}
            <span className={errors ? 'error' : 'muted'} data-testid="drift-count">
              {live.overlay.drift.length === 0 ? 'none' : `${live.overlay.drift.length} (${errors} error${errors === 1 ? '' : 's'})`}
            </span>
          </h3>
          <ul className="drift-list">
            {live.overlay.drift.map((d) => (
              <DriftItem key={driftKey(d)} d={d} />
            ))}
          </ul>
          {live.overlay.events.length > 0 && (
            <>
              <h3>Events seen</h3>
              <ul className="overlay-events" data-testid="overlay-events">
                {live.overlay.events.map((e) => (
                  <li key={`${e.source} ${e.sink}`}>
                    {e.source} → {e.sink}{' '}
                    {e.designed ? <span className="muted">(a call on the canvas)</span> : <span className="warn-text">(no call in the design)</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>Live beside the design</h3>
          <table className="live-table overlay-table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Replicas live/design</th>
                <th className="num">Req/s</th>
                <th className="num">Latency</th>
              </tr>
            </thead>
            <tbody>
              {live.overlay.services.map((s) => (
                <ServiceRow key={s.service} s={s} />
              ))}
            </tbody>
          </table>
          <JetStreamOverlayTable overlay={live.overlay.jetstream} />
        </>
      )}
    </aside>
  );
}
