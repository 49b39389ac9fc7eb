/**
 * JetStream drift: the designed `streams[]` and `consumers[]` against the streams the servers
 * report (`snapshot.streams`), and the lag findings of what runs:
 *
 * - a designed stream not seen, a stream seen but not designed, replicas (R1 vs R3), subjects,
 *   storage and retention that differ;
 * - a designed consumer not seen, a durable consumer seen but not designed (ephemeral ones are
 *   clients' own: ordered consumers, watchers), maxAckPending, ackWait, filter subject and
 *   pull/push that differ;
 * - lag: a consumer whose num_pending grew since the previous read (its workers do not keep
 *   up, or are gone), and one whose ack pending reached its max_ack_pending (JetStream stops
 *   delivering to it until some are acknowledged).
 *
 * Nothing is said when JetStream was not read (`snapshot.jetstream.read` false: the account
 * source cannot ask JSZ): a stream not read is unknown, not missing. A stream not seen while a
 * server is down may live on that server: the entry says so. Streams of key-value buckets and
 * object stores (`KV_*`, `OBJ_*`) are the clients' own and never drift.
 */
import type { Topology } from '../schema/topology.ts';
import type { Drift, SnapshotLike } from './drift-types.ts';
import type { LiveConsumer, LiveStream } from './types.ts';

const NO_FIX = { fix: null, held: null } as const;

/** JetStream's own streams of key-value buckets and object stores: not the design's business. */
export function isClientOwnedStream(name: string): boolean {
  return name.startsWith('KV_') || name.startsWith('OBJ_');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const quoted = (xs: readonly string[]) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : 'none');

function ms(x: number): string {
  return x >= 1000 && x % 1000 === 0 ? `${x / 1000} s` : `${x} ms`;
}

export function jetStreamDrift(doc: Topology, snapshot: SnapshotLike): Drift[] {
  if (!snapshot.jetstream?.read || !snapshot.streams) return [];
  const out: Drift[] = [];
  const down = (snapshot.servers ?? []).filter((s) => !s.up).map((s) => s.name);
  const liveByName = new Map<string, LiveStream>();
  for (const s of snapshot.streams) if (!liveByName.has(s.name)) liveByName.set(s.name, s);
  const designedStreams = doc.streams ?? [];
  const designedConsumers = doc.consumers ?? [];
  designedStreams.forEach((d, i) => {
    const live = liveByName.get(d.name);
    const path = `streams[${i}]`;
    if (!live) {
      out.push({
        kind: 'stream-missing',
        severity: 'error',
        service: '',
        stream: d.name,
        path,
        fix: null,
        held: down.length ? `${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down` : null,
        message: `stream ${d.name} is designed but no server reports it${
          snapshot.jetstream?.servers.length ? '' : ' (no server has JetStream enabled: add a jetstream block to nats.conf)'
        }${down.length ? ` (while ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down: it may live there)` : ''}`,
      });
      return;
    }
    out.push(...streamSettings(d, i, live));
  });
  for (const live of snapshot.streams) {
    if (isClientOwnedStream(live.name) || designedStreams.some((d) => d.name === live.name)) continue;
    out.push({
      kind: 'stream-unexpected',
      severity: 'warning',
      service: '',
      stream: live.name,
      path: null,
      ...NO_FIX,
      message: `stream ${live.name} (R${live.replicas}, ${quoted(live.subjects)}, ${live.messages} messages) runs but is not in the design`,
    });
  }
  designedConsumers.forEach((d, j) => {
    const stream = liveByName.get(d.stream);
    if (!stream) return; // the stream's own entry says it is missing
    const live = stream.consumers.find((c) => c.name === d.name);
    if (!live) {
      out.push({
        kind: 'consumer-missing',
        severity: 'error',
        service: d.service,
        stream: d.stream,
        consumer: d.name,
        path: `consumers[${j}]`,
        ...NO_FIX,
        message: `consumer ${d.name} of stream ${d.stream} is designed but the stream has no such consumer: ${d.service} receives nothing from it`,
      });
      return;
    }
    out.push(...consumerSettings(d, j, live));
  });
  for (const stream of snapshot.streams) {
    if (isClientOwnedStream(stream.name)) continue;
    const designedStream = designedStreams.some((d) => d.name === stream.name);
    for (const c of stream.consumers) {
      const designed = designedConsumers.find((d) => d.stream === stream.name && d.name === c.name);
      if (!designed && designedStream && c.durable) {
        out.push({
          kind: 'consumer-unexpected',
          severity: 'warning',
          service: '',
          stream: stream.name,
          consumer: c.name,
          path: null,
          ...NO_FIX,
          message: `consumer ${c.name} of stream ${stream.name} (${c.mode}, ${c.numPending} pending) runs but is not in the design`,
        });
      }
      out.push(...lagFindings(stream, c, designed?.service ?? '', snapshot.intervalMs ?? null));
    }
  }
  return out;
}

/** Lag findings alone (no design needed): consumers falling behind or at their max_ack_pending. */
export function jetStreamFindings(snapshot: Pick<SnapshotLike, 'streams' | 'intervalMs'>): Drift[] {
  return (snapshot.streams ?? [])
    .filter((s) => !isClientOwnedStream(s.name))
    .flatMap((s) => s.consumers.flatMap((c) => lagFindings(s, c, '', snapshot.intervalMs ?? null)));
}

function streamSettings(d: NonNullable<Topology['streams']>[number], i: number, live: LiveStream): Drift[] {
  const out: Drift[] = [];
  const base = { service: '', stream: d.name, ...NO_FIX };
  if (live.replicas !== d.replicas) {
    const servers = live.peers.map((p) => p.server);
    out.push({
      ...base,
      kind: 'stream-replicas',
      severity: 'error',
      designed: d.replicas,
      live: live.replicas,
      servers,
      path: `streams[${i}].replicas`,
      message: `stream ${d.name} runs as R${live.replicas}${servers.length ? ` (on ${servers.join(', ')})` : ''}, designed R${d.replicas}: ${
        live.replicas < d.replicas
          ? `it survives ${Math.floor((live.replicas - 1) / 2)} server failures instead of ${Math.floor((d.replicas - 1) / 2)}`
          : `every message is written ${live.replicas} times, not ${d.replicas}`
      }`,
    });
  }
  if (live.subjects.length && !sameSet(live.subjects, d.subjects)) {
    out.push({
      ...base,
      kind: 'stream-subjects',
      severity: 'warning',
      designed: d.subjects,
      live: live.subjects,
      path: `streams[${i}].subjects`,
      message: `stream ${d.name} captures ${quoted(live.subjects)}, designed ${quoted(d.subjects)}`,
    });
  }
  if (live.storage && live.storage !== d.storage) {
    out.push({
      ...base,
      kind: 'stream-storage',
      severity: 'warning',
      designed: d.storage,
      live: live.storage,
      path: `streams[${i}].storage`,
      message: `stream ${d.name} is stored in ${live.storage}, designed ${d.storage}${live.storage === 'memory' ? ': its messages are lost when its servers restart' : ''}`,
    });
  }
  out.push(...streamLimits(d, i, live));
  if (live.retention && live.retention !== d.retention) {
    out.push({
      ...base,
      kind: 'stream-retention',
      severity: 'warning',
      designed: d.retention,
      live: live.retention,
      path: `streams[${i}].retention`,
      message: `stream ${d.name} keeps messages by ${live.retention} retention, designed ${d.retention}`,
    });
  }
  return out;
}

const LIMIT_TEXT = {
  maxAgeSeconds: (x: number) => `${x >= 86_400 && x % 86_400 === 0 ? `${x / 86_400} days` : `${x} s`}`,
  maxBytes: (x: number) => `${x} bytes`,
  maxMsgs: (x: number) => `${x} messages`,
} as const;

/** Limits only when the server sent config (a stream read without it says nothing of them). */
function streamLimits(d: NonNullable<Topology['streams']>[number], i: number, live: LiveStream): Drift[] {
  if (!live.subjects.length) return [];
  const out: Drift[] = [];
  for (const limit of ['maxAgeSeconds', 'maxBytes', 'maxMsgs'] as const) {
    const designed = d[limit] ?? null;
    const liveValue = live[limit];
    const same = designed === null || liveValue === null ? designed === liveValue : Math.abs(designed - liveValue) < 1e-6 * Math.max(1, designed);
    if (same) continue;
    const text = (x: number | null) => (x === null ? 'unlimited' : LIMIT_TEXT[limit](x));
    out.push({
      kind: 'stream-limits',
      severity: 'warning',
      service: '',
      stream: d.name,
      limit,
      designed,
      live: liveValue,
      path: `streams[${i}].${limit}`,
      ...NO_FIX,
      message: `stream ${d.name} keeps ${text(liveValue)} (${limit}), designed ${text(designed)}`,
    });
  }
  return out;
}

function consumerSettings(d: NonNullable<Topology['consumers']>[number], j: number, live: LiveConsumer): Drift[] {
  const out: Drift[] = [];
  const push = (
    setting: 'maxAckPending' | 'ackWaitMs' | 'filterSubject' | 'mode',
    designed: string | number,
    liveValue: string | number,
    why: string,
  ) =>
    out.push({
      kind: 'consumer-config',
      severity: 'warning',
      service: d.service,
      stream: d.stream,
      consumer: d.name,
      setting,
      designed,
      live: liveValue,
      path: `consumers[${j}].${setting}`,
      ...NO_FIX,
      message: `consumer ${d.name} of ${d.stream}: ${why}`,
    });
  if (live.maxAckPending !== null && live.maxAckPending !== d.maxAckPending)
    push(
      'maxAckPending',
      d.maxAckPending,
      live.maxAckPending,
      `max_ack_pending is ${live.maxAckPending}, designed ${d.maxAckPending}${live.maxAckPending < d.maxAckPending ? ': fewer messages in flight than the design counts on' : ''}`,
    );
  if (live.ackWaitMs !== null && Math.abs(live.ackWaitMs - d.ackWaitMs) >= 1)
    push('ackWaitMs', d.ackWaitMs, live.ackWaitMs, `ack_wait is ${ms(live.ackWaitMs)}, designed ${ms(d.ackWaitMs)}`);
  const designedFilter = d.filterSubject ?? '';
  const liveFilter = live.filterSubjects.join(', ');
  if (designedFilter !== liveFilter)
    push(
      'filterSubject',
      designedFilter,
      liveFilter,
      `it filters ${liveFilter ? `"${liveFilter}"` : 'nothing'}, designed ${designedFilter ? `"${designedFilter}"` : 'no filter'}`,
    );
  if (live.mode !== d.mode) push('mode', d.mode, live.mode, `it is a ${live.mode} consumer, designed ${d.mode}`);
  return out;
}

function lagFindings(stream: LiveStream, c: LiveConsumer, service: string, intervalMs: number | null): Drift[] {
  const out: Drift[] = [];
  const base = { service, stream: stream.name, consumer: c.name, path: null, ...NO_FIX };
  if (c.pendingChange !== null && c.pendingChange > 0) {
    out.push({
      ...base,
      kind: 'consumer-lag-growing',
      severity: 'warning',
      numPending: c.numPending,
      change: c.pendingChange,
      intervalMs,
      reads: c.growingReads,
      message: `consumer ${c.name} of ${stream.name} falls behind: ${c.numPending} pending, ${c.pendingChange} more than ${
        intervalMs ? `${(intervalMs / 1000).toFixed(1)} s` : 'the previous read'
      } ago${c.growingReads > 1 ? `, growing ${c.growingReads} reads in a row` : ''}${
        c.mode === 'push' && !c.pushBound ? ' (push consumer with nobody bound to its deliver subject)' : ''
      }`,
    });
  }
  if (c.maxAckPending !== null && c.maxAckPending > 0 && c.numAckPending >= c.maxAckPending) {
    out.push({
      ...base,
      kind: 'consumer-ack-pending-full',
      severity: 'warning',
      numAckPending: c.numAckPending,
      maxAckPending: c.maxAckPending,
      message: `consumer ${c.name} of ${stream.name} has ${c.numAckPending} messages unacknowledged, its max_ack_pending: JetStream delivers no more until some are acked`,
    });
  }
  return out;
}
