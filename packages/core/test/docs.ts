/** Helpers for the engine's tests: build a valid document from a short description. */
import type { TopologyInput } from '../src/schema/topology.ts';
import { parseTopology } from '../src/schema/validate.ts';

export function docOf(input: Omit<TopologyInput, 'schema'> & { schema?: string }) {
  const r = parseTopology({ schema: 'busboard.topology/v3', ...input });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

/** A network with no costs, for checks against pure queueing results. */
export const FREE_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };
