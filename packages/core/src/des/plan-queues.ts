/**
 * The plan's queues (plan.ts): every service queue of every live replica and one per database
 * shard, and where a queue group sends a message from each zone.
 */
import { at, lookup } from '../checked.ts';
import type { Topology } from '../schema/topology.ts';
import type { QueueTable, ReplicaTable, RouteTable, ServiceTable, ZoneTable } from './plan-types.ts';
import { lineLimit } from './routing.ts';

export interface OwnTimes {
  nServiceQueues: number;
  missDist: Int32Array;
  hitDist: Int32Array;
  shardDist: number[];
  shardVcpu: number[];
}

/** Every queue: the service queues of each live replica, then one per shard. */
export function queuesOf(doc: Topology, services: ServiceTable, replicas: ReplicaTable, own: OwnTimes): QueueTable {
  const nServiceQueues = own.nServiceQueues;
  const nQueues = nServiceQueues + own.shardDist.length;
  const queues: QueueTable = {
    nQueues,
    nServiceQueues,
    qServers: new Int32Array(nQueues),
    qLimit: new Int32Array(nQueues).fill(-1),
    qService: new Int32Array(nQueues),
    qShard: new Int32Array(nQueues),
    qZone: new Int32Array(nQueues),
    qReplica: new Int32Array(nQueues),
    qDist: new Int32Array(nQueues),
    qHitDist: new Int32Array(nQueues),
    qHitProb: new Float64Array(nQueues),
  };
  replicas.replicaBundle.forEach((bi, r) => {
    const base = at(replicas.replicaQueueBase, r);
    at(doc.bundles, bi).services.forEach((name, pos) => {
      const s = lookup(services.serviceIndex, name);
      const q = base + pos;
      queues.qServers[q] = at(services.svcWorkers, s);
      queues.qLimit[q] = lineLimit(at(doc.services, s));
      queues.qService[q] = s;
      queues.qShard[q] = -1;
      queues.qZone[q] = at(replicas.replicaZone, r);
      queues.qReplica[q] = r;
      queues.qDist[q] = at(own.missDist, s);
      queues.qHitDist[q] = at(own.hitDist, s);
      queues.qHitProb[q] = at(services.svcHitRate, s);
    });
  });
  own.shardDist.forEach((dist, g) => {
    const q = nServiceQueues + g;
    queues.qServers[q] = at(own.shardVcpu, g);
    queues.qService[q] = -1;
    queues.qShard[q] = g;
    queues.qZone[q] = -1;
    queues.qReplica[q] = -1;
    queues.qDist[q] = dist;
    queues.qHitDist[q] = -1;
  });
  return queues;
}

/** Where a queue group sends a message from each zone (MODEL.md §2): here, else the region, else anywhere. */
export function routesOf(doc: Topology, zones: ZoneTable, svcQueues: number[][], qZone: Int32Array): RouteTable {
  const { nZones, zoneRegion } = zones;
  const routeStart = new Int32Array(svcQueues.length * nZones);
  const routeCount = new Int32Array(svcQueues.length * nZones);
  const routeQueues: number[] = [];
  svcQueues.forEach((all, s) => {
    for (let z = 0; z < nZones; z++) {
      let pick = all;
      if (doc.routing === 'locality') {
        const here = all.filter((q) => qZone[q] === z);
        const region = all.filter((q) => zoneRegion[at(qZone, q)] === zoneRegion[z]);
        pick = here.length ? here : region.length ? region : all;
      }
      routeStart[s * nZones + z] = routeQueues.length;
      routeCount[s * nZones + z] = pick.length;
      routeQueues.push(...pick);
    }
  });
  return { routeStart, routeCount, routeQueues: Int32Array.from(routeQueues) };
}
