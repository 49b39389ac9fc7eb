/**
 * Broker load (MODEL.md §2 "Brokers"): a call through the bus is a request and a response
 * message; each passes the caller's server and the callee's server (once when both are the
 * same server), and across a gateway also one server of the other cluster.
 *
 * Choices MODEL.md leaves open (see README): a replica connects to a server of its own zone
 * in the cluster of its region, replicas spread evenly over the zone's servers, so expected
 * counts are used; a gateway hop lands on a server of the remote cluster chosen uniformly;
 * ingress, short-circuit, database and external calls never touch the bus.
 */

import type { Model } from './model.ts';
import type { Placement } from './placement.ts';
import { natsServerName } from './server-names.ts';
import type { BrokerResult } from './types.ts';

export function brokerLoad(model: Model, pl: Placement): BrokerResult[] {
  const Z = model.zones.length;
  const failed = pl.scenario.failed;
  const servers = new Float64Array(Z); // live servers per zone
  const clusterServers = new Float64Array(model.regions.length);
  for (let z = 0; z < Z; z++) {
    const c = model.regionNats[model.zoneRegion[z] as number];
    if (!c || failed[z]) continue;
    servers[z] = c.serversPerZone;
    const r = model.zoneRegion[z] as number;
    clusterServers[r] = (clusterServers[r] as number) + c.serversPerZone;
  }
  const msgs = new Float64Array(Z); // expected messages/s summed over a zone's servers
  const spreadGateway = (region: number, rate: number, dedupeZone: number) => {
    const total = clusterServers[region] as number;
    if (!(total > 0)) return;
    for (let z = 0; z < Z; z++) if (model.zoneRegion[z] === region) msgs[z] = (msgs[z] as number) + (rate * (servers[z] as number)) / total;
    msgs[dedupeZone] = (msgs[dedupeZone] as number) - rate / total;
  };
  for (let a = 0; a < Z; a++) {
    for (let b = 0; b < Z; b++) {
      const r = pl.bus[a * Z + b] as number;
      if (r === 0) continue;
      const ra = model.zoneRegion[a] as number;
      const rb = model.zoneRegion[b] as number;
      // Two messages per call, each at the caller's and the callee's server.
      if (servers[a]) msgs[a] = (msgs[a] as number) + 2 * r;
      if (servers[b]) msgs[b] = (msgs[b] as number) + 2 * r;
      if (a === b && servers[a]) msgs[a] = (msgs[a] as number) - (2 * r) / (servers[a] as number);
      if (ra !== rb && servers[a] && servers[b]) {
        spreadGateway(rb, r, b); // the request enters the callee's cluster at a gateway server
        spreadGateway(ra, r, a); // the response enters the caller's cluster the same way
      }
    }
  }
  const out: BrokerResult[] = [];
  for (let z = 0; z < Z; z++) {
    const c = model.regionNats[model.zoneRegion[z] as number];
    if (!c || failed[z]) continue;
    const each = Math.max(0, (msgs[z] as number) / c.serversPerZone);
    for (let i = 0; i < c.serversPerZone; i++) {
      out.push({
        cluster: c.name,
        zone: model.zones[z] as string,
        server: natsServerName(c.name, model.zones[z] as string, i),
        msgsPerSec: each,
        utilization: each / c.maxMsgsPerSecPerServer,
      });
    }
  }
  return out;
}
