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
 */
import { dict } from '../dict.ts';
import type { Topology } from '../schema/topology.ts';
import { cheHitRate } from './che.ts';
import { callerFirst, entryStatus, forcedFlow } from './plan-flow.ts';
import { CALL_DB, CALL_EXT, CALL_SERVICE, type DesPlan, type PlanOptions } from './plan-types.ts';
import { DistTable } from './rng.ts';

export { CALL_DB, CALL_EXT, CALL_SERVICE, type DesPlan, type EntryStatus, type PlanOptions } from './plan-types.ts';

export function buildPlan(doc: Topology, options: PlanOptions = {}): DesPlan {
  const scale = options.scale ?? 1;
  const failedSet = new Set(options.failZones ?? []);
  const zoneNames = doc.zones.map((z) => z.name);
  const zoneRegion = doc.zones.map((z) => z.region);
  const nZones = zoneNames.length;
  const zoneIdx = new Map(zoneNames.map((z, i) => [z, i]));
  const failed = zoneNames.map((z) => failedSet.has(z));
  const dists = new DistTable();

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

  // Caches: Che's hit rate with the capacity the scope gives (distributed: entries × live replicas).
  const liveReplicas = doc.bundles.map((b) => Object.entries(b.replicas).reduce((n, [z, k]) => n + (failedSet.has(z) ? 0 : k), 0));
  const svcHitRate = new Float64Array(nSvc);
  const svcMeanOwn = new Float64Array(nSvc);
  const svcHasCache = new Uint8Array(nSvc);
  const svcCv = new Float64Array(nSvc);
  const svcWorkers = new Int32Array(nSvc);
  const missDist = new Int32Array(nSvc);
  const hitDist = new Int32Array(nSvc).fill(-1);
  doc.services.forEach((s, i) => {
    svcWorkers[i] = s.workers;
    svcCv[i] = s.serviceTimeCv;
    missDist[i] = dists.add(s.serviceTimeMs, s.serviceTimeCv);
    let h = 0;
    if (s.cache) {
      svcHasCache[i] = 1;
      const replicas = liveReplicas[svcBundle[i] as number] ?? 0;
      const capacity = s.cache.scope === 'perReplica' ? s.cache.entriesPerReplica : s.cache.entriesPerReplica * replicas;
      h = replicas > 0 ? cheHitRate(s.cache.keySpace, s.cache.zipf, capacity) : 0;
      // The document gives no cv for hits: a hit's time varies like the service's own time.
      hitDist[i] = dists.add(s.cache.hitTimeMs, s.serviceTimeCv);
      svcMeanOwn[i] = h * s.cache.hitTimeMs + (1 - h) * s.serviceTimeMs;
    } else svcMeanOwn[i] = s.serviceTimeMs;
    svcHitRate[i] = h;
  });

  // Live bundle replicas and their service queues.
  const repBundle: number[] = [];
  const repZone: number[] = [];
  const repIndex: number[] = [];
  const repBase: number[] = [];
  const qServers: number[] = [];
  const qService: number[] = [];
  const qShard: number[] = [];
  const qZone: number[] = [];
  const qReplica: number[] = [];
  const svcQueues: number[][] = serviceNames.map(() => []);
  const bundleReplicas = new Int32Array(doc.bundles.length);
  doc.bundles.forEach((b, bi) => {
    for (let z = 0; z < nZones; z++) {
      const count = failed[z] ? 0 : (b.replicas[zoneNames[z] as string] ?? 0);
      for (let k = 0; k < count; k++) {
        const r = repBundle.length;
        repBundle.push(bi);
        repZone.push(z);
        repIndex.push(k);
        repBase.push(qServers.length);
        bundleReplicas[bi] = (bundleReplicas[bi] as number) + 1;
        for (const name of b.services) {
          const s = serviceIndex.get(name) as number;
          svcQueues[s]?.push(qServers.length);
          qServers.push(svcWorkers[s] as number);
          qService.push(s);
          qShard.push(-1);
          qZone.push(z);
          qReplica.push(r);
        }
      }
    }
  });
  const nServiceQueues = qServers.length;

  // Database shards: each a queue with vcpu servers, drawn in proportion to vcpu.
  const dbNames = doc.databases.map((d) => d.name);
  const dbIndex = new Map(dbNames.map((d, i) => [d, i]));
  const dbShardStart = new Int32Array(dbNames.length);
  const dbShardEnd = new Int32Array(dbNames.length);
  const shardCum: number[] = [];
  const shardQueue: number[] = [];
  const shardNames: string[] = [];
  const shardDb: number[] = [];
  const shardDist: number[] = [];
  doc.databases.forEach((d, di) => {
    dbShardStart[di] = shardNames.length;
    const total = d.shards.reduce((n, s) => n + s.vcpu, 0);
    const dist = dists.add(d.queryTimeMs, d.queryTimeCv);
    let cum = 0;
    for (const sh of d.shards) {
      cum += sh.vcpu / total;
      const g = shardNames.length;
      shardNames.push(sh.name);
      shardDb.push(di);
      shardCum.push(cum);
      shardQueue.push(qServers.length);
      shardDist.push(dist);
      qServers.push(sh.vcpu);
      qService.push(-1);
      qShard.push(g);
      qZone.push(-1);
      qReplica.push(-1);
    }
    shardCum[shardCum.length - 1] = 1;
    dbShardEnd[di] = shardNames.length;
  });
  const nQueues = qServers.length;
  const qDist = new Int32Array(nQueues);
  const qHitDist = new Int32Array(nQueues).fill(-1);
  const qHitProb = new Float64Array(nQueues);
  for (let q = 0; q < nQueues; q++) {
    const s = qService[q] as number;
    if (s >= 0) {
      qDist[q] = missDist[s] as number;
      qHitDist[q] = hitDist[s] as number;
      qHitProb[q] = svcHitRate[s] as number;
    } else qDist[q] = shardDist[qShard[q] as number] as number;
  }

  // Routing: where a queue group sends a message from each zone (MODEL.md §2).
  const routeStart = new Int32Array(nSvc * nZones);
  const routeCount = new Int32Array(nSvc * nZones);
  const routeQueues: number[] = [];
  for (let s = 0; s < nSvc; s++) {
    const all = svcQueues[s] as number[];
    for (let z = 0; z < nZones; z++) {
      let pick = all;
      if (doc.routing === 'locality') {
        const here = all.filter((q) => qZone[q] === z);
        const region = all.filter((q) => zoneRegion[qZone[q] as number] === zoneRegion[z]);
        pick = here.length ? here : region.length ? region : all;
      }
      routeStart[s * nZones + z] = routeQueues.length;
      routeCount[s * nZones + z] = pick.length;
      routeQueues.push(...pick);
    }
  }

  // Steps: a call outside any group is a step of its own; a group stands where its first member stands.
  const stepGroup: number[] = [];
  const stepCallStart: number[] = [];
  const stepCallEnd: number[] = [];
  const callKind: number[] = [];
  const callTarget: number[] = [];
  const callWhole: number[] = [];
  const callFrac: number[] = [];
  const callSame: number[] = [];
  const callDead: number[] = [];
  const svcStepStart = new Int32Array(nSvc);
  const svcStepEnd = new Int32Array(nSvc);
  const extDist = new Map<string, number>();
  for (const e of doc.externals) extDist.set(e.name, dists.add(e.latencyMs, e.latencyCv));
  const pushCall = (caller: number, to: string, perRequest: number) => {
    callWhole.push(Math.floor(perRequest));
    callFrac.push(perRequest - Math.floor(perRequest));
    if (to.startsWith('db:')) {
      callKind.push(CALL_DB);
      callTarget.push(dbIndex.get(to.slice(3)) as number);
      callSame.push(0);
      callDead.push(0);
    } else if (to.startsWith('ext:')) {
      callKind.push(CALL_EXT);
      callTarget.push(extDist.get(to.slice(4)) as number);
      callSame.push(0);
      callDead.push(0);
    } else {
      const t = serviceIndex.get(to) as number;
      callKind.push(CALL_SERVICE);
      callTarget.push(t);
      callSame.push(svcBundle[t] === svcBundle[caller] ? 1 : 0);
      callDead.push((svcQueues[t] as number[]).length === 0 ? 1 : 0);
    }
  };
  doc.services.forEach((s, i) => {
    svcStepStart[i] = stepGroup.length;
    const groups = new Map<string, CallTList>();
    const order: (CallTList | { to: string; perRequest: number })[] = [];
    for (const c of s.calls) {
      if (c.parallelGroup === undefined) order.push({ to: c.to, perRequest: c.perRequest });
      else {
        let g = groups.get(c.parallelGroup);
        if (!g) {
          g = { members: [] };
          groups.set(c.parallelGroup, g);
          order.push(g);
        }
        g.members.push({ to: c.to, perRequest: c.perRequest });
      }
    }
    for (const step of order) {
      stepCallStart.push(callKind.length);
      if ('members' in step) {
        stepGroup.push(1);
        for (const m of step.members) pushCall(i, m.to, m.perRequest);
      } else {
        stepGroup.push(0);
        pushCall(i, step.to, step.perRequest);
      }
      stepCallEnd.push(callKind.length);
    }
    svcStepEnd[i] = stepGroup.length;
  });

  // Network: a broker hop, plus the zone or region crossing (MODEL.md §1 `network`).
  const net = doc.network;
  const zoneDelay = new Float64Array(nZones * nZones);
  const zoneCross = new Int32Array(nZones * nZones);
  for (let a = 0; a < nZones; a++)
    for (let b = 0; b < nZones; b++) {
      const cross = a === b ? 0 : zoneRegion[a] === zoneRegion[b] ? 1 : 2;
      zoneCross[a * nZones + b] = cross;
      zoneDelay[a * nZones + b] = net.natsHopMs + (cross === 1 ? net.crossZoneMs : cross === 2 ? net.crossRegionMs : 0);
    }

  // Ingress: per traffic item, shares over zones (default: even over the zones where the entry's
  // bundle has replicas); a failed zone's share moves to the survivors in proportion.
  const entryNames: string[] = [];
  const entryOf = new Map<string, number>();
  const entryRpsList: number[] = [];
  const srcEntry: number[] = [];
  const srcZone: number[] = [];
  const srcRate: number[] = [];
  for (const t of doc.traffic) {
    let e = entryOf.get(t.entry);
    if (e === undefined) {
      e = entryNames.length;
      entryOf.set(t.entry, e);
      entryNames.push(t.entry);
      entryRpsList.push(0);
    }
    entryRpsList[e] = (entryRpsList[e] as number) + t.rps * scale;
    const bundle = doc.bundles[svcBundle[serviceIndex.get(t.entry) as number] as number];
    let shares: [number, number][] = t.zones
      ? Object.entries(t.zones).map(([z, w]) => [zoneIdx.get(z) as number, w])
      : zoneNames.flatMap((z, zi) => ((bundle?.replicas[z] ?? 0) > 0 ? [[zi, 1] as [number, number]] : []));
    shares = shares.filter(([z]) => !failed[z]);
    if (!shares.length) {
      const live = zoneNames.flatMap((z, zi) => (!failed[zi] && (bundle?.replicas[z] ?? 0) > 0 ? [[zi, 1] as [number, number]] : []));
      shares = live.length ? live : zoneNames.flatMap((_, zi) => (failed[zi] ? [] : [[zi, 1] as [number, number]]));
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

  const plan: DesPlan = {
    scale,
    zoneNames,
    zoneRegion,
    failed,
    nZones,
    replicaBundle: Int32Array.from(repBundle),
    replicaZone: Int32Array.from(repZone),
    replicaIndex: Int32Array.from(repIndex),
    replicaQueueBase: Int32Array.from(repBase),
    bundleNames: doc.bundles.map((b) => b.name),
    bundleCpu: Float64Array.from(doc.bundles.map((b) => b.cpu)),
    bundleReplicas,
    nQueues,
    nServiceQueues,
    qServers: Int32Array.from(qServers),
    qService: Int32Array.from(qService),
    qShard: Int32Array.from(qShard),
    qZone: Int32Array.from(qZone),
    qReplica: Int32Array.from(qReplica),
    qDist,
    qHitDist,
    qHitProb,
    qOffered: new Float64Array(nQueues),
    qRho: new Float64Array(nQueues),
    serviceNames,
    serviceIndex,
    svcBundle,
    svcPos,
    svcWorkers,
    svcStepStart,
    svcStepEnd,
    svcHitRate,
    svcMeanOwn,
    svcHasCache,
    svcCv,
    svcQueues,
    stepGroup: Uint8Array.from(stepGroup),
    stepCallStart: Int32Array.from(stepCallStart),
    stepCallEnd: Int32Array.from(stepCallEnd),
    callKind: Int32Array.from(callKind),
    callTarget: Int32Array.from(callTarget),
    callWhole: Int32Array.from(callWhole),
    callFrac: Float64Array.from(callFrac),
    callSameBundle: Uint8Array.from(callSame),
    callDead: Uint8Array.from(callDead),
    routeStart,
    routeCount,
    routeQueues: Int32Array.from(routeQueues),
    zoneDelay,
    zoneCross,
    shortCircuitMs: net.shortCircuitMs,
    dbCallMs: net.dbCallMs,
    dbNames,
    dbShardStart,
    dbShardEnd,
    shardCum: Float64Array.from(shardCum),
    shardQueue: Int32Array.from(shardQueue),
    shardNames,
    shardDb: Int32Array.from(shardDb),
    dbConnections: [],
    srcEntry: Int32Array.from(srcEntry),
    srcZone: Int32Array.from(srcZone),
    srcCum,
    ingressRate,
    entryNames,
    entryService: Int32Array.from(entryNames.map((n) => serviceIndex.get(n) as number)),
    entryRps: Float64Array.from(entryRpsList),
    entryStatus: [],
    entryReason: [],
    entryZoneRps: entryNames.map((_, e) => {
      const zones: Record<string, number> = dict<number>();
      srcRate.forEach((r, i) => {
        if (srcEntry[i] !== e) return;
        const z = zoneNames[srcZone[i] as number] as string;
        zones[z] = (zones[z] ?? 0) + r * 1000;
      });
      return zones;
    }),
    svcDemand: new Float64Array(nSvc),
    dists,
  };
  plan.dbConnections = doc.databases.map((d) => {
    const callers = new Set<number>();
    doc.services.forEach((s, i) => {
      if (s.calls.some((c) => c.to === `db:${d.name}`)) callers.add(svcBundle[i] as number);
    });
    let needed = 0;
    for (const b of callers) needed += (bundleReplicas[b] as number) * d.poolPerReplica;
    return { needed, available: d.shards.reduce((n, s) => n + s.maxConnections, 0) };
  });
  forcedFlow(plan, callerFirst(doc, serviceIndex), srcRate);
  const statuses = entryNames.map((_, e) => entryStatus(plan, e));
  plan.entryStatus = statuses.map((s) => s.status);
  plan.entryReason = statuses.map((s) => s.reason);
  return plan;
}

interface CallTList {
  members: { to: string; perRequest: number }[];
}
