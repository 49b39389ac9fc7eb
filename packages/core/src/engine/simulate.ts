/**
 * The analytic engine's entry point (MODEL.md §2, everything but the discrete-event
 * cross-check): load → placement → per-replica queues → end-to-end composition → caches,
 * databases, brokers, CPU, headroom, warnings. Pure and deterministic: the same document and
 * options always give the same numbers.
 */
import { dict } from '../dict.ts';
import type { Topology } from '../schema/topology.ts';
import { asyncFigures } from './async.ts';
import { asyncFlows } from './async-flows.ts';
import { publishAckDelays } from './async-streams.ts';
import type { AsyncWhatIf } from './async-types.ts';
import { brokerLoad } from './brokers.ts';
import { placeWithInFlight } from './cap-blocking.ts';
import { type ComposeCache, Composer, summarize } from './compose.ts';
import { limitsOf } from './limits.ts';
import { compile, type Model } from './model.ts';
import { makeScenario, type Placement, place } from './placement.ts';
import { buildQueues, type Queues } from './queues.ts';
import { bundleResults, databaseResults, serviceResults } from './results.ts';
import { classSuccess, entrySuccess } from './success.ts';
import { addClassResults, planClasses, usesClasses } from './traffic-classes.ts';
import type { EntryResult, RejectionCheck, SimulateOptions, SimulationResult, SloCheck, ValidityNote } from './types.ts';
import { entryValidity } from './validity.ts';
import { warnings } from './warnings.ts';

/**
 * The compiled model of a document. Compiled afresh on every call (it takes well under a
 * millisecond for hundreds of services): a cache keyed by the document object would go stale
 * when a caller edits the document in place.
 */
export function modelOf(doc: Topology): Model {
  return compile(doc);
}

export function simulate(doc: Topology, options: SimulateOptions = {}): SimulationResult {
  const model = modelOf(doc);
  const sc = makeScenario(model, { scale: options.scale, failZones: options.failZones });
  return simulateModel(model, sc, options.skipEndToEnd ?? false, options.async);
}

/** The engine on a compiled model and scenario (the recommendation calls this with trial replica counts). */
export function simulateModel(model: Model, sc: ReturnType<typeof makeScenario>, skipEndToEnd = false, whatIf?: AsyncWhatIf): SimulationResult {
  // Traffic classes (schema v2): per-class load and admission first; their joint stations replace the class-blind ones.
  const plan = usesClasses(model.doc) ? planClasses(model, sc) : null;
  const { pl, inflight } = placeWithInFlight(model, sc, plan?.joint);
  // Schema v3 async messaging (async.ts): subscription events join the stations, publish acks the requests' time.
  const flows = model.async ? asyncFlows(model, model.async, pl) : null;
  const q = buildQueues(model, pl, flows?.events);
  if (model.async && flows) q.publishAckMs = publishAckDelays(model, model.async, flows);
  const notes: ValidityNote[][] = [];
  const services = serviceResults(model, pl, q, notes, inflight);
  const bundles = bundleResults(model, pl, q);
  const databases = databaseResults(model, pl, q);
  const brokers = brokerLoad(model, pl);
  const entries = entryResults(model, pl, q, skipEndToEnd, notes, inflight.cache);
  if (pl.retry) retryAmplification(model, sc, pl, services);

  if (plan) addClassResults(model, pl, q, plan, { services, entries }, skipEndToEnd);
  const parts = { services, bundles, brokers, entries };
  const asy = model.async && flows ? asyncFigures(model, model.async, flows, pl, q, parts, { skip: skipEndToEnd, whatIf }) : null;
  const limits = limitsOf(services, bundles, databases, brokers, asy?.bindings);

  const partial: Omit<SimulationResult, 'warnings'> = {
    method: 'analytic',
    scale: sc.scale,
    failedZones: model.zones.filter((_, z) => sc.failed[z]),
    services,
    bundles,
    entries,
    databases,
    brokers,
    crossZoneRps: pl.crossZoneRps,
    crossRegionRps: pl.crossRegionRps,
    ...limits,
  };
  if (asy) partial.async = asy.result;
  return { ...partial, warnings: asy ? [...warnings(model, pl, partial), ...asy.warnings] : warnings(model, pl, partial) };
}

/** Each service's offered load against the same design's without retries (schema v2; retries.ts). */
function retryAmplification(model: Model, sc: ReturnType<typeof makeScenario>, pl: Placement, services: SimulationResult['services']): void {
  const base = place(model, sc, { noRetries: true, capBlock: pl.capBlock });
  for (const s of model.services) {
    const res = services[s.name];
    if (!res) continue;
    const without = base.offered[s.index] as number;
    const withRetries = pl.offered[s.index] as number;
    res.offeredWithoutRetriesRps = without;
    res.retryAmplification = without > 0 ? withRetries / without : 1;
  }
}

function entryResults(
  model: Model,
  pl: Placement,
  q: Queues,
  skip: boolean,
  notes: ValidityNote[][],
  cache?: ComposeCache,
): Record<string, EntryResult> {
  const Z = model.zones.length;
  const composer = skip ? null : new Composer(model, pl, q, cache);
  const succ = classSuccess(model, pl);
  // Time budgets: the same success without them, so the timeouts are told apart from rejections.
  const untimed = pl.budget ? classSuccess(model, pl, true) : null;
  const out: Record<string, EntryResult> = dict<EntryResult>();
  model.entries.forEach((e, ei) => {
    const name = model.services[e]?.name as string;
    const zones: Record<string, number> = dict<number>();
    let rps = 0;
    for (let z = 0; z < Z; z++) {
      const r = pl.ingress[ei * Z + z] as number;
      if (r > 0) zones[model.zones[z] as string] = r;
      rps += r;
    }
    if (rps === 0) for (const t of model.traffic) if (t.entry === e) rps += t.rps * pl.scenario.scale;
    const composed = composer?.entry(ei) ?? null;
    const latencyMs = composed?.dist ? summarize(composed.dist) : null;
    const reason = composer ? (composed?.reason ?? null) : 'not composed (skipEndToEnd)';
    const validity = latencyMs ? entryValidity(model, pl, q, e, (s) => notes[s] ?? []) : 'ok';
    const successRate = entrySuccess(model, pl, succ, ei);
    const timeoutRate = untimed ? Math.max(0, entrySuccess(model, pl, untimed, ei) - successRate) : undefined;
    const slo = composer ? sloFor(model, name, latencyMs, successRate, timeoutRate) : null;
    const timeouts = timeoutRate === undefined ? {} : { timeoutRate };
    out[name] = { rps, method: 'composed', validity, latencyMs, successRate, goodputRps: rps * successRate, ...timeouts, reason, slo, zones };
  });
  return out;
}

/**
 * The SLO checks of an entry (latency percentiles; the rejection and timeout budgets, schema v2).
 * Shared with the DES. With time budgets the rejection budget counts the failures that are not timeouts.
 */
export function sloFor(
  model: Pick<Model, 'doc'>,
  entry: string,
  latency: EntryResult['latencyMs'],
  successRate = 1,
  timeoutRate?: number,
): EntryResult['slo'] {
  const checks: SloCheck[] = [];
  let rejection: RejectionCheck | undefined;
  let timeout: RejectionCheck | undefined;
  for (const slo of model.doc.slo) {
    // A class's SLO is checked on that class's figures (traffic-classes.ts), not the entry's.
    if (slo.entry !== entry || slo.class !== undefined) continue;
    if (slo.maxTimeoutRate !== undefined) {
      const value = timeoutRate ?? 0;
      if (!timeout || slo.maxTimeoutRate < timeout.limit) timeout = { limit: slo.maxTimeoutRate, value, met: value <= slo.maxTimeoutRate };
    }
    if (slo.maxRejectionRate !== undefined) {
      const value = Math.max(0, 1 - successRate - (timeoutRate ?? 0));
      // Several budgets for one entry: the tightest holds.
      if (!rejection || slo.maxRejectionRate < rejection.limit)
        rejection = { limit: slo.maxRejectionRate, value, met: value <= slo.maxRejectionRate };
    }
    for (const percentile of ['p50', 'p95', 'p99'] as const) {
      const limitMs = slo[`${percentile}Ms`];
      if (limitMs === undefined) continue;
      const valueMs = latency ? latency[percentile] : null;
      checks.push({ percentile, limitMs, valueMs, met: valueMs !== null && valueMs <= limitMs });
    }
  }
  if (rejection || timeout) {
    const met = (rejection?.met ?? true) && (timeout?.met ?? true) && checks.every((c) => c.met);
    return { met, checks, ...(rejection ? { rejection } : {}), ...(timeout ? { timeout } : {}) };
  }
  return checks.length ? { met: checks.every((c) => c.met), checks } : null;
}
