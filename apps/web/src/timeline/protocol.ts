/** Messages between the page and the timeline worker (structured-cloned: plain data only). */
import type { TimelineResult, Topology } from '@busboard/core';

export interface TimelineStart {
  type: 'start';
  doc: Topology;
  /** The policies to run on the same day: null is the bundles' own autoscalers, a string `autoscalePolicies[].name`. */
  policies: (string | null)[];
}

export type TimelineWorkerMessage =
  /** Minutes simulated so far over every policy's minutes. */
  { type: 'progress'; fraction: number } | { type: 'done'; results: TimelineResult[]; elapsedMs: number } | { type: 'error'; message: string };
