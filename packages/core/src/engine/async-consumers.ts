/**
 * JetStream consumers as queues (schema v3, issue 18; engine/README.md "Consumers").
 *
 * A consumer's handlers pull from one shared queue (the stream), so they are one pooled M/G/c:
 * c = min(live replicas × workers, maxAckPending less the slots failed messages hold while they
 * wait out `ackWaitMs`). A delivery fails with probability f (not acked) and comes back after
 * ackWaitMs, so deliveries arrive at λ/(1 − f). Lag after a burst or an outage drains, fluid, at
 * the spare completion rate: backlog / ((1 − f)(c·μ − λ/(1 − f))) = backlog / ((1 − f)c·μ − λ).
 */
import { add, addCopies, coarsen, dtOf, type Lattice, mix, pointMass, shift, zero } from '../distribution/lattice.ts';
import { type Station, station } from '../queue/station.ts';
import type { AsyncFlows } from './async-flows.ts';
import type { AsyncModel, ConsumerModel } from './async-model.ts';
import { netCost, publishAckMs } from './async-streams.ts';
import type { AsyncWhatIf, ConsumerResult, EventLatency } from './async-types.ts';
import { summarize } from './compose.ts';
import type { Model } from './model.ts';
import { liveReplicas, type Placement } from './placement.ts';
import { gammaOf, withWait } from './sojourn.ts';

/** Redeliveries beyond this many are dropped from the latency mixture once their chance is below 1e-9. */
const MAX_REDELIVERIES = 30;

export interface ConsumerQueue {
  result: ConsumerResult;
  station: Station | null;
  /** Share of its live replicas in each zone (deliveries are spread evenly over the pulling replicas). */
  zones: Float64Array;
  /** Handler worker-seconds per second (CPU of the service's replicas, spread evenly). */
  work: number;
}

export function consumerQueue(
  model: Model,
  am: AsyncModel,
  flows: AsyncFlows,
  pl: Placement,
  ci: number,
  whatIf: AsyncWhatIf | undefined,
): ConsumerQueue {
  const c = am.consumers[ci] as ConsumerModel;
  const Z = model.zones.length;
  const stream = am.streams[c.stream];
  const svc = model.services[c.service];
  const lam = flows.consumerRate[ci] as number;
  const f = c.failureRate;
  const deliver = lam / (1 - f);
  const S = c.serviceTimeMs;
  const replicas = svc ? liveReplicas(model, pl.scenario, svc.bundle) : 0;
  const zones = new Float64Array(Z);
  for (let z = 0; z < Z && svc; z++) zones[z] = replicas > 0 ? (pl.scenario.counts[svc.bundle * Z + z] as number) / replicas : 0;
  // Failed deliveries stay unacknowledged until ackWaitMs passes: they hold ack-pending slots, not workers.
  const failHeld = (deliver * f * Math.max(0, c.ackWaitMs - S)) / 1000;
  const byWorkers = replicas * c.workers;
  const byAcks = Math.max(0, Math.floor(c.maxAckPending - failHeld + 1e-9));
  const concurrency = Math.min(byWorkers, byAcks);
  const offered = (deliver * S) / 1000;
  const st =
    concurrency > 0 && deliver > 0
      ? station({ lambda: deliver / 1000, workers: concurrency, own: [{ weight: 1, mean: S, cv: c.serviceTimeCv }] })
      : null;
  const stable = deliver === 0 || (st !== null && !st.saturated);
  const utilization = concurrency > 0 ? offered / concurrency : deliver > 0 ? Math.max(1, offered) : 0;
  const backlog =
    whatIf && (whatIf.eventBurst || whatIf.consumerOutageSeconds) ? (whatIf.eventBurst ?? 0) + lam * (whatIf.consumerOutageSeconds ?? 0) : null;
  const spare = (1 - f) * ((concurrency * 1000) / S) - lam; // completions per second beyond arrivals
  const handler = `${stream?.name ?? c.stream}/${c.name}`;
  const why = !flows.up[c.stream]
    ? `stream ${stream?.name} has lost its quorum: nothing is stored`
    : replicas === 0
      ? `${svc?.name} has no live replica`
      : !stable
        ? `consumer ${handler} cannot keep up (ρ ${utilization.toFixed(2)}): lag grows without bound`
        : null;
  const result: ConsumerResult = {
    name: c.name,
    stream: stream?.name ?? '',
    service: svc?.name ?? '',
    deliverRps: deliver,
    redeliverRps: deliver - lam,
    concurrency,
    ackPendingLimited: byAcks < byWorkers,
    utilization,
    stable,
    meanPending: stable ? (st?.Lq ?? 0) : null,
    meanAckPending: stable ? offered + failHeld : null,
    backlog,
    lagDrainSeconds: backlog !== null && stable && spare > 0 ? backlog / spare : null,
    latency: { kind: 'consumer', handler, latencyMs: null, reason: why },
  };
  return { result, station: st, zones, work: offered };
}

/**
 * Publish → handled through a consumer: the publish ack path (publish → stored on a quorum), the
 * delivery from the leader to the pulling replica (a pull and its message: one call's cost), the
 * wait for a handler and the handling; a message that fails k times also waits k × ackWaitMs and
 * k more times for a handler.
 */
export function consumerLatency(model: Model, am: AsyncModel, flows: AsyncFlows, q: ConsumerQueue, ci: number): EventLatency {
  const out = q.result.latency;
  if (out.reason || !q.station) return out.reason ? out : { ...out, reason: 'no messages reach it' };
  const c = am.consumers[ci] as ConsumerModel;
  const Z = model.zones.length;
  const leader = flows.live[c.stream]?.[0];
  const ingest = flows.ingest[c.stream] as number;
  const from = flows.ingestFrom[c.stream] as Float64Array;
  const handle = withWait(gammaOf(c.serviceTimeMs, c.serviceTimeCv), q.station);
  const net: { weight: number; dist: Lattice }[] = [];
  for (let zp = 0; zp < Z; zp++) {
    const wp = ingest > 0 ? (from[zp] as number) / ingest : 0;
    if (!(wp > 0) || !leader) continue;
    const ack = publishAckMs(model, flows, c.stream, zp) ?? 0;
    for (let zc = 0; zc < Z; zc++) {
      const wc = q.zones[zc] as number;
      if (wc > 0) net.push({ weight: wp * wc, dist: pointMass(ack + netCost(model, leader.zone, zc), handle.k) });
    }
  }
  let dist = handle;
  const f = c.failureRate;
  if (f > 0) {
    // Redeliveries: k failures add k × ackWaitMs and k more waits (coarsened first, so the mixture stays ~2,048 points).
    let K = 1;
    while (K < MAX_REDELIVERIES && f ** (K + 1) > 1e-9) K++;
    let base = handle;
    while ((K * c.ackWaitMs) / dtOf(base.k) > 2048) base = coarsen(base);
    const wait = withWait(zero(base.k), q.station);
    const parts = [];
    for (let k = 0; k <= K; k++) parts.push({ weight: f ** k * (1 - f), dist: shift(k ? add(base, addCopies(wait, k)) : base, k * c.ackWaitMs) });
    dist = mix(parts);
  }
  const composed = net.length ? add(dist, mix(net)) : dist;
  return { ...out, latencyMs: summarize(composed), reason: null };
}
