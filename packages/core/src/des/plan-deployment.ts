/**
 * The plan's first phases (plan.ts): where things are. Zones and which of them failed, the
 * services with their own times and cache hit rates, the live bundle replicas with the queues
 * each carries, and the database shards.
 */
import { at, lookup } from '../checked.ts';
import type { Topology } from '../schema/topology.ts';
import { cheHitRate } from './che.ts';
import type { DatabaseTable, ReplicaTable, ServiceTable, ZoneTable } from './plan-types.ts';
import type { DistTable } from './rng.ts';

export function zonesOf(doc: Topology, failZones: readonly string[]): ZoneTable {
  const failedSet = new Set(failZones);
  const zoneNames = doc.zones.map((z) => z.name);
  return {
    zoneNames,
    zoneRegion: doc.zones.map((z) => z.region),
    failed: zoneNames.map((z) => failedSet.has(z)),
    nZones: zoneNames.length,
  };
}

/** Live replicas of a bundle over the zones that have not failed. */
function liveReplicas(replicas: Record<string, number>, zones: ZoneTable): number {
  let n = 0;
  for (const [z, k] of Object.entries(replicas)) if (!zones.failed[zones.zoneNames.indexOf(z)]) n += k;
  return n;
}

/** Services, their bundle positions and own times; caches by Che's hit rate at the capacity their scope gives. */
export function servicesOf(doc: Topology, zones: ZoneTable, dists: DistTable) {
  const serviceNames = doc.services.map((s) => s.name);
  const serviceIndex = new Map(serviceNames.map((s, i) => [s, i]));
  const nSvc = serviceNames.length;
  const svcBundle = new Int32Array(nSvc).fill(-1);
  const svcPos = new Int32Array(nSvc);
  doc.bundles.forEach((b, bi) => {
    b.services.forEach((s, pos) => {
      const i = serviceIndex.get(s);
      if (i !== undefined) {
        svcBundle[i] = bi;
        svcPos[i] = pos;
      }
    });
  });
  const services: ServiceTable = {
    serviceNames,
    serviceIndex,
    svcBundle,
    svcPos,
    svcWorkers: Int32Array.from(doc.services, (s) => s.workers),
    svcHitRate: new Float64Array(nSvc),
    svcMeanOwn: new Float64Array(nSvc),
    svcHasCache: new Uint8Array(nSvc),
    svcCv: Float64Array.from(doc.services, (s) => s.serviceTimeCv),
  };
  const missDist = new Int32Array(nSvc);
  const hitDist = new Int32Array(nSvc).fill(-1);
  doc.services.forEach((s, i) => {
    missDist[i] = dists.add(s.serviceTimeMs, s.serviceTimeCv);
    if (!s.cache) {
      services.svcMeanOwn[i] = s.serviceTimeMs;
      return;
    }
    // Distributed: entries × live replicas.
    const bundle = doc.bundles[at(svcBundle, i)];
    const replicas = bundle ? liveReplicas(bundle.replicas, zones) : 0;
    const capacity = s.cache.scope === 'perReplica' ? s.cache.entriesPerReplica : s.cache.entriesPerReplica * replicas;
    const h = replicas > 0 ? cheHitRate(s.cache.keySpace, s.cache.zipf, capacity) : 0;
    services.svcHasCache[i] = 1;
    // The document gives no cv for hits: a hit's time varies like the service's own time.
    hitDist[i] = dists.add(s.cache.hitTimeMs, s.serviceTimeCv);
    services.svcMeanOwn[i] = h * s.cache.hitTimeMs + (1 - h) * s.serviceTimeMs;
    services.svcHitRate[i] = h;
  });
  return { services, missDist, hitDist };
}

/** Live bundle replicas, and the queues each carries: one per service of its bundle, numbered in replica order. */
export function replicasOf(doc: Topology, zones: ZoneTable, services: ServiceTable) {
  const replicaBundle: number[] = [];
  const replicaZone: number[] = [];
  const replicaIndex: number[] = [];
  const replicaQueueBase: number[] = [];
  const svcQueues: number[][] = services.serviceNames.map(() => []);
  const bundleReplicas = new Int32Array(doc.bundles.length);
  let queue = 0;
  doc.bundles.forEach((b, bi) => {
    for (let z = 0; z < zones.nZones; z++) {
      const count = zones.failed[z] ? 0 : (b.replicas[at(zones.zoneNames, z)] ?? 0);
      for (let k = 0; k < count; k++) {
        replicaBundle.push(bi);
        replicaZone.push(z);
        replicaIndex.push(k);
        replicaQueueBase.push(queue);
        bundleReplicas[bi] = at(bundleReplicas, bi) + 1;
        for (const name of b.services) at(svcQueues, lookup(services.serviceIndex, name)).push(queue++);
      }
    }
  });
  const replicas: ReplicaTable = {
    replicaBundle: Int32Array.from(replicaBundle),
    replicaZone: Int32Array.from(replicaZone),
    replicaIndex: Int32Array.from(replicaIndex),
    replicaQueueBase: Int32Array.from(replicaQueueBase),
    bundleNames: doc.bundles.map((b) => b.name),
    bundleCpu: Float64Array.from(doc.bundles, (b) => b.cpu),
    bundleReplicas,
    svcQueues,
  };
  return { replicas, nServiceQueues: queue };
}

/**
 * Database shards: each a queue with vcpu servers (after every service queue), drawn in
 * proportion to vcpu; and the connections the callers' replicas open against what the shards allow.
 */
export function databasesOf(doc: Topology, services: ServiceTable, replicas: ReplicaTable, nServiceQueues: number, dists: DistTable) {
  const dbShardStart = new Int32Array(doc.databases.length);
  const dbShardEnd = new Int32Array(doc.databases.length);
  const shardCum: number[] = [];
  const shardNames: string[] = [];
  const shardDb: number[] = [];
  const shardDist: number[] = [];
  const shardVcpu: number[] = [];
  doc.databases.forEach((d, di) => {
    dbShardStart[di] = shardNames.length;
    const total = d.shards.reduce((n, s) => n + s.vcpu, 0);
    const dist = dists.add(d.queryTimeMs, d.queryTimeCv);
    let cum = 0;
    for (const sh of d.shards) {
      cum += sh.vcpu / total;
      shardNames.push(sh.name);
      shardDb.push(di);
      shardCum.push(cum);
      shardDist.push(dist);
      shardVcpu.push(sh.vcpu);
    }
    shardCum[shardCum.length - 1] = 1;
    dbShardEnd[di] = shardNames.length;
  });
  const dbConnections = doc.databases.map((d) => {
    const callers = new Set<number>();
    doc.services.forEach((s, i) => {
      if (s.calls.some((c) => c.to === `db:${d.name}`)) callers.add(at(services.svcBundle, i));
    });
    let needed = 0;
    for (const b of callers) needed += at(replicas.bundleReplicas, b) * d.poolPerReplica;
    return { needed, available: d.shards.reduce((n, s) => n + s.maxConnections, 0) };
  });
  const databases: DatabaseTable = {
    dbNames: doc.databases.map((d) => d.name),
    dbShardStart,
    dbShardEnd,
    shardCum: Float64Array.from(shardCum),
    shardQueue: Int32Array.from(shardNames, (_, g) => nServiceQueues + g),
    shardNames,
    shardDb: Int32Array.from(shardDb),
    dbConnections,
  };
  return { databases, shardDist, shardVcpu };
}
