/**
 * What the timeline returns (`busboard timeline --json`): per-minute series, columnar (one
 * array per figure, index = minute from the start), ready to plot, and the day's totals.
 * Figures follow the engine's conventions (engine/types.ts): rates in rps, times in ms,
 * utilizations as fractions; null where the engine has none (a saturated or missing replica).
 */

/** One entry's figures per minute. */
export interface TimelineEntrySeries {
  rps: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  /** Whether the entry's SLOs hold that minute (null: it has none). */
  sloMet: (boolean | null)[];
  /** Requests rejected (full queues, caps, no replica) during the minute. */
  rejected: number[];
  /** Requests that ran out of time budget during the minute (0 without budgets). */
  timedOut: number[];
}

/** One zone's Deployment of a bundle per minute. */
export interface TimelineZoneSeries {
  /** The Deployment's count (the HPA's choice, or the document's without an autoscaler). */
  replicas: number[];
  /** Pods that serve: created, past their start delay, in a live zone. */
  ready: number[];
  /** One ready replica's CPU utilization (λ·own time ÷ cpu; may exceed 1 when saturated). */
  cpuUtilization: number[];
  /** The custom metric the HPA reads per ready replica (in-flight or queue depth), when it has one. */
  metric?: (number | null)[];
}

export interface TimelineBundleSeries {
  /** Σ over zones of the Deployments' counts. */
  replicas: number[];
  ready: number[];
  zones: Record<string, TimelineZoneSeries>;
}

/** A change of a Deployment's count, at the second it happened. */
export interface ScaleEvent {
  atSecond: number;
  bundle: string;
  zone: string;
  from: number;
  to: number;
}

export interface TimelineTotals {
  /** Minutes in which some entry's SLO did not hold. */
  sloMinutesMissed: number;
  sloMinutesMissedByEntry: Record<string, number>;
  /** Pod-hours per bundle (pods that exist, starting or ready, in live zones). */
  replicaHours: Record<string, number>;
  replicaHoursTotal: number;
  /** Requests rejected over the whole timeline (all entries). */
  rejected: number;
  timedOut: number;
  /** Highest P99 of any entry in any minute that has one. */
  peakP99Ms: number | null;
  peakP99Minute: number | null;
  /** Minutes in which some entry had no latency (a saturated or missing replica on its path). */
  saturatedMinutes: number;
  /** Minutes where the pointwise-stationary approximation is not trusted (see `stationary`). */
  nonStationaryMinutes: number;
}

export interface TimelineResult {
  method: 'pointwise-stationary';
  /**
   * How exact the minutes are: `method` in words (e.g. "pointwise-stationary, interpolated on a
   * rate grid ≤ 1 % …"), the tolerance asked for (null: exact), the largest midpoint discrepancy
   * of the grid segments the minutes were interpolated on (an upper estimate of the
   * interpolation error for the convex curves latency follows), and how many minutes were.
   */
  accuracy: { method: string; tolerance: number | null; maxEstimatedError: number | null; interpolatedMinutes: number };
  /** The autoscale policy simulated (`autoscalePolicies[].name`), or null for the bundles' own autoscalers. */
  policy: string | null;
  minutes: number;
  /** The HPA's tick, seconds (the shortest sync period). */
  tickSeconds: number;
  series: {
    /** Traffic factor per item (× its rps), per minute. */
    factors: number[][];
    entries: Record<string, TimelineEntrySeries>;
    bundles: Record<string, TimelineBundleSeries>;
    /** Zones failed at each minute. */
    failedZones: string[][];
    /**
     * Whether the pointwise-stationary figures hold that minute: no replica saturated, no
     * backlog left from earlier minutes, every loaded replica relaxes (1 ÷ (cμ(1−ρ)²)) in
     * well under a minute, so the queue follows the load, and no pod is warming up. False: the figures understate the
     * latency (a queue still draining, or one too slow to settle); a DES run says more.
     */
    stationary: boolean[];
    /**
     * Why a minute is not stationary (null when it is): a saturated replica, a backlog, a slow
     * relaxation, or pods warming up (their latency is the warm/warming mixture of warming.ts,
     * approximate: the warming pods' queues start empty and change pace within the minute).
     */
    stationaryWhy: (string | null)[];
    /** The longest relaxation time 1 ÷ (cμ(1−ρ)²) of any loaded replica, seconds (null when one is saturated). */
    relaxationSeconds: (number | null)[];
  };
  scaleEvents: ScaleEvent[];
  totals: TimelineTotals;
  /** Engine evaluations the timeline ran (distinct states; the rest were reused). */
  evaluations: number;
}

export interface TimelineOptions {
  /** `autoscalePolicies[].name` to simulate instead of the bundles' own autoscalers. */
  policy?: string;
  /** Minutes to simulate (absent: the profiles' days × 1440). */
  minutes?: number;
  /**
   * Rates are rounded to this relative step before the engine runs (states that round alike
   * share one evaluation). Absent or 0: exact. 0.01 keeps every rate within ±0.5 % and runs
   * several times fewer engine runs on a large design (README, "Figures").
   */
  rateStep?: number;
  /**
   * Interpolate each minute's figures between rate-grid points (interpolate.ts) instead of one
   * engine run per distinct minute, refining the grid until the engine's figures at each
   * segment's midpoint are within this relative error of the chord (0.01 = 1 %). Absent or 0: exact.
   */
  tolerance?: number;
  /** Called once per simulated minute with (minute, minutes): a caller's progress bar (a worker posts it on). */
  onProgress?: (minute: number, minutes: number) => void;
}
