/**
 * Warming pods as what they are: a pod still warming up gets its full share of the requests
 * (a random split) at 1/warmupFactor of the pace, so its own queues run hotter than its
 * neighbours'. At an instant with warming pods the entries' latency is composed on that mixture
 * (engine/compose.ts `WarmingReplicas`): a request or call landing on bundle b in zone z meets a
 * warming pod with probability w/n there, whose stations have own times × f at the per-pod rate;
 * what it calls inside its own bundle stays on that pod (slow too). The other pods are stations
 * at their own pace. Everything else at the instant (CPU, the HPA's readings, ρ, the backlog)
 * keeps the bundle average (evaluate.ts). Not for designs with traffic classes or async
 * messaging (their stations are joint ones): those keep the bundle-average latency.
 */
import { placeWithInFlight } from '../engine/cap-blocking.ts';
import { Composer, summarize } from '../engine/compose.ts';
import type { Model } from '../engine/model.ts';
import { ownTime } from '../engine/own-time.ts';
import type { Scenario } from '../engine/placement.ts';
import { buildQueues } from '../engine/queues.ts';
import { sloFor } from '../engine/simulate.ts';
import { usesClasses } from '../engine/traffic-classes.ts';
import type { SimulationResult } from '../engine/types.ts';
import { type Station, station } from '../queue/station.ts';

/** Whether the mixture applies to this design (otherwise the bundle-average latency stands). */
export const warmingMixes = (model: Model): boolean => !model.async && !usesClasses(model.doc);

/**
 * Replaces `result`'s entry latencies (and SLO checks) by the warm/warming mixture. `model` has
 * the instant's rates and the pods' own pace (no averaging); `warming[b·Z + z]` counts the
 * warming pods among the ready ones (fractions: the part of the minute a pod still warms; the
 * other pods' figures are the same either way, so the minute's requests mix in that proportion),
 * `factor[b]` is the bundle's warmupFactor.
 */
export function mixWarming(model: Model, sc: Scenario, warming: Float64Array, factor: Float64Array, result: SimulationResult): void {
  const Z = model.zones.length;
  const { pl } = placeWithInFlight(model, sc);
  const q = buildQueues(model, pl);
  const share = new Float64Array(model.services.length * Z);
  const slowCls: (Station | null)[] = q.cls.slice();
  for (const s of model.services) {
    const f = factor[s.bundle] as number;
    const own = ownTime(s, pl.hit[s.index] as number).map((c) => ({ ...c, mean: c.mean * f }));
    for (let z = 0; z < Z; z++) {
      const i = s.index * Z + z;
      const n = sc.counts[s.bundle * Z + z] as number;
      const w = Math.min(n, warming[s.bundle * Z + z] as number);
      const st = q.cls[i];
      if (!st || w <= 0 || f === 1) continue;
      share[i] = w / n;
      // The same per-pod arrivals (and batches) at the slower pace.
      slowCls[i] = station({ lambda: st.lambda, workers: s.workers, own, cached: s.cache !== null, batch: batchOf(q, i, st.lambda * 1000) });
    }
  }
  const pace = Float64Array.from(model.services, (s) => factor[s.bundle] as number);
  const composer = new Composer(model, pl, q).withWarming({ share, pace, slow: new Composer(model, pl, { ...q, cls: slowCls }) });
  model.entries.forEach((e, ei) => {
    const name = model.services[e]?.name as string;
    const entry = result.entries[name];
    if (!entry) return;
    const composed = composer.entry(ei);
    entry.latencyMs = composed.dist ? summarize(composed.dist) : null;
    entry.reason = composed.reason;
    entry.slo = sloFor(model, name, entry.latencyMs, entry.successRate, entry.timeoutRate);
  });
}

/** The batch arrivals of class i as queues.ts gives them to its station (negligible ones stay Poisson). */
function batchOf(q: ReturnType<typeof buildQueues>, i: number, perReplicaRps: number) {
  const pairs = q.arrivals.pairs[i] as number;
  if (!(perReplicaRps > 0 && pairs > 1e-3 * perReplicaRps)) return undefined;
  return { pairRate: pairs / 1000, ahead: (q.arrivals.ahead[i] as number) / perReplicaRps, beyond: (q.arrivals.beyond[i] as number) / perReplicaRps };
}
