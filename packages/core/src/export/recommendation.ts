/**
 * The one place the exporters ask the engine how many replicas a bundle should have: the
 * engine's recommendation (MODEL.md §2: per zone, every replica at ρ ≤ 0.7, every SLO held,
 * and still held when any one zone fails). Where the design has fewer replicas in a zone than
 * the recommendation, the export says so — in the words the designer and the CLI use
 * (`replicaAdviceFrom`, `designWarnings` in the engine).
 */

import { type ReplicaAdvice, replicaAdviceFrom } from '../engine/design-warnings.ts';
import { RHO_TARGET } from '../engine/recommend/capacity.ts';
import type { Recommendation } from '../engine/recommend/index.ts';
import { recommend } from '../engine/recommend/index.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

export type { ReplicaAdvice };

/** The utilization the engine's recommendation aims every replica at (MODEL.md §2). */
export const TARGET_UTILIZATION = RHO_TARGET;

/** Where the design has fewer replicas than the engine recommends (empty when it never does). */
export function replicaAdvice(doc: Topology, result: SimulationResult, rec: Recommendation = recommend(doc)): ReplicaAdvice[] {
  return replicaAdviceFrom(doc, result, rec);
}
