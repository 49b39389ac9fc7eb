/**
 * The engine's replica recommendation, when core has it (it lands with the engine; until
 * then the "apply recommendation" control says so instead of guessing).
 */

import type { SimulateOptions, Topology } from '@busboard/core';
import * as core from '@busboard/core';

export interface Recommendation {
  bundles: Record<string, { replicas: Record<string, number> }>;
  meetsSlo: boolean;
  survivesZoneFailure: boolean;
  reasons: string[];
}

type RecommendFn = (doc: Topology, options?: SimulateOptions) => Recommendation;

export function recommendFn(): RecommendFn | null {
  const fn = (core as unknown as Record<string, unknown>).recommend;
  return typeof fn === 'function' ? (fn as RecommendFn) : null;
}
