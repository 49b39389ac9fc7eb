import { parseMicrobusSubject } from '@busboard/core';
import { useMemo, useState } from 'react';
import { fmtCount } from './format.ts';
import type { SnapshotView } from './useLive.ts';

/** A Microbus event sink: a service subscribed under another service's hostname (its own queue group). */
function sinkOf(g: SnapshotView['queueGroups'][number]): string | null {
  const mb = parseMicrobusSubject(g.subject);
  return mb?.kind === 'request' && g.service && g.service !== mb.host ? mb.host : null;
}

/**
 * Queue groups with their members per server and zone. Microbus `loc-` slots (replicas of one
 * locality) are hidden unless asked for: they repeat the `_` slot; `id-` slots and response
 * subjects (one replica each) are not streamed at all.
 * A subject served by more than one queue group is marked: each group gets every message
 * (event sinks excepted: each listening service in its own group is how an event reaches all).
 */
export function QueueGroupsTable({ snapshot }: { snapshot: SnapshotView }) {
  const [filter, setFilter] = useState('');
  const [slots, setSlots] = useState(false);
  const groupsPerSubject = useMemo(() => {
    const m = new Map<string, number>();
    for (const g of snapshot.queueGroups) if (!sinkOf(g)) m.set(g.subject, (m.get(g.subject) ?? 0) + 1);
    return m;
  }, [snapshot.queueGroups]);
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = snapshot.queueGroups.filter((g) => {
    const mb = parseMicrobusSubject(g.subject);
    const slot = g.slot ?? (mb?.kind === 'request' ? mb.slot.kind : null);
    if (!slots && slot && slot !== 'any') return false;
    const text = `${g.subject} ${g.group} ${g.service ?? ''} ${g.members.map((m) => `${m.server} ${m.zone ?? ''}`).join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  return (
    <div className="live-tab">
      <div className="live-tab-tools">
        <input
          type="search"
          aria-label="Filter queue groups"
          placeholder="Filter: subject, group, service, server, zone…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="inline">
          <input type="checkbox" checked={slots} onChange={(e) => setSlots(e.target.checked)} />
          show Microbus locality slots
        </label>
        <span className="muted">
          {rows.length} of {snapshot.queueGroups.length} groups
          {snapshot.replicaSlotGroups > 0 && ` (and ${snapshot.replicaSlotGroups} one-replica id- slots and response subjects, not listed)`}
        </span>
      </div>
      <table className="live-table" data-testid="queue-groups-table">
        <thead>
          <tr>
            <th>Subject</th>
            <th>Queue group</th>
            <th>Service</th>
            <th className="num">Members</th>
            <th>Members by server and zone</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => {
            const source = sinkOf(g);
            const fanOut = !source && (groupsPerSubject.get(g.subject) ?? 0) > 1;
            return (
              <tr key={`${g.subject} ${g.group}`} className={fanOut ? 'warn' : undefined}>
                <td className="mono small">
                  {g.subject}
                  {fanOut && <div className="warn-text">{groupsPerSubject.get(g.subject)} queue groups on this subject: each gets every message</div>}
                </td>
                <td>{g.group}</td>
                <td>
                  {g.service ?? <span className="muted">–</span>}
                  {source && <div className="muted small">event from {source}</div>}
                </td>
                <td className="num">{g.members.length}</td>
                <td>
                  {g.members.map((m) => (
                    <span key={m.connection} className="chip" title={`connection ${m.connection}, ${fmtCount(m.msgs)} msgs`}>
                      {m.server} · {m.zone ?? 'no zone'}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
