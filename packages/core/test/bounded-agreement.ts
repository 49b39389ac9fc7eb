/**
 * Bounded queues (schema v2 `queueLimit`) for the analytic-vs-DES agreement table
 * (`scripts/des-agreement.ts` → src/des/AGREEMENT.md, "Bounded queues") and its CI cut
 * (`src/des/agreement.test.ts`): one replica with a line, exact M/M/c/K at cv 1 (closed forms
 * from src/queue/bounded.test.ts, computed apart from this code with mpmath) and the two-moment
 * M/G/c/K at cv 2 (no closed form: the DES is the reference).
 */
import type { TopologyInput } from '../src/schema/topology.ts';

export interface BoundedCase {
  id: string;
  title: string;
  serviceTimeMs: number;
  serviceTimeCv: number;
  workers: number;
  queueLimit: number;
  rps: number;
  /** Closed forms (M/M/c/K only): blocking probability, admitted mean sojourn and P99 in ms. */
  exact?: { rejection: number; mean: number; p99: number };
}

export const BOUNDED_CASES: BoundedCase[] = [
  {
    id: 'mm2-7-rho1.5',
    title: 'M/M/2/7 (cv 1, 2 workers, queueLimit 5), 5 ms, 600 rps: ρ 1.5',
    serviceTimeMs: 5,
    serviceTimeCv: 1,
    workers: 2,
    queueLimit: 5,
    rps: 600,
    exact: { rejection: 0.35042461, mean: 5 * 2.7604835, p99: 5 * 7.3815354 },
  },
  {
    id: 'mm1-5-rho0.8',
    title: 'M/M/1/5 (cv 1, 1 worker, queueLimit 4), 10 ms, 80 rps: ρ 0.8',
    serviceTimeMs: 10,
    serviceTimeCv: 1,
    workers: 1,
    queueLimit: 4,
    rps: 80,
    exact: { rejection: 0.088819499, mean: 100 * 0.25630652, p99: 100 * 0.92015364 },
  },
  {
    id: 'cv2-c2-n5-rho0.9',
    title: 'cv 2 (2 workers, queueLimit 5), 5 ms, 360 rps: ρ 0.9',
    serviceTimeMs: 5,
    serviceTimeCv: 2,
    workers: 2,
    queueLimit: 5,
    rps: 360,
  },
  {
    id: 'cv2-c2-n5-rho1.5',
    title: 'cv 2 (2 workers, queueLimit 5), 5 ms, 600 rps: ρ 1.5',
    serviceTimeMs: 5,
    serviceTimeCv: 2,
    workers: 2,
    queueLimit: 5,
    rps: 600,
  },
];

/** One service `s` on one replica, no network: the entry's latency is the service's sojourn. */
export function boundedDesign(c: BoundedCase): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
    services: [{ name: 's', serviceTimeMs: c.serviceTimeMs, serviceTimeCv: c.serviceTimeCv, workers: c.workers, queueLimit: c.queueLimit }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    traffic: [{ entry: 's', rps: c.rps }],
  };
}
