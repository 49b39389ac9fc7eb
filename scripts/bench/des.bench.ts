import { createDesRun, getExample, parseTopology, type Topology } from '@busboard/core';
import { type Figures, median } from './util.ts';

function load(id: string): Topology {
  const ex = getExample(id);
  const parsed = ex && parseTopology(ex.doc);
  if (!parsed?.ok) throw new Error(`example ${id} is invalid`);
  return parsed.doc;
}

/** One run of exactly `requests` requests (precision 0: the stopping rule never fires). */
function timed(doc: Topology, requests: number, seed: number): { ms: number; cpuMs: number; events: number; requests: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = createDesRun({ doc, seed, requests, precision: 0 }).runToEnd();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, events: r.des.events, requests: r.des.requests };
}

/**
 * The discrete-event simulation's speed: events per second over 1,000,000-request runs of the
 * checkout example (plan, warm-up, statistics and result included), and the wall time of
 * such a run. Medians of 5 runs after one unmeasured warm-up run. Wall time on a shared machine
 * includes waiting for a core; the `_cpu_` figures count only this process's CPU time (one
 * thread does the work), which is what "on one core" means.
 */
export async function run(): Promise<Figures> {
  const checkout = load('checkout');
  timed(checkout, 200_000, 99);
  const runs = [1, 2, 3, 4, 5].map((seed) => timed(checkout, 1_000_000, seed));
  const shop = load('microbus-shop');
  timed(shop, 200_000, 99);
  const shopRuns = [1, 2, 3].map((seed) => timed(shop, 1_000_000, seed));
  return {
    des_events_per_sec: Math.round(median(runs.map((r) => r.events / (r.ms / 1000)))),
    des_checkout_1m_requests_ms: Math.round(median(runs.map((r) => r.ms))),
    des_events_per_cpu_sec: Math.round(median(runs.map((r) => r.events / (r.cpuMs / 1000)))),
    des_checkout_1m_requests_cpu_ms: Math.round(median(runs.map((r) => r.cpuMs))),
    des_checkout_events_per_request: +median(runs.map((r) => r.events / r.requests)).toFixed(2),
    des_microbus_shop_events_per_sec: Math.round(median(shopRuns.map((r) => r.events / (r.ms / 1000)))),
    des_microbus_shop_1m_requests_ms: Math.round(median(shopRuns.map((r) => r.ms))),
  };
}
