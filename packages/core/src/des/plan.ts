/**
 * Compiles a topology document into the flat tables the event loop reads (MODEL.md §2):
 * one queue per service per live bundle replica and one per database shard, the routing
 * candidates of every (service, caller zone) under locality or random dispatch, each
 * service's steps (single calls and parallel groups, in document order), the ingress
 * streams per zone, and the zone-to-zone network cost of a call.
 *
 * It also carries the forced-flow load of every queue, computed along the same routes the
 * simulation takes, so a replica that would saturate is known before the run (a saturated
 * queue has no steady state: it is reported as saturated, not simulated into a number).
 * This is the DES's own reading of the model; it shares no code with the analytic engine.
 *
 * One phase per sub-table (plan-types.ts), in this order: distribution ids are handed out as
 * the phases meet them (services' own and hit times, then databases, then externals).
 */
import { at, lookup } from '../checked.ts';
import { dict } from '../dict.ts';
import type { Topology } from '../schema/topology.ts';
import { cheHitRate } from './che.ts';
import { callerFirst, entryStatus, forcedFlow } from './plan-flow.ts';
import {
  CALL_DB,
  CALL_EXT,
  CALL_SERVICE,
  CROSS_REGION,
  CROSS_ZONE,
  type DatabaseTable,
  type DesPlan,
  type EntryStatusTable,
  type IngressTable,
  type LoadTable,
  type NetworkTable,
  type PlanOptions,
  type QueueTable,
  type ReplicaTable,
  type RoutedPlan,
  type RouteTable,
  SAME_ZONE,
  type ServiceTable,
  type StepTable,
  type ZoneTable,
} from './plan-types.ts';
import { DistTable } from './rng.ts';

export { CALL_DB, CALL_EXT, CALL_SERVICE, type DesPlan, type EntryStatus, type PlanOptions } from './plan-types.ts';

export function buildPlan(doc: Topology, options: PlanOptions = {}): DesPlan {
  const scale = options.scale ?? 1;
  const dists = new DistTable();
  const zones = zonesOf(doc, options.failZones ?? []);
  const { services, missDist, hitDist } = servicesOf(doc, zones, dists);
  const { replicas, nServiceQueues } = replicasOf(doc, zones, services);
  const { databases, shardDist, shardVcpu } = databasesOf(doc, services, replicas, nServiceQueues, dists);
  const queues = queuesOf(doc, services, replicas, { nServiceQueues, missDist, hitDist, shardDist, shardVcpu });
  const routes = routesOf(doc, zones, replicas.svcQueues, queues.qZone);
  const steps = stepsOf(doc, services, replicas.svcQueues, dists);
  const network = networkOf(doc, zones);
  const { ingress, srcRate } = ingressOf(doc, zones, services, scale);
  const routed: RoutedPlan = {
    scale,
    ...zones,
    ...services,
    ...replicas,
    ...databases,
    ...queues,
    ...routes,
    ...steps,
    ...network,
    ...ingress,
    dists,
  };
  const load = forcedFlow(routed, callerFirst(doc, services.serviceIndex), srcRate);
  const loaded = { ...routed, ...load };
  const statuses = ingress.entryNames.map((_, e) => entryStatus(loaded, e));
  return flat(loaded, { entryStatus: statuses.map((s) => s.status), entryReason: statuses.map((s) => s.reason) });
}

/**
 * The plan as one object literal, field by field. V8 keeps a literal's fields inside the object;
 * a spread of the sub-tables keeps four there and puts the rest behind a second pointer, and the
 * event loop reads these fields millions of times a second (measured: 4 % fewer events per
 * second with the spread).
 */
function flat(t: RoutedPlan & LoadTable, status: EntryStatusTable): DesPlan {
  return {
    scale: t.scale,
    dists: t.dists,
    // ZoneTable
    zoneNames: t.zoneNames,
    zoneRegion: t.zoneRegion,
    failed: t.failed,
    nZones: t.nZones,
    // ServiceTable
    serviceNames: t.serviceNames,
    serviceIndex: t.serviceIndex,
    svcBundle: t.svcBundle,
    svcPos: t.svcPos,
    svcWorkers: t.svcWorkers,
    svcHitRate: t.svcHitRate,
    svcMeanOwn: t.svcMeanOwn,
    svcHasCache: t.svcHasCache,
    svcCv: t.svcCv,
    // ReplicaTable
    replicaBundle: t.replicaBundle,
    replicaZone: t.replicaZone,
    replicaIndex: t.replicaIndex,
    replicaQueueBase: t.replicaQueueBase,
    bundleNames: t.bundleNames,
    bundleCpu: t.bundleCpu,
    bundleReplicas: t.bundleReplicas,
    svcQueues: t.svcQueues,
    // DatabaseTable
    dbNames: t.dbNames,
    dbShardStart: t.dbShardStart,
    dbShardEnd: t.dbShardEnd,
    shardCum: t.shardCum,
    shardQueue: t.shardQueue,
    shardNames: t.shardNames,
    shardDb: t.shardDb,
    dbConnections: t.dbConnections,
    // QueueTable
    nQueues: t.nQueues,
    nServiceQueues: t.nServiceQueues,
    qServers: t.qServers,
    qLimit: t.qLimit,
    qService: t.qService,
    qShard: t.qShard,
    qZone: t.qZone,
    qReplica: t.qReplica,
    qDist: t.qDist,
    qHitDist: t.qHitDist,
    qHitProb: t.qHitProb,
    // RouteTable
    routeStart: t.routeStart,
    routeCount: t.routeCount,
    routeQueues: t.routeQueues,
    // StepTable
    svcStepStart: t.svcStepStart,
    svcStepEnd: t.svcStepEnd,
    stepGroup: t.stepGroup,
    stepCallStart: t.stepCallStart,
    stepCallEnd: t.stepCallEnd,
    callKind: t.callKind,
    callTarget: t.callTarget,
    callWhole: t.callWhole,
    callFrac: t.callFrac,
    callSameBundle: t.callSameBundle,
    callDead: t.callDead,
    // NetworkTable
    zoneDelay: t.zoneDelay,
    zoneCross: t.zoneCross,
    shortCircuitMs: t.shortCircuitMs,
    dbCallMs: t.dbCallMs,
    // IngressTable
    srcEntry: t.srcEntry,
    srcZone: t.srcZone,
    srcCum: t.srcCum,
    ingressRate: t.ingressRate,
    entryNames: t.entryNames,
    entryService: t.entryService,
    entryRps: t.entryRps,
    entryZoneRps: t.entryZoneRps,
    // LoadTable
    qOffered: t.qOffered,
    qRho: t.qRho,
    svcDemand: t.svcDemand,
    // EntryStatusTable
    entryStatus: status.entryStatus,
    entryReason: status.entryReason,
  };
}

function zonesOf(doc: Topology, failZones: readonly string[]): ZoneTable {
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
function servicesOf(doc: Topology, zones: ZoneTable, dists: DistTable) {
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
function replicasOf(doc: Topology, zones: ZoneTable, services: ServiceTable) {
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
function databasesOf(doc: Topology, services: ServiceTable, replicas: ReplicaTable, nServiceQueues: number, dists: DistTable) {
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

/** Distribution ids of the own times, as the earlier phases handed them out. */
interface OwnTimes {
  nServiceQueues: number;
  missDist: Int32Array;
  hitDist: Int32Array;
  shardDist: number[];
  shardVcpu: number[];
}

/** Every queue: the service queues of each live replica, then one per shard. */
function queuesOf(doc: Topology, services: ServiceTable, replicas: ReplicaTable, own: OwnTimes): QueueTable {
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
      queues.qLimit[q] = at(doc.services, s).queueLimit ?? -1;
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
function routesOf(doc: Topology, zones: ZoneTable, svcQueues: number[][], qZone: Int32Array): RouteTable {
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

type Call = { to: string; perRequest: number };

type Step = { group: boolean; calls: Call[] };

/** A service's steps in document order: a call outside any group is a step of its own; a group stands where its first member stands. */
function stepsOfService(calls: readonly (Call & { parallelGroup?: string | undefined })[]): Step[] {
  const groups = new Map<string, Call[]>();
  const order: Step[] = [];
  for (const c of calls) {
    const call = { to: c.to, perRequest: c.perRequest };
    if (c.parallelGroup === undefined) order.push({ group: false, calls: [call] });
    else {
      let g = groups.get(c.parallelGroup);
      if (!g) {
        g = [];
        groups.set(c.parallelGroup, g);
        order.push({ group: true, calls: g });
      }
      g.push(call);
    }
  }
  return order;
}

/** Each service's steps and each step's calls, with what a call reaches and how often. */
function stepsOf(doc: Topology, services: ServiceTable, svcQueues: number[][], dists: DistTable): StepTable {
  const { serviceIndex, svcBundle } = services;
  const dbIndex = new Map(doc.databases.map((d, i) => [d.name, i]));
  const extDist = new Map<string, number>();
  for (const e of doc.externals) extDist.set(e.name, dists.add(e.latencyMs, e.latencyCv));
  const svcStepStart = new Int32Array(doc.services.length);
  const svcStepEnd = new Int32Array(doc.services.length);
  const stepGroup: number[] = [];
  const stepCallStart: number[] = [];
  const stepCallEnd: number[] = [];
  const call: Record<'kind' | 'target' | 'whole' | 'frac' | 'same' | 'dead', number[]> = {
    kind: [],
    target: [],
    whole: [],
    frac: [],
    same: [],
    dead: [],
  };
  const pushCall = (caller: number, { to, perRequest }: Call) => {
    call.whole.push(Math.floor(perRequest));
    call.frac.push(perRequest - Math.floor(perRequest));
    if (to.startsWith('db:')) {
      call.kind.push(CALL_DB);
      call.target.push(lookup(dbIndex, to.slice(3)));
    } else if (to.startsWith('ext:')) {
      call.kind.push(CALL_EXT);
      call.target.push(lookup(extDist, to.slice(4)));
    } else {
      const t = lookup(serviceIndex, to);
      call.kind.push(CALL_SERVICE);
      call.target.push(t);
      call.same.push(svcBundle[t] === svcBundle[caller] ? 1 : 0);
      call.dead.push(at(svcQueues, t).length === 0 ? 1 : 0);
      return;
    }
    call.same.push(0);
    call.dead.push(0);
  };
  doc.services.forEach((s, i) => {
    svcStepStart[i] = stepGroup.length;
    for (const step of stepsOfService(s.calls)) {
      stepCallStart.push(call.kind.length);
      stepGroup.push(step.group ? 1 : 0);
      for (const c of step.calls) pushCall(i, c);
      stepCallEnd.push(call.kind.length);
    }
    svcStepEnd[i] = stepGroup.length;
  });
  return {
    svcStepStart,
    svcStepEnd,
    stepGroup: Uint8Array.from(stepGroup),
    stepCallStart: Int32Array.from(stepCallStart),
    stepCallEnd: Int32Array.from(stepCallEnd),
    callKind: Int32Array.from(call.kind),
    callTarget: Int32Array.from(call.target),
    callWhole: Int32Array.from(call.whole),
    callFrac: Float64Array.from(call.frac),
    callSameBundle: Uint8Array.from(call.same),
    callDead: Uint8Array.from(call.dead),
  };
}

/** A broker hop, plus the zone or region crossing (MODEL.md §1 `network`). */
function networkOf(doc: Topology, zones: ZoneTable): NetworkTable {
  const { nZones, zoneRegion } = zones;
  const net = doc.network;
  const zoneDelay = new Float64Array(nZones * nZones);
  const zoneCross = new Int32Array(nZones * nZones);
  for (let a = 0; a < nZones; a++)
    for (let b = 0; b < nZones; b++) {
      const cross = a === b ? SAME_ZONE : zoneRegion[a] === zoneRegion[b] ? CROSS_ZONE : CROSS_REGION;
      zoneCross[a * nZones + b] = cross;
      zoneDelay[a * nZones + b] = net.natsHopMs + (cross === CROSS_ZONE ? net.crossZoneMs : cross === CROSS_REGION ? net.crossRegionMs : 0);
    }
  return { zoneDelay, zoneCross, shortCircuitMs: net.shortCircuitMs, dbCallMs: net.dbCallMs };
}

/**
 * Ingress: per traffic item, shares over zones (default: even over the zones where the entry's
 * bundle has replicas); a failed zone's share moves to the survivors in proportion.
 */
function ingressOf(doc: Topology, zones: ZoneTable, services: ServiceTable, scale: number) {
  const { zoneNames, failed } = zones;
  const zoneIdx = new Map(zoneNames.map((z, i) => [z, i]));
  const entryNames: string[] = [];
  const entryOf = new Map<string, number>();
  const entryRps: number[] = [];
  const srcEntry: number[] = [];
  const srcZone: number[] = [];
  const srcRate: number[] = [];
  for (const t of doc.traffic) {
    let e = entryOf.get(t.entry);
    if (e === undefined) {
      e = entryNames.length;
      entryOf.set(t.entry, e);
      entryNames.push(t.entry);
      entryRps.push(0);
    }
    entryRps[e] = at(entryRps, e) + t.rps * scale;
    const bundle = doc.bundles[at(services.svcBundle, lookup(services.serviceIndex, t.entry))];
    const hasReplicas = (zi: number) => (bundle?.replicas[at(zoneNames, zi)] ?? 0) > 0;
    const even = (keep: (zi: number) => boolean) => zoneNames.flatMap((_, zi) => (keep(zi) ? [[zi, 1] as [number, number]] : []));
    let shares: [number, number][] = t.zones ? Object.entries(t.zones).map(([z, w]) => [lookup(zoneIdx, z), w]) : even(hasReplicas);
    shares = shares.filter(([z]) => !failed[z]);
    if (!shares.length) {
      const live = even((zi) => !failed[zi] && hasReplicas(zi));
      shares = live.length ? live : even((zi) => !failed[zi]);
    }
    const total = shares.reduce((n, [, w]) => n + w, 0);
    for (const [z, w] of shares) {
      srcEntry.push(e);
      srcZone.push(z);
      srcRate.push((t.rps * scale * w) / total / 1000);
    }
  }
  const ingressRate = srcRate.reduce((a, b) => a + b, 0);
  const srcCum = new Float64Array(srcRate.length);
  let cum = 0;
  srcRate.forEach((r, i) => {
    cum += r / ingressRate;
    srcCum[i] = cum;
  });
  if (srcCum.length) srcCum[srcCum.length - 1] = 1;
  const entryZoneRps = entryNames.map((_, e) => {
    const rps: Record<string, number> = dict<number>();
    srcRate.forEach((r, i) => {
      if (srcEntry[i] !== e) return;
      const z = at(zoneNames, at(srcZone, i));
      rps[z] = (rps[z] ?? 0) + r * 1000;
    });
    return rps;
  });
  const ingress: IngressTable = {
    srcEntry: Int32Array.from(srcEntry),
    srcZone: Int32Array.from(srcZone),
    srcCum,
    ingressRate,
    entryNames,
    entryService: Int32Array.from(entryNames, (n) => lookup(services.serviceIndex, n)),
    entryRps: Float64Array.from(entryRps),
    entryZoneRps,
  };
  return { ingress, srcRate };
}
