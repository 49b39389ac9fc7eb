/**
 * "Calibrate": what the live system measured, as a preview of edits to a design — the traffic
 * entering each entry service (its measured request rate averaged over the recent polls, minus
 * what designed callers send it), and the service time of leaf services (the mean processing
 * time micro services report; for a service that calls others it includes the downstream
 * waits, so it is not its own time and is left alone).
 *
 * Every change says from → to and why, and all of them come as one command (one undo step).
 * Lowering traffic is refused when the window holds fewer than `minSamples` measurements or a
 * server failure (a server down, or clients failing over): an outage lowers the measured rate,
 * and writing that into the plan would size the system for the outage.
 */
import type { Command } from '../edit/commands.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { matchServices } from './match.ts';
import type { LiveSample, LiveSnapshot } from './types.ts';

export interface CalibrationChange {
  path: string;
  from: number;
  to: number;
  reason: string;
}

export interface CalibrationWindow {
  /** Polls with measurements in the window. */
  polls: number;
  /** Servers down, or failovers, in the window, in words. */
  failures: string[];
  fromMs: number | null;
  toMs: number | null;
}

export interface CalibrationResult {
  doc: TopologyInput;
  changes: CalibrationChange[];
  /** Changes the measurements suggest but calibrate will not make, with the reason. */
  refused: CalibrationChange[];
  /** What was left as designed, and why. */
  skipped: string[];
  /** Every change as one edit (one undo step); null when nothing changes. */
  command: Command | null;
  window: CalibrationWindow;
}

export interface CalibrationOptions {
  /** Traffic is not lowered from fewer measurements than this (default 5). */
  minSamples?: number;
}

export const CALIBRATION_MIN_SAMPLES = 5;

function round(x: number): number {
  return Number(x.toPrecision(4));
}

type SnapshotLike = Pick<LiveSnapshot, 'services' | 'queueGroups' | 'unqueued' | 'intervalMs'> & Partial<Pick<LiveSnapshot, 'recent' | 'servers'>>;

function windowOf(snapshot: SnapshotLike): { samples: LiveSample[]; window: CalibrationWindow } {
  const samples = (snapshot.recent ?? []).filter((s) => s.intervalMs !== null);
  const down = new Set(samples.flatMap((s) => s.serversDown));
  for (const s of snapshot.servers ?? []) if (!s.up) down.add(s.name);
  const failovers = samples.reduce((a, s) => a + s.failovers, 0);
  const failures = [
    ...[...down].sort().map((name) => `${name} down`),
    ...(failovers ? [`${failovers} replica${failovers === 1 ? '' : 's'} failed over`] : []),
  ];
  return {
    samples,
    window: { polls: samples.length, failures, fromMs: samples[0]?.collectedAt ?? null, toMs: samples.at(-1)?.collectedAt ?? null },
  };
}

export function calibrate(input: TopologyInput, snapshot: SnapshotLike, options: CalibrationOptions = {}): CalibrationResult {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(`calibrate needs a valid design: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  const minSamples = options.minSamples ?? CALIBRATION_MIN_SAMPLES;
  const doc = parsed.doc;
  const out = JSON.parse(JSON.stringify(input)) as TopologyInput; // documents are plain JSON
  const changes: CalibrationChange[] = [];
  const refused: CalibrationChange[] = [];
  const skipped: string[] = [];
  const commands: Command[] = [];
  const { byDesign } = matchServices(doc, snapshot);
  const { samples, window } = windowOf(snapshot);
  // The mean over the window's polls; without a window (an older snapshot), the newest rate alone.
  const measuredOf = (name: string): { rate: number; samples: number } | null => {
    const live = byDesign.get(name);
    if (!live) return null;
    const xs = samples.map((s) => s.rates[live.name]).filter((x): x is number => x !== undefined);
    if (xs.length) return { rate: xs.reduce((a, b) => a + b, 0) / xs.length, samples: xs.length };
    return live.requestRate === null ? null : { rate: live.requestRate, samples: 1 };
  };

  // Traffic: what enters each entry = its measured rate − what designed callers send it.
  for (const entry of [...new Set(doc.traffic.map((t) => t.entry))]) {
    const measured = measuredOf(entry);
    if (measured === null) {
      skipped.push(`traffic to ${entry}: no measured rate yet (${byDesign.get(entry) ? 'wait for a second poll' : 'not seen live'})`);
      continue;
    }
    let fromCallers = 0;
    for (const s of doc.services) for (const c of s.calls) if (c.to === entry) fromCallers += (measuredOf(s.name)?.rate ?? 0) * c.perRequest;
    const ingress = measured.rate - fromCallers;
    if (ingress <= 0) {
      skipped.push(`traffic to ${entry}: no requests measured from outside (${round(measured.rate)} req/s, all from designed callers)`);
      continue;
    }
    const items = doc.traffic.map((t, i) => ({ t, i })).filter(({ t }) => t.entry === entry);
    const designed = items.reduce((a, { t }) => a + t.rps, 0);
    for (const { t, i } of items) {
      const to = round((ingress * t.rps) / designed);
      if (to === t.rps) continue;
      const reason = `${round(measured.rate)} req/s measured at ${entry}, mean of ${measured.samples} poll${measured.samples === 1 ? '' : 's'}${fromCallers ? `, ${round(fromCallers)} of them from designed callers` : ''}`;
      const change = { path: `traffic[${i}].rps`, from: t.rps, to, reason };
      if (to < t.rps && window.failures.length) {
        refused.push({
          ...change,
          reason: `${reason}; not lowered: the window holds a server failure (${window.failures.join(', ')}), which lowers what is measured`,
        });
        continue;
      }
      if (to < t.rps && measured.samples < minSamples) {
        refused.push({ ...change, reason: `${reason}; not lowered from fewer than ${minSamples} polls: wait for more` });
        continue;
      }
      const item = out.traffic?.[i];
      if (item) item.rps = to;
      changes.push(change);
      commands.push({ type: 'setTraffic', index: i, fields: { rps: to } });
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
      skipped.push(`${s.name}: no processing time measured${live.kind === 'microbus' ? ' (Microbus exposes none on the bus)' : ' yet'}`);
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
    commands.push({ type: 'setService', name: s.name, fields: { serviceTimeMs: to } });
  }
  const command: Command | null = commands.length === 0 ? null : commands.length === 1 ? (commands[0] as Command) : { type: 'batch', commands };
  return { doc: out, changes, refused, skipped, command, window };
}
