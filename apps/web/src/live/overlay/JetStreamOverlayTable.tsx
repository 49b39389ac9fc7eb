/**
 * The designer's live overlay, JetStream part: each designed stream with its live replicas and
 * messages, and each consumer's live lag (num_pending), ack pending and redeliveries beside the
 * engine's pending at the designed load. Streams and consumers that run but are not designed
 * come after, marked so. Nothing when the design has no streams and none run.
 */
import type { ConsumerOverlay, JetStreamOverlay, StreamOverlay } from '@busboard/core';
import { fmtBytes, fmtCount } from '../format.ts';

function lagText(c: ConsumerOverlay): string {
  if (c.lag === null) return c.live ? '–' : 'not seen';
  const change = c.lagChange ? ` (${c.lagChange > 0 ? '+' : ''}${fmtCount(c.lagChange)})` : '';
  return `${fmtCount(c.lag)}${change}`;
}

function StreamRows({ s }: { s: StreamOverlay }) {
  const replicasDiffer = s.designedReplicas !== null && s.liveReplicas !== null && s.designedReplicas !== s.liveReplicas;
  return (
    <>
      <tr data-testid={`overlay-stream-${s.stream}`} className={s.live ? undefined : 'missing'}>
        <td>
          <strong>{s.stream}</strong>
          <div className="muted small">{!s.live ? 'not seen' : s.designed ? s.peers.map((p) => p.server).join(', ') : 'not in the design'}</div>
        </td>
        <td>
          <span className={replicasDiffer ? 'warn-text' : undefined} title="replicas live / designed">
            R{s.liveReplicas ?? '–'}/R{s.designedReplicas ?? '–'}
          </span>
          <div className="muted small">
            {fmtCount(s.messages)} msgs · {fmtBytes(s.bytes)}
          </div>
        </td>
      </tr>
      {Object.values(s.consumers).map((c) => {
        const full = c.ackPending !== null && c.maxAckPending !== null && c.ackPending >= c.maxAckPending;
        return (
          <tr key={c.consumer} data-testid={`overlay-consumer-${s.stream}-${c.consumer}`} className="overlay-consumer">
            <td>
              ↳ {c.consumer}
              <div className="muted small">{c.service ?? 'not in the design'}</div>
            </td>
            <td>
              <span className={c.lagChange !== null && c.lagChange > 0 ? 'warn-text' : undefined} title="messages not yet delivered (num_pending)">
                lag {lagText(c)}
              </span>
              {c.designedPending !== null && <span className="muted small"> · design {c.designedPending.toFixed(1)}</span>}
              <div className="small">
                <span className={full ? 'warn-text' : 'muted'} title="ack pending / max_ack_pending">
                  ack {fmtCount(c.ackPending)}/{fmtCount(c.maxAckPending)}
                </span>
                <span className="muted"> · {fmtCount(c.redelivered)} redelivered</span>
              </div>
            </td>
          </tr>
        );
      })}
    </>
  );
}

export function JetStreamOverlayTable({ overlay }: { overlay: JetStreamOverlay }) {
  const streams = Object.values(overlay.streams);
  if (!streams.length) return null;
  return (
    <>
      <h3>Streams and consumers</h3>
      {!overlay.read && <p className="muted small">JetStream was not read from this cluster: live figures are unknown.</p>}
      <table className="live-table overlay-table" data-testid="overlay-jetstream">
        <thead>
          <tr>
            <th>Stream / consumer</th>
            <th>Live / design</th>
          </tr>
        </thead>
        <tbody>
          {streams.map((s) => (
            <StreamRows key={s.stream} s={s} />
          ))}
        </tbody>
      </table>
    </>
  );
}
