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
  /** The client's IP address (`address` without the port): one per pod in Kubernetes, shared by processes on one host. */
  ip: string | null;
  /** When the connection was opened (ms since the epoch, from nats-server's `start`), when known. */
  startedAt: number | null;
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
  /** The service that subscribed (for a Microbus event sink: the sink, not the source), when one is recognised. */
  service: string | null;
  /** Microbus: the slot (`any`, `id`, `locality`) or `response`; null for other subjects. */
  slot?: 'any' | 'id' | 'locality' | 'response' | null;
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
  /** Microbus: the hostname in the endpoint's URL when it is another service's (an event sink listening to that source). */
  source?: string;
}

/** How a replica's own endpoints are queued: on its hostname, on no group, or on another group. */
export type ReplicaQueue = 'ok' | 'none' | 'mismatch';

/** A replica that moved to another server because its server went away (kept while it stays there). */
export interface LiveFailover {
  fromServer: string;
  /** The zone tag of the server it left. */
  fromZone: string | null;
  /** The zone it counts in: its own (locality, metadata), else the zone of the server it first left. */
  homeZone: string | null;
  toServer: string;
  /** When it was first seen on the new server (ms since the epoch). */
  at: number;
}

export interface LiveInstance {
  /** A micro service's id or a Microbus replica id. */
  id: string;
  server: string | null;
  /** The connection key (`server/cid`) it runs on: one connection = one bundle replica. */
  connection: string | null;
  zone: string | null;
  zoneSource: ZoneSource | null;
  /** Microbus: its locality, hyphen form broadest first, whichever generation subscribed it. */
  locality?: string | null;
  /** Microbus: which generation of the framework subscribed it. */
  generation?: 'newest' | 'v1' | null;
  /** Microbus: how its own endpoints are queued (`none`/`mismatch` replicas get every message: not load-balanced replicas). */
  queue?: ReplicaQueue;
  /** The client IP its connection comes from. */
  ip?: string | null;
  /** Set when it failed over from a server that went down. */
  failover?: LiveFailover | null;
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
  /** Microbus: hostnames whose events it listens to (its sink subscriptions under their hostnames). */
  listensTo?: string[];
  /** Distinct versions across instances. */
  versions: string[];
  requestRate: number | null;
  /** Request-weighted mean processing time over instances, in ms. */
  avgProcessingMs: number | null;
  /** Probe RTTs to this service. */
  probe: RttHistogram | null;
}

/** What a bundle's grouping rests on (MODEL.md §4): a shared connection, a client IP no other process uses, or replica ids seen together. */
export type BundleEvidence = 'connection' | 'client-ip' | 'ids';

/** An application as it runs: services that share processes, and its processes per zone. */
export interface LiveBundle {
  services: string[];
  /** Processes (bundle replicas) per zone; those without a zone are in `unzoned`. */
  replicas: Record<string, number>;
  unzoned: number;
  evidence: BundleEvidence;
  /** Why, in a sentence a user can check. */
  because: string;
}

/** One poll's measurements, kept over a window for calibration. */
export interface LiveSample {
  collectedAt: number;
  /** ms since the previous poll; null on the first. */
  intervalMs: number | null;
  /** Servers (by name) down in this poll. */
  serversDown: string[];
  /** Servers whose clients failed over since the previous poll. */
  failovers: number;
  /** Measured request rate per service (only services with one). */
  rates: Record<string, number>;
}

export interface LiveTotals {
  servers: number;
  serversUp: number;
  connections: number;
  subscriptions: number;
  msgRate: number | null;
}

/** One server holding a copy of a stream or consumer (its Raft group), as the leader sees it. */
export interface LiveJsPeer {
  server: string;
  leader: boolean;
  /** Caught up with the leader (the leader itself always is). */
  current: boolean;
  offline: boolean;
  /** Operations behind the leader, when the server reports it. */
  lag: number | null;
}

/** A JetStream consumer, as its leader reports it (followers' views lag behind). */
export interface LiveConsumer {
  stream: string;
  name: string;
  durable: boolean;
  /** `push` when it has a deliver subject. */
  mode: 'pull' | 'push';
  deliverSubject: string | null;
  filterSubjects: string[];
  ackPolicy: string | null;
  /** From the config; null when the server did not send config. */
  ackWaitMs: number | null;
  maxAckPending: number | null;
  maxDeliver: number | null;
  /** Messages in the stream not yet delivered to it: its lag. */
  numPending: number;
  /** Delivered and not yet acknowledged. */
  numAckPending: number;
  numRedelivered: number;
  /** Pull requests waiting. */
  numWaiting: number;
  delivered: { consumerSeq: number; streamSeq: number };
  ackFloor: { consumerSeq: number; streamSeq: number };
  leader: string | null;
  peers: LiveJsPeer[];
  /** A push consumer with a subscriber bound to its deliver subject. */
  pushBound: boolean;
  /** numPending now minus at the previous read; null on the first read. */
  pendingChange: number | null;
  /** Reads in a row (this one included) in which numPending grew: 1 can be a burst, more is a trend. */
  growingReads: number;
  /** Deliveries per second (delivered.consumer_seq delta), redeliveries included. */
  deliverRate: number | null;
  /** Acknowledged stream messages per second (ack floor's stream sequence delta). */
  ackRate: number | null;
}

/** A JetStream stream, merged from every server that holds it (the leader's view first). */
export interface LiveStream {
  account: string;
  name: string;
  /** The NATS cluster its Raft group lives in. */
  cluster: string | null;
  /** Empty when the server did not send config. */
  subjects: string[];
  /** Configured replicas (num_replicas), else the servers seen holding it. */
  replicas: number;
  storage: 'file' | 'memory' | null;
  retention: string | null;
  maxMsgs: number | null;
  maxBytes: number | null;
  maxAgeSeconds: number | null;
  leader: string | null;
  /** Every server holding a copy, leader first. */
  peers: LiveJsPeer[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  consumerCount: number;
  /** Messages stored per second (last_seq delta). */
  ingestRate: number | null;
  /** The server whose report this is. */
  reportedBy: string;
  consumers: LiveConsumer[];
}

/** What was read of JetStream in this poll. */
export interface LiveJetStream {
  /** JetStream was read: some server answered JSZ, or the account's JetStream API answered. Else streams are unknown, not absent. */
  read: boolean;
  /**
   * `jsz`: every server's JSZ (system account or HTTP monitoring: every account). `api`: the
   * connection's own account through `$JS.API.STREAM.LIST` (an ordinary user).
   */
  via: 'jsz' | 'api' | null;
  /** Servers with JetStream enabled (via `api`: the servers holding the account's streams). */
  servers: string[];
  /** The meta group's leader (places streams), when known. */
  metaLeader: string | null;
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
  /** Services grouped into the processes that run them, with the evidence of each grouping. */
  bundles: LiveBundle[];
  /** The last polls' measurements, oldest first (the calibration window). */
  recent: LiveSample[];
  /** Every zone seen, in a stable order (server tags first, then replica localities). */
  zones: string[];
  /** Probe RTT per server (the server the answering instance is connected to). */
  serverProbes: Record<string, RttHistogram>;
  totals: LiveTotals;
  warnings: string[];
  /** JetStream streams with their consumers, by account then name. */
  streams: LiveStream[];
  jetstream: LiveJetStream;
}
