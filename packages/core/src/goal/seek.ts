/**
 * Goal seek (see types.ts and the README's "Goal seek"): the fewest replicas, or the lowest
 * cost, over the zones each bundle already uses, such that every SLO holds, ρ and CPU stay at or
 * below their targets, and (by default) everything still holds with any one zone down — the
 * recommendation's semantics with adjustable targets.
 *
 * 1. Each bundle's utilization-feasible count vectors, fewest first (search.ts), from the
 *    recommendation's phase-1 placements and per-zone lower bounds.
 * 2. Whole designs in order of the objective, each judged in full (evaluate.ts); the first that
 *    passes is the answer, and it is exact (no design cheaper in the objective passes).
 * 3. Beyond the evaluation budget: grow the best design found until it passes, then take single
 *    replicas away while it still does (`exact: false`).
 * 4. Per zone, what one replica fewer breaks (the binding constraint); the answer's neighbours
 *    (+1 per zone, per bundle, everywhere) for the cost–P99 frontier.
 */

import { checksAt, MAX_PER_ZONE, sizeBundles, type Targets } from '../engine/recommend/capacity.ts';
import { modelOf, simulate } from '../engine/simulate.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { describeBindings, overallBinding } from './bindings.ts';
import { type Evaluation, Evaluator, replicasOf } from './evaluate.ts';
import { capVisited, paretoFrontier } from './frontier.ts';
import { BundleOptions, walk } from './search.ts';
import type { GoalBundle, GoalOptions, GoalPoint, GoalSeekResult } from './types.ts';

export const DEFAULT_MAX_EVALUATIONS = 2000;
/** Most replica classes (bundle × zone) for which the frontier gets a +1 in each one alone. */
const NEIGHBOUR_CLASSES = 30;
/** Beyond that, the bundles (most replicas first) that get a +1 in every zone. */
const NEIGHBOUR_BUNDLES = 12;

/** The document with each named bundle's replicas set (bundle → zone → count); other bundles untouched. */
export function applyReplicas(input: TopologyInput, replicas: Record<string, Record<string, number>>): TopologyInput {
  return {
    ...input,
    bundles: (input.bundles ?? []).map((b) => (replicas[b.name] ? { ...b, replicas: { ...replicas[b.name] } } : b)),
  };
}

export function goalSeek(doc: Topology, options: GoalOptions = {}): GoalSeekResult {
  const opts = {
    objective: options.objective ?? 'replicas',
    scale: options.scale ?? 1,
    rhoTarget: options.rhoTarget ?? 0.7,
    cpuTarget: options.cpuTarget ?? 0.7,
    zoneFailure: options.zoneFailure ?? true,
  } as const;
  const maxEvaluations = Math.max(1, options.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS);
  const targets: Targets = { rho: opts.rhoTarget, cpu: opts.cpuTarget, zoneFailure: opts.zoneFailure };
  const model = modelOf(doc);
  const Z = model.zones.length;
  const used = model.bundles.map((b) => Array.from({ length: Z }, (_, z) => z).filter((z) => (b.replicas[z] as number) > 0));
  const current = new Int32Array(model.bundles.length * Z);
  for (const b of model.bundles) current.set(b.replicas, b.index * Z);

  const ev = new Evaluator(doc, model, opts.scale, targets, simulate(doc, { scale: opts.scale }));
  const before = ev.evaluate(current);

  // 1. Per bundle: utilization-feasible vectors from the phase-1 placements.
  const sized = sizeBundles(model, current, used, opts.scale, targets);
  const checks = checksAt(model, sized.counts, opts.scale, targets);
  const capacityReasons: string[] = [];
  const budgetStart = ev.evaluations;
  const phase1 = ev.evaluate(sized.counts);
  ev.markHopeless(phase1);
  const lists = model.bundles.map(
    (b) =>
      new BundleOptions(
        model,
        b.index,
        used[b.index] as number[],
        checks,
        capacityReasons,
        relaxation(ev, b.index, used, phase1, () => ev.evaluations - budgetStart < maxEvaluations),
      ),
  );

  // 2. Best-first over whole designs.
  const ones = model.bundles.map(() => 1);
  const [w1, w2] = opts.objective === 'cost' ? [ev.price, ones] : [ones, ev.price];
  let answer: Evaluation | null = null;
  let first: Evaluation | null = null;
  walk(
    lists,
    w1,
    w2,
    (design) => {
      const e = ev.evaluate(design);
      first ??= e;
      if (e.feasible) answer = e;
      return e.feasible || ev.evaluations - budgetStart >= maxEvaluations;
    },
    maxEvaluations * 50,
  );
  const exact = answer !== null && lists.every((l) => !l.truncated);

  // 3. Beyond the budget: the fewest replicas (cost: from there, the costliest replicas trimmed first), or grow then trim.
  if (!answer && opts.objective === 'cost') {
    const start = ev.evaluations;
    walk(
      lists,
      ones,
      ev.price,
      (design) => {
        const e = ev.evaluate(design);
        if (e.feasible) answer = e;
        return e.feasible || ev.evaluations - start >= maxEvaluations;
      },
      maxEvaluations * 50,
    );
    if (answer) answer = trim(ev, answer, used, w1);
  }
  if (!answer) answer = repair(ev, first ?? ev.evaluate(sized.counts), used, w1);
  const chosen: Evaluation = answer;

  // 4. Bindings and neighbours.
  const zoneBinds = describeBindings(ev, chosen, used);
  neighbours(ev, chosen.counts, used);

  const point = (e: Evaluation): GoalPoint => ({
    replicas: replicasOf(model, e.counts, used),
    totalReplicas: e.totalReplicas,
    costMonthly: e.costMonthly,
    p99Ms: e.p99Ms,
    feasible: e.feasible,
  });
  const all = ev.all();
  const points = new Map(all.map((e) => [e, point(e)]));
  const visitedAll = [...points.values()];
  const frontier = paretoFrontier(visitedAll);
  const answerPoint = points.get(chosen) as GoalPoint;
  const visited = capVisited(visitedAll, [...frontier, answerPoint]);

  const bundles: Record<string, GoalBundle> = {};
  for (const b of model.bundles) {
    const zones: GoalBundle['zones'] = {};
    const cur: Record<string, number> = {};
    const rep: Record<string, number> = {};
    for (const z of used[b.index] as number[]) {
      const name = model.zones[z] as string;
      cur[name] = current[b.index * Z + z] as number;
      rep[name] = chosen.counts[b.index * Z + z] as number;
      zones[name] = { current: cur[name], replicas: rep[name], binds: zoneBinds[b.index * Z + z] ?? { kind: 'floor', detail: '' } };
    }
    bundles[b.name] = { current: cur, replicas: rep, zones };
  }
  const singleZone = opts.zoneFailure && Z === 1 ? [`the design has a single zone (${model.zones[0]}): nothing survives its failure`] : [];
  const feasible = chosen.failures.length === 0 && singleZone.length === 0;
  const reasons = feasible ? [] : [...new Set([...capacityReasons, ...sized.reasons, ...chosen.failures.map((f) => f.text), ...singleZone])];
  return {
    objective: opts.objective,
    options: opts,
    bundles,
    totalReplicas: chosen.totalReplicas,
    currentReplicas: before.totalReplicas,
    costMonthly: chosen.costMonthly,
    currentCostMonthly: before.costMonthly,
    currency: ev.currency,
    feasible,
    reasons,
    binding: overallBinding(model, chosen, used, zoneBinds),
    exact,
    evaluations: ev.evaluations,
    frontier,
    visited,
  };
}

/**
 * With locality routing more replicas never make a design worse (each zone's calls stay in the
 * zone while it has a replica; every replica's share of the load only falls), so a bundle's
 * vector that fails with every other bundle well above its utilization minimum (twice it, at
 * least 4 more per zone) is not listed: the walk then does not try more of a bundle that cannot
 * help. `exact` is proven among designs whose bundles stay within that relaxation. Random
 * routing spreads calls over zones in proportion to the counts, so more replicas can add
 * cross-zone hops: no relaxation there.
 */
function relaxation(
  ev: Evaluator,
  b: number,
  used: number[][],
  phase1: Evaluation,
  withinBudget: () => boolean,
): ((v: Int32Array) => boolean) | null {
  const model = ev.model;
  if (model.doc.routing !== 'locality' || model.bundles.length < 2) return null;
  const Z = model.zones.length;
  const cap = new Int32Array(model.bundles.length * Z);
  used.forEach((zs, x) => {
    for (const z of zs) {
      const n = phase1.counts[x * Z + z] as number;
      cap[x * Z + z] = Math.min(MAX_PER_ZONE, Math.max(2 * n, n + 4));
    }
  });
  const own = phase1.counts.subarray(b * Z, b * Z + Z);
  return (v) => {
    // The phase-1 vector passes with the others at their minimum when that design does: no probe.
    if (!withinBudget() || (phase1.feasible && v.every((x, z) => x === own[z]))) return true;
    const design = Int32Array.from(cap);
    design.set(v, b * Z);
    return ev.probe(design).feasible;
  };
}

/**
 * Past the budget: add a replica in every zone of the bundles the failures name (all bundles
 * when none is named) until the design passes, then take single replicas away — the heaviest
 * in the objective first — while it still does.
 */
function repair(ev: Evaluator, start: Evaluation, used: number[][], weight: number[]): Evaluation {
  const Z = ev.model.zones.length;
  let e = start;
  for (let step = 0; step < 64 && !e.feasible; step++) {
    const named = new Set(
      e.failures
        .filter((f) => !ev.ok({ ...e, failures: [f] }))
        .map((f) => f.bundle)
        .filter((b): b is number => b !== null),
    );
    const grow = named.size ? [...named] : ev.model.bundles.map((b) => b.index);
    const next = Int32Array.from(e.counts);
    for (const b of grow) for (const z of used[b] ?? []) next[b * Z + z] = Math.min(64, (next[b * Z + z] as number) + 1);
    if (next.every((v, i) => v === e.counts[i])) break;
    const t = ev.evaluate(next);
    // Stop when more replicas no longer cut the failures (their fixed costs exceed the budget).
    if (t.failures.length >= e.failures.length && !t.feasible) break;
    e = t;
  }
  return e.feasible ? trim(ev, e, used, weight) : e;
}

/** Takes single replicas away, the heaviest in the objective first, while the design still passes. */
function trim(ev: Evaluator, start: Evaluation, used: number[][], weight: number[]): Evaluation {
  const Z = ev.model.zones.length;
  let e = start;
  const classes = used
    .flatMap((zs, b) => zs.map((z) => b * Z + z))
    .sort((x, y) => (weight[Math.floor(y / Z)] as number) - (weight[Math.floor(x / Z)] as number));
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of classes) {
      if ((e.counts[c] as number) <= 1) continue;
      const trial = Int32Array.from(e.counts);
      trial[c] = (trial[c] as number) - 1;
      const t = ev.evaluate(trial);
      if (t.feasible) {
        e = t;
        changed = true;
      }
    }
  }
  return e;
}

/**
 * The answer plus one replica in each zone (designs with at most NEIGHBOUR_CLASSES zones of
 * bundles), in every zone of each bundle, and everywhere (+1, +2): what more money buys in P99.
 */
function neighbours(ev: Evaluator, counts: Int32Array, used: number[][]): void {
  const Z = ev.model.zones.length;
  const plus = (classes: number[], k = 1) => {
    const t = Int32Array.from(counts);
    for (const c of classes) t[c] = Math.min(64, (t[c] as number) + k);
    ev.evaluate(t);
  };
  const all = used.flatMap((zs, b) => zs.map((z) => b * Z + z));
  // One zone at a time only while that stays small (each is a full evaluation).
  if (all.length <= NEIGHBOUR_CLASSES) for (const c of all) plus([c]);
  // Every zone of a bundle at once: each bundle while that stays small, else the largest ones.
  const size = (b: number) => (used[b] ?? []).reduce((n, z) => n + (counts[b * Z + z] as number), 0);
  const bundles = used.map((_, b) => b).filter((b) => (used[b]?.length ?? 0) > 1);
  if (all.length > NEIGHBOUR_CLASSES) bundles.sort((x, y) => size(y) - size(x) || x - y).splice(NEIGHBOUR_BUNDLES);
  for (const b of bundles) plus((used[b] ?? []).map((z) => b * Z + z));
  plus(all);
  plus(all, 2);
}
