/**
 * The ratio figures one replication contributes, as a numerator row and a denominator row
 * (stats.ts `RatioFigures`): per service its arrival rate and cache hit rate; per queue (replica
 * or shard) the arrival rate, utilization, mean sojourn, wait probability and mean wait; the
 * cross-zone and cross-region call rates. A rate has denominator 1; a denominator of 0 marks a
 * figure the replication has no value for. Latency distributions are not here: the simulator
 * writes them into sectioned histograms (stats.ts `SectionedDistribution`).
 */
import type { DesPlan } from './plan.ts';
import type { ReplicationTotals } from './sim.ts';

export interface Layout {
  service: number;
  queue: number;
  cross: number;
  width: number;
}

/** Per service: arrival rate, cache hit rate. */
export const SERVICE_FIELDS = 2;
/** Per queue: arrival rate, utilization, mean sojourn, wait probability, mean wait. */
export const QUEUE_FIELDS = 5;

export function layoutOf(plan: DesPlan): Layout {
  const service = 0;
  const queue = service + plan.serviceNames.length * SERVICE_FIELDS;
  const cross = queue + plan.nQueues * QUEUE_FIELDS;
  return { service, queue, cross, width: cross + 2 };
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
    const o = layout.service + s * SERVICE_FIELDS;
    let arrivals = 0;
    for (const q of plan.svcQueues[s] as number[]) arrivals += t.qArrivals[q] as number;
    rate(o, arrivals * perSec);
    if (plan.svcHasCache[s]) ratio(o + 1, t.serviceHits[s] as number, arrivals);
  });
  for (let q = 0; q < plan.nQueues; q++) {
    const o = layout.queue + q * QUEUE_FIELDS;
    const arrivals = t.qArrivals[q] as number;
    rate(o, arrivals * perSec);
    rate(o + 1, ((t.qBusyMs[q] as number) * perSec) / 1000 / (plan.qServers[q] as number));
    ratio(o + 2, t.qSojournMs[q] as number, t.qSojournN[q] as number);
    ratio(o + 3, t.qWaited[q] as number, arrivals);
    ratio(o + 4, t.qWaitMs[q] as number, arrivals);
  }
  // Cross-zone counts every call between zones, cross-region ones included (the contract's reading).
  rate(layout.cross, ((t.crossCalls[1] as number) + (t.crossCalls[2] as number)) * perSec);
  rate(layout.cross + 1, (t.crossCalls[2] as number) * perSec);
  return { num, den };
}
