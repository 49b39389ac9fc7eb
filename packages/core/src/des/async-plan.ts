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
 *   copy picks its replica as a call does (`routing` of the document: locality from the
 *   publisher's zone, else region, else all; `random`: all), uniformly among the candidates.
 * - A **stream** is placed on its NATS cluster (stream-placement.ts); a published message is
 *   stored after `storeMs` (the hop to the leader, plus replication to a quorum) and then waits
 *   in every matching consumer's line.
 */
import { at, lookup } from '../checked.ts';
import { subjectMatches } from '../schema/subjects.ts';
import type { Topology } from '../schema/topology.ts';
import type { LoadTable, RoutedPlan } from './plan-types.ts';
import type { DistTable } from './rng.ts';
import { placeStream, type StreamPlacement } from './stream-placement.ts';

/** One `publishes[]` entry of one service. */
export interface PubSpec {
  service: number;
  subject: number;
  whole: number;
  frac: number;
  bytes: number;
}

/** One `subscribes[]` entry: what handles a copy (its own time) and where its load lands. */
export interface SubHandler {
  service: number;
  index: number;
  pattern: string;
  delivery: 'service' | 'replica';
  queueGroup: string | null;
  dist: number;
  meanMs: number;
  /** Every replica queue of the service stays below ρ 1 with the copies (the handler's latency exists). */
  finite: boolean;
  reason: string | null;
}

/** Where one subject's copy goes: a shared group (routes per zone) or one replica (`replica` delivery). */
export interface CopyTarget {
  /** Candidates per publisher zone: [queue, handler] pairs at candStart[z]…candStart[z]+candCount[z]. */
  candStart: Int32Array;
  candCount: Int32Array;
  candQueue: Int32Array;
  candHandler: Int32Array;
}

export interface ConsumerSpec {
  name: string;
  stream: number;
  service: number;
  filter: string | null;
  /** Workers over all live replicas, and the ack-pending limit. */
  workers: number;
  maxAckPending: number;
  ackWaitMs: number;
  failureRate: number;
  dist: number;
  meanMs: number;
  cv: number;
  /** Zones of the live replicas whose workers pull (one entry per replica). */
  replicaZones: Int32Array;
  /** Utilization of the tighter of workers and ack slots (forced flow): ≥ 1 cannot keep up. */
  rho: number;
  /** Deliveries per second offered (redeliveries included). */
  deliverRps: number;
}

export interface AsyncPlan {
  subjects: string[];
  /** The stream capturing each subject (−1 none). */
  subjectStream: Int32Array;
  /** Per subject: its copy targets, and the consumers that read it. */
  subjectTargets: CopyTarget[][];
  subjectConsumers: number[][];
  pubs: PubSpec[];
  /** Per service: indices into `pubs`. */
  svcPubs: number[][];
  handlers: SubHandler[];
  streams: StreamPlacement[];
  consumers: ConsumerSpec[];
  /** Per stream, per publisher zone: ms from publish to stored on a quorum (the consumer may read it). */
  storeMs: Float64Array[];
  /** Forced flow (addEventLoad): per subject, publishes per second from each zone; per handler, copies per second. */
  subjectZoneRate: Float64Array[];
  handlerRps: Float64Array;
  /** The plan's network, for the leader → worker hop: natsHopMs, zone-to-zone call delay (a·nZones + b). */
  hopMs: number;
  zoneDelay: Float64Array;
  nZones: number;
}

/**
 * The relaxation time of every stable consumer's line (sizing.ts), as for a queue: (1 + cs²)/2 ·
 * m / (c (1 − √ρ)²) over its concurrency c = min(workers, maxAckPending).
 */
export function consumerRelaxations(a: AsyncPlan | null): { ms: number; name: string }[] {
  return (a?.consumers ?? []).flatMap((c) => {
    if (!(c.rho < 1) || !(c.rho > 0)) return [];
    const servers = Math.min(c.workers, c.maxAckPending);
    const ms = (((1 + c.cv * c.cv) / 2) * c.meanMs) / servers / (1 - Math.sqrt(c.rho)) ** 2;
    return [{ ms, name: `consumer ${a?.streams[c.stream]?.name}/${c.name} (ρ ${c.rho.toFixed(2)})` }];
  });
}

export function usesAsync(doc: Topology): boolean {
  return doc.services.some((s) => (s.publishes?.length ?? 0) > 0 || (s.subscribes?.length ?? 0) > 0) || (doc.streams?.length ?? 0) > 0;
}

/**
 * The publish-ack waits of each service (schema `publishes[].ack` on a subject a stream captures):
 * the request waits `publishAckMs` per ack'ed publish after its calls, before it replies (plan-steps.ts).
 */
export function ackWaits(doc: Topology): { ms: number; perRequest: number }[][] {
  const streams = (doc.streams ?? []).map((s) => placeStream(doc, s));
  return doc.services.map((s) =>
    (s.publishes ?? []).flatMap((p) => {
      if (!p.ack) return [];
      const k = (doc.streams ?? []).findIndex((st) => st.subjects.some((pat) => subjectMatches(pat, p.subject)));
      return k < 0 ? [] : [{ ms: at(streams, k).publishAckMs, perRequest: p.perRequest }];
    }),
  );
}

/** Candidate lists per publisher zone over `members` ([queue, handler]), by the document's routing. */
function targetOf(plan: RoutedPlan, routing: Topology['routing'], members: [number, number][]): CopyTarget {
  const { nZones, zoneRegion, qZone } = plan;
  const candStart = new Int32Array(nZones);
  const candCount = new Int32Array(nZones);
  const q: number[] = [];
  const h: number[] = [];
  for (let z = 0; z < nZones; z++) {
    let pick = members;
    if (routing === 'locality') {
      const here = members.filter(([m]) => qZone[m] === z);
      const region = members.filter(([m]) => zoneRegion[at(qZone, m)] === zoneRegion[z]);
      pick = here.length ? here : region.length ? region : members;
    }
    candStart[z] = q.length;
    candCount[z] = pick.length;
    for (const [m, k] of pick) {
      q.push(m);
      h.push(k);
    }
  }
  return { candStart, candCount, candQueue: Int32Array.from(q), candHandler: Int32Array.from(h) };
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
function targetsOf(doc: Topology, plan: RoutedPlan, handlers: SubHandler[], subjects: string[]): CopyTarget[][] {
  return subjects.map((subject) => {
    const groups = new Map<string, [number, number][]>();
    const targets: CopyTarget[] = [];
    handlers.forEach((h, k) => {
      if (!subjectMatches(h.pattern, subject)) return;
      const queues = at(plan.svcQueues, h.service);
      if (h.delivery === 'replica') {
        // A plain subscription on every replica: each gets its own copy, wherever the publisher is.
        for (const q of queues) targets.push(targetOf(plan, 'random', [[q, k]]));
        return;
      }
      const key = `${h.pattern}\u0000${h.queueGroup ?? `service:${at(plan.serviceNames, h.service)}`}`;
      let g = groups.get(key);
      if (!g) {
        g = [];
        groups.set(key, g);
      }
      for (const q of queues) g.push([q, k]);
    });
    for (const members of groups.values()) if (members.length) targets.push(targetOf(plan, doc.routing, members));
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
  const streams = docStreams.map((s) => placeStream(doc, s, failed));
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
    consumers.flatMap((c, ci) => (c.stream === subjectStream[k] && (c.filter === null || subjectMatches(c.filter, subj)) ? [ci] : [])),
  );
  const storeMs = streams.map((st) => {
    const row = new Float64Array(plan.nZones);
    for (let z = 0; z < plan.nZones; z++)
      row[z] = (st.leaderZone < 0 ? doc.network.natsHopMs : at(plan.zoneDelay, z * plan.nZones + st.leaderZone)) + st.replicationMs;
    return row;
  });
  return {
    subjects,
    subjectStream,
    subjectTargets: targetsOf(doc, plan, handlers, subjects),
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
 * rates (a publish is made per request that misses any cache, as calls are).
 */
export function addEventLoad(a: AsyncPlan, plan: RoutedPlan, load: LoadTable): void {
  const subjectRate = new Float64Array(a.subjects.length);
  const zoneRate = a.subjectZoneRate;
  for (const pub of a.pubs) {
    const miss = 1 - at(plan.svcHitRate, pub.service);
    for (const q of at(plan.svcQueues, pub.service)) {
      const r = at(load.qOffered, q) * 1000 * miss * (pub.whole + pub.frac);
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
    // A delivery holds a worker for its own time and an ack slot until acked, or ackWaitMs when it fails.
    const slotMs = (1 - c.failureRate) * c.meanMs + c.failureRate * Math.max(c.meanMs, c.ackWaitMs);
    const byWorkers = c.workers > 0 ? (c.deliverRps * c.meanMs) / 1000 / c.workers : Number.POSITIVE_INFINITY;
    c.rho = Math.max(byWorkers, (c.deliverRps * slotMs) / 1000 / c.maxAckPending);
  });
}
