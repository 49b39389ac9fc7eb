/**
 * Where a JetStream stream's replicas sit, and the fixed publish-ack model of the DES
 * (issue 18). Documented in the DES README, "Async messaging".
 *
 * - **Placement**: the stream's cluster (`cluster`, else the first of `nats[]`) has
 *   `serversPerZone` servers in each zone of its region, in document order. Replica i sits in
 *   the region's zone i mod Z, on server ⌊i / Z⌋ of that zone (`<cluster>-<zone>-<n>`, the
 *   engine's and the export's server names); the leader is the first replica in a zone the
 *   what-if has not failed. No cluster: one implicit server beside every publisher (no crossing).
 * - **Replication** to a quorum (⌊R/2⌋ + 1 including the leader): the leader waits for its
 *   ⌊R/2⌋-th nearest follower, one hop `natsHopMs`, plus `crossZoneMs` when that follower sits in
 *   another zone (`crossRegionMs` in another region). R1: none.
 * - **publishAckMs** = `natsHopMs` (publisher → leader) + replication: what a handler with
 *   `publishes[].ack` waits per ack'ed publish, the same from every zone.
 * - **Stored** (a consumer may read it) `storeMs(z)` after a publish from zone z: the call delay
 *   from z to the leader's zone (`natsHopMs` + any crossing) + replication.
 */
import { natsServerName } from '../engine/server-names.ts';
import type { StreamT, Topology } from '../schema/topology.ts';

export interface StreamPlacement {
  name: string;
  cluster: string;
  replicas: { server: string; zone: string; role: 'leader' | 'follower' }[];
  /** The leader's zone (index into doc.zones), −1 without a cluster. */
  leaderZone: number;
  replicationMs: number;
  publishAckMs: number;
}

export function placeStream(doc: Topology, stream: StreamT, failed: readonly string[] = []): StreamPlacement {
  const net = doc.network;
  const cluster = stream.cluster !== undefined ? doc.nats.find((c) => c.name === stream.cluster) : doc.nats[0];
  if (!cluster) return { name: stream.name, cluster: '', replicas: [], leaderZone: -1, replicationMs: 0, publishAckMs: net.natsHopMs };
  const zones = doc.zones.filter((z) => z.region === cluster.region).map((z) => z.name);
  const slots = Math.max(1, zones.length * cluster.serversPerZone);
  const placed = Array.from({ length: Math.min(stream.replicas, slots) }, (_, i) => {
    const zone = zones[i % zones.length] ?? '';
    return { server: natsServerName(cluster.name, zone, Math.floor(i / Math.max(1, zones.length))), zone };
  });
  const leaderAt = Math.max(
    0,
    placed.findIndex((r) => !failed.includes(r.zone)),
  );
  const leader = placed[leaderAt];
  const region = (zone: string) => doc.zones.find((z) => z.name === zone)?.region;
  const cost = (zone: string) =>
    net.natsHopMs + (zone === leader?.zone ? 0 : region(zone) === region(leader?.zone ?? '') ? net.crossZoneMs : net.crossRegionMs);
  const followers = placed
    .filter((_, i) => i !== leaderAt)
    .map((r) => cost(r.zone))
    .sort((a, b) => a - b);
  const quorum = Math.floor(stream.replicas / 2);
  const replicationMs = quorum > 0 ? (followers[quorum - 1] ?? 0) : 0;
  return {
    name: stream.name,
    cluster: cluster.name,
    replicas: placed.map((r, i) => ({ ...r, role: i === leaderAt ? 'leader' : 'follower' })),
    leaderZone: doc.zones.findIndex((z) => z.name === leader?.zone),
    replicationMs,
    publishAckMs: net.natsHopMs + replicationMs,
  };
}
