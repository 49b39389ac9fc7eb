import type { ConnectionSort } from '@busboard/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTRPC } from '../trpc.ts';
import { fmtCount, fmtMs, fmtRate } from './format.ts';
import { usePagedTable, useRefetchOnVersion } from './usePagedTable.ts';
import { Pager, SortHeader } from './widgets.tsx';

const LIMIT = 50;

/** Client connections, filtered, sorted and paged on the server (a cluster may hold tens of thousands). */
export function ConnectionsTable({ connectionId, version }: { connectionId: string; version: number }) {
  const trpc = useTRPC();
  const { filter, setFilter, queryFilter, sort, dir, offset, setOffset, onSort } = usePagedTable<ConnectionSort>('server');
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery({
    ...trpc.live.connectionsPage.queryOptions({ connectionId, filter: queryFilter, sort, dir, offset, limit: LIMIT }),
    placeholderData: keepPreviousData,
  });
  useRefetchOnVersion(version, q.refetch);
  const head = (label: string, s: ConnectionSort, numeric = false) => (
    <SortHeader label={label} sort={s} current={sort} dir={dir} onSort={onSort} numeric={numeric} />
  );
  const page = q.data;
  return (
    <div className="live-tab">
      <div className="live-tab-tools">
        <input
          type="search"
          aria-label="Filter connections"
          placeholder="Filter: name, server, address, account, subject…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {page && <Pager offset={page.offset} limit={LIMIT} matched={page.matched} total={page.total} onOffset={setOffset} />}
      </div>
      {q.error && <p className="error">{q.error.message}</p>}
      <table className="live-table" data-testid="connections-table">
        <thead>
          <tr>
            {head('Server', 'server')}
            {head('CID', 'cid', true)}
            {head('Name', 'name')}
            {head('Client', 'lang')}
            <th>Account</th>
            <th>Address</th>
            {head('RTT', 'rtt', true)}
            {head('Msgs/s', 'msgRate', true)}
            {head('In', 'inMsgs', true)}
            {head('Out', 'outMsgs', true)}
            {head('Subs', 'subscriptions', true)}
            {head('Pending', 'pending', true)}
            {head('Uptime', 'uptime')}
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((c) => (
            <Fragment key={c.key}>
              <tr className="clickable" onClick={() => setOpen(open === c.key ? null : c.key)}>
                <td>
                  <button
                    type="button"
                    className="row-toggle"
                    aria-expanded={open === c.key}
                    aria-label={`connection ${c.cid} on ${c.server}: subscriptions`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(open === c.key ? null : c.key);
                    }}
                  >
                    {c.server}
                  </button>
                </td>
                <td className="num">{c.cid}</td>
                <td>{c.name || <span className="muted">(no name)</span>}</td>
                <td>
                  {c.lang} {c.version}
                </td>
                <td>{c.account ?? <span className="muted">–</span>}</td>
                <td className="mono small">{c.address}</td>
                <td className="num">{fmtMs(c.rttMs)}</td>
                <td className="num">{fmtRate(c.msgRate, '')}</td>
                <td className="num">{fmtCount(c.inMsgs)}</td>
                <td className="num">{fmtCount(c.outMsgs)}</td>
                <td className="num">{fmtCount(c.numSubscriptions)}</td>
                <td className="num">{fmtCount(c.pendingBytes)}</td>
                <td>{c.uptime}</td>
              </tr>
              {open === c.key && (
                <tr className="live-detail">
                  <td colSpan={13}>
                    {c.subscriptions.length === 0 ? (
                      <span className="muted">no subscriptions</span>
                    ) : (
                      <ul className="live-subs">
                        {[...c.subscriptions]
                          .sort((a, b) => a.subject.localeCompare(b.subject))
                          .map((s) => (
                            <li key={`${s.subject} ${s.qgroup}`}>
                              <code>{s.subject}</code> {s.qgroup ? <span className="chip">queue {s.qgroup}</span> : null}{' '}
                              <span className="muted">{fmtCount(s.msgs ?? 0)} msgs</span>
                            </li>
                          ))}
                      </ul>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
