/**
 * What `compareScenarios` returns (issue 20). Contract for the web's comparison view and the
 * CLI's `busboard compare --json`; compare.ts fills it from `simulate` and `designCost` of each
 * scenario, so every figure equals what those give for that scenario alone.
 */
import type { CostBreakdown } from '../cost/types.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Problem } from '../problems.ts';
import type { ScenarioWhatIfT } from '../schema/scenarios.ts';

/** One entry's figures in one scenario. */
export interface EntryFigures {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** The SLO's targets for the entry (null when it has none). */
  slo: { p50Ms?: number; p95Ms?: number; p99Ms?: number } | null;
  /** Every SLO target of the entry met (null without an SLO). */
  meetsSlo: boolean | null;
  /** Fraction of requests rejected / timed out, where the model has them (null otherwise). */
  rejectionRate: number | null;
  timeoutRate: number | null;
  /** The DES's figures for the entry, when `CompareOptions.des` holds a run of this scenario (absent otherwise). */
  des?: DesEntryFigures | null;
}

/** An entry's percentiles from a DES run, with their 99 % intervals when the run has them. */
export interface DesEntryFigures {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  ci?: { p50Ms: [number, number]; p95Ms: [number, number]; p99Ms: [number, number] };
}

/** One bundle's replicas and CPU in one scenario. */
export interface BundleFigures {
  /** Replicas per zone as simulated (after failed zones). */
  replicas: Record<string, number>;
  totalReplicas: number;
  /** vCPU requested (replicas × cpu) and vCPU busy (cores in use), both summed over zones. */
  cpuRequested: number;
  cpuBusy: number;
  costMonthly: number;
}

/** One scenario's column. */
export interface ScenarioColumn {
  name: string;
  whatIf: ScenarioWhatIfT;
  /** Changes that did not apply as written. */
  conflicts: string[];
  /** Problems of the resolved document; the rest of the column is null when there are any. */
  problems: Problem[];
  result: SimulationResult | null;
  cost: CostBreakdown | null;
  entries: Record<string, EntryFigures>;
  bundles: Record<string, BundleFigures>;
  headroom: number | null;
  bottleneck: string | null;
  /** Bytes per second crossing zones (calls, and streams' replication). */
  crossZoneBytesPerSecond: number;
  /** NATS messages per second over all servers. */
  brokerMessagesPerSecond: number;
  costMonthly: number | null;
}

/** One row of the table: a figure in each column, and whether they differ. */
export interface ScenarioRow {
  /** `entry:<name>:p99Ms`, `bundle:<name>:totalReplicas`, `design:costMonthly`… */
  key: string;
  label: string;
  unit: string;
  values: (number | string | boolean | null)[];
  /** The values differ from the first column's by more than rounding (0.5 % or one unit of the last digit shown). */
  differs: boolean;
  /** Lower is better (latency, cost), higher is better (headroom), or neither. */
  better: 'lower' | 'higher' | null;
}

export interface Comparison {
  columns: ScenarioColumn[];
  rows: ScenarioRow[];
}

export interface CompareOptions {
  /** The price book preset to cost with (absent: the document's); one of COST_PRESETS, else compareScenarios throws. */
  preset?: string;
  /**
   * DES results per scenario name (what the web keeps after a run): their entry percentiles are
   * put beside the analytic ones (`EntryFigures.des`, rows `entry:<name>:des:p99Ms`…).
   */
  des?: Record<string, SimulationResult>;
}
