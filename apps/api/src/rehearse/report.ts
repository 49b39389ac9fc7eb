/** What a rehearsal takes and gives back: its options, its progress and its report. */
import type { EmulatorOverhead, Measured, RehearsalErrors, SimulationResult, TargetSummary } from '@busboard/core';

export interface RehearseOptions {
  /** Measurement window, real seconds. */
  durationS: number;
  /** Load before measuring, real seconds (default: 10 % of the duration, at least 3 s). */
  warmupS?: number;
  scale?: number;
  failZones?: string[];
  /** Service times × K, rates ÷ K (default 10). */
  dilation?: number;
  /** Seeds the replica ids and every draw (default: a fresh one, reported). */
  seed?: number;
  signal?: AbortSignal;
  /** The engine's prediction for this design and what-if, when computed already (the API computes it on its engine pool). */
  predicted?: SimulationResult;
  /** The servers are up: their monitoring and client URLs. */
  onCluster?(info: { monitorUrls: string[]; natsUrls: string[] }): void;
  /** Every process is ready, before any load: the replicas' metrics endpoints (host:port), e.g. for a Prometheus to scrape. */
  beforeLoad?(info: { metricsTargets: string[] }): Promise<void> | void;
  onProgress?(p: RehearsalProgress): void;
  /** Called before the processes and servers stop (e.g. to stop watching them). */
  beforeTeardown?(): Promise<void> | void;
}

export interface RehearsalProgress {
  phase: 'starting' | 'warming up' | 'measuring' | 'collecting';
  elapsedS: number;
  totalS: number;
  /** Figures so far in the measurement window, design time (ρ averaged over the service's replicas). */
  services?: Record<string, { utilization: number; arrivalRps: number }>;
  entries?: Record<string, { rps: number; meanMs: number | null }>;
}

export interface RehearsalReport {
  design: string;
  options: { durationS: number; warmupS: number; scale: number; failZones: string[]; dilation: number; seed: number };
  /** The measurement window, Unix seconds (to query a Prometheus that scraped the replicas). */
  window: { from: number; to: number };
  predicted: SimulationResult;
  measured: Measured;
  errors: RehearsalErrors;
  target: TargetSummary;
  overhead: EmulatorOverhead;
  /** What a reader should know to judge the figures (the hop, timer error, a busy machine…). */
  notes: string[];
  monitorUrls: string[];
  processes: number;
}

export type RehearsalOutcome = { ok: true; report: RehearsalReport } | { ok: false; problems: { path: string; message: string }[] };
