/**
 * Goal seek (issue 20): the fewest replicas, or the lowest cost, per bundle and zone such that
 * every SLO holds, every replica's busiest ρ and its CPU stay at or below their targets, and
 * (unless turned off) the same holds with any one zone down. Contract for the web's goal-seek
 * dialog and frontier chart, and the CLI's `busboard goal`.
 */

export type GoalObjective = 'replicas' | 'cost';

export interface GoalOptions {
  /** What to minimise (default `replicas`; ties broken by the other). */
  objective?: GoalObjective;
  /** Traffic multiplier (default 1). */
  scale?: number;
  /** Largest ρ of any service on any replica (default 0.7, as the recommendation). */
  rhoTarget?: number;
  /** Largest CPU utilization of any replica (default 0.7). */
  cpuTarget?: number;
  /** Require everything to hold with any one zone down too (default true). */
  zoneFailure?: boolean;
  /** Most full engine evaluations to spend (default 2,000). */
  maxEvaluations?: number;
}

/**
 * What decides a count: a service's ρ (`rho`), the replica's CPU (`cpu`), an SLO (`slo`), one
 * of these only with a zone down (`zone-down`), or the floor of one replica per zone used (`floor`).
 */
export type GoalConstraintKind = 'rho' | 'cpu' | 'slo' | 'zone-down' | 'floor';

export interface GoalBinding {
  kind: GoalConstraintKind;
  /** A sentence naming the constraint: "P99 of checkout.example ≤ 200 ms with us-east-1a down (196 ms)". */
  detail: string;
}

export interface GoalZone {
  current: number;
  replicas: number;
  /** Why one replica fewer here fails (null when this zone's count could not be lowered by any constraint: the floor). */
  binds: GoalBinding;
}

export interface GoalBundle {
  current: Record<string, number>;
  replicas: Record<string, number>;
  zones: Record<string, GoalZone>;
}

/** A candidate design the search evaluated. */
export interface GoalPoint {
  /** bundle → zone → replicas. */
  replicas: Record<string, Record<string, number>>;
  totalReplicas: number;
  /** The design's cost per month (the price book's currency). */
  costMonthly: number;
  /** The largest P99 over entries in normal operation (ms); null when no entry has a latency. */
  p99Ms: number | null;
  /**
   * Meets every constraint (with zone failure when asked) that replica counts can meet: a
   * scenario where a service has no live replica in the zones its bundle uses, and a saturated
   * database shard, are left out (the result's `reasons` list them).
   */
  feasible: boolean;
}

export interface GoalSeekResult {
  objective: GoalObjective;
  options: Required<Omit<GoalOptions, 'maxEvaluations'>>;
  bundles: Record<string, GoalBundle>;
  totalReplicas: number;
  currentReplicas: number;
  costMonthly: number;
  currentCostMonthly: number;
  currency: string;
  /** Every constraint met by the answer. */
  feasible: boolean;
  /** What still falls short when not feasible (replicas cannot fix a database shard or a NATS server). */
  reasons: string[];
  /** The constraint that binds the answer overall (the tightest one), or null with nothing to size. */
  binding: GoalBinding | null;
  /**
   * True when the search proved the answer minimal for the objective (ties broken by the other):
   * every design cheaper in the objective was ruled out, by its bundles' utilization or in full.
   */
  exact: boolean;
  evaluations: number;
  /** The feasible candidates not beaten on both cost and P99 by another, by cost ascending. */
  frontier: GoalPoint[];
  /** Every candidate evaluated (for the chart's background), at most 500. */
  visited: GoalPoint[];
}
