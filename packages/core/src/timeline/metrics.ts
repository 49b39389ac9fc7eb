/** The per-replica figures the HPA's custom metrics read, from an engine result. */
import type { Model } from '../engine/model.ts';

/**
 * What the HPA and the backlog read from the engine at an instant: each bundle's per-replica CPU
 * per zone and each service's replicas per zone. A SimulationResult is one; evaluate.ts also
 * builds a lighter one from the placement and the stations alone (the syncs between minutes).
 */
export interface Readings {
  bundles: Record<string, { zones: Record<string, { cpuUtilization: number }> } | undefined>;
  services: Record<
    string,
    | {
        replicasDetail: { zone: string; arrivalRps: number; utilization: number; meanInSystem: number | null; meanWaitMs: number | null }[];
      }
    | undefined
  >;
}

/** Per-replica figures of one zone's bundle from an engine result: what its HPA reads, and the backlog's inputs. */
export function zoneLoad(model: Model, res: Readings, b: number, z: number) {
  const zone = model.zones[z] as string;
  const out: { service: number; lam: number; rho: number; inSystem: number | null; waiting: number }[] = [];
  for (const si of model.bundles[b]?.services ?? []) {
    const s = model.services[si];
    const r = s ? res.services[s.name]?.replicasDetail.find((x) => x.zone === zone) : undefined;
    if (!s || !r) continue;
    out.push({ service: si, lam: r.arrivalRps, rho: r.utilization, inSystem: r.meanInSystem, waiting: (r.arrivalRps * (r.meanWaitMs ?? 0)) / 1000 });
  }
  return out;
}

/** In-flight (requests a replica holds: waiting and in service) or queue depth (waiting), per ready replica, backlog included. */
export function customMetric(model: Model, res: Readings, metric: 'inFlight' | 'queueDepth', b: number, z: number, backlog: Float64Array): number {
  const Z = model.zones.length;
  let v = 0;
  for (const l of zoneLoad(model, res, b, z)) {
    const extra = backlog[l.service * Z + z] as number;
    const workers = model.services[l.service]?.workers ?? 1;
    if (metric === 'inFlight') v += (l.inSystem ?? workers) + extra;
    else v += (l.inSystem === null ? 0 : l.waiting) + extra;
  }
  return v;
}
