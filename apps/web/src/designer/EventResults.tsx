/**
 * The Results panel's Events section (schema v3): per stream its ingest, storage per day and
 * time to its limit; per consumer its deliveries, ρ, pending messages and the drain time of the
 * what-if's lag; per entry the latency of its events to each handler (publish → handled).
 */
import type { SimulationResult, Topology } from '@busboard/core';
import { formatBytes, formatCount, formatDuration, formatRate } from '../canvas/format.ts';
import { consumerId, serviceId, streamId } from '../canvas/ids.ts';
import { useView } from '../state/view.ts';
import './inspector/events.css';

const num = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const select = (id: string) => useView.getState().focus([id]);

export function EventResults({ doc, result }: { doc: Topology; result: SimulationResult }) {
  const a = result.async;
  if (!a) return null;
  const streams = Object.values(a.streams);
  const consumers = streams.flatMap((s) => Object.values(s.consumers));
  const entries = Object.entries(result.entries).filter(([, e]) => e.events && e.events.handlers.length > 0);
  return (
    <section data-testid="events-results">
      <h3>Events</h3>
      {streams.length > 0 && (
        <table className="entries-table" data-testid="events-streams">
          <thead>
            <tr>
              <th>stream</th>
              <th title="messages captured per second">ingest</th>
              <th title="storage growth per replica per day">storage/day</th>
              <th title="time from empty until maxBytes or maxMsgs is reached">to limit</th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => (
              <tr key={s.name} data-testid={`events-stream-${s.name}`}>
                <td>
                  <button type="button" className="link" onClick={() => select(streamId(s.name))}>
                    {s.name}
                  </button>
                </td>
                <td>{formatRate(s.ingestRps)}/s</td>
                <td>{formatBytes(s.storageBytesPerDay)}</td>
                <td className={s.timeToLimitSeconds !== null && s.timeToLimitSeconds < 86_400 ? 'error' : ''}>
                  {s.timeToLimitSeconds === null ? (s.limit === 'maxAge' ? 'age-bound' : 'never') : formatDuration(s.timeToLimitSeconds)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {consumers.length > 0 && (
        <table className="entries-table" data-testid="events-consumers">
          <thead>
            <tr>
              <th>consumer</th>
              <th title="deliveries per second, redeliveries included">deliver</th>
              <th title="utilization of its handlers">ρ</th>
              <th title="mean messages waiting for it (num_pending)">pending</th>
              <th title="time to drain the what-if's lag (a burst or an outage) at the spare rate">drain</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={`${c.stream}/${c.name}`} data-testid={`events-consumer-${c.stream}-${c.name}`}>
                <td>
                  <button type="button" className="link" onClick={() => select(consumerId(c.stream, c.name))}>
                    {c.stream}/{c.name}
                  </button>
                </td>
                <td>{formatRate(c.deliverRps)}/s</td>
                <td className={!c.stable ? 'error' : c.utilization >= 0.8 ? 'warn' : ''}>{c.utilization.toFixed(2)}</td>
                <td>{c.meanPending === null ? '∞' : formatCount(c.meanPending)}</td>
                <td className={!c.stable ? 'error' : ''} title={c.backlog !== null ? `${formatCount(c.backlog)} messages behind` : undefined}>
                  {!c.stable ? 'never' : c.lagDrainSeconds === null ? '—' : formatDuration(c.lagDrainSeconds)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.map(([entry, e]) => (
        <div key={entry} className="event-latency" data-testid={`events-entry-${entry}`}>
          <p className="small">
            <button type="button" className="link" onClick={() => select(serviceId(entry))}>
              {entry}
            </button>
            : {formatRate(e.events?.publishedRps ?? 0)} events/s, publish → handled
          </p>
          <table className="entries-table">
            <thead>
              <tr>
                <th>handler</th>
                <th>P50 ms</th>
                <th>P95 ms</th>
                <th>P99 ms</th>
              </tr>
            </thead>
            <tbody>
              {e.events?.handlers.map((h) => (
                <tr key={`${h.kind}:${h.handler}`}>
                  <td title={h.kind === 'consumer' ? 'JetStream consumer' : 'core-NATS subscription'}>{h.handler}</td>
                  {h.latencyMs ? (
                    <>
                      <td>{num(h.latencyMs.p50)}</td>
                      <td>{num(h.latencyMs.p95)}</td>
                      <td>{num(h.latencyMs.p99)}</td>
                    </>
                  ) : (
                    <td colSpan={3} className="error small">
                      {h.reason ?? '—'}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {doc.consumers?.length === 0 && streams.length === 0 && <p className="muted small">No streams: events go over core NATS only.</p>}
    </section>
  );
}
