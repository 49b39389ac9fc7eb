/**
 * The raw replies the snapshot is built from, in nats-server's own field names (2.9.10 and
 * newer). Only the fields the model reads are typed; every one is optional because servers
 * of different versions leave different ones out, and a reply is never trusted to be whole.
 */

/** The envelope every `$SYS.REQ.*` reply carries: which server answered. */
export interface RawServerInfo {
  name?: string;
  host?: string;
  id?: string;
  cluster?: string;
  ver?: string;
  tags?: string[];
  jetstream?: boolean;
  time?: string;
}

export interface RawMsgBytes {
  msgs?: number;
  bytes?: number;
}

/** `$SYS.REQ.SERVER.PING` (STATSZ) body. Routes and gateways here carry peer names. */
export interface RawStatsz {
  start?: string;
  mem?: number;
  cores?: number;
  cpu?: number;
  connections?: number;
  total_connections?: number;
  active_accounts?: number;
  subscriptions?: number;
  sent?: RawMsgBytes;
  received?: RawMsgBytes;
  slow_consumers?: number;
  routes?: Array<{ rid?: number; name?: string; sent?: RawMsgBytes; received?: RawMsgBytes; pending?: number }>;
  gateways?: Array<{ gwid?: number; name?: string; sent?: RawMsgBytes; received?: RawMsgBytes; inbound_connections?: number }>;
  active_servers?: number;
}

/** The message and byte counters nats-server reports on a server, connection, route, gateway or leaf. */
export interface RawCounters {
  in_msgs?: number;
  out_msgs?: number;
  in_bytes?: number;
  out_bytes?: number;
}

export interface RawVarz extends RawCounters {
  server_id?: string;
  server_name?: string;
  version?: string;
  host?: string;
  port?: number;
  cluster?: { name?: string; urls?: string[] };
  gateway?: { name?: string };
  websocket?: { host?: string; port?: number; no_tls?: boolean };
  leaf?: { port?: number };
  tags?: string[];
  start?: string;
  now?: string;
  uptime?: string;
  mem?: number;
  cores?: number;
  cpu?: number;
  connections?: number;
  total_connections?: number;
  routes?: number;
  remotes?: number;
  leafnodes?: number;
  slow_consumers?: number;
  subscriptions?: number;
  system_account?: string;
}

export interface RawSubDetail {
  subject: string;
  qgroup?: string;
  sid?: string;
  msgs?: number;
  cid?: number;
  account?: string;
}

export interface RawConnection extends RawCounters {
  cid: number;
  kind?: string;
  type?: string;
  ip?: string;
  port?: number;
  start?: string;
  last_activity?: string;
  rtt?: string;
  uptime?: string;
  idle?: string;
  pending_bytes?: number;
  subscriptions?: number;
  name?: string;
  lang?: string;
  version?: string;
  account?: string;
  authorized_user?: string;
  subscriptions_list?: string[];
  subscriptions_list_detail?: RawSubDetail[];
}

export interface RawConnz {
  server_id?: string;
  now?: string;
  num_connections?: number;
  total?: number;
  offset?: number;
  limit?: number;
  connections?: RawConnection[];
}

export interface RawRoute extends RawCounters {
  rid?: number;
  remote_id?: string;
  /** 2.10+: the peer's server name. 2.9.10 leaves it out (take it from STATSZ). */
  remote_name?: string;
  did_solicit?: boolean;
  ip?: string;
  port?: number;
  rtt?: string;
  subscriptions?: number;
  pending_size?: number;
}

export interface RawRoutez {
  server_id?: string;
  /** 2.10+ */
  server_name?: string;
  num_routes?: number;
  routes?: RawRoute[];
}

export interface RawGatewayConn {
  configured?: boolean;
  connection?: RawCounters & {
    cid?: number;
    ip?: string;
    port?: number;
    rtt?: string;
    /** The remote server's id. */
    name?: string;
  };
}

export interface RawGatewayz {
  server_id?: string;
  name?: string;
  outbound_gateways?: Record<string, RawGatewayConn>;
  inbound_gateways?: Record<string, RawGatewayConn[]>;
}

export interface RawLeaf extends RawCounters {
  name?: string;
  account?: string;
  ip?: string;
  port?: number;
  rtt?: string;
  subscriptions?: number;
  is_spoke?: boolean;
}

export interface RawLeafz {
  server_id?: string;
  leafnodes?: number;
  leafs?: RawLeaf[];
}

export interface RawSubsz {
  num_subscriptions?: number;
  num_cache?: number;
  num_matches?: number;
  cache_hit_rate?: number;
  max_fanout?: number;
  avg_fanout?: number;
}

/** A stream's or consumer's Raft group as one server sees it: `replicas` are the peers other than that server. */
export interface RawJsClusterInfo {
  name?: string;
  leader?: string;
  replicas?: Array<{ name?: string; current?: boolean; offline?: boolean; active?: number; lag?: number; peer?: string }>;
}

export interface RawJsSequence {
  consumer_seq?: number;
  stream_seq?: number;
  last_active?: string;
}

/** A consumer's `ConsumerInfo` (durations in nanoseconds, as the server's JSON has them). */
export interface RawConsumerInfo {
  stream_name?: string;
  name?: string;
  created?: string;
  config?: {
    durable_name?: string;
    name?: string;
    deliver_subject?: string;
    deliver_group?: string;
    ack_policy?: string;
    ack_wait?: number;
    max_deliver?: number;
    filter_subject?: string;
    /** 2.10+: several filters. */
    filter_subjects?: string[];
    max_waiting?: number;
    max_ack_pending?: number;
    num_replicas?: number;
  };
  delivered?: RawJsSequence;
  ack_floor?: RawJsSequence;
  num_ack_pending?: number;
  num_redelivered?: number;
  num_waiting?: number;
  num_pending?: number;
  cluster?: RawJsClusterInfo;
  push_bound?: boolean;
}

export interface RawStreamDetail {
  name?: string;
  created?: string;
  cluster?: RawJsClusterInfo;
  /** Only with `config=true`. */
  config?: {
    name?: string;
    subjects?: string[];
    retention?: string;
    storage?: string;
    num_replicas?: number;
    max_msgs?: number;
    max_bytes?: number;
    /** Nanoseconds; 0 is unlimited. */
    max_age?: number;
    max_consumers?: number;
    discard?: string;
  };
  state?: {
    messages?: number;
    bytes?: number;
    first_seq?: number;
    last_seq?: number;
    num_subjects?: number;
    consumer_count?: number;
  };
  /** Only with `consumers=true` (HTTP) / `consumer: true` ($SYS). */
  consumer_detail?: RawConsumerInfo[];
}

export interface RawJsAccountDetail {
  name?: string;
  id?: string;
  stream_detail?: RawStreamDetail[];
}

/** `/jsz?accounts=true&streams=true&consumers=true&config=true` or `$SYS.REQ.SERVER.PING.JSZ`: what this server hosts. */
export interface RawJsz {
  server_id?: string;
  disabled?: boolean;
  streams?: number;
  consumers?: number;
  messages?: number;
  bytes?: number;
  memory?: number;
  storage?: number;
  meta_cluster?: { name?: string; leader?: string; cluster_size?: number };
  account_details?: RawJsAccountDetail[];
}

/** A `$JS.API.STREAM.LIST` entry (StreamInfo: the stream leader's view), with its `$JS.API.CONSUMER.LIST` answer. */
export interface RawStreamInfo {
  config?: RawStreamDetail['config'];
  created?: string;
  cluster?: RawJsClusterInfo;
  state?: RawStreamDetail['state'];
  consumers?: RawConsumerInfo[];
}

/** The connection's own account's JetStream, through its API (the account source). */
export interface RawJsApi {
  /** The account's name when known (its connections' `account`). */
  account?: string;
  streams: RawStreamInfo[];
}

/**
 * What was collected from one server in one poll. `info` is the `$SYS` envelope when the
 * source is the system or an account; for HTTP monitoring it is filled from `/varz`.
 * `connz` holds every page that was fetched, in order.
 */
export interface RawServerReplies {
  info?: RawServerInfo;
  /** Where this server was asked (a monitoring URL), when it was asked directly. */
  url?: string;
  up: boolean;
  /** Why it is down or partly read: "no reply within 1000 ms", "HTTP 404 from …/leafz". */
  error?: string;
  statsz?: RawStatsz;
  varz?: RawVarz;
  connz?: RawConnz[];
  routez?: RawRoutez;
  gatewayz?: RawGatewayz;
  leafz?: RawLeafz;
  subsz?: RawSubsz;
  jsz?: RawJsz;
}

export interface RawMicroEndpoint {
  name?: string;
  subject?: string;
  queue_group?: string;
  metadata?: Record<string, string> | null;
  num_requests?: number;
  num_errors?: number;
  last_error?: string;
  /** Nanoseconds. Includes the handler's downstream waits. */
  processing_time?: number;
  average_processing_time?: number;
}

/** A reply to `$SRV.PING`, `$SRV.INFO` or `$SRV.STATS` (types `io.nats.micro.v1.*_response`). */
export interface RawMicroReply {
  type?: string;
  name?: string;
  id?: string;
  version?: string;
  metadata?: Record<string, string> | null;
  description?: string;
  started?: string;
  endpoints?: RawMicroEndpoint[];
}

export interface RawMicro {
  ping?: RawMicroReply[];
  info?: RawMicroReply[];
  stats?: RawMicroReply[];
}

/**
 * One timed request/reply: a probe of a service (its instance's server gets the sample too),
 * or of a server itself (a `$SYS` request answered by that server).
 */
export interface ProbeSample {
  service?: string;
  /** The instance that answered (micro id), when known. */
  instance?: string;
  /** The server that answered, for server probes. */
  server?: string;
  rttMs: number;
}

export type LiveSource = 'system' | 'account' | 'monitor';

/** Everything one poll gathered: the input of `buildSnapshot`. */
export interface RawCollection {
  source: LiveSource;
  /** How it was read, in words a user understands ("$SYS.REQ.SERVER.PING as system-account user sys"). */
  sourceDetail: string;
  /** Milliseconds since the epoch, passed in (core never reads the clock). */
  collectedAt: number;
  servers: RawServerReplies[];
  micro?: RawMicro;
  /** JetStream through the account's API, when the source could not ask JSZ (the account source). */
  jsApi?: RawJsApi;
  /** Probe samples, newest last; the collector keeps a window of them per service. */
  probes?: ProbeSample[];
  warnings?: string[];
}
