/**
 * The one place the exporters ask the engine how many replicas a bundle should have.
 *
 * MODEL.md §2 defines the engine's recommendation (per zone, every replica at ρ ≤ 0.7, every
 * SLO held, and still held when any one zone fails). Until the engine exports that function,
 * this reads what the engine's result already carries: each service's `replicasNeeded`, the
 * replicas its load needs in total. Swap the body for the engine's recommendation when it
 * lands; callers only see `ReplicaAdvice`.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

/** The utilization the engine's recommendation aims every replica at (MODEL.md §2). */
export const TARGET_UTILIZATION = 0.7;

export interface ReplicaAdvice {
  bundle: string;
  /** The zone the advice is for, or null when it is about the bundle's total. */
  zone: string | null;
  /** Replicas in the design (in that zone, or in total). */
  design: number;
  recommended: number;
  /** Why, in a sentence a capacity planner would write. */
  reason: string;
}

/** Where the design has fewer replicas than the engine recommends (empty when it never does). */
export function replicaAdvice(doc: Topology, result: SimulationResult): ReplicaAdvice[] {
  const advice: ReplicaAdvice[] = [];
  for (const bundle of doc.bundles) {
    const design = Object.values(bundle.replicas).reduce((n, k) => n + k, 0);
    let recommended = design;
    let because = '';
    for (const name of bundle.services) {
      const s = result.services[name];
      if (s && s.replicasNeeded > recommended) {
        recommended = s.replicasNeeded;
        because = `${name} receives ${round(s.arrivalRps)} req/s and needs ${s.replicasNeeded} replicas to carry it`;
      }
    }
    if (recommended > design) advice.push({ bundle: bundle.name, zone: null, design, recommended, reason: because });
  }
  return advice;
}

function round(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}
