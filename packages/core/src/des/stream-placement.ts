/**
 * Where a JetStream stream's replicas sit, and the fixed publish-ack model of the DES
 * (issue 18), the same reading as the analytic engine's (engine/async-model.ts, async-streams.ts),
 * written here on its own. Documented in the DES README, "Async messaging".
 *
 * - **Placement**: the stream's cluster (`cluster`, else the first of `nats[]`) lists its servers
 *   zone by zone for each server index (`c-a-0, c-b-0, c-c-0, c-a-1, …`, over the zones of its
 *   region in document order); stream k (document order) takes R consecutive servers from
 *   position k. The leader is the first replica in a zone the what-if has not failed; the stream
 *   is up while a quorum (⌊R/2⌋ + 1) of its replicas is live, else nothing is stored.
 * - **Stored / acked** from a publisher in zone z: one call's cost to the leader (`natsHopMs`, plus
 *   `crossZoneMs` or `crossRegionMs` when the zones differ), plus the leader's cost to the live
 *   follower that completes the quorum (R3: the nearer of two). R1: the first part alone. A
 *   consumer may read a message from then on; a handler with `publishes[].ack` waits that long
 *   per ack'ed publish.
 */
import { natsServerName } from '../engine/server-names.ts';
import type { Topology } from '../schema/topology.ts';

export interface StreamPlacement {
  name: string;
  cluster: string;
  /** The live replicas, leader first (what the result lists). */
  replicas: { server: string; zone: string; role: 'leader' | 'follower' }[];
  /** A quorum of its replicas is live. */
  up: boolean;
  /** Replicas placed by the design (R, or fewer when the cluster has fewer servers). */
  placed: number;
  /** The leader's zone (index into doc.zones), −1 when the stream is down or has no cluster. */
  leaderZone: number;
  /** Per doc zone: publish → stored on a quorum (= the publish ack), ms. */
  storeMs: number[];
}

/** One call's network cost between zones a and b (indices into doc.zones), as MODEL.md §1 `network`. */
export function netCost(doc: Topology, a: number, b: number): number {
  const net = doc.network;
  if (a === b) return net.natsHopMs;
  return net.natsHopMs + (doc.zones[a]?.region === doc.zones[b]?.region ? net.crossZoneMs : net.crossRegionMs);
}

export function placeStream(doc: Topology, k: number, failed: readonly string[] = []): StreamPlacement {
  const stream = doc.streams?.[k];
  const cluster = stream?.cluster !== undefined ? doc.nats.find((c) => c.name === stream.cluster) : doc.nats[0];
  const down = {
    name: stream?.name ?? '',
    cluster: cluster?.name ?? '',
    replicas: [],
    up: false,
    placed: 0,
    leaderZone: -1,
    storeMs: doc.zones.map(() => 0),
  };
  if (!stream || !cluster) return down;
  const zoneIndex = new Map(doc.zones.map((z, i) => [z.name, i]));
  const zones = doc.zones.filter((z) => z.region === cluster.region);
  const ring: { server: string; zone: number }[] = [];
  for (let i = 0; i < cluster.serversPerZone; i++)
    for (const z of zones) ring.push({ server: natsServerName(cluster.name, z.name, i), zone: zoneIndex.get(z.name) as number });
  const placed = Array.from(
    { length: Math.min(stream.replicas, ring.length) },
    (_, j) => ring[(k + j) % ring.length] as { server: string; zone: number },
  );
  const live = placed.filter((r) => !failed.includes(doc.zones[r.zone]?.name ?? ''));
  const leader = live[0];
  if (!leader || live.length < Math.floor(stream.replicas / 2) + 1) return { ...down, placed: placed.length };
  const need = Math.floor(stream.replicas / 2);
  const followers = live
    .slice(1)
    .map((f) => netCost(doc, leader.zone, f.zone))
    .sort((a, b) => a - b);
  const replication = need > 0 ? (followers[need - 1] ?? 0) : 0;
  return {
    name: stream.name,
    cluster: cluster.name,
    replicas: live.map((r, j) => ({ server: r.server, zone: doc.zones[r.zone]?.name ?? '', role: j === 0 ? 'leader' : 'follower' })),
    up: true,
    placed: placed.length,
    leaderZone: leader.zone,
    storeMs: doc.zones.map((_, z) => netCost(doc, z, leader.zone) + replication),
  };
}
