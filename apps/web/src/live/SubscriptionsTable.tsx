import type { SubscriptionSort } from '@busboard/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc.ts';
import { fmtCount } from './format.ts';
import { usePagedTable, useRefetchOnVersion } from './usePagedTable.ts';
import { Pager, SortHeader } from './widgets.tsx';

const LIMIT = 50;

/** Every subscription of every client connection, filtered, sorted and paged on the server. */
export function SubscriptionsTable({ connectionId, version }: { connectionId: string; version: number }) {
  const trpc = useTRPC();
  const { filter, setFilter, queryFilter, sort, dir, offset, setOffset, onSort } = usePagedTable<SubscriptionSort>('subject');
  const [queuedOnly, setQueuedOnly] = useState(false);
  const q = useQuery({
    ...trpc.live.subscriptionsPage.queryOptions({ connectionId, filter: queryFilter, sort, dir, offset, limit: LIMIT, queuedOnly }),
    placeholderData: keepPreviousData,
  });
  useRefetchOnVersion(version, q.refetch);
  const page = q.data;
  return (
    <div className="live-tab">
      <div className="live-tab-tools">
        <input
          type="search"
          aria-label="Filter subscriptions"
          placeholder="Filter: subject, queue group, server, connection…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="inline">
          <input
            type="checkbox"
            checked={queuedOnly}
            onChange={(e) => {
              setQueuedOnly(e.target.checked);
              setOffset(0);
            }}
          />
          queue subscriptions only
        </label>
        {page && <Pager offset={page.offset} limit={LIMIT} matched={page.matched} total={page.total} onOffset={setOffset} />}
      </div>
      {q.error && <p className="error">{q.error.message}</p>}
      <table className="live-table" data-testid="subscriptions-table">
        <thead>
          <tr>
            <SortHeader label="Subject" sort="subject" current={sort} dir={dir} onSort={onSort} />
            <SortHeader label="Queue group" sort="queue" current={sort} dir={dir} onSort={onSort} />
            <SortHeader label="Msgs" sort="msgs" current={sort} dir={dir} onSort={onSort} numeric />
            <SortHeader label="Server" sort="server" current={sort} dir={dir} onSort={onSort} />
            <th>Connection</th>
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((s) => (
            <tr key={`${s.server}/${s.cid}/${s.subject}/${s.queue}`}>
              <td className="mono small">{s.subject}</td>
              <td>{s.queue ?? <span className="muted">–</span>}</td>
              <td className="num">{fmtCount(s.msgs)}</td>
              <td>{s.server}</td>
              <td>
                {s.connectionName || <span className="muted">(no name)</span>} <span className="muted">#{s.cid}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
