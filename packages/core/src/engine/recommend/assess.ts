/**
 * Phase 2's yardstick: a trial set of replica counts run through the engine in normal
 * operation and with each zone failed, reporting every way it falls short.
 */

import { asyncFlows } from '../async-flows.ts';
import { publishAckDelays } from '../async-streams.ts';
import { placeWithInFlight } from '../cap-blocking.ts';
import { type ComposeCache, Composer, newComposeCache, summarize } from '../compose.ts';
import type { Model } from '../model.ts';
import { makeScenario, type Placement } from '../placement.ts';
import { buildQueues, type Queues } from '../queues.ts';
import { classSuccess, entrySuccess } from '../success.ts';
import { RECOMMEND_TARGETS, type Targets } from './capacity.ts';

/** One way a trial falls short, for goal seek's binding constraints (the same sentence is in `reasons`). */
export interface Failure {
  /** The failed zone's index, or null in normal operation. */
  failed: number | null;
  kind: 'rho' | 'slo' | 'rejection' | 'unavailable' | 'shard';
  /** The bundle whose replicas fall short (ρ), else null. */
  bundle: number | null;
  text: string;
}

export interface Assessment {
  /** Every SLO met in normal operation. */
  meetsSlo: boolean;
  /** Every replica at ρ ≤ 0.7 in normal operation. */
  withinTarget: boolean;
  /** With any one zone down: every SLO met, no replica saturated, nothing unavailable. */
  survivesZoneFailure: boolean;
  /** Σ over scenarios and SLO checks of how far over budget (value/limit − 1; 10 for an unbounded value). */
  violation: number;
  /** Entries (indices into model.entries) that miss an SLO in some scenario. */
  failingEntries: Set<number>;
  reasons: string[];
  failures: Failure[];
  /** The scenarios' placements and queues (normal first, then one per zone), for the search's proxy. */
  runs: { failed: number | null; placement: Placement; queues: Queues }[];
}

/**
 * The rejection budget of each entry: the tightest of its `slo[].maxRejectionRate` and the
 * recommendation's own `maxRejectionRate` option (applies to every entry); undefined: none.
 */
export function rejectionBudgets(model: Model, option?: number): (number | undefined)[] {
  return model.entries.map((e) => {
    const name = model.services[e]?.name;
    let limit = option;
    for (const slo of model.doc.slo)
      if (slo.entry === name && slo.maxRejectionRate !== undefined)
        limit = limit === undefined ? slo.maxRejectionRate : Math.min(limit, slo.maxRejectionRate);
    return limit;
  });
}

export function assess(
  model: Model,
  counts: Int32Array,
  scale: number,
  cache: ComposeCache = newComposeCache(),
  budgets: (number | undefined)[] = rejectionBudgets(model),
  targets: Targets = RECOMMEND_TARGETS,
): Assessment {
  const Z = model.zones.length;
  const out: Assessment = {
    meetsSlo: true,
    withinTarget: true,
    survivesZoneFailure: true,
    violation: 0,
    failingEntries: new Set(),
    reasons: [],
    failures: [],
    runs: [],
  };
  const fail = (f: number, kind: Failure['kind'], text: string, bundle: number | null = null) => {
    out.reasons.push(text);
    out.failures.push({ failed: f >= 0 ? f : null, kind, bundle, text });
  };
  const sloEntries = model.entries
    .map((e, ei) => ({ ei, name: model.services[e]?.name as string }))
    .filter((x) => model.doc.slo.some((s) => s.entry === x.name && (s.p50Ms ?? s.p95Ms ?? s.p99Ms) !== undefined));
  const rejectionChecked = budgets.some((b) => b !== undefined);
  for (let f = -1; f < (targets.zoneFailure ? Z : 0); f++) {
    const failed = f >= 0 ? model.zones[f] : null;
    const where = failed ? `with ${failed} down` : 'in normal operation';
    const sc = makeScenario(model, { scale, failZones: failed ? [failed] : [], replicas: counts });
    const pl = placeWithInFlight(model, sc).pl;
    // Schema v3: subscription events on the services' stations, publish acks in the requests' time (as simulate does).
    const flows = model.async ? asyncFlows(model, model.async, pl) : null;
    const q = buildQueues(model, pl, flows?.events);
    if (model.async && flows) q.publishAckMs = publishAckDelays(model, model.async, flows);
    out.runs.push({ failed: f >= 0 ? f : null, placement: pl, queues: q });
    let ok = true;
    for (const s of model.services) {
      if ((pl.offered[s.index] as number) > 0 && pl.unavailable[s.index]) {
        ok = false;
        const bundle = model.bundles[s.bundle]?.name;
        fail(f, 'unavailable', `${where}: ${s.name} has no live replica (bundle ${bundle} ${failed ? `runs only in ${failed}` : 'has none'})`);
        continue;
      }
      for (let z = 0; z < Z; z++) {
        const st = q.cls[s.index * Z + z];
        if (!st || (pl.lam[s.index * Z + z] as number) === 0) continue;
        if (f < 0 && st.rho > targets.rho + 1e-12) {
          out.withinTarget = false;
          fail(f, 'rho', `${where}: ${s.name} in ${model.zones[z]} at ρ ${st.rho.toFixed(2)} > ${targets.rho}`, s.bundle);
        }
        if (f >= 0 && st.saturated) {
          ok = false;
          fail(f, 'rho', `${where}: ${s.name} in ${model.zones[z]} saturates (ρ ${st.rho.toFixed(2)})`, s.bundle);
        }
      }
    }
    model.databases.forEach((db, d) => {
      q.shards[d]?.forEach((st, j) => {
        if (st.saturated && (pl.dbRate[d] as number) > 0) {
          ok = false;
          fail(
            f,
            'shard',
            `${where}: shard ${db.name}/${db.shards[j]?.name} saturates (ρ ${st.rho.toFixed(2)}); replicas cannot fix a database — add vCPU or shards`,
          );
        }
      });
    });
    const composer = new Composer(model, pl, q, cache);
    for (const { ei, name } of sloEntries) {
      const c = composer.entry(ei);
      const lat = c.dist ? summarize(c.dist) : null;
      for (const slo of model.doc.slo) {
        if (slo.entry !== name) continue;
        for (const p of ['p50', 'p95', 'p99'] as const) {
          const limit = slo[`${p}Ms`];
          if (limit === undefined) continue;
          const v = lat ? lat[p] : null;
          if (v !== null && v <= limit) continue;
          out.violation += v === null ? 10 : v / limit - 1;
          out.failingEntries.add(ei);
          if (f < 0) out.meetsSlo = false;
          else ok = false;
          fail(f, 'slo', `${where}: ${name} ${p} ${v === null ? `unbounded (${c.reason})` : `${v.toFixed(1)} ms`} > ${limit} ms`);
        }
      }
    }
    // Rejection budgets (schema v2 `slo[].maxRejectionRate`, or the option), at this scale, retries included.
    if (rejectionChecked) {
      const succ = classSuccess(model, pl);
      budgets.forEach((limit, ei) => {
        if (limit === undefined) return;
        const rejected = 1 - entrySuccess(model, pl, succ, ei);
        if (rejected <= limit + 1e-12) return;
        const name = model.services[model.entries[ei] as number]?.name;
        out.violation += limit > 0 ? Math.min(10, rejected / limit - 1) : 10;
        out.failingEntries.add(ei);
        if (f < 0) out.meetsSlo = false;
        else ok = false;
        fail(f, 'rejection', `${where}: ${name} rejects ${(rejected * 100).toFixed(2)} % > ${(limit * 100).toFixed(2)} % (maxRejectionRate)`);
      });
    }
    if (f >= 0 && !ok) out.survivesZoneFailure = false;
  }
  if (Z === 1 && targets.zoneFailure) {
    out.survivesZoneFailure = false;
    out.reasons.push(`the design has a single zone (${model.zones[0]}): nothing survives its failure`);
  }
  return out;
}
