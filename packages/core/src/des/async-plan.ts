/**
 * Schema v3 async messaging compiled for the DES (des/events.ts runs it): who publishes what per
 * request, where each published subject's copies go (core-NATS subscription groups), which
 * stream stores it and which consumers read it. The DES's own reading of the topology doc
 * comments (schema/topology.ts); it shares no code with the analytic engine.
 *
 * - A **subscription group** is what NATS delivers one copy to: a service's subscription without
 *   `queueGroup` (its replicas share it, a queue group named after the service), every
 *   subscription naming the same `queueGroup` on the same subject pattern (one copy per group),
 *   or one live replica of a `delivery: replica` subscription (each gets its own copy). A shared
 *   copy goes to one live replica of the group's members, uniformly at random whatever the zones
 *   (NATS queue groups and Microbus events know no locality); a group with no live replica loses it.
 * - A **stream** is placed on its NATS cluster (stream-placement.ts); a published message is
 *   stored after `storeMs` (the hop to the leader, plus replication to a quorum) and then waits
 *   in every matching consumer's line.
 */
import { at, lookup } from '../checked.ts';
import { subjectMatches } from '../schema/subjects.ts';
import type { Topology } from '../schema/topology.ts';
import type { AckWait, AsyncPlan, ConsumerSpec, CopyTarget, PubSpec, SubHandler } from './async-tables.ts';
import type { LoadTable, RoutedPlan } from './plan-types.ts';
import type { DistTable } from './rng.ts';
import { placeStream } from './stream-placement.ts';

/**
 * The relaxation time of every stable consumer's line (sizing.ts), as for a queue: (1 + cs²)/2 ·
 * m / (c (1 − √ρ)²) over its concurrency c = min(workers, maxAckPending).
 */
export function consumerRelaxations(a: AsyncPlan | null): { ms: number; name: string }[] {
  return (a?.consumers ?? []).flatMap((c) => {
    if (!(c.rho < 1) || !(c.rho > 0)) return [];
    const servers = concurrencyOf(c).concurrency;
    const ms = (((1 + c.cv * c.cv) / 2) * c.meanMs) / servers / (1 - Math.sqrt(c.rho)) ** 2;
    return [{ ms, name: `consumer ${a?.streams[c.stream]?.name}/${c.name} (ρ ${c.rho.toFixed(2)})` }];
  });
}

/**
 * Handlers at work at once at most (the contract's `concurrency`): min(workers, the ack slots
 * left beside those failed deliveries hold while they wait out ackWaitMs: maxAckPending −
 * deliveries/s · f · (ackWaitMs − own time)), by the forced-flow rate. The simulation itself
 * holds the slots message by message; this sets the figures' denominator and stability.
 */
export function concurrencyOf(c: ConsumerSpec): { concurrency: number; byWorkers: number; byAcks: number } {
  const failHeld = (c.deliverRps * c.failureRate * Math.max(0, c.ackWaitMs - c.meanMs)) / 1000;
  const byAcks = Math.max(0, Math.floor(c.maxAckPending - failHeld + 1e-9));
  return { concurrency: Math.min(c.workers, byAcks), byWorkers: c.workers, byAcks };
}

export function usesAsync(doc: Topology): boolean {
  return doc.services.some((s) => (s.publishes?.length ?? 0) > 0 || (s.subscribes?.length ?? 0) > 0) || (doc.streams?.length ?? 0) > 0;
}

/**
 * The publish-ack waits of each service (schema `publishes[].ack` on a subject a live stream
 * captures): the request waits the stream's ack from its replica's zone per ack'ed publish, after
 * its calls, before it replies (plan-steps.ts; a cache hit waits for them too).
 */
export function ackWaits(doc: Topology, failed: readonly string[]): AckWait[][] {
  const streams = (doc.streams ?? []).map((_, k) => placeStream(doc, k, failed));
  return doc.services.map((s) =>
    (s.publishes ?? []).flatMap((p) => {
      if (!p.ack) return [];
      const st = streams[(doc.streams ?? []).findIndex((x) => x.subjects.some((pat) => subjectMatches(pat, p.subject)))];
      return st?.up ? [{ zoneMs: st.storeMs, perRequest: p.perRequest }] : [];
    }),
  );
}

/** Candidate lists per publisher zone over `members` ([queue, handler]): every member replica, from every zone. */
function targetOf(plan: RoutedPlan, members: [number, number][]): CopyTarget {
  return {
    candStart: new Int32Array(plan.nZones),
    candCount: new Int32Array(plan.nZones).fill(members.length),
    candQueue: Int32Array.from(members, ([q]) => q),
    candHandler: Int32Array.from(members, ([, h]) => h),
  };
}

function handlersOf(doc: Topology, dists: DistTable): SubHandler[] {
  return doc.services.flatMap((s, si) =>
    (s.subscribes ?? []).map((sub, index) => {
      const meanMs = sub.serviceTimeMs ?? s.serviceTimeMs;
      return {
        service: si,
        index,
        pattern: sub.subject,
        delivery: sub.delivery ?? 'service',
        queueGroup: (sub.delivery ?? 'service') === 'replica' ? null : (sub.queueGroup ?? null),
        dist: dists.add(meanMs, sub.serviceTimeCv ?? s.serviceTimeCv),
        meanMs,
        finite: true,
        reason: null,
      } satisfies SubHandler;
    }),
  );
}

/** Every subject some service publishes, and its copy targets (subscription groups) in document order. */
function targetsOf(plan: RoutedPlan, handlers: SubHandler[], subjects: string[]): CopyTarget[][] {
  return subjects.map((subject) => {
    const groups = new Map<string, [number, number][]>();
    const targets: CopyTarget[] = [];
    handlers.forEach((h, k) => {
      if (!subjectMatches(h.pattern, subject)) return;
      const queues = at(plan.svcQueues, h.service);
      if (h.delivery === 'replica') {
        // A plain subscription on every replica: each gets its own copy, wherever the publisher is.
        for (const q of queues) targets.push(targetOf(plan, [[q, k]]));
        return;
      }
      // One copy per queue group (its name, or the service's), whichever of its subscriptions match.
      const key = h.queueGroup ?? at(plan.serviceNames, h.service);
      let g = groups.get(key);
      if (!g) {
        g = [];
        groups.set(key, g);
      }
      for (const q of queues) g.push([q, k]);
    });
    // Queue groups know no locality: a copy goes to any live member replica, evenly.
    for (const members of groups.values()) if (members.length) targets.push(targetOf(plan, members));
    return targets;
  });
}

export function asyncPlanOf(doc: Topology, plan: RoutedPlan, dists: DistTable): AsyncPlan {
  const subjects: string[] = [];
  const subjectIndex = new Map<string, number>();
  const pubs: PubSpec[] = [];
  const svcPubs: number[][] = doc.services.map((s, si) =>
    (s.publishes ?? []).map((p) => {
      let k = subjectIndex.get(p.subject);
      if (k === undefined) {
        k = subjects.length;
        subjectIndex.set(p.subject, k);
        subjects.push(p.subject);
      }
      pubs.push({ service: si, subject: k, whole: Math.floor(p.perRequest), frac: p.perRequest - Math.floor(p.perRequest), bytes: p.payloadBytes });
      return pubs.length - 1;
    }),
  );
  const docStreams = doc.streams ?? [];
  const failed = plan.zoneNames.filter((_, z) => plan.failed[z]);
  const streams = docStreams.map((_, k) => placeStream(doc, k, failed));
  const subjectStream = Int32Array.from(subjects, (subj) => docStreams.findIndex((st) => st.subjects.some((p) => subjectMatches(p, subj))));
  const handlers = handlersOf(doc, dists);
  const consumers: ConsumerSpec[] = (doc.consumers ?? []).map((c) => {
    const service = lookup(plan.serviceIndex, c.service);
    const svc = at(doc.services, service);
    const queues = at(plan.svcQueues, service);
    const meanMs = c.serviceTimeMs ?? svc.serviceTimeMs;
    return {
      name: c.name,
      stream: docStreams.findIndex((s) => s.name === c.stream),
      service,
      filter: c.filterSubject ?? null,
      workers: c.workers * queues.length,
      maxAckPending: c.maxAckPending,
      ackWaitMs: c.ackWaitMs,
      failureRate: c.failureRate ?? 0,
      dist: dists.add(meanMs, c.serviceTimeCv ?? svc.serviceTimeCv),
      meanMs,
      cv: c.serviceTimeCv ?? svc.serviceTimeCv,
      replicaZones: Int32Array.from(queues, (q) => at(plan.qZone, q)),
      rho: 0,
      deliverRps: 0,
    };
  });
  const subjectConsumers = subjects.map((subj, k) =>
    consumers.flatMap((c, ci) =>
      c.stream === subjectStream[k] && streams[c.stream]?.up && (c.filter === null || subjectMatches(c.filter, subj)) ? [ci] : [],
    ),
  );
  const storeMs = streams.map((st) => Float64Array.from(st.storeMs));
  return {
    subjects,
    subjectStream,
    subjectTargets: targetsOf(plan, handlers, subjects),
    subjectConsumers,
    pubs,
    svcPubs,
    handlers,
    streams,
    consumers,
    storeMs,
    subjectZoneRate: subjects.map(() => new Float64Array(plan.nZones)),
    handlerRps: new Float64Array(handlers.length),
    hopMs: doc.network.natsHopMs,
    zoneDelay: plan.zoneDelay,
    nZones: plan.nZones,
  };
}

/**
 * Adds the copies' work to the forced-flow utilization of every subscriber replica (a handler
 * holds one of its workers) and sets each consumer's offered load, from the publishers' request
 * rates (a publish is made per request handled, a cache hit too: publishing is part of handling).
 */
export function addEventLoad(a: AsyncPlan, plan: RoutedPlan, load: LoadTable): void {
  const subjectRate = new Float64Array(a.subjects.length);
  const zoneRate = a.subjectZoneRate;
  for (const pub of a.pubs) {
    for (const q of at(plan.svcQueues, pub.service)) {
      const r = at(load.qOffered, q) * 1000 * (pub.whole + pub.frac);
      subjectRate[pub.subject] = at(subjectRate, pub.subject) + r;
      const zr = at(zoneRate, pub.subject);
      zr[at(plan.qZone, q)] = at(zr, at(plan.qZone, q)) + r;
    }
  }
  const extra = new Float64Array(plan.nQueues);
  a.subjectTargets.forEach((targets, k) => {
    const zr = at(zoneRate, k);
    for (const t of targets)
      for (let z = 0; z < plan.nZones; z++) {
        const n = at(t.candCount, z);
        for (let i = 0; i < n; i++) {
          const q = at(t.candQueue, at(t.candStart, z) + i);
          const h = at(t.candHandler, at(t.candStart, z) + i);
          a.handlerRps[h] = at(a.handlerRps, h) + at(zr, z) / n;
          extra[q] = at(extra, q) + ((at(zr, z) / n) * at(a.handlers, h).meanMs) / 1000;
        }
      }
  });
  for (let q = 0; q < plan.nServiceQueues; q++) load.qRho[q] = at(load.qRho, q) + at(extra, q) / at(plan.qServers, q);
  for (const h of a.handlers) {
    const hot = at(plan.svcQueues, h.service).find((q) => at(load.qRho, q) >= 1 && at(plan.qLimit, q) < 0);
    if (hot === undefined) continue;
    h.finite = false;
    h.reason = `${at(plan.serviceNames, h.service)} cannot keep up with its requests and events (ρ ${at(load.qRho, hot).toFixed(2)})`;
  }
  a.consumers.forEach((c, ci) => {
    let lambda = 0;
    a.subjectConsumers.forEach((cs, k) => {
      if (cs.includes(ci)) lambda += at(subjectRate, k);
    });
    c.deliverRps = lambda / (1 - c.failureRate);
    const n = concurrencyOf(c).concurrency;
    const offered = (c.deliverRps * c.meanMs) / 1000;
    c.rho = n > 0 ? offered / n : offered > 0 ? Number.POSITIVE_INFINITY : 0;
  });
}
