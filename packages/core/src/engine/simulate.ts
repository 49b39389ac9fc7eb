/**
 * The analytic engine's entry point. This first slice computes load, per-replica
 * utilization under random queue-group dispatch, CPU per bundle and headroom; the full
 * engine (locality, queues, end-to-end percentiles, caches, brokers) replaces it.
 */
import type { Topology } from '../schema/topology.ts';
import { serviceLoad } from './load.ts';
import type { BundleResult, ServiceResult, SimulateOptions, SimulationResult } from './types.ts';

export function simulate(doc: Topology, options: SimulateOptions = {}): SimulationResult {
  const scale = options.scale ?? 1;
  const failed = new Set(options.failZones ?? []);
  const load = serviceLoad(doc, scale);
  const bundleOf = new Map<string, Topology['bundles'][number]>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b);

  const services: Record<string, ServiceResult> = {};
  let headroom = Number.POSITIVE_INFINITY;
  let bottleneck: string | null = null;
  let worst = -1;
  for (const svc of doc.services) {
    const bundle = bundleOf.get(svc.name);
    const zones = Object.entries(bundle?.replicas ?? {}).filter(([z, n]) => n > 0 && !failed.has(z));
    const replicas = zones.reduce((n, [, k]) => n + k, 0);
    const lambda = load.services.get(svc.name) ?? 0;
    const perReplica = replicas > 0 ? lambda / replicas : 0;
    const rho = (perReplica * svc.serviceTimeMs) / 1000 / svc.workers;
    const capacityPerReplica = (svc.workers * 1000) / svc.serviceTimeMs;
    const unavailable = replicas === 0 && lambda > 0;
    const saturated = rho >= 1;
    const replicasNeeded = Math.ceil(lambda / capacityPerReplica + 1e-12);
    if (rho > 0) headroom = Math.min(headroom, 1 / rho);
    if (rho > worst && replicas > 0) {
      worst = rho;
      bottleneck = lambda > 0 ? svc.name : bottleneck;
    }
    services[svc.name] = {
      arrivalRps: lambda,
      replicas,
      utilization: rho,
      meanUtilization: rho,
      saturated,
      unavailable,
      excessRps: saturated ? Math.max(0, lambda - replicas * capacityPerReplica) : 0,
      replicasNeeded: unavailable ? replicasNeeded : Math.max(replicasNeeded, saturated ? replicas + 1 : 0),
      cacheHitRate: svc.cache ? 0 : null,
      method: svc.serviceTimeCv === 1 && !svc.cache ? 'exact' : 'allen-cunneen',
      sojournMs: null,
      replicasDetail: zones.flatMap(([zone, n]) =>
        Array.from({ length: n }, (_, index) => ({
          bundle: bundle?.name ?? '',
          zone,
          index,
          arrivalRps: perReplica,
          utilization: rho,
          sojournMeanMs: null,
        })),
      ),
    };
  }

  const bundles: Record<string, BundleResult> = {};
  for (const b of doc.bundles) {
    const replicas = Object.entries(b.replicas).reduce((n, [z, k]) => n + (failed.has(z) ? 0 : k), 0);
    let busy = 0;
    for (const name of b.services) {
      const svc = doc.services.find((s) => s.name === name);
      if (svc) busy += ((load.services.get(name) ?? 0) * svc.serviceTimeMs) / 1000;
    }
    bundles[b.name] = { replicas, cpuUtilization: replicas > 0 ? busy / replicas / b.cpu : 0 };
  }

  return {
    method: 'analytic',
    services,
    bundles,
    entries: {},
    databases: {},
    brokers: [],
    crossZoneRps: 0,
    crossRegionRps: 0,
    headroom: Number.isFinite(headroom) ? headroom : 0,
    bottleneck,
    warnings: [],
  };
}
