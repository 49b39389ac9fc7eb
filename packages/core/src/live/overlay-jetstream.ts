/**
 * `jetStreamOverlay(doc, snapshot, result?)`: live figures beside the designed streams and
 * consumers, keyed by stream name and, within a stream, by consumer name, for the canvas's
 * stream and consumer nodes: messages, bytes, ingest rate, replicas and their servers; lag
 * (num_pending) and its change since the previous read, ack pending against max_ack_pending,
 * redeliveries, delivery and ack rates; with the engine's designed figures when a result is
 * given. Streams and consumers seen but not designed are listed too (`designed: false`), after
 * the designed ones.
 */

import { dict } from '../dict.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { isClientOwnedStream, jetStreamDrift } from './drift-jetstream.ts';
import type { Drift, SnapshotLike } from './drift-types.ts';
import type { LiveConsumer, LiveJsPeer, LiveStream } from './types.ts';

export interface ConsumerOverlay {
  stream: string;
  consumer: string;
  /** The designed consuming service (null when not designed). */
  service: string | null;
  designed: boolean;
  /** Seen live. */
  live: boolean;
  /** num_pending: messages not yet delivered to it. */
  lag: number | null;
  /** Lag now minus at the previous read. */
  lagChange: number | null;
  ackPending: number | null;
  /** Live max_ack_pending (else the designed one). */
  maxAckPending: number | null;
  redelivered: number | null;
  waiting: number | null;
  deliverRate: number | null;
  ackRate: number | null;
  leader: string | null;
  /** The engine's mean pending (num_pending) at the designed load, when a result is given. */
  designedPending: number | null;
  designedDeliverRps: number | null;
  driftCount: number;
}

export interface StreamOverlay {
  stream: string;
  designed: boolean;
  live: boolean;
  designedReplicas: number | null;
  liveReplicas: number | null;
  leader: string | null;
  /** The servers holding a copy, leader first. */
  peers: LiveJsPeer[];
  subjects: string[];
  messages: number | null;
  bytes: number | null;
  ingestRate: number | null;
  /** The engine's captured messages per second, when a result is given. */
  designedIngestRps: number | null;
  driftCount: number;
  consumers: Record<string, ConsumerOverlay>;
}

export interface JetStreamOverlay {
  /** JetStream was read this poll; without it every live figure is null, not zero. */
  read: boolean;
  streams: Record<string, StreamOverlay>;
  drift: Drift[];
}

function consumerOverlay(
  stream: string,
  name: string,
  service: string | null,
  live: LiveConsumer | undefined,
  designedMaxAckPending: number | null,
  result: SimulationResult | null,
  drift: Drift[],
): ConsumerOverlay {
  const r = result?.async?.streams[stream]?.consumers[name];
  return {
    stream,
    consumer: name,
    service,
    designed: service !== null,
    live: !!live,
    lag: live?.numPending ?? null,
    lagChange: live?.pendingChange ?? null,
    ackPending: live?.numAckPending ?? null,
    maxAckPending: live?.maxAckPending ?? designedMaxAckPending,
    redelivered: live?.numRedelivered ?? null,
    waiting: live?.numWaiting ?? null,
    deliverRate: live?.deliverRate ?? null,
    ackRate: live?.ackRate ?? null,
    leader: live?.leader ?? null,
    designedPending: r?.meanPending ?? null,
    designedDeliverRps: r?.deliverRps ?? null,
    driftCount: drift.filter((d) => 'consumer' in d && d.stream === stream && d.consumer === name).length,
  };
}

function streamOverlay(
  name: string,
  designedReplicas: number | null,
  live: LiveStream | undefined,
  result: SimulationResult | null,
  drift: Drift[],
): StreamOverlay {
  return {
    stream: name,
    designed: designedReplicas !== null,
    live: !!live,
    designedReplicas,
    liveReplicas: live?.replicas ?? null,
    leader: live?.leader ?? null,
    peers: live?.peers ?? [],
    subjects: live?.subjects ?? [],
    messages: live?.messages ?? null,
    bytes: live?.bytes ?? null,
    ingestRate: live?.ingestRate ?? null,
    designedIngestRps: result?.async?.streams[name]?.ingestRps ?? null,
    driftCount: drift.filter((d) => 'stream' in d && d.stream === name && !('consumer' in d)).length,
    consumers: dict<ConsumerOverlay>(),
  };
}

export function jetStreamOverlay(doc: Topology, snapshot: SnapshotLike, result: SimulationResult | null = null): JetStreamOverlay {
  const drift = jetStreamDrift(doc, snapshot);
  const liveByName = new Map<string, LiveStream>();
  for (const s of snapshot.streams ?? []) if (!liveByName.has(s.name)) liveByName.set(s.name, s);
  const streams = dict<StreamOverlay>();
  for (const d of doc.streams ?? []) streams[d.name] = streamOverlay(d.name, d.replicas, liveByName.get(d.name), result, drift);
  for (const s of liveByName.values())
    if (!(s.name in streams) && !isClientOwnedStream(s.name)) streams[s.name] = streamOverlay(s.name, null, s, result, drift);
  for (const c of doc.consumers ?? []) {
    const o = streams[c.stream];
    if (!o) continue;
    const live = liveByName.get(c.stream)?.consumers.find((x) => x.name === c.name);
    o.consumers[c.name] = consumerOverlay(c.stream, c.name, c.service, live, c.maxAckPending, result, drift);
  }
  for (const o of Object.values(streams))
    for (const c of liveByName.get(o.stream)?.consumers ?? [])
      if (!(c.name in o.consumers)) o.consumers[c.name] = consumerOverlay(o.stream, c.name, null, c, null, result, drift);
  return { read: !!snapshot.jetstream?.read, streams, drift };
}
