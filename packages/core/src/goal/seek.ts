/**
 * Goal seek (see types.ts). PLACEHOLDER: returns the current design as the only point, so the
 * web and the CLI can be built against the contract; the search replaces it.
 */
import { designCost } from '../cost/cost.ts';
import { simulate } from '../engine/simulate.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import type { GoalOptions, GoalPoint, GoalSeekResult } from './types.ts';

/** The document with each named bundle's replicas set (bundle → zone → count); other bundles untouched. */
export function applyReplicas(input: TopologyInput, replicas: Record<string, Record<string, number>>): TopologyInput {
  return {
    ...input,
    bundles: (input.bundles ?? []).map((b) => (replicas[b.name] ? { ...b, replicas: { ...replicas[b.name] } } : b)),
  };
}

export function goalSeek(doc: Topology, options: GoalOptions = {}): GoalSeekResult {
  const opts = {
    objective: options.objective ?? 'replicas',
    scale: options.scale ?? 1,
    rhoTarget: options.rhoTarget ?? 0.7,
    cpuTarget: options.cpuTarget ?? 0.7,
    zoneFailure: options.zoneFailure ?? true,
  } as const;
  const result = simulate(doc, { scale: opts.scale });
  const cost = designCost(doc, result);
  const replicas = Object.fromEntries(doc.bundles.map((b) => [b.name, { ...b.replicas }]));
  const total = doc.bundles.reduce((s, b) => s + Object.values(b.replicas).reduce((x, y) => x + y, 0), 0);
  const p99s = Object.values(result.entries)
    .map((e) => e.latencyMs?.p99)
    .filter((v): v is number => typeof v === 'number');
  const point: GoalPoint = {
    replicas,
    totalReplicas: total,
    costMonthly: cost.totals.total,
    p99Ms: p99s.length ? Math.max(...p99s) : null,
    feasible: false,
  };
  return {
    objective: opts.objective,
    options: opts,
    bundles: Object.fromEntries(
      doc.bundles.map((b) => [
        b.name,
        {
          current: { ...b.replicas },
          replicas: { ...b.replicas },
          zones: Object.fromEntries(
            Object.entries(b.replicas).map(([z, n]) => [
              z,
              { current: n, replicas: n, binds: { kind: 'floor' as const, detail: 'not searched yet' } },
            ]),
          ),
        },
      ]),
    ),
    totalReplicas: total,
    currentReplicas: total,
    costMonthly: cost.totals.total,
    currentCostMonthly: cost.totals.total,
    currency: cost.prices.currency,
    feasible: false,
    reasons: ['goal seek is not built yet'],
    binding: null,
    exact: false,
    evaluations: 1,
    frontier: [point],
    visited: [point],
  };
}
