/**
 * The ratio figures one replication contributes, as a numerator row and a denominator row
 * (stats.ts `RatioFigures`): per service its arrival rate and cache hit rate; per queue (replica
 * or shard) the arrival rate, utilization, mean sojourn, wait probability and mean wait; the
 * cross-zone and cross-region call rates. A rate has denominator 1; a denominator of 0 marks a
 * figure the replication has no value for. Latency distributions are not here: the simulator
 * writes them into sectioned histograms (stats.ts `SectionedDistribution`).
 *
 * Every figure is read and written through {@link serviceFigure}, {@link queueFigure} and
 * {@link crossFigure} with a named field, never by offset arithmetic at the call site.
 */
import { at } from '../checked.ts';
import type { DesPlan } from './plan.ts';
import { CROSS_REGION, CROSS_ZONE } from './plan-types.ts';
import type { ReplicationTotals } from './replication-totals.ts';

export interface Layout {
  service: number;
  queue: number;
  cross: number;
  entry: number;
  width: number;
}

/** The figures of each service, by offset within the service's slot. */
export const SERVICE_FIELD = {
  arrivalRps: 0,
  cacheHitRate: 1,
  rejectedRps: 2,
  rejectionRate: 3,
  timeoutRate: 4,
  timedOutRps: 5,
  wastedWorkRate: 6,
  capRejectedRps: 7,
  capRejectionRate: 8,
} as const;
export const SERVICE_FIELDS = 9;
/** The figures of each queue, by offset within the queue's slot. */
export const QUEUE_FIELD = {
  arrivalRps: 0,
  utilization: 1,
  sojournMeanMs: 2,
  waitProbability: 3,
  meanWaitMs: 4,
  rejectionRate: 5,
  meanInFlight: 6,
} as const;
export const QUEUE_FIELDS = 7;
/** The system-wide call rates: cross-zone (cross-region included) and cross-region. */
export const CROSS_FIELD = { crossZoneRps: 0, crossRegionRps: 1 } as const;
export const CROSS_FIELDS = 2;
/** The figures of each entry: the share of its recorded requests that no replica rejected. */
export const ENTRY_FIELD = { successRate: 0, timeoutRate: 1, failureLatencyMs: 2 } as const;
export const ENTRY_FIELDS = 3;

export function layoutOf(plan: DesPlan): Layout {
  const service = 0;
  const queue = service + plan.serviceNames.length * SERVICE_FIELDS;
  const cross = queue + plan.nQueues * QUEUE_FIELDS;
  const entry = cross + CROSS_FIELDS;
  return { service, queue, cross, entry, width: entry + plan.entryNames.length * ENTRY_FIELDS };
}

/** Index of service s's figure `field` in a row. */
export function serviceFigure(layout: Layout, s: number, field: keyof typeof SERVICE_FIELD): number {
  return layout.service + s * SERVICE_FIELDS + SERVICE_FIELD[field];
}

/** Index of queue q's figure `field` in a row. */
export function queueFigure(layout: Layout, q: number, field: keyof typeof QUEUE_FIELD): number {
  return layout.queue + q * QUEUE_FIELDS + QUEUE_FIELD[field];
}

/** Index of entry e's figure `field` in a row. */
export function entryFigure(layout: Layout, e: number, field: keyof typeof ENTRY_FIELD): number {
  return layout.entry + e * ENTRY_FIELDS + ENTRY_FIELD[field];
}

/** Index of a system-wide call rate in a row. */
export function crossFigure(layout: Layout, field: keyof typeof CROSS_FIELD): number {
  return layout.cross + CROSS_FIELD[field];
}

export function rowOf(plan: DesPlan, layout: Layout, t: ReplicationTotals): { num: Float64Array; den: Float64Array } {
  const num = new Float64Array(layout.width);
  const den = new Float64Array(layout.width);
  const rate = (i: number, v: number) => {
    num[i] = v;
    den[i] = 1;
  };
  const ratio = (i: number, n: number, d: number) => {
    num[i] = n;
    den[i] = d;
  };
  // Rates per recorded request times the known ingress rate: the ratio estimator drops the noise of
  // the Poisson clock (how long n arrivals happened to take) that counts per window would carry.
  const perSec = t.measured > 0 ? (plan.ingressRate * 1000) / t.measured : 0;
  plan.serviceNames.forEach((_, s) => {
    let arrivals = 0;
    let rejected = 0;
    let capRejected = 0;
    for (const q of at(plan.svcQueues, s)) {
      arrivals += at(t.qArrivals, q);
      rejected += at(t.qRejected, q);
      capRejected += at(t.qCapRejected, q);
    }
    rate(serviceFigure(layout, s, 'capRejectedRps'), capRejected * perSec);
    ratio(serviceFigure(layout, s, 'capRejectionRate'), capRejected, arrivals);
    rate(serviceFigure(layout, s, 'arrivalRps'), arrivals * perSec);
    rate(serviceFigure(layout, s, 'rejectedRps'), rejected * perSec);
    ratio(serviceFigure(layout, s, 'rejectionRate'), rejected, arrivals);
    if (plan.svcHasCache[s]) ratio(serviceFigure(layout, s, 'cacheHitRate'), at(t.serviceHits, s), arrivals);
    if (t.budget) {
      // Time budgets (des/budget.ts): timeouts per arrival, and the own time they wasted in CPU-seconds per second.
      let timedOut = 0;
      let wastedMs = 0;
      for (const q of at(plan.svcQueues, s)) {
        timedOut += at(t.budget.qTimedOut, q);
        wastedMs += at(t.budget.qWastedMs, q);
      }
      ratio(serviceFigure(layout, s, 'timeoutRate'), timedOut, arrivals);
      rate(serviceFigure(layout, s, 'timedOutRps'), timedOut * perSec);
      rate(serviceFigure(layout, s, 'wastedWorkRate'), (wastedMs * perSec) / 1000);
    }
  });
  for (let q = 0; q < plan.nQueues; q++) {
    const arrivals = at(t.qArrivals, q);
    // Waits are those of admitted requests (all of them without a queue limit).
    const admitted = arrivals - at(t.qRejected, q);
    rate(queueFigure(layout, q, 'arrivalRps'), arrivals * perSec);
    rate(queueFigure(layout, q, 'utilization'), (at(t.qBusyMs, q) * perSec) / 1000 / at(plan.qServers, q));
    ratio(queueFigure(layout, q, 'sojournMeanMs'), at(t.qSojournMs, q), at(t.qSojournN, q));
    ratio(queueFigure(layout, q, 'waitProbability'), at(t.qWaited, q), admitted);
    ratio(queueFigure(layout, q, 'meanWaitMs'), at(t.qWaitMs, q), admitted);
    ratio(queueFigure(layout, q, 'rejectionRate'), at(t.qRejected, q), arrivals);
    // Little's law: held time of the requests admitted per recorded request × the ingress rate.
    rate(queueFigure(layout, q, 'meanInFlight'), t.measured > 0 ? (at(t.qHeldMs, q) * plan.ingressRate) / t.measured : 0);
  }
  // Cross-zone counts every call between zones, cross-region ones included (the contract's reading).
  rate(crossFigure(layout, 'crossZoneRps'), (at(t.crossCalls, CROSS_ZONE) + at(t.crossCalls, CROSS_REGION)) * perSec);
  rate(crossFigure(layout, 'crossRegionRps'), at(t.crossCalls, CROSS_REGION) * perSec);
  plan.entryNames.forEach((_, e) => {
    const n = at(t.entryMeasured, e);
    ratio(entryFigure(layout, e, 'successRate'), n - at(t.entryFailed, e), n);
    if (t.budget) {
      ratio(entryFigure(layout, e, 'timeoutRate'), at(t.budget.entryTimedOut, e), n);
      ratio(entryFigure(layout, e, 'failureLatencyMs'), at(t.budget.entryFailMs, e), at(t.budget.entryFailN, e));
    }
  });
  return { num, den };
}
