import { fmtAgo, fmtBytes, fmtCount, fmtRate } from './format.ts';
import type { SnapshotView } from './useLive.ts';
import { RttBars } from './widgets.tsx';

/** Every server with its state; a down one says why and when it was last seen. */
export function ServersTable({ snapshot }: { snapshot: SnapshotView }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must take focus, or keyboard users cannot scroll it (axe: scrollable-region-focusable)
    <section className="live-table-scroll" aria-label="NATS servers" tabIndex={0}>
      <table className="servers-table live-table" data-testid="servers-table">
        <thead>
          <tr>
            <th>Server</th>
            <th>Status</th>
            <th>Cluster</th>
            <th>Zone</th>
            <th>Version</th>
            <th className="num">Connections</th>
            <th className="num">Subscriptions</th>
            <th className="num">Msgs/s</th>
            <th className="num">Bytes/s</th>
            <th className="num">Routes</th>
            <th>Gateways to</th>
            <th>Probe p50 / p95 / p99</th>
            <th className="num">CPU</th>
            <th className="num">Memory</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.servers.map((s) => (
            <tr key={s.id} className={s.up ? 'up' : 'down'}>
              <td>
                <strong>{s.name}</strong>
                {s.url && <div className="muted mono small">{s.url}</div>}
              </td>
              <td>
                {s.up ? (
                  s.error ? (
                    <span title={s.error}>up (partly read)</span>
                  ) : (
                    'up'
                  )
                ) : (
                  `down: ${s.error} (last seen ${fmtAgo(s.lastSeen, snapshot.collectedAt)})`
                )}
              </td>
              <td>{s.cluster}</td>
              <td>{s.zone ?? <span className="muted">no tag</span>}</td>
              <td>{s.version}</td>
              <td className="num">{s.up ? fmtCount(s.connections) : '–'}</td>
              <td className="num">{s.up ? fmtCount(s.subscriptions) : '–'}</td>
              <td className="num">{fmtRate(s.msgRate, '')}</td>
              <td className="num">{s.byteRate === null ? '–' : `${fmtBytes(s.byteRate)}/s`}</td>
              <td className="num" title={s.routes.length ? `routes to ${s.routes.join(', ')}` : 'no routes'}>
                {s.up ? s.routes.length : '–'}
              </td>
              <td>{s.gateways.join(', ') || <span className="muted">none</span>}</td>
              <td>
                <RttBars h={snapshot.serverProbes[s.name]} />
              </td>
              <td className="num">{s.cpu === null ? '–' : `${s.cpu}%`}</td>
              <td className="num">{fmtBytes(s.memBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
