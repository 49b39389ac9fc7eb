/**
 * NATS micro services (`$SRV.STATS`, read by the live reader) as measurements: request rates
 * and mean processing times per instance. They carry no histogram and no call graph, so they
 * fill in only services Prometheus does not know; their processing time, like Microbus's
 * handler duration, includes the downstream waits, and the own-time estimator subtracts them.
 */
import type { LiveSnapshot } from '../live/types.ts';
import type { SystemMeasurements } from './measurements.ts';

export function withMicroStats(m: SystemMeasurements, snapshot: Pick<LiveSnapshot, 'services'> | null): SystemMeasurements {
  if (!snapshot) return m;
  const services = { ...m.services };
  const zones = { ...m.instanceZones };
  for (const s of snapshot.services) {
    if (s.kind !== 'micro' || services[s.name] || s.requestRate === null || s.requestRate <= 0) continue;
    const instances: Record<string, number> = {};
    for (const i of s.instances) {
      if (i.requestRate !== null) instances[i.id] = i.requestRate;
      if (i.zone) zones[i.id] = i.zone;
    }
    services[s.name] = {
      requestRps: s.requestRate,
      durationMeanMs: s.avgProcessingMs,
      durationMs: { p50: null, p95: null, p99: null },
      buckets: [],
      instances,
      cache: null,
      source: 'nats-micro',
    };
  }
  return { ...m, services, instanceZones: zones };
}
