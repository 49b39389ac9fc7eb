/**
 * One warning list for every view of a design: the designer's Results and physical view, the
 * export dialog and the CLI all call these, so a warning reads the same wherever it appears.
 * (Server and replica names: server-names.ts; missed SLOs: slo-warnings.ts.)
 */

import { formatPath } from '../problems.ts';
import type { Topology } from '../schema/topology.ts';
import { RHO_TARGET } from './recommend/capacity.ts';
import type { Recommendation } from './recommend/index.ts';
import { sloWarnings } from './slo-warnings.ts';
import type { SimulationResult, Warning } from './types.ts';

export interface ReplicaAdvice {
  bundle: string;
  /** The zone the advice is for. */
  zone: string;
  /** Replicas in the design in that zone. */
  design: number;
  recommended: number;
  /** Why, in a sentence a capacity planner would write. */
  reason: string;
}

/** Where the design has fewer replicas in a zone than the recommendation (empty when it never does). */
export function replicaAdviceFrom(doc: Topology, result: SimulationResult, rec: Recommendation): ReplicaAdvice[] {
  const advice: ReplicaAdvice[] = [];
  const goals = `every replica at ρ ≤ ${RHO_TARGET}${doc.slo.length ? ', every SLO met' : ''}, and still carrying the load with any one zone down`;
  for (const bundle of doc.bundles) {
    const wanted = rec.bundles[bundle.name]?.replicas ?? {};
    for (const [zone, recommended] of Object.entries(wanted)) {
      const design = bundle.replicas[zone] ?? 0;
      if (recommended <= design) continue;
      const busiest = bundle.services.map((name) => ({ name, rho: result.services[name]?.utilization ?? 0 })).sort((a, b) => b.rho - a.rho)[0];
      const now = busiest && busiest.rho > 0 ? ` (today ${busiest.name} peaks at ρ ${busiest.rho.toPrecision(2)})` : '';
      advice.push({ bundle: bundle.name, zone, design, recommended, reason: `${goals}${now}` });
    }
  }
  return advice;
}

/** The `below-recommendation` warnings: one per bundle and zone short of the recommendation. */
export function adviceWarnings(doc: Topology, advice: readonly ReplicaAdvice[]): Warning[] {
  return advice.map((a) => ({
    code: 'below-recommendation',
    path: formatPath(['bundles', doc.bundles.findIndex((b) => b.name === a.bundle), 'replicas', a.zone]),
    message: `bundle ${a.bundle} has ${a.design} replica${a.design === 1 ? '' : 's'} in ${a.zone}; the engine recommends ${a.recommended} there for ${a.reason}`,
  }));
}

/**
 * The design's warnings, the one list every view shows: the engine's (with `slo-missed`
 * rebuilt from `result.entries`, so a result whose end-to-end figures arrived later still
 * counts them once), then where the design falls short of the recommendation, when one is
 * given (the designer computes it off the main thread and shows the rest meanwhile).
 */
export function designWarnings(doc: Topology, result: SimulationResult, rec: Recommendation | null): Warning[] {
  return [
    ...result.warnings.filter((w) => w.code !== 'slo-missed'),
    ...sloWarnings(doc, result.entries),
    ...(rec ? adviceWarnings(doc, replicaAdviceFrom(doc, result, rec)) : []),
  ];
}
