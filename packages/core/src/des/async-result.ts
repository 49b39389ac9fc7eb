/**
 * The DES's async figures in the engine's contract (engine/async-types.ts): `result.async` and
 * every publishing entry's `events`, with 99 % intervals in `des.intervals` (rates,
 * utilizations, pending counts, drain times) and in the percentiles' `ci`.
 *
 * Stream storage follows from the measured ingest: a stored message takes its payload, its
 * subject and a record overhead ({@link FILE_RECORD_OVERHEAD}, {@link MEMORY_RECORD_OVERHEAD}).
 * Growth per day, steady size and time to a limit are read from those rates and the stream's
 * limits (`retention`), as the analytic engine reads them from its rates.
 */
import { at } from '../checked.ts';
import { dict } from '../dict.ts';
import { streamRetention } from '../engine/async-streams.ts';
import type { AsyncResult, ConsumerResult, EntryEvents, EventLatency, StreamResult, SubjectFlow } from '../engine/async-types.ts';
import { limitsOf } from '../engine/limits.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { StreamT, Topology } from '../schema/topology.ts';
import { type AsyncStats, consumerFigure } from './async-figures.ts';
import { concurrencyOf } from './async-plan.ts';
import type { AsyncPlan } from './async-tables.ts';
import { asyncWarnings, consumerBindings } from './async-warnings.ts';
import type { DesPlan } from './plan.ts';
import { percentiles } from './result.ts';
import { interval } from './stats.ts';

/** JetStream's file store: 4 (length) + 8 (sequence) + 8 (timestamp) + 2 (subject length) + 8 (hash) bytes per record beside subject and payload. */
export const FILE_RECORD_OVERHEAD = 30;
/** Its memory store: 16 bytes (sequence and timestamp) beside subject and payload. */
export const MEMORY_RECORD_OVERHEAD = 16;
const DAY = 86_400;

const key = (name: string) => JSON.stringify(name);

class Reader {
  constructor(
    private readonly stats: AsyncStats,
    readonly intervals: Record<string, [number, number]>,
  ) {}

  /** The pooled estimate of figure i (NaN when never measured), its interval recorded under `path`. */
  read(i: number, path: string): number {
    const e = this.stats.ratios.estimate(i);
    if (e.n > 1) this.intervals[path] = interval(e);
    return e.n === 0 ? Number.NaN : e.mean;
  }
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);
const orZero = (v: number) => (Number.isFinite(v) ? v : 0);

/** Fills `result.async` and the entries' `events` from the replications. */
export function addAsync(
  doc: Topology,
  plan: DesPlan,
  stats: AsyncStats,
  result: SimulationResult,
  intervals: Record<string, [number, number]>,
): void {
  const a = plan.async as AsyncPlan;
  const r = new Reader(stats, intervals);
  const pubRps = a.pubs.map((_, i) => orZero(r.read(stats.layout.pub + i, `async.publishes[${i}]`)));
  const subjects = dict<SubjectFlow>();
  a.subjects.forEach((subject, k) => {
    const mine = a.pubs.flatMap((p, i) => (p.subject === k ? [i] : []));
    const st = at(a.subjectStream, k);
    subjects[subject] = {
      subject,
      publishers: [...new Set(mine.map((i) => at(plan.serviceNames, at(a.pubs, i).service)))],
      publishRps: mine.reduce((n, i) => n + at(pubRps, i), 0),
      bytesPerSec: mine.reduce((n, i) => n + at(pubRps, i) * at(a.pubs, i).bytes, 0),
      stream: st >= 0 ? at(a.streams, st).name : null,
    };
  });
  const handlerLatency: EventLatency[] = a.handlers.map((h, k) => {
    const latencyMs = h.finite ? percentiles(stats.handlers[k]) : null;
    return {
      kind: 'subscription',
      handler: at(plan.serviceNames, h.service),
      latencyMs,
      reason: latencyMs ? null : (h.reason ?? 'no event handled'),
    };
  });
  const subscriptions = a.handlers.map((h, k) => ({
    service: at(plan.serviceNames, h.service),
    index: h.index,
    subject: h.pattern,
    delivery: h.delivery,
    queueGroup: h.delivery === 'replica' ? null : (h.queueGroup ?? at(plan.serviceNames, h.service)),
    deliverRps: orZero(r.read(stats.layout.handler + k, `async.subscriptions[${k}].deliverRps`)),
    crossZoneBytesPerSec: orZero(r.read(stats.layout.handlerBytes + 2 * k, `async.subscriptions[${k}].crossZoneBytesPerSec`)),
    crossRegionBytesPerSec: orZero(r.read(stats.layout.handlerBytes + 2 * k + 1, `async.subscriptions[${k}].crossRegionBytesPerSec`)),
    latency: at(handlerLatency, k),
  }));
  const consumers = a.consumers.map((_, c) => consumerResult(plan, stats, r, c));
  const streams = dict<StreamResult>();
  (doc.streams ?? []).forEach((s, i) => {
    streams[s.name] = streamResult(plan, s, i, subjects, consumers);
  });
  result.async = { subjects, subscriptions, streams } satisfies AsyncResult;
  // The engine's warnings and headroom constraints of async messaging, on the measured figures.
  result.warnings.push(...asyncWarnings(doc, a, result.async, plan.serviceNames));
  Object.assign(result, limitsOf(result.services, result.bundles, result.databases, result.brokers, consumerBindings(result.async)));
  entryEvents(doc, plan, stats, r, handlerLatency, consumers, result);
}

function consumerResult(plan: DesPlan, stats: AsyncStats, r: Reader, c: number): ConsumerResult {
  const a = plan.async as AsyncPlan;
  const spec = at(a.consumers, c);
  const stream = a.streams[spec.stream]?.name ?? '';
  const path = `async.streams[${key(stream)}].consumers[${key(spec.name)}]`;
  const fig = (f: Parameters<typeof consumerFigure>[2]) => r.read(consumerFigure(stats.layout, c, f), `${path}.${f}`);
  const stable = spec.rho < 1;
  const { concurrency, byWorkers, byAcks } = concurrencyOf(spec);
  const place = a.streams[spec.stream];
  const latencyMs = stable ? percentiles(stats.consumers[c]) : null;
  const handler = `${stream}/${spec.name}`;
  const drainMs = stable ? fig('drainMs') : Number.NaN;
  return {
    name: spec.name,
    stream,
    service: at(plan.serviceNames, spec.service),
    deliverRps: stable ? orZero(fig('deliverRps')) : spec.deliverRps,
    redeliverRps: stable ? orZero(fig('redeliverRps')) : spec.deliverRps * spec.failureRate,
    concurrency,
    ackPendingLimited: byAcks < byWorkers,
    utilization: stable ? orZero(fig('utilization')) : spec.rho,
    stable,
    meanPending: stable ? orNull(fig('meanPending')) : null,
    meanAckPending: stable ? orNull(fig('meanAckPending')) : null,
    backlog: Number.isFinite(drainMs) ? orNull(fig('backlog')) : null,
    lagDrainSeconds: Number.isFinite(drainMs) ? drainMs / 1000 : null,
    latency: {
      kind: 'consumer',
      handler,
      latencyMs,
      reason: latencyMs
        ? null
        : !place?.up
          ? `stream ${stream} has lost its quorum: nothing is stored`
          : spec.workers === 0
            ? `${at(plan.serviceNames, spec.service)} has no live replica`
            : stable
              ? 'no message handled'
              : `consumer ${handler} cannot keep up (ρ ${spec.rho.toFixed(2)}): lag grows without bound`,
    },
  };
}

/** Storage, limits, placement and replication traffic of stream i from its measured ingest. */
function streamResult(plan: DesPlan, s: StreamT, i: number, subjects: Record<string, SubjectFlow>, consumers: ConsumerResult[]): StreamResult {
  const a = plan.async as AsyncPlan;
  const place = at(a.streams, i);
  let ingestRps = 0;
  let bytesPerSec = 0;
  let storedPerSec = 0;
  let ackSum = 0;
  const zoneBytes = new Float64Array(plan.nZones);
  const overhead = s.storage === 'memory' ? MEMORY_RECORD_OVERHEAD : FILE_RECORD_OVERHEAD;
  a.subjects.forEach((subject, k) => {
    if (a.subjectStream[k] !== i || !place.up) return;
    const f = subjects[subject] as SubjectFlow;
    ingestRps += f.publishRps;
    bytesPerSec += f.bytesPerSec;
    storedPerSec += f.bytesPerSec + f.publishRps * (subject.length + overhead);
    // Publishers' zones in forced-flow proportion: the bytes that cross to the leader, the ack each waits.
    const zr = at(a.subjectZoneRate, k);
    const total = zr.reduce((x, y) => x + y, 0);
    if (total > 0)
      zr.forEach((v, z) => {
        zoneBytes[z] = at(zoneBytes, z) + (f.bytesPerSec * v) / total;
        ackSum += ((f.publishRps * v) / total) * at(place.storeMs, z);
      });
  });
  const mine = consumers.filter((c) => c.stream === s.name);
  const leaderZone = place.leaderZone;
  let crossZone = 0;
  if (leaderZone >= 0) {
    const leaderName = plan.zoneNames[leaderZone];
    crossZone += place.replicas.filter((p) => p.role === 'follower' && p.zone !== leaderName).length * bytesPerSec;
    crossZone += zoneBytes.reduce((n, b, z) => n + (z === leaderZone ? 0 : b), 0);
    // Deliveries to consumer replicas in other zones (redeliveries included; replicas drawn evenly).
    const perMsg = ingestRps > 0 ? bytesPerSec / ingestRps : 0;
    a.consumers.forEach((c, ci) => {
      if (c.stream !== i || c.replicaZones.length === 0) return;
      const away = c.replicaZones.filter((z) => z !== leaderZone).length / c.replicaZones.length;
      crossZone += (consumers[ci]?.deliverRps ?? 0) * away * perMsg;
    });
  }
  return {
    name: s.name,
    cluster: place.cluster,
    ingestRps,
    bytesPerSec,
    storageBytesPerDay: storedPerSec * DAY,
    storageBytesPerDayAllReplicas: storedPerSec * DAY * place.placed,
    ...streamRetention(
      { retention: s.retention, maxAgeSeconds: s.maxAgeSeconds ?? null, maxBytes: s.maxBytes ?? null, maxMsgs: s.maxMsgs ?? null },
      ingestRps,
      storedPerSec,
      mine,
    ),
    replicas: place.replicas.map((p) => ({ ...p, msgsPerSec: ingestRps, bytesPerSec: storedPerSec })),
    crossZoneBytesPerSec: crossZone,
    publishAckMs: ingestRps > 0 ? ackSum / ingestRps : leaderZone >= 0 ? at(place.storeMs, leaderZone) : 0,
    consumers: Object.fromEntries(mine.map((c) => [c.name, c])),
  };
}

/** Per publishing entry: its publish rate, and the latency of every handler of what its requests publish. */
function entryEvents(
  doc: Topology,
  plan: DesPlan,
  stats: AsyncStats,
  r: Reader,
  handlerLatency: EventLatency[],
  consumers: ConsumerResult[],
  result: SimulationResult,
): void {
  const a = plan.async as AsyncPlan;
  plan.entryNames.forEach((name, e) => {
    const reach = reachable(doc, at(plan.entryService, e));
    const subjects = new Set(a.pubs.filter((p) => reach.has(p.service)).map((p) => p.subject));
    if (subjects.size === 0) return;
    const handlers: EventLatency[] = [];
    a.handlers.forEach((_, h) => {
      if (a.subjectTargets.some((ts, k) => subjects.has(k) && ts.some((t) => t.candHandler.includes(h)))) handlers.push(at(handlerLatency, h));
    });
    consumers.forEach((c, ci) => {
      if ([...subjects].some((k) => at(a.subjectConsumers, k).includes(ci))) handlers.push(c.latency);
    });
    const events: EntryEvents = {
      publishedRps: orZero(r.read(stats.layout.entry + e, `entries[${key(name)}].events.publishedRps`)),
      handlers,
    };
    const entry = result.entries[name];
    if (entry) entry.events = events;
  });
}

/** Services a request to `root` can reach through calls (itself included). */
function reachable(doc: Topology, root: number): Set<number> {
  const index = new Map(doc.services.map((s, i) => [s.name, i]));
  const seen = new Set<number>([root]);
  const stack = [root];
  for (let s = stack.pop(); s !== undefined; s = stack.pop())
    for (const c of doc.services[s]?.calls ?? []) {
      const k = index.get(c.to);
      if (k !== undefined && !seen.has(k)) {
        seen.add(k);
        stack.push(k);
      }
    }
  return seen;
}
