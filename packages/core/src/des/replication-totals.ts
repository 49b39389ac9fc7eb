/** The raw sums one replication of the DES (sim.ts) collects; the run (run.ts, figures.ts) turns them into estimates. */
import type { BudgetTotals, DesBudget } from './budget.ts';
import type { Histogram } from './histogram.ts';
import type { DesPlan } from './plan.ts';

/** What one replication measured, in raw sums; the run turns them into estimates. */
export interface ReplicationTotals {
  /** Length of the measurement window (ms) over which the admitted requests arrived. */
  windowMs: number;
  /** Requests admitted in the window (the recorded ones). */
  measured: number;
  /**
   * Where recorded latencies go: one histogram per entry and per service, owned by the run (they
   * collect a whole section of replications, so a replication does not reset them).
   */
  entryHist: Histogram[];
  serviceHist: Histogram[];
  qArrivals: Float64Array;
  qBusyMs: Float64Array;
  qSojournMs: Float64Array;
  qSojournN: Float64Array;
  /** Recorded requests that found every server busy, and their total wait (ms). */
  qWaited: Float64Array;
  qWaitMs: Float64Array;
  /** Recorded requests rejected because the queue's line was full (queue limits). */
  qRejected: Float64Array;
  /** Of those, rejected by the in-flight cap; and the total time recorded admitted requests were held (ms; routing.ts). */
  qCapRejected: Float64Array;
  qHeldMs: Float64Array;
  /** Recorded requests per entry, and those that failed (a call on their path rejected). */
  entryMeasured: Float64Array;
  entryFailed: Float64Array;
  serviceHits: Float64Array;
  /** Broker calls by crossing: [same zone, cross-zone, cross-region]. */
  crossCalls: Float64Array;
  events: number;
  /** Time budgets (des/budget.ts), when the document has them. */
  budget?: BudgetTotals;
}

/** Fresh totals for `plan`, recording latencies into the run's histograms. */
export function createTotals(plan: DesPlan, entryHist: Histogram[], serviceHist: Histogram[], budget: DesBudget | null): ReplicationTotals {
  return {
    windowMs: 0,
    measured: 0,
    entryHist,
    serviceHist,
    qArrivals: new Float64Array(plan.nQueues),
    qBusyMs: new Float64Array(plan.nQueues),
    qSojournMs: new Float64Array(plan.nQueues),
    qSojournN: new Float64Array(plan.nQueues),
    qWaited: new Float64Array(plan.nQueues),
    qWaitMs: new Float64Array(plan.nQueues),
    qRejected: new Float64Array(plan.nQueues),
    qCapRejected: new Float64Array(plan.nQueues),
    qHeldMs: new Float64Array(plan.nQueues),
    entryMeasured: new Float64Array(plan.entryNames.length),
    entryFailed: new Float64Array(plan.entryNames.length),
    serviceHits: new Float64Array(plan.serviceNames.length),
    crossCalls: new Float64Array(3),
    events: 0,
    ...(budget ? { budget: budget.totals } : {}),
  };
}

/** Zeroes the sums for a new replication of `measured` recorded requests (the histograms keep theirs). */
export function clearTotals(t: ReplicationTotals, measured: number): void {
  t.qArrivals.fill(0);
  t.qBusyMs.fill(0);
  t.qSojournMs.fill(0);
  t.qSojournN.fill(0);
  t.qWaited.fill(0);
  t.qWaitMs.fill(0);
  t.qRejected.fill(0);
  t.qCapRejected.fill(0);
  t.qHeldMs.fill(0);
  t.entryMeasured.fill(0);
  t.entryFailed.fill(0);
  t.serviceHits.fill(0);
  t.crossCalls.fill(0);
  t.windowMs = 0;
  t.measured = measured;
  t.events = 0;
}
