/**
 * The one place the exporters ask the engine how many replicas a bundle should have: the
 * engine's recommendation (MODEL.md §2: per zone, every replica at ρ ≤ 0.7, every SLO held,
 * and still held when any one zone fails). Where the design has fewer replicas in a zone than
 * the recommendation, the export says so.
 */

import { RHO_TARGET } from '../engine/recommend/capacity.ts';
import { recommend } from '../engine/recommend/index.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

/** The utilization the engine's recommendation aims every replica at (MODEL.md §2). */
export const TARGET_UTILIZATION = RHO_TARGET;

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
  const rec = recommend(doc);
  const advice: ReplicaAdvice[] = [];
  const goals = `every replica at ρ ≤ ${TARGET_UTILIZATION}${doc.slo.length ? ', every SLO met' : ''}, and still carrying the load with any one zone down`;
  for (const bundle of doc.bundles) {
    const wanted = rec.bundles[bundle.name]?.replicas ?? {};
    for (const [zone, recommended] of Object.entries(wanted)) {
      const design = bundle.replicas[zone] ?? 0;
      if (recommended <= design) continue;
      const busiest = bundle.services.map((name) => ({ name, rho: result.services[name]?.utilization ?? 0 })).sort((a, b) => b.rho - a.rho)[0];
      const now = busiest && busiest.rho > 0 ? ` (today ${busiest.name} peaks at ρ ${busiest.rho.toPrecision(2)})` : '';
      advice.push({ bundle: bundle.name, zone, design, recommended, reason: `the engine recommends ${recommended} in ${zone} for ${goals}${now}` });
    }
  }
  return advice;
}
