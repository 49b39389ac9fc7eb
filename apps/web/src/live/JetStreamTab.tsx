/**
 * The Live page's JetStream tab: streams (replicas and the servers holding them, subjects,
 * messages, bytes), consumers (lag = num_pending and its change since the previous poll, ack
 * pending against max_ack_pending, redeliveries), and drift: against a saved design when one is
 * picked, else the lag findings that need no design.
 */
import {
  type Drift,
  jetStreamDrift,
  jetStreamFindings,
  type LiveConsumer,
  type LiveJsPeer,
  type LiveStream,
  parseTopology,
  type TopologyInput,
} from '@busboard/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '../trpc.ts';
import { fmtBytes, fmtCount, fmtMs, fmtRate } from './format.ts';
import type { SnapshotView } from './useLive.ts';

function Peers({ peers }: { peers: LiveJsPeer[] }) {
  return (
    <>
      {peers.map((p) => (
        <span
          key={p.server}
          className={`chip ${p.offline || !p.current ? 'warn' : ''}`}
          title={`${p.server}${p.leader ? ' (leader)' : ''}${p.offline ? ', offline' : !p.current ? `, catching up${p.lag ? ` (${p.lag} behind)` : ''}` : ''}`}
        >
          {p.leader ? '★ ' : ''}
          {p.server}
        </span>
      ))}
    </>
  );
}

function StreamsTable({ streams }: { streams: LiveStream[] }) {
  const accounts = new Set(streams.map((s) => s.account));
  return (
    <table className="live-table" data-testid="streams-table">
      <thead>
        <tr>
          <th>Stream</th>
          <th>Replicas (★ leader)</th>
          <th>Subjects</th>
          <th>Storage</th>
          <th className="num">Messages</th>
          <th className="num">Bytes</th>
          <th className="num">Stored/s</th>
          <th className="num">Consumers</th>
        </tr>
      </thead>
      <tbody>
        {streams.map((s) => (
          <tr key={`${s.account} ${s.name}`} data-testid={`stream-${s.name}`}>
            <td>
              <strong>{s.name}</strong>
              {accounts.size > 1 && <div className="muted small">account {s.account}</div>}
            </td>
            <td>
              <span className="js-replicas">R{s.replicas}</span> <Peers peers={s.peers} />
            </td>
            <td>
              {s.subjects.length ? (
                s.subjects.map((x) => (
                  <code key={x} className="js-subject">
                    {x}
                  </code>
                ))
              ) : (
                <span className="muted">–</span>
              )}
            </td>
            <td>{s.storage ?? '–'}</td>
            <td className="num">{fmtCount(s.messages)}</td>
            <td className="num">{fmtBytes(s.bytes)}</td>
            <td className="num">{fmtRate(s.ingestRate, '')}</td>
            <td className="num">{fmtCount(s.consumers.length)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LagCell({ c }: { c: LiveConsumer }) {
  const grew = c.pendingChange !== null && c.pendingChange > 0;
  return (
    <td className={`num ${grew ? 'warn-text' : ''}`}>
      {fmtCount(c.numPending)}
      {c.pendingChange !== null && c.pendingChange !== 0 && (
        <div className="small" title="since the previous poll">
          {c.pendingChange > 0 ? `▲ +${fmtCount(c.pendingChange)}` : `▼ ${fmtCount(c.pendingChange)}`}
        </div>
      )}
    </td>
  );
}

function ConsumersTable({ streams }: { streams: LiveStream[] }) {
  const rows = streams.flatMap((s) => s.consumers);
  if (!rows.length) return <p className="muted">No consumers.</p>;
  return (
    <table className="live-table" data-testid="consumers-table">
      <thead>
        <tr>
          <th>Consumer</th>
          <th>Mode</th>
          <th className="num">Lag (pending)</th>
          <th className="num">Ack pending / max</th>
          <th className="num">Redelivered</th>
          <th className="num">Waiting pulls</th>
          <th className="num">Delivered/s</th>
          <th className="num">Acked/s</th>
          <th>Ack wait</th>
          <th>Leader</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => {
          const full = c.maxAckPending !== null && c.numAckPending >= c.maxAckPending;
          return (
            <tr key={`${c.stream} ${c.name}`} data-testid={`consumer-${c.stream}-${c.name}`} className={full ? 'warn' : undefined}>
              <td>
                <strong>{c.name}</strong> <span className="muted small">on {c.stream}</span>
                {c.filterSubjects.length > 0 && (
                  <div className="muted small">
                    filter <code>{c.filterSubjects.join(', ')}</code>
                  </div>
                )}
              </td>
              <td>
                {c.mode}
                {c.durable ? '' : ' (ephemeral)'}
                {c.mode === 'push' && (
                  <div className={`small ${c.pushBound ? 'muted' : 'warn-text'}`}>{c.pushBound ? `→ ${c.deliverSubject}` : 'nobody bound'}</div>
                )}
              </td>
              <LagCell c={c} />
              <td className={`num ${full ? 'warn-text' : ''}`}>
                {fmtCount(c.numAckPending)} / {fmtCount(c.maxAckPending)}
              </td>
              <td className="num">{fmtCount(c.numRedelivered)}</td>
              <td className="num">{fmtCount(c.numWaiting)}</td>
              <td className="num">{fmtRate(c.deliverRate, '')}</td>
              <td className="num">{fmtRate(c.ackRate, '')}</td>
              <td>{fmtMs(c.ackWaitMs)}</td>
              <td>{c.leader ?? '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Each entry names what it is about in its path and message: together they are unique. */
function driftKey(d: Drift): string {
  return `${d.kind} ${d.path ?? ''} ${d.message}`;
}

function DriftRows({ snapshot }: { snapshot: SnapshotView }) {
  const trpc = useTRPC();
  const [designId, setDesignId] = useState('');
  const designs = useQuery(trpc.designs.list.queryOptions());
  const design = useQuery(trpc.designs.get.queryOptions(designId ? { id: designId } : skipToken));
  const parsed = useMemo(() => (design.data ? parseTopology(design.data.doc as TopologyInput) : null), [design.data]);
  const drift = designId ? (parsed?.ok ? jetStreamDrift(parsed.doc, snapshot) : []) : jetStreamFindings(snapshot);
  return (
    <>
      <div className="live-tab-tools">
        <h3>Drift</h3>
        <label>
          Compare with design{' '}
          <select value={designId} onChange={(e) => setDesignId(e.target.value)} data-testid="js-design">
            <option value="">none (lag findings only)</option>
            {(designs.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {designId && design.isLoading && <p className="muted">Loading the design…</p>}
      {parsed && !parsed.ok && <p className="error">This design cannot be read: {parsed.problems[0]?.message}</p>}
      {drift.length === 0 ? (
        <p className="muted" data-testid="js-drift-none">
          {designId ? 'None: the streams and consumers match the design.' : 'None: no consumer falls behind or sits at its max_ack_pending.'}
        </p>
      ) : (
        <ul className="drift-list" data-testid="js-drift">
          {drift.map((d) => (
            <li key={driftKey(d)} className={`drift ${d.severity}`} data-testid={`drift-${d.kind}`}>
              <span className="drift-kind">{d.kind.replace(/-/g, ' ')}</span>
              <span className="drift-message">{d.message}</span>
              {d.path && <code className="drift-path">{d.path}</code>}
              {d.held && <span className="drift-held">{d.held}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function JetStreamTab({ snapshot }: { snapshot: SnapshotView }) {
  if (!snapshot.jetstream?.read) {
    return (
      <p className="muted live-tab">
        JetStream was not read: no server answered JSZ, and the account's JetStream API did not answer (JetStream is not enabled for it). A
        system-account user or monitoring URLs show every account's streams.
      </p>
    );
  }
  if (snapshot.jetstream.via === 'jsz' && snapshot.jetstream.servers.length === 0) {
    return <p className="muted live-tab">No server runs JetStream (no jetstream block in their configuration).</p>;
  }
  return (
    <div className="live-tab" data-testid="jetstream-tab">
      <p className="muted small">
        {snapshot.jetstream.via === 'api'
          ? `This account's streams only, through $JS.API (a system-account user or monitoring URLs show every account's)${snapshot.jetstream.servers.length ? ` · on ${snapshot.jetstream.servers.join(', ')}` : ''}.`
          : `JetStream on ${snapshot.jetstream.servers.join(', ')}${snapshot.jetstream.metaLeader ? ` · meta leader ${snapshot.jetstream.metaLeader}` : ''}.`}{' '}
        Each stream's figures are its leader's; each consumer's, its own leader's.
      </p>
      <h3>Streams</h3>
      {snapshot.streams.length ? <StreamsTable streams={snapshot.streams} /> : <p className="muted">No streams.</p>}
      <h3>Consumers</h3>
      <ConsumersTable streams={snapshot.streams} />
      <DriftRows snapshot={snapshot} />
    </div>
  );
}
