/**
 * The DES's async figures in the engine's contract (engine/async-types.ts): `result.async` and
 * every publishing entry's `events`, with 99 % intervals in `des.intervals` (rates,
 * utilizations, pending counts, drain times) and in the percentiles' `ci`.
 *
 * Stream storage follows from the measured ingest: a stored message takes its payload, its
 * subject and {@link MSG_OVERHEAD_BYTES} (JetStream's file-store record: a 22-byte header and an
 * 8-byte checksum). Growth per day, steady size and time to a limit are read from those rates
 * and the stream's limits (limits retention: the oldest go at a limit; interest and workqueue:
 * a message goes once every consumer acked it, so the stream holds what waits or is unacked).
 */
import { at } from '../checked.ts';
import { dict } from '../dict.ts';
import type { AsyncResult, ConsumerResult, EntryEvents, EventLatency, StreamResult, SubjectFlow } from '../engine/async-types.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { StreamT, Topology } from '../schema/topology.ts';
import { type AsyncStats, consumerFigure } from './async-figures.ts';
import type { AsyncPlan } from './async-plan.ts';
import type { DesPlan } from './plan.ts';
import { percentiles } from './result.ts';
import { interval } from './stats.ts';

export const MSG_OVERHEAD_BYTES = 30;
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
    latency: at(handlerLatency, k),
  }));
  const consumers = a.consumers.map((_, c) => consumerResult(plan, stats, r, c));
  const streams = dict<StreamResult>();
  (doc.streams ?? []).forEach((s, i) => {
    streams[s.name] = streamResult(plan, s, i, subjects, consumers);
  });
  result.async = { subjects, subscriptions, streams } satisfies AsyncResult;
  entryEvents(doc, plan, stats, r, handlerLatency, consumers, result);
}

function consumerResult(plan: DesPlan, stats: AsyncStats, r: Reader, c: number): ConsumerResult {
  const a = plan.async as AsyncPlan;
  const spec = at(a.consumers, c);
  const stream = a.streams[spec.stream]?.name ?? '';
  const path = `async.streams[${key(stream)}].consumers[${key(spec.name)}]`;
  const fig = (f: Parameters<typeof consumerFigure>[2]) => r.read(consumerFigure(stats.layout, c, f), `${path}.${f}`);
  const stable = spec.rho < 1 && spec.workers > 0;
  const concurrency = Math.min(spec.workers, spec.maxAckPending);
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
    ackPendingLimited: spec.maxAckPending < spec.workers,
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
  const zoneBytes = new Float64Array(plan.nZones);
  a.subjects.forEach((subject, k) => {
    if (a.subjectStream[k] !== i) return;
    const f = subjects[subject] as SubjectFlow;
    ingestRps += f.publishRps;
    bytesPerSec += f.bytesPerSec;
    storedPerSec += f.bytesPerSec + f.publishRps * (subject.length + MSG_OVERHEAD_BYTES);
    // Publishers' zones in forced-flow proportion, for the bytes that cross to the leader.
    const zr = at(a.subjectZoneRate, k);
    const total = zr.reduce((x, y) => x + y, 0);
    if (total > 0)
      zr.forEach((v, z) => {
        zoneBytes[z] = at(zoneBytes, z) + (f.bytesPerSec * v) / total;
      });
  });
  const msgBytes = ingestRps > 0 ? storedPerSec / ingestRps : 0;
  const mine = consumers.filter((c) => c.stream === s.name);
  const leaderZone = place.leaderZone;
  const leaderName = leaderZone >= 0 ? plan.zoneNames[leaderZone] : undefined;
  const followersElsewhere = place.replicas.filter((p) => p.role === 'follower' && p.zone !== leaderName).length;
  const toLeader = leaderZone < 0 ? 0 : zoneBytes.reduce((n, b, z) => n + (z === leaderZone ? 0 : b), 0);
  return {
    name: s.name,
    cluster: place.cluster,
    ingestRps,
    bytesPerSec,
    storageBytesPerDay: storedPerSec * DAY,
    storageBytesPerDayAllReplicas: storedPerSec * DAY * Math.max(1, place.replicas.length),
    ...limitsOf(s, ingestRps, storedPerSec, msgBytes, mine),
    replicas: place.replicas.map((p) => ({ ...p, msgsPerSec: ingestRps, bytesPerSec: storedPerSec })),
    crossZoneBytesPerSec: toLeader + followersElsewhere * bytesPerSec,
    publishAckMs: place.publishAckMs,
    consumers: Object.fromEntries(mine.map((c) => [c.name, c])),
  };
}

/** Steady size and the first limit reached, from empty. */
function limitsOf(
  s: StreamT,
  rps: number,
  bytesPerSec: number,
  msgBytes: number,
  consumers: ConsumerResult[],
): Pick<StreamResult, 'steadyBytes' | 'timeToLimitSeconds' | 'limit'> {
  if (s.retention !== 'limits' && consumers.length > 0 && consumers.every((c) => c.stable)) {
    // Interest / workqueue: what waits for (or is unacked by) the slowest consumer.
    const held = Math.max(...consumers.map((c) => (c.meanPending ?? 0) + (c.meanAckPending ?? 0)));
    return { steadyBytes: held * msgBytes, timeToLimitSeconds: null, limit: null };
  }
  const times: { limit: 'maxBytes' | 'maxMsgs' | 'maxAge'; t: number }[] = [];
  if (s.maxBytes !== undefined && bytesPerSec > 0) times.push({ limit: 'maxBytes', t: s.maxBytes / bytesPerSec });
  if (s.maxMsgs !== undefined && rps > 0) times.push({ limit: 'maxMsgs', t: s.maxMsgs / rps });
  if (s.maxAgeSeconds !== undefined) times.push({ limit: 'maxAge', t: s.maxAgeSeconds });
  if (times.length === 0) return { steadyBytes: rps > 0 ? null : 0, timeToLimitSeconds: null, limit: null };
  const first = times.reduce((x, y) => (y.t < x.t ? y : x));
  return {
    steadyBytes: bytesPerSec * first.t,
    timeToLimitSeconds: first.limit === 'maxAge' ? null : first.t,
    limit: first.limit,
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
