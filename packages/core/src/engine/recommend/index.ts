/**
 * The recommendation (MODEL.md §2 "What-ifs"): for the zones each bundle already uses, the
 * replica counts with the fewest replicas in total (ties: the most even spread, then zone
 * order) such that every SLO holds with every replica at ρ ≤ 0.7, and every SLO still holds,
 * with no replica saturated, when any one zone fails; when nothing within 64 replicas per
 * zone works, the best found and the reasons.
 *
 * Phase 1 sizes each bundle for utilization (exact per bundle, see capacity.ts). Phase 2 adds
 * replicas until the SLOs hold: by exhaustive search over the replica classes on the failing
 * entries' paths while that stays small (then the total is provably the fewest), otherwise
 * greedily by the largest cut in waiting time, checking the best few candidates in full.
 */

import { dict } from '../../dict.ts';
import { station } from '../../queue/station.ts';
import type { Topology } from '../../schema/topology.ts';
import { type ComposeCache, newComposeCache } from '../compose.ts';
import { CALL_SERVICE, type Model } from '../model.ts';
import { makeScenario } from '../placement.ts';
import { modelOf, simulateModel } from '../simulate.ts';
import type { Binding } from '../types.ts';
import { type Assessment, assess, rejectionBudgets } from './assess.ts';
import { type Check, checksAt, MAX_PER_ZONE, sizeBundles, tieOrder, worstRatios } from './capacity.ts';

/**
 * What decides one zone's count of a bundle: its workers (`rho`), its cores (`cpu`), an SLO
 * (phase 2 added replicas there: `slo`), or the floor of one replica per zone used (`floor`).
 */
export type ZoneConstraint = 'rho' | 'cpu' | 'slo' | 'floor';

export interface ZoneAdvice {
  current: number;
  replicas: number;
  binds: ZoneConstraint;
  /** One replica's busiest service ρ and its CPU at the recommended counts, in normal operation. */
  normal: { rho: number; cpu: number };
  /** The same with the zone failure that loads this zone most (null when the design has one zone). */
  zoneDown: { zone: string; rho: number; cpu: number } | null;
}

export interface BundleAdvice {
  replicas: Record<string, number>;
  current: Record<string, number>;
  /** Per zone: before → after and which constraint binds. */
  zones: Record<string, ZoneAdvice>;
}

export interface Recommendation {
  bundles: Record<string, BundleAdvice>;
  /** Every SLO met in normal operation with the recommended counts. */
  meetsSlo: boolean;
  /** With any one zone down: every SLO met, no replica saturated, nothing unavailable. */
  survivesZoneFailure: boolean;
  /** What still falls short (empty when the recommendation meets everything). */
  reasons: string[];
  totalReplicas: number;
  currentReplicas: number;
  /**
   * True when the search proved that no smaller total works among designs that keep each
   * bundle's utilization-minimal counts (phase 1, itself exact per bundle); false when a cap
   * was hit or the greedy phase went beyond what the exhaustive phase had ruled out.
   */
  exact: boolean;
  /** Trial designs run through the whole engine. */
  evaluations: number;
  /** Headroom of the recommended design in normal operation (see `SimulationResult.headroom`). */
  headroom: number | null;
  /**
   * What binds the recommended design's headroom: often a database shard or a NATS server
   * once the replicas are sized (replicas cannot fix those; `reasons` says so when they fall short).
   */
  binding: Binding | null;
}

export interface RecommendOptions {
  scale?: number;
  /** Most full evaluations the exhaustive phase may spend before going greedy (default 120). */
  exhaustiveBudget?: number;
  /**
   * A rejection budget for every entry at this scale (a fraction: 0.01 = 1 %), on top of each
   * entry's `slo[].maxRejectionRate` (always honoured; the tighter wins). Retries included.
   */
  maxRejectionRate?: number;
}

export function recommend(doc: Topology, options: RecommendOptions = {}): Recommendation {
  const model = modelOf(doc);
  const scale = options.scale ?? 1;
  const Z = model.zones.length;
  const B = model.bundles.length;
  const used = model.bundles.map((b) => Array.from({ length: Z }, (_, z) => z).filter((z) => (b.replicas[z] as number) > 0));
  const current = new Int32Array(B * Z);
  model.bundles.forEach((b) => {
    current.set(b.replicas, b.index * Z);
  });

  // Phase 1: utilization (ρ and CPU), bundle by bundle, until the bundles agree.
  const sized = sizeBundles(model, current, used, scale);
  let counts: Int32Array = sized.counts;
  const capacityReasons = sized.reasons;
  let exact = capacityReasons.length === 0;
  const phase1 = Int32Array.from(counts);

  // Phase 2: the SLOs. Trials share composed distributions of unchanged replica classes.
  const cache = newComposeCache();
  let evaluations = 1;
  const budgets = rejectionBudgets(model, options.maxRejectionRate);
  let best = assess(model, counts, scale, cache, budgets);
  const ok = (a: Assessment) => a.meetsSlo && a.survivesZoneFailure;
  if (!ok(best) && best.failingEntries.size > 0) {
    const classes = candidateClasses(model, used, best);
    const budget = options.exhaustiveBudget ?? 120;
    let found: { counts: Int32Array; a: Assessment } | null = null;
    let spent = 0;
    let searched = 0; // every way to add this many replicas was tried and failed
    // Exhaustive: every way to add k replicas over the candidate classes, k = 1, 2, …
    for (let k = 1; !found && k <= 64; k++) {
      const configs = multisets(classes.length, k, budget - spent);
      if (!configs) break;
      const trials = configs.map((m) => {
        const c = Int32Array.from(counts);
        m.forEach((ci) => {
          const cl = classes[ci] as number;
          c[cl] = (c[cl] as number) + 1;
        });
        return c;
      });
      trials.sort((x, y) => tieByBundle(model, x, y));
      for (const t of trials) {
        if (t.some((v) => v > MAX_PER_ZONE)) continue;
        spent++;
        const a = assess(model, t, scale, cache, budgets);
        if (ok(a)) {
          found = { counts: t, a };
          break;
        }
      }
      if (!found) searched = k;
    }
    evaluations += spent;
    if (found) {
      counts = found.counts;
      best = found.a;
    } else {
      const g = greedy(model, counts, best, used, scale, cache, budgets);
      // The greedy answer is still the fewest when it adds just one more than was exhausted.
      const added = g.counts.reduce((n, v, i) => n + v - (counts[i] as number), 0);
      exact = exact && ok(g.a) && added === searched + 1;
      counts = g.counts;
      best = g.a;
      evaluations += g.evaluations;
    }
  }

  const bundles: Recommendation['bundles'] = {};
  let total = 0;
  let currentTotal = 0;
  const finalChecks = checksAt(model, counts, scale);
  for (const b of model.bundles) {
    const replicas: Record<string, number> = dict<number>();
    const cur: Record<string, number> = dict<number>();
    const zones: Record<string, ZoneAdvice> = dict<ZoneAdvice>();
    const n = counts.slice(b.index * Z, b.index * Z + Z);
    for (const z of used[b.index] as number[]) {
      const name = model.zones[z] as string;
      const at = b.index * Z + z;
      replicas[name] = counts[at] as number;
      cur[name] = current[at] as number;
      total += counts[at] as number;
      currentTotal += current[at] as number;
      zones[name] = zoneAdvice(model, b.index, z, n, finalChecks, current[at] as number, (counts[at] as number) > (phase1[at] as number));
    }
    bundles[b.name] = { replicas, current: cur, zones };
  }
  const after = simulateModel(model, makeScenario(model, { scale, replicas: counts }), true);
  const reasons = [...new Set([...capacityReasons, ...best.reasons])];
  return {
    bundles,
    meetsSlo: best.meetsSlo,
    survivesZoneFailure: best.survivesZoneFailure,
    reasons,
    totalReplicas: total,
    currentReplicas: currentTotal,
    exact: exact && best.meetsSlo && best.survivesZoneFailure,
    evaluations,
    headroom: after.headroom,
    binding: after.binding,
  };
}

/**
 * Which constraint decides zone z's count of bundle b: SLO when phase 2 added replicas there;
 * otherwise the larger of ρ and CPU against their limits over the scenarios; a single replica
 * is the floor (every zone a bundle uses keeps one).
 */
function zoneAdvice(model: Model, b: number, z: number, n: Int32Array, checks: Check[], current: number, bySlo: boolean): ZoneAdvice {
  const first = checks[0] as Check;
  const normal = worstRatios(model, b, n, first, z);
  let rho = normal.rho;
  let cpu = normal.cpu;
  let zoneDown: ZoneAdvice['zoneDown'] = null;
  checks.slice(1).forEach((c, f) => {
    if (f === z) return;
    const r = worstRatios(model, b, n, c, z);
    rho = Math.max(rho, r.rho);
    cpu = Math.max(cpu, r.cpu);
    if (!zoneDown || Math.max(r.rho, r.cpu) * c.limit > Math.max(zoneDown.rho, zoneDown.cpu))
      zoneDown = { zone: model.zones[f] as string, rho: r.rho * c.limit, cpu: r.cpu * c.limit };
  });
  const count = n[z] as number;
  const binds: ZoneConstraint = bySlo ? 'slo' : count === 1 ? 'floor' : cpu > rho ? 'cpu' : 'rho';
  return { current, replicas: count, binds, normal: { rho: normal.rho * first.limit, cpu: normal.cpu * first.limit }, zoneDown };
}

/** Ties between whole designs: most even bundles first, then more replicas in earlier bundles' earlier zones. */
function tieByBundle(model: Model, x: Int32Array, y: Int32Array): number {
  const Z = model.zones.length;
  let sx = 0;
  let sy = 0;
  let qx = 0;
  let qy = 0;
  for (let b = 0; b < model.bundles.length; b++) {
    const vx = x.subarray(b * Z, b * Z + Z).filter((v) => v > 0);
    const vy = y.subarray(b * Z, b * Z + Z).filter((v) => v > 0);
    if (vx.length) sx += Math.max(...vx) - Math.min(...vx);
    if (vy.length) sy += Math.max(...vy) - Math.min(...vy);
    for (const v of vx) qx += v * v;
    for (const v of vy) qy += v * v;
  }
  if (sx !== sy) return sx - sy;
  if (qx !== qy) return qx - qy;
  return tieOrder(x, y);
}

/** Replica classes (flat b·Z + z) of bundles on the failing entries' paths, in bundle and zone order. */
function candidateClasses(model: Model, used: number[][], a: Assessment): number[] {
  const Z = model.zones.length;
  const reach = new Set<number>();
  const stack = [...a.failingEntries].map((ei) => model.entries[ei] as number);
  const seen = new Set<number>(stack);
  while (stack.length) {
    const s = stack.pop() as number;
    const svc = model.services[s];
    if (!svc) continue;
    reach.add(svc.bundle);
    for (const c of svc.calls) {
      if (c.kind === CALL_SERVICE && !seen.has(c.target)) {
        seen.add(c.target);
        stack.push(c.target);
      }
    }
  }
  const out: number[] = [];
  for (const b of [...reach].sort((x, y) => x - y)) for (const z of used[b] ?? []) out.push(b * Z + z);
  return out;
}

/** All multisets of size k over m items, or null when there are more than `limit`. */
function multisets(m: number, k: number, limit: number): number[][] | null {
  // C(m + k − 1, k), computed without overflow for the sizes that matter.
  let count = 1;
  for (let i = 1; i <= k; i++) {
    count = (count * (m + i - 1)) / i;
    if (count > limit) return null;
  }
  if (m === 0) return null;
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number, left: number) => {
    if (left === 0) {
      out.push([...cur]);
      return;
    }
    for (let i = start; i < m; i++) {
      cur.push(i);
      rec(i, left - 1);
      cur.pop();
    }
  };
  rec(0, k);
  return out;
}

/**
 * Greedy: rank every candidate class by how much waiting one more replica there removes
 * (Σ over its services and the scenarios of λ·ΔW), check candidates in that order and take
 * the first that cuts the SLO overrun; stop when none of the best four helps.
 */
function greedy(
  model: Model,
  start: Int32Array,
  first: Assessment,
  used: number[][],
  scale: number,
  cache: ComposeCache,
  budgets: (number | undefined)[],
) {
  let counts: Int32Array = Int32Array.from(start);
  let a = first;
  let evaluations = 0;
  for (let step = 0; step < 400 && !(a.meetsSlo && a.survivesZoneFailure); step++) {
    const classes = candidateClasses(model, used, a).filter((c) => (counts[c] as number) < MAX_PER_ZONE);
    const scored = classes.map((cl) => ({ cl, gain: waitingCut(model, counts, a, cl) }));
    scored.sort((x, y) => y.gain - x.gain || x.cl - y.cl);
    // The best-ranked candidate that lowers the overrun (usually the first one tried).
    let pick: { counts: Int32Array; a: Assessment } | null = null;
    for (const { cl, gain } of scored.slice(0, 4)) {
      if (!(gain > 0)) break;
      const trial = Int32Array.from(counts);
      trial[cl] = (trial[cl] as number) + 1;
      const t = assess(model, trial, scale, cache, budgets);
      evaluations++;
      if (t.violation < a.violation - 1e-9 || (t.survivesZoneFailure && !a.survivesZoneFailure) || (t.meetsSlo && !a.meetsSlo)) {
        pick = { counts: trial, a: t };
        break;
      }
    }
    if (!pick) {
      a.reasons.push(
        'more replicas no longer shorten the failing paths: their fixed costs (network, externals, databases, own times) exceed the budget',
      );
      break;
    }
    counts = pick.counts;
    a = pick.a;
  }
  return { counts, a, evaluations };
}

/** Waiting time (request·ms per second) one more replica in class `cl` removes, over the failing scenarios. */
function waitingCut(model: Model, counts: Int32Array, a: Assessment, cl: number): number {
  const Z = model.zones.length;
  const b = Math.floor(cl / Z);
  const z = cl % Z;
  const n = counts[cl] as number;
  let gain = 0;
  for (const run of a.runs) {
    if (run.failed === z) continue;
    for (const s of model.bundles[b]?.services ?? []) {
      const st = run.queues.cls[s * Z + z];
      const lam = run.placement.lam[s * Z + z] as number;
      if (!st || lam === 0) continue;
      const after = station({ lambda: lam / (n + 1) / 1000, workers: st.workers, own: st.own, cached: model.services[s]?.cache != null });
      const before = st.saturated ? 1e6 : st.W;
      gain += lam * Math.max(0, before - (after.saturated ? 1e6 : after.W));
    }
  }
  return gain;
}
