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
 * The fixed point of blocking and load is in cap-blocking.ts, the figures in inflight-figures.ts. A document with neither field takes none of these paths (`hasInFlight` is false for every
 * service): its figures are exactly those of v1.
 */
import { type Station, station, type TimeComponent } from '../queue/station.ts';
import type { ServiceModel } from './model.ts';

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
