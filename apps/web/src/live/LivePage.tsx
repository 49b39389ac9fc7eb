import './live.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { PrometheusSettings } from '../rehearse/PrometheusSettings.tsx';
import { useTRPC } from '../trpc.ts';
import { ConnectionForm } from './ConnectionForm.tsx';
import { ConnectionsTable } from './ConnectionsTable.tsx';
import { DirectPanel } from './direct/DirectPanel.tsx';
import { fmtCount, fmtMs, fmtRate } from './format.ts';
import { ImportButton } from './ImportButton.tsx';
import { JetStreamTab } from './JetStreamTab.tsx';
import { QueueGroupsTable } from './QueueGroupsTable.tsx';
import { ServerGraph } from './ServerGraph.tsx';
import { ServersTable } from './ServersTable.tsx';
import { ServicesTable } from './ServicesTable.tsx';
import { SubscriptionsTable } from './SubscriptionsTable.tsx';
import { useLiveConnections, useLiveUpdates } from './useLive.ts';

const TABS = ['Overview', 'Connections', 'Subscriptions', 'Queue groups', 'Services', 'JetStream', 'Browser-direct'] as const;
type Tab = (typeof TABS)[number];
const SELECTED = 'busboard.liveConnection';

/** The Live page: cluster connections on the left, the selected cluster's live state on the right. */
export function LivePage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const connections = useLiveConnections();
  const [selected, setSelected] = useState<string | null>(() => sessionStorage.getItem(SELECTED));
  const [adding, setAdding] = useState(false);
  const [tab, setTab] = useState<Tab>('Overview');
  const list = connections.data ?? [];
  const current = list.find((c) => c.id === selected) ?? null;

  useEffect(() => {
    if (connections.data && !current && list[0]) setSelected(list[0].id);
  }, [connections.data, current, list]);
  useEffect(() => {
    if (selected) sessionStorage.setItem(SELECTED, selected);
  }, [selected]);

  const remove = useMutation(
    trpc.live.removeConnection.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.live.connections.queryKey() }),
    }),
  );
  const showForm = adding || (connections.isSuccess && list.length === 0);

  return (
    <div className="live-page">
      <aside className="live-sidebar">
        <h2>Clusters</h2>
        {connections.error && <p className="error">{connections.error.message}</p>}
        <ul className="live-connections">
          {list.map((c) => (
            <li key={c.id} className={c.id === selected ? 'selected' : undefined}>
              <button type="button" className="link" onClick={() => setSelected(c.id)} aria-current={c.id === selected ? 'true' : undefined}>
                {c.name}
              </button>
              <span className="muted small">{c.servers[0] ?? c.monitorUrls[0]}</span>
              {c.origin === 'app' && (
                <button
                  type="button"
                  className="icon"
                  title={`Remove ${c.name}`}
                  aria-label={`Remove ${c.name}`}
                  onClick={() => remove.mutate({ id: c.id })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {!showForm && (
          <button type="button" onClick={() => setAdding(true)}>
            Add cluster
          </button>
        )}
        {showForm && (
          <ConnectionForm
            onAdded={(id) => {
              setSelected(id);
              setAdding(false);
            }}
            onCancel={list.length ? () => setAdding(false) : undefined}
          />
        )}
        <PrometheusSettings withImport connectionId={current?.id ?? null} />
      </aside>
      <section className="live-main">
        {current ? (
          <ClusterView
            key={current.id}
            connectionId={current.id}
            name={current.name}
            wsUrls={current.wsUrls}
            pollMs={current.pollMs}
            tab={tab}
            onTab={setTab}
          />
        ) : (
          <Intro />
        )}
      </section>
    </div>
  );
}

function Intro() {
  return (
    <div className="live-intro">
      <h1>Live cluster</h1>
      <p>
        Connect a NATS cluster to see its servers, routes and gateways, connections, queue groups, services and JetStream streams. With a
        system-account user Busboard asks every server at once (<code>$SYS.REQ.SERVER.PING</code>); with monitoring URLs it reads each server's HTTP
        port; with an ordinary user it sees that account's connections.
      </p>
    </div>
  );
}

function ClusterView({
  connectionId,
  name,
  wsUrls,
  pollMs,
  tab,
  onTab,
}: {
  connectionId: string;
  name: string;
  wsUrls: string[];
  pollMs: number;
  tab: Tab;
  onTab: (t: Tab) => void;
}) {
  const { update, error, state } = useLiveUpdates(connectionId);
  const snapshot = update?.snapshot ?? null;
  const status = update?.status;
  return (
    <div className="live-cluster">
      <header className="live-header">
        <h1>{name}</h1>
        <span className={`pill ${status?.state ?? 'connecting'}`} data-testid="live-status">
          {status?.state === 'ok' ? `live · ${status.source}` : (status?.state ?? (state === 'connecting' ? 'connecting' : 'waiting'))}
        </span>
        {snapshot && (
          <span className="muted small" data-testid="live-totals">
            {snapshot.totals.serversUp}/{snapshot.totals.servers} servers up · {fmtCount(snapshot.totals.connections)} connections ·{' '}
            {fmtCount(snapshot.totals.subscriptions)} subscriptions · {fmtRate(snapshot.totals.msgRate, ' msg/s')} · polled in{' '}
            {fmtMs(status?.lastPollMs)}
          </span>
        )}
      </header>
      {snapshot && (
        <div className="live-source">
          <span className="muted small">Source: {snapshot.sourceDetail}</span> <ImportButton connectionId={connectionId} clusterName={name} />
        </div>
      )}
      {error && <p className="error banner">Stream: {error.message}</p>}
      {status?.message && <p className={`banner ${status.state === 'error' ? 'error' : 'warn'}`}>{status.message}</p>}
      {snapshot?.warnings.map((w) => (
        <p key={w} className="banner warn small">
          {w}
        </p>
      ))}
      <div className="live-tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : undefined} onClick={() => onTab(t)}>
            {t}
            {t === 'Connections' && snapshot ? ` (${fmtCount(snapshot.connectionCount)})` : ''}
            {t === 'Services' && snapshot ? ` (${snapshot.services.length})` : ''}
            {t === 'Queue groups' && snapshot ? ` (${snapshot.queueGroups.length})` : ''}
            {t === 'JetStream' && snapshot?.jetstream?.read ? ` (${snapshot.streams.length})` : ''}
          </button>
        ))}
      </div>
      {!snapshot && tab !== 'Browser-direct' && (
        <p className="muted live-tab">{status?.state === 'error' ? 'No data yet.' : 'Waiting for the first poll…'}</p>
      )}
      {snapshot && tab === 'Overview' && (
        <>
          <ServerGraph snapshot={snapshot} />
          <ServersTable snapshot={snapshot} />
        </>
      )}
      {snapshot && tab === 'Connections' && <ConnectionsTable connectionId={connectionId} version={snapshot.collectedAt} />}
      {snapshot && tab === 'Subscriptions' && <SubscriptionsTable connectionId={connectionId} version={snapshot.collectedAt} />}
      {snapshot && tab === 'Queue groups' && <QueueGroupsTable snapshot={snapshot} />}
      {snapshot && tab === 'Services' && <ServicesTable snapshot={snapshot} />}
      {snapshot && tab === 'JetStream' && <JetStreamTab snapshot={snapshot} />}
      {tab === 'Browser-direct' && <DirectPanel wsUrls={wsUrls} pollMs={pollMs} />}
    </div>
  );
}
