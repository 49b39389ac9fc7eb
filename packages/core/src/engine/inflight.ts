/**
 * In-flight caps and least-connections routing (schema v2 `services[].maxInFlight`,
 * `services[].routing: least-connections`; issue 17, flow8's channel pool behind nginx's
 * `least_conn`). The physics, and what is approximated, are in the core README ("In-flight
 * caps and least-connections"); in short:
 *
 * - A replica holds a request from admission to its response, downstream waits included. An
 *   arrival that finds `maxInFlight` held is rejected at once. What waits for a worker is held,
 *   so the line never exceeds cap − c: every capped replica's worker queue is bounded, workers
 *   min(c, cap), queue limit min(queueLimit, cap − c). On a *leaf* (no calls) that is all the
 *   cap does — exact M/M/c/K with cv 1 (queue/bounded.ts).
 * - Elsewhere the cap is a loss system on the whole response: Erlang B with N = maxInFlight
 *   and offered load λ·E[response] (insensitive to the response's distribution: queue/loss.ts),
 *   solved as a fixed point with the load the admitted requests put downstream (a rejection
 *   thins everything below, which shortens the response, which lowers the blocking). Exact when
 *   the replica never queues (workers ≥ cap, and the response independent of how many are
 *   held); the worker line's interaction with the cap is approximated (AGREEMENT.md).
 * - Least-connections: the n replicas a caller may use (one class: a bundle's replicas in one
 *   zone) act as one pool: the worker queue is the pooled M/M/(n·c) with its wait stretched for
 *   being committed to one replica's line (`joinShortest`; the pool alone is JSQ's lower bound), and
 *   the cap is pooled too: an arrival is rejected only when every replica is at its cap (the
 *   one with the fewest held is full), Erlang B over n·cap, or M/M/(n·c)/(n·cap) on a leaf.
 *   Validity `least-connections-approx`, error measured against the DES in AGREEMENT.md.
 *
 * The fixed point of blocking and load is in cap-blocking.ts. A document with neither field takes none of these paths (`hasInFlight` is false for every
 * service): its figures are exactly those of v1.
 */
import { type Station, station, type TimeComponent } from '../queue/station.ts';
import type { ComposeCache } from './compose.ts';
import type { Model, ServiceModel } from './model.ts';
import type { Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import type { InFlightResult, ReplicaResult, ValidityNote } from './types.ts';

/** A service whose replicas count what they hold (a cap, or least-connections routing). */
export function hasInFlight(s: Pick<ServiceModel, 'maxInFlight' | 'leastConnections'>): boolean {
  return s.maxInFlight !== null || s.leastConnections;
}

/** A capped leaf: what it holds is what is at its queue, so the cap is a line limit (exact). */
export function capIsLineLimit(s: Pick<ServiceModel, 'maxInFlight' | 'calls'>): boolean {
  return s.maxInFlight !== null && s.calls.length === 0;
}

/**
 * The station of one replica of class (s, z) of an in-flight service: `lamRps` the class's
 * arrivals (all n replicas), `capBlock` the share the cap turns away before the worker line
 * (0 on a leaf, whose cap is in the line limit). Least-connections pools the n replicas; the
 * pooled station's L and Lq are returned per replica.
 */
export function inFlightStation(s: ServiceModel, n: number, lamRps: number, capBlock: number, own: TimeComponent[], cached: boolean): Station {
  const pool = s.leastConnections ? n : 1;
  const cap = s.maxInFlight;
  let workers = s.workers;
  let limit: number | undefined = s.queueLimit ?? undefined;
  // Whatever is in the worker line is held, so the line never exceeds cap − c (on a leaf that is all the cap does).
  if (cap !== null) {
    workers = Math.min(workers, cap);
    limit = Math.min(limit ?? Number.POSITIVE_INFINITY, Math.max(0, cap - s.workers));
  }
  const st = station({
    lambda: ((lamRps * (1 - capBlock)) / n) * (pool / 1000),
    workers: workers * pool,
    own,
    cached,
    queueLimit: limit === undefined ? undefined : limit * pool,
  });
  if (pool === 1) return st;
  if (st.bounded || st.saturated || !(st.Wq > 0)) return { ...st, L: st.L / pool, Lq: st.Lq / pool };
  return joinShortest(st, pool);
}

/**
 * Least-connections over n replicas from the pooled M/M/(n·c) station `st` (JSQ on what each
 * replica holds). An arrival waits only when every worker of the pool is busy (the replica it
 * joins holds ≥ c, so all do): the wait probability stays the pool's C. But then it is committed
 * to one replica's line, behind ≈ j/n − (n − 1)/(2n) of the j the pool has waiting (the shortest
 * of n nearly even lines), each served at rate c·μ: E[wait | wait] ≈ ((n + 1)/2 + ρ/(1 − ρ)) /
 * (n·c·μ), against the pool's 1/((1 − ρ)·n·c·μ). So the pool's wait is scaled by
 *   f = (n + 1)(1 − ρ)/2 + ρ,
 * which is 1 for one replica (M/M/c exactly) and → 1 as ρ → 1 (JSQ's heavy-traffic optimality).
 * The conditional wait keeps the pool's shape with its mean × f. Measured against the DES over
 * n ∈ {2, 4, 8}, c ∈ {1, 2, 4}, ρ ∈ {0.5, 0.8, 0.9} in AGREEMENT.md.
 */
export function joinShortest(st: Station, n: number): Station {
  const f = ((n + 1) * (1 - st.rho)) / 2 + st.rho;
  const Wq = st.Wq * f;
  const W = Wq + st.ownMean;
  const lam = st.lambda / n;
  const shape: Station['shape'] = st.shape.kind === 'h2' ? { ...st.shape, rate1: st.shape.rate1 / f, rate2: st.shape.rate2 / f } : st.shape;
  return { ...st, lambda: st.lambda, Wq, W, Lq: lam * Wq, L: lam * W, waitRate: st.C / Wq, shape };
}

/** Per class: the cap's blocking and the mean response a replica holds a request for. */
export interface InFlight {
  /** Share of the class's arrivals turned away by the cap before the worker line: capBlock[s·Z + z]. */
  capBlock: Float64Array;
  /** Mean response (ms) of an admitted request at class (s, z), downstream included (NaN: none, or a leaf). */
  responseMs: Float64Array;
  /** The compositions the fixed point made, for the end-to-end composition to reuse (absent: none made). */
  cache?: ComposeCache;
}

/** A replica's rejection rate: the cap's share, then the line's share of what passed it. */
export function replicaRejection(capBlock: number, lineBlock: number): number {
  return capBlock > 0 ? capBlock + (1 - capBlock) * lineBlock : lineBlock;
}

/** What the in-flight figures of a service rest on (validity notes). */
export function inFlightNotes(s: ServiceModel): ValidityNote[] {
  const notes: ValidityNote[] = [];
  if (s.leastConnections)
    notes.push({
      code: 'least-connections-approx',
      message: `${s.name} routes by least connections: its replicas are taken as one pooled queue, the wait stretched for joining one replica's line (error measured in AGREEMENT.md)`,
    });
  if (s.maxInFlight !== null && !capIsLineLimit(s))
    notes.push({
      code: 'in-flight-approx',
      message: `${s.name} holds up to ${s.maxInFlight} requests across its calls: Erlang B on the mean response, its worker line taken as independent of the cap`,
    });
  return notes;
}

/**
 * The in-flight figures of service s; sets each replica's `meanInFlight`. A replica holds, on
 * average (Little), its admitted rate × mean response: on a leaf the station's L, elsewhere the
 * composed response (cap-blocking.ts).
 */
export function inFlightResult(
  model: Model,
  pl: Placement,
  q: Queues,
  s: ServiceModel,
  replicas: ReplicaResult[],
  inflight?: InFlight,
): InFlightResult {
  const Z = model.zones.length;
  let lamAll = 0;
  let capRejected = 0;
  let held = 0;
  let k = 0;
  for (let z = 0; z < Z; z++) {
    const st = q.cls[s.index * Z + z];
    if (!st) continue;
    const n = pl.scenario.counts[s.bundle * Z + z] as number;
    const lam = pl.lam[s.index * Z + z] as number;
    const cb = pl.capBlock[s.index * Z + z] as number;
    const admitted = (lam / n) * (1 - cb) * (1 - (st.bounded?.block ?? 0));
    const R = inflight?.responseMs[s.index * Z + z] ?? Number.NaN;
    const perReplica = s.calls.length === 0 || !Number.isFinite(R) ? (st.saturated ? 0 : st.L) : (admitted * R) / 1000;
    lamAll += lam;
    capRejected += lam * cb;
    held += perReplica * lam;
    for (let i = 0; i < n; i++) {
      const r = replicas[k++];
      if (r) r.meanInFlight = perReplica;
    }
  }
  const meanInFlight = lamAll > 0 ? held / lamAll : 0;
  const cap = s.maxInFlight;
  const leaf = capIsLineLimit(s);
  // When the line limit is the cap's own (cap − workers, no tighter queueLimit), a full line is a full cap.
  if (cap !== null && (s.queueLimit === null || s.queueLimit >= cap - s.workers)) {
    capRejected = 0;
    for (let z = 0; z < Z; z++) {
      const st = q.cls[s.index * Z + z];
      if (st) capRejected += (pl.lam[s.index * Z + z] as number) * replicaRejection(pl.capBlock[s.index * Z + z] as number, st.bounded?.block ?? 0);
    }
  }
  const lc = s.leastConnections;
  const method: InFlightResult['method'] = cap === null ? 'pooled' : leaf ? (lc ? 'pooled-mmck' : 'mmck') : lc ? 'pooled-erlang-b' : 'erlang-b';
  return {
    maxInFlight: cap,
    routing: s.leastConnections ? 'least-connections' : 'random',
    capRejectedRps: capRejected,
    capRejectionRate: lamAll > 0 ? capRejected / lamAll : 0,
    meanInFlight,
    capUtilization: cap === null ? null : meanInFlight / cap,
    method,
  };
}
