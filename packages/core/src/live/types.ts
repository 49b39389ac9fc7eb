/**
 * `LiveSnapshot`: what a NATS system looks like at one moment, built by `buildSnapshot` from
 * raw replies (MODEL.md §4). Plain data (JSON-safe), so the API can stream it and the browser
 * can compute drift from it with the same core code.
 */
import type { LiveSource } from './raw.ts';

/** Where a replica's zone came from, in MODEL.md §4's order of trust. */
export type ZoneSource = 'locality' | 'metadata' | 'server-tag';

export interface LiveServer {
  id: string;
  name: string;
  cluster: string;
  version: string;
  /** From the server's `az:`/`zone:` tag. */
  zone: string | null;
  tags: string[];
  up: boolean;
  error: string | null;
  /** When this server last answered (ms since the epoch). */
  lastSeen: number | null;
  url: string | null;
  connections: number;
  subscriptions: number;
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  /** Messages per second in + out, from counter deltas since the previous snapshot. */
  msgRate: number | null;
  byteRate: number | null;
  cpu: number | null;
  memBytes: number | null;
  slowConsumers: number;
  uptime: string | null;
  /** Peer server names of its routes. */
  routes: string[];
  /** Cluster names its gateways reach. */
  gateways: string[];
  leafNodes: number;
  jetstream: boolean;
  /** The WebSocket port, when it has one (browser-direct mode). */
  wsPort: number | null;
}

/** One route between two servers of a cluster (pooled routes are merged into one). */
export interface LiveRoute {
  /** Server names, `a` < `b`. */
  a: string;
  b: string;
  cluster: string;
  rttMs: number | null;
  /** Messages per second both ways. */
  msgRate: number | null;
  msgs: number;
}

/** One gateway link from a server to a server of another cluster. */
export interface LiveGateway {
  server: string;
  cluster: string;
  remoteCluster: string;
  /** The remote server's name, when it is known. */
  remoteServer: string | null;
  rttMs: number | null;
  msgRate: number | null;
  msgs: number;
}

export interface LiveLeafNode {
  server: string;
  name: string | null;
  account: string | null;
  address: string;
  rttMs: number | null;
  subscriptions: number;
  msgs: number;
  msgRate: number | null;
}

/**
 * A subscription in nats-server's own `connz` fields: the reply's object itself, not a copy,
 * since a large cluster has tens of thousands of them on every poll.
 */
export interface LiveSubscription {
  subject: string;
  /** The queue group; absent (or empty) for a plain subscription. */
  qgroup?: string;
  msgs?: number;
}

export interface LiveConnection {
  /** `server/cid`, unique in a snapshot. */
  key: string;
  server: string;
  cid: number;
  name: string;
  kind: string;
  lang: string;
  version: string;
  account: string | null;
  address: string;
  rttMs: number | null;
  inMsgs: number;
  outMsgs: number;
  msgRate: number | null;
  pendingBytes: number;
  uptime: string;
  /** The zone of the server it is connected to (a replica's own zone may be more precise). */
  zone: string | null;
  subscriptions: LiveSubscription[];
  /** How many subscriptions the server reports (the detail may be missing). */
  numSubscriptions: number;
}

export interface QueueGroupMember {
  server: string;
  cid: number;
  connection: string;
  zone: string | null;
  msgs: number;
}

/**
 * A subject subscribed without a queue group, with how many subscribers and where. Reply
 * inboxes, `$SYS`/`$SRV` and Microbus control (`:888`) subjects are left out: they have no
 * queue group by design.
 */
export interface UnqueuedSubscription {
  subject: string;
  subscribers: number;
  servers: string[];
  msgs: number;
}

export interface LiveQueueGroup {
  subject: string;
  group: string;
  members: QueueGroupMember[];
  /** The service these subscriptions belong to, when one is recognised. */
  service: string | null;
}

/** Round-trip times of probes, as a histogram with log-spaced buckets. */
export interface RttHistogram {
  count: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Upper bounds (ms) and counts: `counts[i]` samples fell in (`bounds[i-1]`, `bounds[i]`]. */
  bounds: number[];
  counts: number[];
}

export interface LiveEndpoint {
  name: string;
  subject: string;
  queueGroup: string | null;
}

export interface LiveInstance {
  /** A micro service's id or a Microbus replica id. */
  id: string;
  server: string | null;
  /** The connection key (`server/cid`) it runs on: one connection = one bundle replica. */
  connection: string | null;
  zone: string | null;
  zoneSource: ZoneSource | null;
  version: string | null;
  /** Requests handled so far (micro STATS, or Microbus subscription counters). */
  requests: number | null;
  errors: number | null;
  /** Requests per second from counter deltas. */
  requestRate: number | null;
  /** Mean processing time (micro STATS), in ms; includes downstream waits. */
  avgProcessingMs: number | null;
}

export interface LiveService {
  name: string;
  kind: 'micro' | 'microbus';
  description: string | null;
  instances: LiveInstance[];
  endpoints: LiveEndpoint[];
  /** Distinct versions across instances. */
  versions: string[];
  requestRate: number | null;
  /** Request-weighted mean processing time over instances, in ms. */
  avgProcessingMs: number | null;
  /** Probe RTTs to this service. */
  probe: RttHistogram | null;
}

export interface LiveTotals {
  servers: number;
  serversUp: number;
  connections: number;
  subscriptions: number;
  msgRate: number | null;
}

export interface LiveSnapshot {
  source: LiveSource;
  sourceDetail: string;
  collectedAt: number;
  /** ms since the previous snapshot the rates were computed against; null on the first. */
  intervalMs: number | null;
  servers: LiveServer[];
  routes: LiveRoute[];
  gateways: LiveGateway[];
  leafNodes: LiveLeafNode[];
  connections: LiveConnection[];
  queueGroups: LiveQueueGroup[];
  unqueued: UnqueuedSubscription[];
  services: LiveService[];
  /** Every zone seen, in a stable order (server tags first, then replica localities). */
  zones: string[];
  /** Probe RTT per server (the server the answering instance is connected to). */
  serverProbes: Record<string, RttHistogram>;
  totals: LiveTotals;
  warnings: string[];
}
