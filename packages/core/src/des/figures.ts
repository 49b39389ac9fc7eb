/**
 * The figures one replication contributes, as one flat row: per entry the latency mean, P50,
 * P95 and P99; per service the sojourn mean and percentiles, arrival rate and hit rate; per
 * queue (replica or shard) the arrival rate, utilization, mean sojourn, wait probability and
 * mean wait; the cross-zone and cross-region call rates. NaN marks a figure the replication has no value for.
 */
import type { DesPlan } from './plan.ts';
import type { ReplicationTotals } from './sim.ts';

const QS = [0.5, 0.95, 0.99] as const;

export interface Layout {
  entry: number;
  service: number;
  queue: number;
  cross: number;
  width: number;
}

export const ENTRY_FIELDS = 4;
export const SERVICE_FIELDS = 6;
/** Per queue: arrival rate, utilization, mean sojourn, wait probability, mean wait. */
export const QUEUE_FIELDS = 5;

export function layoutOf(plan: DesPlan): Layout {
  const entry = 0;
  const service = entry + plan.entryNames.length * ENTRY_FIELDS;
  const queue = service + plan.serviceNames.length * SERVICE_FIELDS;
  const cross = queue + plan.nQueues * QUEUE_FIELDS;
  return { entry, service, queue, cross, width: cross + 2 };
}

export function rowOf(plan: DesPlan, layout: Layout, t: ReplicationTotals): Float64Array {
  const row = new Float64Array(layout.width).fill(Number.NaN);
  // Rates per recorded request times the known ingress rate: the ratio estimator drops the noise of
  // the Poisson clock (how long n arrivals happened to take) that counts per window would carry.
  const perSec = t.measured > 0 ? (plan.ingressRate * 1000) / t.measured : 0;
  t.entryHist.forEach((h, e) => {
    if (!h.count) return;
    const [p50, p95, p99] = h.quantiles(QS);
    const o = layout.entry + e * ENTRY_FIELDS;
    row[o] = h.mean();
    row[o + 1] = p50 as number;
    row[o + 2] = p95 as number;
    row[o + 3] = p99 as number;
  });
  plan.serviceNames.forEach((_, s) => {
    const o = layout.service + s * SERVICE_FIELDS;
    const h = t.serviceHist[s];
    if (h?.count) {
      const [p50, p95, p99] = h.quantiles(QS);
      row[o] = h.mean();
      row[o + 1] = p50 as number;
      row[o + 2] = p95 as number;
      row[o + 3] = p99 as number;
    }
    let arrivals = 0;
    for (const q of plan.svcQueues[s] as number[]) arrivals += t.qArrivals[q] as number;
    row[o + 4] = arrivals * perSec;
    if (plan.svcHasCache[s] && arrivals > 0) row[o + 5] = (t.serviceHits[s] as number) / arrivals;
  });
  for (let q = 0; q < plan.nQueues; q++) {
    const o = layout.queue + q * QUEUE_FIELDS;
    row[o] = (t.qArrivals[q] as number) * perSec;
    row[o + 1] = ((t.qBusyMs[q] as number) * perSec) / 1000 / (plan.qServers[q] as number);
    const n = t.qSojournN[q] as number;
    if (n > 0) row[o + 2] = (t.qSojournMs[q] as number) / n;
    const arrivals = t.qArrivals[q] as number;
    if (arrivals > 0) {
      row[o + 3] = (t.qWaited[q] as number) / arrivals;
      row[o + 4] = (t.qWaitMs[q] as number) / arrivals;
    }
  }
  // Cross-zone counts every call between zones, cross-region ones included (the contract's reading).
  row[layout.cross] = ((t.crossCalls[1] as number) + (t.crossCalls[2] as number)) * perSec;
  row[layout.cross + 1] = (t.crossCalls[2] as number) * perSec;
  return row;
}
