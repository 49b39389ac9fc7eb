import type { LiveInstance, LiveService } from '@busboard/core';
import { Fragment, useState } from 'react';
import { BundlesTable } from './BundlesTable.tsx';
import { fmtCount, fmtMs, fmtRate } from './format.ts';
import type { SnapshotView } from './useLive.ts';
import { RttBars } from './widgets.tsx';

function kindText(s: LiveService): string {
  if (s.kind !== 'microbus') return s.kind;
  const gens = new Set(s.instances.map((i) => i.generation).filter(Boolean));
  return `microbus${gens.size ? ` (${[...gens].map((g) => (g === 'v1' ? 'v1.x' : g)).join(', ')})` : ''}`;
}

const QUEUE_TEXT: Record<NonNullable<LiveInstance['queue']>, string> = {
  ok: 'its hostname',
  none: 'none: gets every request',
  mismatch: 'another group: gets every request',
};

/** Bundles, then services (NATS micro and Microbus): replicas per zone, versions, rates, processing times and probe RTTs. */
export function ServicesTable({ snapshot }: { snapshot: SnapshotView }) {
  const [open, setOpen] = useState<string | null>(null);
  if (snapshot.services.length === 0) {
    return <p className="muted live-tab">No services seen: no $SRV replies, and no Microbus subjects among the subscriptions.</p>;
  }
  return (
    <div className="live-tab">
      <BundlesTable bundles={snapshot.bundles} />
      <h3>Services</h3>
      <table className="live-table" data-testid="services-table">
        <thead>
          <tr>
            <th>Service</th>
            <th>Kind</th>
            <th>Replicas per zone</th>
            <th>Versions</th>
            <th className="num">Requests/s</th>
            <th className="num">Processing (mean)</th>
            <th>Probe RTT p50 / p95 / p99</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.services.map((s) => {
            const key = `${s.kind}:${s.name}`;
            const zones = new Map<string, number>();
            for (const i of s.instances) zones.set(i.zone ?? 'unknown zone', (zones.get(i.zone ?? 'unknown zone') ?? 0) + 1);
            return (
              <Fragment key={key}>
                <tr className="clickable" onClick={() => setOpen(open === key ? null : key)} data-testid={`live-service-${s.name}`}>
                  <td>
                    <button
                      type="button"
                      className="row-toggle"
                      aria-expanded={open === key}
                      onClick={(e) => {
                        e.stopPropagation();
                        setOpen(open === key ? null : key);
                      }}
                    >
                      <strong>{s.name}</strong>
                    </button>
                    {s.description && <div className="muted small">{s.description}</div>}
                    {s.listensTo?.length ? <div className="muted small">listens to events of {s.listensTo.join(', ')}</div> : null}
                  </td>
                  <td>{kindText(s)}</td>
                  <td>
                    {[...zones].map(([z, n]) => (
                      <span key={z} className="chip">
                        {z} ×{n}
                      </span>
                    ))}
                  </td>
                  <td className={s.versions.length > 1 ? 'warn-text' : undefined}>{s.versions.join(', ') || <span className="muted">–</span>}</td>
                  <td className="num">{fmtRate(s.requestRate, '')}</td>
                  <td className="num">{fmtMs(s.avgProcessingMs)}</td>
                  <td>
                    <RttBars h={s.probe} />
                  </td>
                </tr>
                {open === key && (
                  <tr className="live-detail">
                    <td colSpan={7}>
                      <table className="live-table inner">
                        <thead>
                          <tr>
                            <th>Instance</th>
                            <th>Server</th>
                            <th>Zone (from)</th>
                            <th>Client IP</th>
                            <th>Queue group</th>
                            <th>Version</th>
                            <th className="num">Requests</th>
                            <th className="num">Requests/s</th>
                            <th className="num">Processing</th>
                          </tr>
                        </thead>
                        <tbody>
                          {s.instances.map((i) => (
                            <tr key={i.id} className={i.queue === 'none' || i.queue === 'mismatch' ? 'warn' : undefined}>
                              <td className="mono small">{i.id}</td>
                              <td>
                                {i.server ?? '–'}
                                {i.failover && (
                                  <div className="warn-text small">
                                    failed over from {i.failover.fromServer}
                                    {i.failover.fromZone ? ` (${i.failover.fromZone})` : ''}
                                  </div>
                                )}
                              </td>
                              <td>
                                {i.zone ?? '–'}{' '}
                                {i.zoneSource && (
                                  <span className="muted">
                                    ({i.zoneSource}
                                    {i.locality ? ` ${i.locality}` : ''})
                                  </span>
                                )}
                              </td>
                              <td className="mono small">{i.ip ?? '–'}</td>
                              <td className={i.queue === 'none' || i.queue === 'mismatch' ? 'warn-text' : undefined}>
                                {i.queue ? QUEUE_TEXT[i.queue] : '–'}
                              </td>
                              <td>{i.version ?? '–'}</td>
                              <td className="num">{fmtCount(i.requests === null ? null : Math.round(i.requests))}</td>
                              <td className="num">{fmtRate(i.requestRate, '')}</td>
                              <td className="num">{fmtMs(i.avgProcessingMs)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      {s.endpoints.length > 0 && (
                        <ul className="live-subs">
                          {s.endpoints.map((e) => (
                            <li key={e.subject}>
                              {e.name}: <code>{e.subject}</code>{' '}
                              {e.queueGroup ? <span className="chip">queue {e.queueGroup}</span> : <span className="chip warn">no queue group</span>}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
