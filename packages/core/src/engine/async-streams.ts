/**
 * JetStream streams (schema v3, issue 18; engine/README.md "Streams"): the publish ack, storage
 * growth and its limits, the replicas on the NATS servers and the replication between zones.
 */

import type { AsyncFlows } from './async-flows.ts';
import { type AsyncModel, recordBytes, type StreamModel } from './async-model.ts';
import type { ConsumerResult, StreamReplicaLoad, StreamResult } from './async-types.ts';
import type { Model } from './model.ts';

const DAY = 86_400;

/** What one call through the broker adds between a replica in zone `from` and one in `to` (MODEL.md §1 `network`). */
export function netCost(model: Model, from: number, to: number): number {
  const net = model.doc.network;
  if (from === to) return net.natsHopMs;
  return net.natsHopMs + (model.zoneRegion[from] === model.zoneRegion[to] ? net.crossZoneMs : net.crossRegionMs);
}

/**
 * Publish → stored on a quorum → ack, for a publisher in zone z: the round trip to the leader,
 * plus the leader's round trip to the follower that completes the quorum (R3: the nearer of
 * two; R5: the second nearest of four). R1: the round trip alone. null when the stream has no
 * quorum left.
 */
export function publishAckMs(model: Model, flows: AsyncFlows, stream: number, z: number): number | null {
  const live = flows.live[stream];
  const leader = live?.[0];
  const st = model.async?.streams[stream];
  if (!flows.up[stream] || !leader || !st) return null;
  const need = Math.floor(st.replicas / 2);
  const followers = live
    .slice(1)
    .map((f) => netCost(model, leader.zone, f.zone))
    .sort((a, b) => a - b);
  return netCost(model, z, leader.zone) + (need > 0 ? (followers[need - 1] ?? 0) : 0);
}

/** Per replica class, the ms its requests wait for publish acks: perRequest × the ack, for each acked publish into a live stream. */
export function publishAckDelays(model: Model, am: AsyncModel, flows: AsyncFlows): Float64Array {
  const Z = model.zones.length;
  const out = new Float64Array(model.services.length * Z);
  for (const p of am.publishes) {
    if (!p.ack || p.stream < 0) continue;
    for (let z = 0; z < Z; z++) {
      const ack = publishAckMs(model, flows, p.stream, z);
      if (ack !== null) out[p.service * Z + z] = (out[p.service * Z + z] as number) + p.perRequest * ack;
    }
  }
  return out;
}

/** Captured bytes per second: payloads (on the wire) and records (on one replica's storage). */
function byteRates(am: AsyncModel, flows: AsyncFlows, st: StreamModel): { payload: number; stored: number } {
  const Z = flows.ingestFrom[0]?.length ?? 0;
  let payload = 0;
  let stored = 0;
  if (!flows.up[st.index]) return { payload, stored };
  am.subjects.forEach((sm, k) => {
    if (sm.stream !== st.index) return;
    let r = 0;
    for (let z = 0; z < Z; z++) r += flows.pub[k * Z + z] as number;
    // Several publishers of one subject may send different payloads: each its own share.
    let perRequest = 0;
    for (const p of sm.publishes) perRequest += p.perRequest;
    for (const p of sm.publishes) {
      const share = perRequest > 0 ? p.perRequest / perRequest : 0;
      payload += r * share * p.payloadBytes;
      stored += r * share * recordBytes(st.storage, sm.subject, p.payloadBytes);
    }
  });
  return { payload, stored };
}

/**
 * Storage under retention and limits. `limits`: the smallest of maxAge × the write rate,
 * maxBytes and maxMsgs × the record size; `workqueue` and `interest`: what the consumers have
 * not yet acknowledged (their pending and ack pending; interest keeps a message until the
 * slowest consumer acks, so the largest backlog counts). Time to a limit: from empty, at the
 * write rate (a workqueue or interest stream: at the rate its backlog grows).
 */
export function streamRetention(
  st: Pick<StreamModel, 'retention' | 'maxAgeSeconds' | 'maxBytes' | 'maxMsgs'>,
  rate: number,
  stored: number,
  consumers: ConsumerResult[],
): Pick<StreamResult, 'steadyBytes' | 'timeToLimitSeconds' | 'limit'> {
  const record = rate > 0 ? stored / rate : 0;
  const bounds: { limit: 'maxBytes' | 'maxMsgs' | 'maxAge'; bytes: number }[] = [];
  if (st.maxAgeSeconds !== null) bounds.push({ limit: 'maxAge', bytes: st.maxAgeSeconds * stored });
  if (st.maxBytes !== null) bounds.push({ limit: 'maxBytes', bytes: st.maxBytes });
  if (st.maxMsgs !== null) bounds.push({ limit: 'maxMsgs', bytes: st.maxMsgs * record });
  bounds.sort((a, b) => a.bytes - b.bytes);
  const first = bounds[0] ?? null;
  let growth = stored; // bytes per second while no limit holds
  let steady: number | null = null;
  if (st.retention !== 'limits') {
    // Held until acknowledged: the backlog; unbounded when a consumer cannot keep up (or a workqueue has none).
    const lagging = consumers.filter((c) => !c.stable);
    if (consumers.length === 0 && st.retention === 'interest') return { steadyBytes: 0, timeToLimitSeconds: null, limit: null };
    if (lagging.length === 0 && consumers.length > 0) {
      const held = Math.max(...consumers.map((c) => (c.meanPending ?? 0) + (c.meanAckPending ?? 0)));
      return { steadyBytes: Math.min(held * record, first?.bytes ?? Number.POSITIVE_INFINITY), timeToLimitSeconds: null, limit: null };
    }
    growth = consumers.length === 0 ? stored : Math.max(...lagging.map((c) => c.deliverRps - c.redeliverRps - capacityOf(c))) * record;
  } else if (first) steady = first.bytes;
  if (!first || !(growth > 0)) return { steadyBytes: steady, timeToLimitSeconds: null, limit: first?.limit ?? null };
  // maxAge bounds storage without ever being "hit": old messages age out before maxBytes/maxMsgs is reached.
  const hard = bounds.find((b) => b.limit !== 'maxAge');
  const time = hard && (st.maxAgeSeconds === null || hard.bytes / growth < st.maxAgeSeconds) ? hard.bytes / growth : null;
  return { steadyBytes: steady ?? first.bytes, timeToLimitSeconds: time, limit: first.limit };
}

/** Messages per second a consumer completes at most (its handlers all busy, less the failed share). */
function capacityOf(c: ConsumerResult): number {
  if (!(c.utilization > 0)) return 0;
  return (c.deliverRps / c.utilization) * (c.deliverRps > 0 ? (c.deliverRps - c.redeliverRps) / c.deliverRps : 1);
}

export function streamResult(
  model: Model,
  am: AsyncModel,
  flows: AsyncFlows,
  st: StreamModel,
  consumers: Record<string, ConsumerResult>,
  consumerZones: Map<string, Float64Array>,
): StreamResult {
  const Z = model.zones.length;
  const rate = flows.ingest[st.index] as number;
  const { payload, stored } = byteRates(am, flows, st);
  const live = flows.live[st.index] ?? [];
  const up = flows.up[st.index] as boolean;
  const replicas: StreamReplicaLoad[] = up
    ? live.map((srv, j) => ({
        server: srv.name,
        zone: model.zones[srv.zone] as string,
        role: j === 0 ? 'leader' : 'follower',
        msgsPerSec: rate,
        bytesPerSec: stored,
      }))
    : [];
  const leader = up ? live[0] : undefined;
  let crossZone = 0;
  let ack = 0;
  if (leader) {
    for (const f of live.slice(1)) if (f.zone !== leader.zone) crossZone += payload;
    const from = flows.ingestFrom[st.index] as Float64Array;
    for (let z = 0; z < Z; z++) {
      const share = rate > 0 ? (from[z] as number) / rate : 0;
      if (z !== leader.zone) crossZone += payload * share;
      ack += share * (publishAckMs(model, flows, st.index, z) ?? 0);
    }
    if (!(rate > 0)) ack = publishAckMs(model, flows, st.index, leader.zone) ?? 0;
    // Deliveries to consumer replicas in other zones (redeliveries included).
    const bytesPerMsg = rate > 0 ? payload / rate : 0;
    for (const [name, c] of Object.entries(consumers)) {
      const zones = consumerZones.get(name);
      if (zones) for (let z = 0; z < Z; z++) if (z !== leader.zone) crossZone += c.deliverRps * (zones[z] as number) * bytesPerMsg;
    }
  }
  return {
    name: st.name,
    cluster: st.cluster,
    ingestRps: rate,
    bytesPerSec: payload,
    storageBytesPerDay: stored * DAY,
    storageBytesPerDayAllReplicas: stored * DAY * replicas.length,
    ...streamRetention(st, rate, stored, Object.values(consumers)),
    replicas,
    crossZoneBytesPerSec: crossZone,
    publishAckMs: ack,
    consumers,
    available: up,
  };
}
