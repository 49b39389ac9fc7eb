/**
 * "Import from Prometheus": a whole design drafted from measurements — services and their
 * request rates, calls with measured `perRequest` (from the callers' ack counts), traffic where
 * requests come from outside, own times by the estimator — on top of what the live reader
 * drafts from the cluster (bundles, replicas per zone, NATS servers), when a cluster is given.
 */
import { draftDesign } from '../live/draft.ts';
import type { LiveSnapshot } from '../live/types.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { calibrateFromMeasurements } from './calibrate.ts';
import { measuredHitRate } from './estimate.ts';
import type { SystemMeasurements } from './measurements.ts';

const round = (x: number) => Number(x.toPrecision(4));

export function importFromMeasurements(m: SystemMeasurements, snapshot: LiveSnapshot | null, name?: string): { doc: TopologyInput; notes: string[] } {
  const notes: string[] = [];
  const draft = snapshot ? draftDesign(snapshot, name ? { name } : {}) : null;
  const doc: TopologyInput = draft?.doc ?? {
    schema: 'busboard.topology/v3',
    name: name ?? 'Imported from Prometheus',
    zones: [{ name: 'default', region: 'default' }],
  };
  if (draft) notes.push(...draft.notes.filter((n) => !n.startsWith('Calls between services') && !n.startsWith('Service times of')));
  else notes.push('No cluster connection was given: every service is its own bundle in zone "default"; connect a cluster for bundles and zones.');
  doc.services = doc.services ?? [];
  doc.bundles = doc.bundles ?? [];
  const services = doc.services;
  const bundles = doc.bundles;
  const zone = doc.zones[0]?.name ?? 'default';
  for (const [host, s] of Object.entries(m.services)) {
    if (!services.some((x) => x.name === host)) services.push({ name: host, serviceTimeMs: 1, workers: 1 });
    if (!bundles.some((b) => b.services.includes(host))) {
      bundles.push({ name: host.split('.')[0] ?? host, services: [host], replicas: { [zone]: Math.max(1, Object.keys(s.instances).length) } });
    }
  }
  for (const svc of services) {
    const calls = m.calls.filter((c) => c.from === svc.name && services.some((x) => x.name === c.to));
    const requests = m.services[svc.name]?.requestRps ?? 0;
    const hit = measuredHitRate(m.services[svc.name]) ?? 0;
    if (calls.length && requests > 0) svc.calls = calls.map((c) => ({ to: c.to, perRequest: round(c.rps / requests / Math.max(1e-9, 1 - hit)) }));
    if (hit > 0) notes.push(`${svc.name} hits its cache ${round(hit * 100)} % of the time: add a cache (entries, key space, zipf) to model it.`);
  }
  // Traffic: what reaches a service beyond what its callers send.
  const traffic: NonNullable<TopologyInput['traffic']> = [];
  for (const [host, s] of Object.entries(m.services)) {
    const fromCallers = m.calls.filter((c) => c.to === host).reduce((a, c) => a + c.rps, 0);
    const outside = s.requestRps - fromCallers;
    if (outside > 0.05 * s.requestRps && outside > 0) traffic.push({ entry: host, rps: round(outside) });
  }
  doc.traffic = traffic;
  notes.push('Calls are drawn one after another: metrics cannot tell which run in parallel; group them where they do.');
  notes.push('Workers per service are 1 (Microbus serves requests concurrently): set them from your cores before trusting queues.');
  // Own times: the estimator, as "calibrate" does.
  const calibrated = calibrateFromMeasurements(doc, m);
  for (const s of calibrated.skipped) if (s.includes('serviceTimeMs')) notes.push(`placeholder kept: ${s}`);
  return { doc: calibrated.doc, notes };
}
