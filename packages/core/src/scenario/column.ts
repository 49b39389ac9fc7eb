/**
 * One scenario's column of a comparison (issue 20): every figure read from `simulate` of the
 * resolved scenario and `designCost` of it, nothing recomputed, so each equals what those give
 * for that scenario alone.
 */
import { designCost } from '../cost/cost.ts';
import type { CostBreakdown } from '../cost/types.ts';
import { simulate } from '../engine/simulate.ts';
import type { EntryResult, SimulationResult } from '../engine/types.ts';
import type { CostPresetName } from '../schema/cost.ts';
import type { Topology } from '../schema/topology.ts';
import type { ResolvedScenario } from './resolve.ts';
import type { BundleFigures, DesEntryFigures, EntryFigures, ScenarioColumn } from './types.ts';

/** Whether the document bounds some queue (a queue limit or an in-flight cap): then rejection is modelled. */
export function hasAdmissionLimits(doc: Topology): boolean {
  return doc.services.some((s) => s.queueLimit !== undefined || s.maxInFlight !== undefined);
}

/** The entry's SLO targets (the tightest per percentile over its SLO items that name no class), or null. */
function sloTargets(doc: Topology, entry: string): EntryFigures['slo'] {
  const out: NonNullable<EntryFigures['slo']> = {};
  let any = false;
  for (const s of doc.slo) {
    if (s.entry !== entry || s.class !== undefined) continue;
    for (const k of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
      const v = s[k];
      if (v === undefined) continue;
      any = true;
      out[k] = Math.min(out[k] ?? Number.POSITIVE_INFINITY, v);
    }
  }
  return any ? out : null;
}

function desFigures(e: EntryResult | undefined): DesEntryFigures | null {
  const l = e?.latencyMs;
  if (!l) return null;
  const f: DesEntryFigures = { p50Ms: l.p50, p95Ms: l.p95, p99Ms: l.p99 };
  if (l.ci) f.ci = { p50Ms: l.ci.p50, p95Ms: l.ci.p95, p99Ms: l.ci.p99 };
  return f;
}

function entryFigures(doc: Topology, result: SimulationResult, des: SimulationResult | undefined): Record<string, EntryFigures> {
  const limits = hasAdmissionLimits(doc);
  const out: Record<string, EntryFigures> = {};
  for (const [name, e] of Object.entries(result.entries)) {
    const f: EntryFigures = {
      p50Ms: e.latencyMs?.p50 ?? null,
      p95Ms: e.latencyMs?.p95 ?? null,
      p99Ms: e.latencyMs?.p99 ?? null,
      slo: sloTargets(doc, name),
      meetsSlo: e.slo ? e.slo.met : null,
      rejectionRate: limits ? 1 - e.successRate : null,
      timeoutRate: e.timeoutRate ?? null,
    };
    if (des) f.des = desFigures(des.entries[name]);
    out[name] = f;
  }
  return out;
}

function bundleFigures(doc: Topology, result: SimulationResult, cost: CostBreakdown): Record<string, BundleFigures> {
  const out: Record<string, BundleFigures> = {};
  for (const b of doc.bundles) {
    const r = result.bundles[b.name];
    const replicas: Record<string, number> = {};
    let busy = 0;
    for (const zone of Object.keys(b.replicas)) replicas[zone] = r?.zones[zone]?.replicas ?? 0;
    for (const z of Object.values(r?.zones ?? {})) busy += z.replicas * z.cpuUtilization * b.cpu;
    const total = r?.replicas ?? 0;
    out[b.name] = { replicas, totalReplicas: total, cpuRequested: total * b.cpu, cpuBusy: busy, costMonthly: cost.byBundle[b.name] ?? 0 };
  }
  return out;
}

/**
 * Calls crossing zones (cross-region included, as the engine counts them) × the price book's
 * payload, plus streams' bytes and core-NATS event copies crossing zones or regions.
 */
export function crossZoneBytes(result: SimulationResult, cost: CostBreakdown): number {
  const calls = result.crossZoneRps * (cost.prices.requestBytes + cost.prices.responseBytes);
  const streams = Object.values(result.async?.streams ?? {}).reduce((s, st) => s + st.crossZoneBytesPerSec, 0);
  const events = (result.async?.subscriptions ?? []).reduce((s, sub) => s + sub.crossZoneBytesPerSec + sub.crossRegionBytesPerSec, 0);
  return calls + streams + events;
}

/** The column of a resolved scenario; `des` is a DES result of the same scenario, when one exists. */
export function scenarioColumn(r: ResolvedScenario, preset: CostPresetName | undefined, des: SimulationResult | undefined): ScenarioColumn {
  const empty = {
    result: null,
    cost: null,
    entries: {},
    bundles: {},
    headroom: null,
    bottleneck: null,
    crossZoneBytesPerSecond: 0,
    brokerMessagesPerSecond: 0,
    costMonthly: null,
  };
  const head = { name: r.name, whatIf: r.whatIf, conflicts: r.conflicts, problems: r.problems };
  if (!r.doc) return { ...head, ...empty };
  const doc = r.doc;
  const result = simulate(doc, r.options);
  const cost = designCost(doc, result, preset ? { preset } : {});
  return {
    ...head,
    result,
    cost,
    entries: entryFigures(doc, result, des),
    bundles: bundleFigures(doc, result, cost),
    headroom: result.headroom,
    bottleneck: result.bottleneck,
    crossZoneBytesPerSecond: crossZoneBytes(result, cost),
    brokerMessagesPerSecond: result.brokers.reduce((s, b) => s + b.msgsPerSec, 0),
    costMonthly: cost.totals.total,
  };
}
