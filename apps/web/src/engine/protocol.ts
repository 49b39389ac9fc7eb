/** Messages between the page and the engine worker (core's `simulate` off the main thread). */
import type { GoalOptions, GoalSeekResult, GoodputSweep, Recommendation, SimulateOptions, SimulationResult, Topology } from '@busboard/core';

export type EngineRequest =
  | { id: number; kind: 'simulate'; doc: Topology; options: SimulateOptions }
  /** The hockey stick: entry percentiles as traffic scales. */
  | { id: number; kind: 'loadSweep'; doc: Topology; options: SimulateOptions; scales: number[] }
  /** One bundle's replica count varied, spread evenly over the zones it uses. */
  | { id: number; kind: 'replicaSweep'; doc: Topology; options: SimulateOptions; bundle: string; counts: number[] }
  /** Goodput, failures and P99 of successes against offered load, with and without retries (core goodputSweep). */
  | { id: number; kind: 'goodputSweep'; doc: Topology; options: SimulateOptions; points: number }
  /** The engine's replica recommendation (it searches many designs: never on the main thread). */
  | { id: number; kind: 'recommend'; doc: Topology; scale: number }
  /** Goal seek (it searches up to thousands of designs: in a worker of its own, which Cancel stops). */
  | { id: number; kind: 'goalSeek'; doc: Topology; options: GoalOptions };

export interface SweepPoint {
  x: number;
  result: SimulationResult;
}

export type EngineResponse =
  | { id: number; ok: true; result: SimulationResult }
  | { id: number; ok: true; points: SweepPoint[] }
  | { id: number; ok: true; recommendation: Recommendation }
  | { id: number; ok: true; goodput: GoodputSweep }
  /** The search, and the current design's worst-entry P99 at the same scale (to mark it on the frontier). */
  | { id: number; ok: true; goal: GoalSeekResult; currentP99Ms: number | null }
  | { id: number; ok: false; error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A sweep request as callers write it (the client adds the id). */
export type SweepRequest = WithoutId<Extract<EngineRequest, { kind: 'loadSweep' | 'replicaSweep' }>>;
