/**
 * JetStream from JSZ replies (`$SYS.REQ.SERVER.PING.JSZ` or `/jsz?accounts&streams&consumers&config`):
 * every server reports the streams and consumers it holds a copy of, and only the Raft
 * leader's copy is current (a follower of a consumer reports it as if nothing had been
 * delivered: recorded off 2.9.10). So a stream is merged from every server that reports it,
 * and its figures are its leader's; each consumer's are its own leader's (a consumer's leader
 * is often another server than its stream's). Without a leader's report the freshest copy
 * wins (highest sequence). A server's `cluster.replicas` lists the peers other than itself,
 * so the servers holding a stream are the reporters plus the peers they name.
 *
 * Rates and the lag trend are deltas against the previous snapshot's same stream/consumer.
 */
import type { RawConsumerInfo, RawJsApi, RawJsClusterInfo, RawServerReplies, RawStreamDetail } from './raw.ts';
import type { LiveConsumer, LiveJetStream, LiveJsPeer, LiveStream } from './types.ts';

interface Report<T> {
  server: string;
  value: T;
  /** From the account's API: the StreamInfo/ConsumerInfo of its own leader, not a server's copy. */
  api?: boolean;
}

const NS_PER_MS = 1e6;

function serverName(r: RawServerReplies): string {
  return r.info?.name ?? r.varz?.server_name ?? r.info?.id ?? r.varz?.server_id ?? r.url ?? '?';
}

/** Which report to trust: the one its Raft leader sent, else the freshest. */
function pick<T>(reports: Report<T>[], leaderOf: (v: T) => string | undefined, seq: (v: T) => number): Report<T> {
  const byLeader = reports.find((r) => leaderOf(r.value) === r.server);
  if (byLeader) return byLeader;
  return reports.reduce((best, r) => (seq(r.value) > seq(best.value) ? r : best));
}

/** Every server holding a copy: the leader first, then the others by name. */
function peersOf(reports: Report<{ cluster?: RawJsClusterInfo }>[], chosen: Report<{ cluster?: RawJsClusterInfo }>): LiveJsPeer[] {
  const leader = chosen.value.cluster?.leader ?? null;
  const byName = new Map<string, LiveJsPeer>();
  const add = (server: string, p: Partial<LiveJsPeer>) => {
    const had = byName.get(server);
    byName.set(server, {
      server,
      leader: server === leader,
      current: had?.current ?? p.current ?? server === leader,
      offline: had?.offline ?? p.offline ?? false,
      lag: had?.lag ?? p.lag ?? null,
    });
  };
  // The chosen report's view of its peers first (the leader knows who is current).
  for (const p of chosen.value.cluster?.replicas ?? [])
    if (p.name) add(p.name, { current: p.current ?? false, offline: p.offline ?? false, lag: p.lag ?? null });
  for (const r of reports) add(r.server, {});
  if (leader) add(leader, {});
  for (const r of reports) for (const p of r.value.cluster?.replicas ?? []) if (p.name) add(p.name, {});
  for (const p of byName.values()) if (p.leader) Object.assign(p, { current: true, lag: null });
  return [...byName.values()].sort((a, b) => Number(b.leader) - Number(a.leader) || a.server.localeCompare(b.server));
}

const num = (x: number | undefined): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const limit = (x: number | undefined): number | null => (typeof x === 'number' && x > 0 ? x : null);

function rate(now: number, before: number | undefined, intervalMs: number | null): number | null {
  if (before === undefined || !intervalMs || intervalMs <= 0 || now < before) return null;
  return ((now - before) * 1000) / intervalMs;
}

function buildConsumer(
  stream: string,
  reports: Report<RawConsumerInfo>[],
  previous: LiveConsumer | undefined,
  intervalMs: number | null,
): LiveConsumer {
  const chosen = pick(
    reports,
    (c) => c.cluster?.leader,
    (c) => num(c.delivered?.consumer_seq),
  );
  const c = chosen.value;
  const cfg = c.config;
  const numPending = num(c.num_pending);
  const delivered = { consumerSeq: num(c.delivered?.consumer_seq), streamSeq: num(c.delivered?.stream_seq) };
  const ackFloor = { consumerSeq: num(c.ack_floor?.consumer_seq), streamSeq: num(c.ack_floor?.stream_seq) };
  const filters = cfg?.filter_subjects?.length ? cfg.filter_subjects : cfg?.filter_subject ? [cfg.filter_subject] : [];
  return {
    stream,
    name: c.name ?? cfg?.name ?? cfg?.durable_name ?? '?',
    durable: !!cfg?.durable_name,
    mode: cfg?.deliver_subject ? 'push' : 'pull',
    deliverSubject: cfg?.deliver_subject ?? null,
    filterSubjects: filters,
    ackPolicy: cfg?.ack_policy ?? null,
    ackWaitMs: typeof cfg?.ack_wait === 'number' ? cfg.ack_wait / NS_PER_MS : null,
    maxAckPending: typeof cfg?.max_ack_pending === 'number' ? cfg.max_ack_pending : null,
    maxDeliver: typeof cfg?.max_deliver === 'number' && cfg.max_deliver > 0 ? cfg.max_deliver : null,
    numPending,
    numAckPending: num(c.num_ack_pending),
    numRedelivered: num(c.num_redelivered),
    numWaiting: num(c.num_waiting),
    delivered,
    ackFloor,
    leader: c.cluster?.leader ?? null,
    peers: peersOf(reports, chosen),
    // Followers of 2.9.10 report push_bound true with nobody bound: only the leader knows.
    pushBound: c.push_bound === true,
    pendingChange: previous ? numPending - previous.numPending : null,
    growingReads: previous && numPending > previous.numPending ? previous.growingReads + 1 : 0,
    deliverRate: rate(delivered.consumerSeq, previous?.delivered.consumerSeq, intervalMs),
    ackRate: rate(ackFloor.streamSeq, previous?.ackFloor.streamSeq, intervalMs),
  };
}

function buildStream(account: string, reports: Report<RawStreamDetail>[], previous: LiveStream | undefined, intervalMs: number | null): LiveStream {
  const chosen = pick(
    reports,
    (s) => s.cluster?.leader,
    (s) => num(s.state?.last_seq),
  );
  const s = chosen.value;
  const cfg = s.config ?? reports.find((r) => r.value.config)?.value.config;
  const peers = peersOf(reports, chosen);
  const name = s.name ?? cfg?.name ?? '?';
  const consumerReports = new Map<string, Report<RawConsumerInfo>[]>();
  for (const r of reports)
    for (const c of r.value.consumer_detail ?? []) {
      const key = c.name ?? c.config?.name ?? c.config?.durable_name;
      if (!key) continue;
      const list = consumerReports.get(key) ?? [];
      list.push({ server: r.api ? (c.cluster?.leader ?? r.server) : r.server, value: c });
      consumerReports.set(key, list);
    }
  const consumers = [...consumerReports.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, rs]) =>
      buildConsumer(
        name,
        rs,
        previous?.consumers.find((c) => c.name === key),
        intervalMs,
      ),
    );
  const lastSeq = num(s.state?.last_seq);
  const storage = cfg?.storage === 'file' || cfg?.storage === 'memory' ? cfg.storage : null;
  return {
    account,
    name,
    cluster: s.cluster?.name ?? null,
    subjects: cfg?.subjects ?? [],
    replicas: typeof cfg?.num_replicas === 'number' && cfg.num_replicas > 0 ? cfg.num_replicas : peers.length || 1,
    storage,
    retention: cfg?.retention ?? null,
    maxMsgs: limit(cfg?.max_msgs),
    maxBytes: limit(cfg?.max_bytes),
    maxAgeSeconds: limit(cfg?.max_age) === null ? null : num(cfg?.max_age) / 1e9,
    leader: s.cluster?.leader ?? null,
    peers,
    messages: num(s.state?.messages),
    bytes: num(s.state?.bytes),
    firstSeq: num(s.state?.first_seq),
    lastSeq,
    consumerCount: Math.max(num(s.state?.consumer_count), consumers.length),
    ingestRate: rate(lastSeq, previous?.lastSeq, intervalMs),
    reportedBy: chosen.server,
    consumers,
  };
}

/** The account API's streams as JSZ-like reports, each from its stream leader (whose view StreamInfo is). */
function apiReports(api: RawJsApi, byStream: Map<string, { account: string; reports: Report<RawStreamDetail>[] }>): string[] {
  const account = api.account ?? 'this account';
  const servers = new Set<string>();
  for (const info of api.streams) {
    const name = info.config?.name;
    if (!name) continue;
    const server = info.cluster?.leader ?? '?';
    if (info.cluster?.leader) servers.add(info.cluster.leader);
    for (const p of info.cluster?.replicas ?? []) if (p.name) servers.add(p.name);
    const detail: RawStreamDetail = { name, cluster: info.cluster, config: info.config, state: info.state, consumer_detail: info.consumers };
    if (info.created) detail.created = info.created;
    byStream.set(`${account}\u0000${name}`, { account, reports: [{ server, value: detail, api: true }] });
  }
  return [...servers];
}

/** Streams (by account, then name) and what was read of JetStream, from one poll's replies (or the account's API). */
export function buildJetStream(
  replies: readonly RawServerReplies[],
  previous: { streams?: LiveStream[] } | null,
  intervalMs: number | null,
  api?: RawJsApi,
): { streams: LiveStream[]; jetstream: LiveJetStream } {
  const byStream = new Map<string, { account: string; reports: Report<RawStreamDetail>[] }>();
  const servers: string[] = [];
  let read = false;
  let metaLeader: string | null = null;
  if (api) servers.push(...apiReports(api, byStream));
  for (const r of replies) {
    if (api || !r.up || !r.jsz) continue;
    read = true;
    if (r.jsz.disabled) continue;
    const server = serverName(r);
    servers.push(server);
    metaLeader ??= r.jsz.meta_cluster?.leader ?? null;
    for (const a of r.jsz.account_details ?? []) {
      const account = a.name ?? a.id ?? '?';
      for (const sd of a.stream_detail ?? []) {
        if (!sd.name) continue;
        const key = `${account}\u0000${sd.name}`;
        const entry = byStream.get(key) ?? { account, reports: [] };
        entry.reports.push({ server, value: sd });
        byStream.set(key, entry);
      }
    }
  }
  const before = new Map((previous?.streams ?? []).map((s) => [`${s.account}\u0000${s.name}`, s]));
  const streams = [...byStream.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, e]) => buildStream(e.account, e.reports, before.get(key), intervalMs));
  return { streams, jetstream: { read: read || !!api, via: api ? 'api' : read ? 'jsz' : null, servers: servers.sort(), metaLeader } };
}
