/**
 * Async messages on the NATS servers (schema v3; engine/README.md "Async messaging: what the
 * brokers count"). A client's messages are counted at a server of its zone (spread evenly over
 * the zone's servers, as brokers.ts does), a stream's at the servers holding its replicas:
 *
 * - an event: 1 at the publisher's server, and 1 at the server of each replica it is delivered
 *   to (core NATS), however many copies;
 * - a captured message: 1 at the leader's server; with `ack`, the ack: 1 more there and 1 at the
 *   publisher's server; replication: each follower's append and its ack, 2 at the leader's server
 *   and 2 at the follower's;
 * - a consumer delivery (redeliveries included): the message, its ack and 1/batch of a pull
 *   request, at the leader's server and at the pulling replica's.
 *
 * Gateways between clusters are not counted for async messages.
 */

import type { ConsumerQueue } from './async-consumers.ts';
import type { AsyncFlows } from './async-flows.ts';
import type { AsyncModel } from './async-model.ts';
import type { Model } from './model.ts';
import type { Placement } from './placement.ts';
import type { BrokerResult } from './types.ts';

export function addAsyncBrokerLoad(
  model: Model,
  am: AsyncModel,
  flows: AsyncFlows,
  pl: Placement,
  consumers: ConsumerQueue[],
  brokers: BrokerResult[],
): void {
  const Z = model.zones.length;
  const zone = new Float64Array(Z);
  const server = new Map<string, number>();
  const at = (name: string | undefined, r: number) => {
    if (name !== undefined) server.set(name, (server.get(name) ?? 0) + r);
  };
  for (const p of am.publishes) {
    const leader = p.stream >= 0 && flows.up[p.stream] ? flows.live[p.stream]?.[0]?.name : undefined;
    for (let z = 0; z < Z; z++) {
      const r = (pl.lam[p.service * Z + z] as number) * (pl.admit[p.service * Z + z] as number) * p.perRequest;
      if (!(r > 0)) continue;
      zone[z] = (zone[z] as number) + r * (leader && p.ack ? 2 : 1);
      at(leader, r * (p.ack ? 2 : 1));
    }
  }
  for (const f of flows.flow)
    for (let z1 = 0; z1 < Z; z1++) for (let z2 = 0; z2 < Z; z2++) zone[z2] = (zone[z2] as number) + (f[z1 * Z + z2] as number);
  am.streams.forEach((_, k) => {
    const live = flows.live[k] ?? [];
    if (!flows.up[k]) return;
    const r = flows.ingest[k] as number;
    for (const f of live.slice(1)) {
      at(live[0]?.name, 2 * r);
      at(f.name, 2 * r);
    }
  });
  consumers.forEach((cq, ci) => {
    const c = am.consumers[ci];
    if (!c || !flows.up[c.stream]) return;
    const r = cq.result.deliverRps * (2 + 1 / c.batch);
    at(flows.live[c.stream]?.[0]?.name, r);
    for (let z = 0; z < Z; z++) zone[z] = (zone[z] as number) + r * (cq.zones[z] as number);
  });
  const max = new Map(model.doc.nats.map((n) => [n.name, n.maxMsgsPerSecPerServer]));
  for (const b of brokers) {
    const z = model.zoneIndex.get(b.zone);
    const servers = z === undefined ? 0 : (model.regionNats[model.zoneRegion[z] as number]?.serversPerZone ?? 0);
    const ownCluster = z !== undefined && model.regionNats[model.zoneRegion[z] as number]?.name === b.cluster;
    const add = (ownCluster && servers > 0 && z !== undefined ? (zone[z] as number) / servers : 0) + (server.get(b.server) ?? 0);
    if (add === 0) continue;
    b.msgsPerSec += add;
    b.utilization = b.msgsPerSec / (max.get(b.cluster) ?? Number.POSITIVE_INFINITY);
  }
}
