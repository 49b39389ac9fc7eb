/** What `designCost` returns: every line with the inputs of its formula, so a reader can redo it. */
import type { CostPresetName } from '../schema/cost.ts';

/** The prices a design is costed with: its preset's, with the document's own figures on top. */
export interface ResolvedPrices {
  preset: CostPresetName;
  /** Provider and region of the preset ("AWS us-east-1"). */
  presetLabel: string;
  /** When the preset's figures were read (YYYY-MM). */
  asOf: string;
  /** "AWS us-east-1: list prices as of 2024-06; check your provider". */
  notice: string;
  /** Where the preset's figures come from. */
  source: string;
  currency: string;
  vcpuHour: number;
  gibHour: number;
  natsServerHour: number;
  /** Null: database shards are not priced (the document sets no `cost.dbVcpuHour`). */
  dbVcpuHour: number | null;
  storageGBMonth: number;
  crossZonePerGB: number;
  crossRegionPerGB: number;
  requestBytes: number;
  responseBytes: number;
  /** The fields the document sets itself (the rest are the preset's). */
  overridden: string[];
}

export type CostKind =
  | 'bundle'
  | 'nats'
  | 'database'
  | 'storage'
  | 'cross-zone'
  | 'cross-region'
  | 'stream-cross-zone'
  | 'event-cross-zone'
  | 'event-cross-region';

export interface CostLine {
  kind: CostKind;
  /** The bundle, NATS cluster, database, stream or subscribing service (event lines); `calls` for the call traffic lines. */
  name: string;
  /** The document path of what it prices (`bundles[1]`, `nats[0]`, `streams[0]`, `cost`). */
  path: string;
  /** Per month (730 h), in `prices.currency`. */
  monthly: number;
  /** The arithmetic with its values, e.g. `6 replicas × (1 vCPU × $0.03125/h + 0.25 GiB × $0.00419/h) × 730 h`. */
  formula: string;
  /** The formula's inputs by name. */
  inputs: Record<string, number | string | null>;
  /** What the line leaves out or assumes, when something does. */
  note?: string;
}

export interface CostTotals {
  /** Bundles' replicas (vCPU and memory). */
  compute: number;
  nats: number;
  databases: number;
  /** JetStream storage. */
  storage: number;
  /** Cross-zone and cross-region calls, streams' cross-zone bytes, and core-NATS event copies crossing zones or regions. */
  network: number;
  total: number;
}

/** Bundles' compute priced by a timeline's replica-hours instead of their steady replicas. */
export interface CostOverTime {
  /** Hours the timeline ran. */
  hours: number;
  /** Per bundle: its pod-hours over the timeline and their cost scaled to a month. */
  bundles: Record<string, { replicaHours: number; monthly: number }>;
  compute: number;
  /** `totals.total` with compute replaced by this compute. */
  total: number;
}

export interface CostBreakdown {
  prices: ResolvedPrices;
  hoursPerMonth: number;
  lines: CostLine[];
  totals: CostTotals;
  /** Per bundle, its compute per month (steady replicas). */
  byBundle: Record<string, number>;
  /** Present when a timeline was passed. */
  overTime: CostOverTime | null;
}
