/**
 * What the engine returns: the `busboard simulate --json` contract (issue 3). Every figure
 * is a finite, non-negative number or null; never NaN or Infinity.
 */

export type Method = 'analytic' | 'des';
/** How a service's sojourn was obtained; `des` when the discrete-event simulation measured it. */
export type QueueMethod = 'exact' | 'allen-cunneen' | 'des';

export interface Percentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** 99 % confidence intervals, present on DES results. */
  ci?: { mean: [number, number]; p50: [number, number]; p95: [number, number]; p99: [number, number] };
}

export interface ReplicaResult {
  bundle: string;
  zone: string;
  /** Index of this replica within its bundle and zone (0-based). */
  index: number;
  arrivalRps: number;
  utilization: number;
  sojournMeanMs: number | null;
}

export interface ServiceResult {
  arrivalRps: number;
  replicas: number;
  /** The busiest replica's ρ (may exceed 1). */
  utilization: number;
  meanUtilization: number;
  saturated: boolean;
  unavailable: boolean;
  excessRps: number;
  replicasNeeded: number;
  cacheHitRate: number | null;
  method: QueueMethod;
  /** Queue + own time over all its requests, no downstream. */
  sojournMs: Percentiles | null;
  replicasDetail: ReplicaResult[];
}

export interface BundleResult {
  replicas: number;
  cpuUtilization: number;
}

export interface SloCheck {
  percentile: 'p50' | 'p95' | 'p99';
  limitMs: number;
  valueMs: number | null;
  met: boolean;
}

export interface EntryResult {
  rps: number;
  method: 'composed' | 'des';
  latencyMs: Percentiles | null;
  slo: { met: boolean; checks: SloCheck[] } | null;
}

export interface ShardResult {
  name: string;
  arrivalRps: number;
  utilization: number;
}

export interface DatabaseResult {
  shards: ShardResult[];
  connections: { needed: number; available: number };
}

export interface BrokerResult {
  cluster: string;
  zone: string;
  server: string;
  msgsPerSec: number;
  utilization: number;
}

export interface Warning {
  code: string;
  message: string;
  /** The document path of what the warning names (e.g. `bundles[1].replicas["us-east-1c"]`). */
  path: string;
}

export interface SimulationResult {
  method: Method;
  services: Record<string, ServiceResult>;
  bundles: Record<string, BundleResult>;
  entries: Record<string, EntryResult>;
  databases: Record<string, DatabaseResult>;
  brokers: BrokerResult[];
  crossZoneRps: number;
  crossRegionRps: number;
  /** The traffic factor at which the first replica saturates. */
  headroom: number;
  bottleneck: string | null;
  warnings: Warning[];
}

export interface SimulateOptions {
  /** Traffic multiplier (default 1). */
  scale?: number;
  /** Zones whose replicas and NATS servers are gone. */
  failZones?: string[];
  /** Skip end-to-end composition (the per-edit fast path). */
  skipEndToEnd?: boolean;
}
