/**
 * "Calibrate": copies what the live system measured into a design, as a new revision —
 * the traffic entering each entry service (its measured request rate, minus what designed
 * callers send it), and the service time of leaf services (the mean processing time micro
 * services report; for a service that calls others it includes the downstream waits, so it
 * is not its own time and is left alone).
 */

import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { matchServices } from './match.ts';
import type { LiveSnapshot } from './types.ts';

export interface CalibrationChange {
  path: string;
  from: number;
  to: number;
  reason: string;
}

export interface CalibrationResult {
  doc: TopologyInput;
  changes: CalibrationChange[];
  /** What was left as designed, and why. */
  skipped: string[];
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

export function calibrate(
  input: TopologyInput,
  snapshot: Pick<LiveSnapshot, 'services' | 'queueGroups' | 'unqueued' | 'intervalMs'>,
): CalibrationResult {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(`calibrate needs a valid design: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  const doc = parsed.doc;
  const out = JSON.parse(JSON.stringify(input)) as TopologyInput; // documents are plain JSON
  const changes: CalibrationChange[] = [];
  const skipped: string[] = [];
  const { byDesign } = matchServices(doc, snapshot);
  const rateOf = (name: string) => byDesign.get(name)?.requestRate ?? null;

  // Traffic: what enters each entry = its measured rate − what designed callers send it.
  const entries = [...new Set(doc.traffic.map((t) => t.entry))];
  for (const entry of entries) {
    const measured = rateOf(entry);
    if (measured === null) {
      skipped.push(`traffic to ${entry}: no measured rate yet (${byDesign.get(entry) ? 'wait for a second poll' : 'not seen live'})`);
      continue;
    }
    let fromCallers = 0;
    for (const s of doc.services) {
      for (const c of s.calls) if (c.to === entry) fromCallers += (rateOf(s.name) ?? 0) * c.perRequest;
    }
    const ingress = measured - fromCallers;
    if (ingress <= 0) {
      skipped.push(`traffic to ${entry}: no requests measured from outside (${round(measured)} req/s, all from designed callers)`);
      continue;
    }
    const items = doc.traffic.map((t, i) => ({ t, i })).filter(({ t }) => t.entry === entry);
    const designed = items.reduce((a, { t }) => a + t.rps, 0);
    for (const { t, i } of items) {
      const to = round((ingress * t.rps) / designed);
      if (to === t.rps) continue;
      (out.traffic as NonNullable<TopologyInput['traffic']>)[i] = { ...(out.traffic?.[i] as object), rps: to } as NonNullable<
        TopologyInput['traffic']
      >[number];
      changes.push({
        path: `traffic[${i}].rps`,
        from: t.rps,
        to,
        reason: `measured ${round(measured)} req/s at ${entry}${fromCallers ? `, ${round(fromCallers)} of them from designed callers` : ''}`,
      });
    }
  }

  // Service times of leaf services, from measured processing time.
  for (const [i, s] of doc.services.entries()) {
    const live = byDesign.get(s.name);
    if (!live) {
      skipped.push(`${s.name}: not seen live`);
      continue;
    }
    if (s.calls.length > 0) {
      skipped.push(`${s.name}: calls others, so its processing time includes downstream waits`);
      continue;
    }
    if (live.avgProcessingMs === null || live.avgProcessingMs <= 0) {
      skipped.push(`${s.name}: no processing time measured${live.kind === 'microbus' ? ' (Microbus exposes none)' : ' yet'}`);
      continue;
    }
    const to = round(live.avgProcessingMs);
    if (to === s.serviceTimeMs) continue;
    const svc = out.services?.[i];
    if (svc) svc.serviceTimeMs = to;
    changes.push({
      path: `services[${i}].serviceTimeMs`,
      from: s.serviceTimeMs,
      to,
      reason: `mean processing time of ${live.instances.length} instance(s)`,
    });
  }
  return { doc: out, changes, skipped };
}
