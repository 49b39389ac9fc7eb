/**
 * JetStream in the export (issue 18): how much storage each NATS server needs for the
 * design's streams, and the streams and consumers themselves as the JSON JetStream's API
 * takes (`nats stream add --config`, `nats consumer add STREAM --config`).
 *
 * Why the `nats` CLI's JSON and not the NACK controller's CRDs: the JSON is the body of
 * JetStream's own API (`$JS.API.STREAM.CREATE.<name>`), so the same file serves the compose,
 * Kubernetes and Helm exports, needs nothing installed in the cluster beyond NATS (NACK needs
 * its controller and CRDs, and in production a client certificate of its own), and a test
 * proves it by creating the stream on a real nats-server. Every NATS user has the CLI (the
 * chart's nats-box carries it); a team that runs NACK copies the same settings into a Stream
 * resource (the field names differ only in case: `max_age` → `maxAge`).
 *
 * Storage per server: Σ over the streams of (one replica's storage × the replicas on that
 * server). One replica's storage is the engine's steady size under the stream's limits; with
 * `maxBytes` the stream reserves that much on each server it is placed on (JetStream refuses
 * the stream if a server has less room), and a stream without any limit is sized for
 * `UNBOUNDED_SIZING_DAYS` of its growth and warned about. The store is that times
 * `STORE_HEADROOM`, rounded up.
 */
import type { Warning } from '../engine/types.ts';
import type { ConsumerT, StreamT } from '../schema/topology.ts';

/**
 * Room over the computed storage: the file store writes messages into blocks and frees a
 * block only when every message in it has gone (a stream at its age limit holds up to a block
 * more than its messages), a burst above the design's rate or a consumer outage on a
 * work-queue stream keeps more, and a full store makes JetStream refuse writes, so the disk
 * should never be the limit that binds. 1.5 is Busboard's choice, not a NATS figure.
 */
export const STORE_HEADROOM = 1.5;
/** A stream with no limit is sized for this many days of growth (and warned about). */
export const UNBOUNDED_SIZING_DAYS = 30;
/** Where the servers keep JetStream's files (the persistent volume's mount point). */
export const STORE_DIR = '/data/jetstream';
/** The smallest file store written: cloud disks start at 1 GiB. */
const MIN_FILE_BYTES = 2 ** 30;
/** Memory stores round up to this (64 MiB). */
const MEMORY_STEP = 64 * 2 ** 20;
const NS = 1e9;

/** The engine's figures for one stream (`SimulationResult.async.streams[name]`). */
export interface StreamFigures {
  /** One replica's growth per day, bytes. */
  storageBytesPerDay: number;
  /** One replica's steady size under the limits; null when it grows without bound. */
  steadyBytes: number | null;
  timeToLimitSeconds: number | null;
}

/** A NATS server that can hold stream replicas, in the order replicas are spread over. */
export interface StoreServer {
  name: string;
  zone: string | null;
}

/** How one replica of a stream was sized. */
export type SizeBasis = 'steady' | 'maxBytes' | 'unbounded' | 'no-figures';

export interface PlacedStream {
  stream: StreamT;
  /** Index in the document's `streams[]`. */
  index: number;
  /** The servers its replicas sit on (leader first). */
  servers: string[];
  /** Bytes one replica needs (before headroom). */
  replicaBytes: number;
  basis: SizeBasis;
  /** One replica's growth per day (0 when unknown). */
  bytesPerDay: number;
}

export interface ServerStore {
  server: string;
  zone: string | null;
  fileBytes: number;
  memoryBytes: number;
  /** Growth per day of the replicas here that have no limit. */
  unboundedBytesPerDay: number;
  streams: string[];
}

/** JetStream on one NATS cluster: placement, per-server needs and the limits every server gets. */
export interface JetStreamPlan {
  streams: PlacedStream[];
  servers: ServerStore[];
  /** `max_file_store` and the persistent volume's size (a quantity like `12Gi`), or null when no stream is on file. */
  fileStore: string | null;
  /** `max_memory_store` (a quantity like `256Mi`), or null when no stream is in memory. */
  memoryStore: string | null;
}

const GI = 2 ** 30;
const MI = 2 ** 20;

/** Bytes as a quantity both nats.conf and Kubernetes read: whole Gi from 1 GiB up, else whole Mi. */
export function storageQuantity(bytes: number): string {
  return bytes >= GI ? `${Math.ceil(bytes / GI)}Gi` : `${Math.max(1, Math.ceil(bytes / MI))}Mi`;
}

/** The bytes a quantity written by `storageQuantity` stands for. */
export function quantityBytes(q: string): number {
  const m = /^(\d+)(Gi|Mi)$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  return Number(m[1]) * (m[2] === 'Gi' ? GI : MI);
}

/** "1.2 GiB", "340 MiB" for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 40) return `${(bytes / 2 ** 40).toFixed(1)} TiB`;
  if (bytes >= GI) return `${(bytes / GI).toFixed(1)} GiB`;
  if (bytes >= MI) return `${(bytes / MI).toFixed(0)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** One replica's bytes and how they were found. */
function replicaNeed(s: StreamT, f: StreamFigures | undefined): { bytes: number; basis: SizeBasis; perDay: number } {
  const perDay = f?.storageBytesPerDay ?? 0;
  // JetStream reserves max_bytes on every server a replica is placed on.
  if (s.maxBytes !== undefined) return { bytes: s.maxBytes, basis: 'maxBytes', perDay };
  if (!f) return { bytes: 0, basis: 'no-figures', perDay };
  // Nothing published into it: it stays empty, limits or not.
  if (f.steadyBytes !== null || !(perDay > 0)) return { bytes: f.steadyBytes ?? 0, basis: 'steady', perDay };
  return { bytes: perDay * UNBOUNDED_SIZING_DAYS, basis: 'unbounded', perDay };
}

/**
 * Replicas spread over `servers`, which the caller lists zone by zone for each server index
 * (`a-0, b-0, c-0, a-1, …`): the stream at `index` in the document's `streams[]` takes R
 * consecutive servers from position `index`, so an R3 stream over three zones has one replica
 * in each and successive streams' leaders rotate over the zones. This is the engine's rule
 * (engine/async-model.ts `placeStream`), so the export sizes the servers the engine loads.
 * JetStream picks the servers itself when a stream is created; this is the even spread it aims for.
 */
export function placeReplicas(streams: readonly { replicas: number; index: number }[], servers: readonly StoreServer[]): string[][] {
  return streams.map((s) =>
    Array.from({ length: Math.min(s.replicas, servers.length) }, (_, j) => servers[(s.index + j) % servers.length]?.name as string),
  );
}

/**
 * Sizes the JetStream store of one cluster. `streams` are the design's streams on it (with
 * their index in `streams[]`), `figures` the engine's per stream name. Null when it holds none.
 * Warns (into `warnings`) where a stream grows without bound and where figures are missing.
 */
export function planJetStream(
  streams: readonly { stream: StreamT; index: number }[],
  servers: readonly StoreServer[],
  figures: Readonly<Record<string, StreamFigures | undefined>>,
  warnings: Warning[],
): JetStreamPlan | null {
  if (!streams.length || !servers.length) return null;
  const placement = placeReplicas(
    streams.map((s) => ({ replicas: s.stream.replicas, index: s.index })),
    servers,
  );
  const placed: PlacedStream[] = streams.map(({ stream, index }, i) => {
    const need = replicaNeed(stream, figures[stream.name]);
    return { stream, index, servers: placement[i] ?? [], replicaBytes: need.bytes, basis: need.basis, bytesPerDay: need.perDay };
  });
  const stores: ServerStore[] = servers.map((s) => ({
    server: s.name,
    zone: s.zone,
    fileBytes: 0,
    memoryBytes: 0,
    unboundedBytesPerDay: 0,
    streams: [],
  }));
  for (const p of placed)
    for (const name of p.servers) {
      const st = stores.find((x) => x.server === name);
      if (!st) continue;
      if (p.stream.storage === 'memory') st.memoryBytes += p.replicaBytes;
      else st.fileBytes += p.replicaBytes;
      if (p.basis === 'unbounded') st.unboundedBytesPerDay += p.bytesPerDay;
      st.streams.push(p.stream.name);
    }
  const onFile = placed.some((p) => p.stream.storage === 'file');
  const inMemory = placed.some((p) => p.stream.storage === 'memory');
  const maxFile = Math.max(0, ...stores.map((s) => s.fileBytes)) * STORE_HEADROOM;
  const maxMemory = Math.max(0, ...stores.map((s) => s.memoryBytes)) * STORE_HEADROOM;
  const fileStore = onFile ? storageQuantity(Math.max(MIN_FILE_BYTES, maxFile)) : null;
  const memoryStore = inMemory ? storageQuantity(Math.max(MEMORY_STEP, Math.ceil(maxMemory / MEMORY_STEP) * MEMORY_STEP)) : null;
  const plan: JetStreamPlan = { streams: placed, servers: stores, fileStore, memoryStore };
  streamWarnings(plan, warnings);
  return plan;
}

function streamWarnings(plan: JetStreamPlan, warnings: Warning[]): void {
  for (const p of plan.streams) {
    const s = p.stream;
    const store = s.storage === 'memory' ? plan.memoryStore : plan.fileStore;
    if (p.basis === 'no-figures')
      warnings.push({
        code: 'stream-no-figures',
        path: `streams[${p.index}]`,
        message: `stream ${s.name}: the engine gave no storage figures, so its servers' store (${store}) is not sized for it; set maxBytes to reserve room for it`,
      });
    if (p.basis !== 'unbounded') continue;
    // The servers holding it: the one that fills first sets when.
    const days = Math.min(
      ...plan.servers
        .filter((x) => p.servers.includes(x.server) && x.unboundedBytesPerDay > 0)
        .map((x) => {
          const limit = quantityBytes(store ?? '0Mi');
          const bounded = (s.storage === 'memory' ? x.memoryBytes : x.fileBytes) - x.unboundedBytesPerDay * UNBOUNDED_SIZING_DAYS;
          return (limit - bounded) / x.unboundedBytesPerDay;
        }),
    );
    const volume = s.storage === 'memory' ? 'memory store' : 'persistent volume';
    warnings.push({
      code: 'stream-unbounded',
      path: `streams[${p.index}]`,
      message: `stream ${s.name} has no maxAgeSeconds, maxBytes or maxMsgs${s.retention === 'limits' ? '' : ` and its ${s.retention} retention does not keep it small at the design's rates`}: each replica grows ${formatBytes(p.bytesPerDay)} a day, so the ${store} ${volume} of its servers (sized for ${UNBOUNDED_SIZING_DAYS} days × ${STORE_HEADROOM}) fills in about ${Math.floor(days)} days; then JetStream refuses new messages on ${s.subjects.join(', ')}. Set maxAgeSeconds or maxBytes on the stream.`,
    });
  }
}

/** JetStream's StreamConfig as JSON (nats-server's `json` tags; durations in nanoseconds). */
export interface StreamConfigJson {
  name: string;
  subjects: string[];
  retention: 'limits' | 'interest' | 'workqueue';
  max_consumers: number;
  max_msgs: number;
  max_bytes: number;
  max_age: number;
  max_msgs_per_subject: number;
  max_msg_size: number;
  discard: 'old' | 'new';
  storage: 'file' | 'memory';
  num_replicas: number;
  placement?: { cluster: string };
  allow_direct: boolean;
  mirror_direct: boolean;
  sealed: boolean;
  deny_delete: boolean;
  deny_purge: boolean;
  allow_rollup_hdrs: boolean;
}

/** JetStream's ConsumerConfig as JSON (the fields the export writes). */
export interface ConsumerConfigJson {
  durable_name: string;
  description: string;
  deliver_policy: 'all';
  ack_policy: 'explicit';
  ack_wait: number;
  filter_subject?: string;
  replay_policy: 'instant';
  max_ack_pending: number;
  deliver_subject?: string;
  deliver_group?: string;
  num_replicas: number;
}

/** A duration as JetStream's JSON writes it: nanoseconds, an integer. */
const nanos = (seconds: number) => Math.round(seconds * NS);

/**
 * The stream's config as JetStream's API takes it (StreamConfig: `nats stream add --config`,
 * or the body of `$JS.API.STREAM.CREATE.<name>`). Absent limits are -1 (unlimited) and a zero
 * `max_age`, as the server itself reports them. `placementCluster`: where the design has
 * several clusters joined by gateways, the one that holds the stream.
 */
export function streamConfig(s: StreamT, placementCluster?: string): StreamConfigJson {
  return {
    name: s.name,
    subjects: [...s.subjects],
    retention: s.retention,
    max_consumers: -1,
    max_msgs: s.maxMsgs ?? -1,
    max_bytes: s.maxBytes ?? -1,
    max_age: s.maxAgeSeconds === undefined ? 0 : nanos(s.maxAgeSeconds),
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    discard: 'old',
    storage: s.storage,
    num_replicas: s.replicas,
    ...(placementCluster ? { placement: { cluster: placementCluster } } : {}),
    allow_direct: false,
    mirror_direct: false,
    sealed: false,
    deny_delete: false,
    deny_purge: false,
    allow_rollup_hdrs: false,
  };
}

/** Where a push consumer delivers: the consuming service's replicas subscribe here in queue group `deliverGroup(c)`. */
export const deliverSubject = (c: ConsumerT) => `deliver.${c.stream}.${c.name}`;
export const deliverGroup = (c: ConsumerT) => c.name;

/**
 * A durable consumer's config (ConsumerConfig: `nats consumer add STREAM --config`, or the
 * `config` of `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<name>`): explicit acks, redelivery
 * after `ack_wait` (ns), at most `max_ack_pending` unacknowledged. A push consumer delivers to
 * `deliverSubject`, shared by the service's replicas through a queue group. Replicas (0)
 * follow the stream's.
 */
export function consumerConfig(c: ConsumerT): ConsumerConfigJson {
  const pool =
    c.mode === 'pull'
      ? `${c.workers} worker${c.workers === 1 ? '' : 's'} per replica, ${c.batch} per pull`
      : `${c.workers} worker${c.workers === 1 ? '' : 's'} per replica`;
  return {
    durable_name: c.name,
    description: `Busboard: handled by ${c.service} (${pool})`,
    deliver_policy: 'all',
    ack_policy: 'explicit',
    ack_wait: nanos(c.ackWaitMs / 1000),
    ...(c.filterSubject ? { filter_subject: c.filterSubject } : {}),
    replay_policy: 'instant',
    max_ack_pending: c.maxAckPending,
    ...(c.mode === 'push' ? { deliver_subject: deliverSubject(c), deliver_group: deliverGroup(c) } : {}),
    num_replicas: 0,
  };
}

/** Files under `jetstream/`: one per stream, one per durable consumer. */
export const streamFile = (s: StreamT) => `jetstream/${s.name}/stream.json`;
export const consumerFile = (c: ConsumerT) => `jetstream/${c.stream}/${c.name}.consumer.json`;
