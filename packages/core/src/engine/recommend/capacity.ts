/**
 * Phase 1 of the recommendation: for each bundle, the fewest replicas (in the zones it
 * already uses) with every replica at ρ ≤ 0.7 and CPU ≤ 70 % in normal operation, and both
 * below 1 when any one zone fails. Exact per bundle: the constraints only get easier as any zone's count grows
 * (more replicas split the same load finer; a distributed cache grows), so per-zone lower
 * bounds (the count each zone needs with every other zone at the cap) start an enumeration
 * by total, in the tie order (most even spread, then zone order), and the first vector that
 * holds is the answer.
 *
 * Loads are re-placed for one bundle at a time from the placement's `inflow` (what reaches
 * the bundle's services from each zone, from outside it): cheap enough to try thousands of
 * vectors. Bundles influence each other only through caches and region fallback, so the
 * bundles are revisited until nothing changes.
 */
import { cheHitRate } from '../../cache/che.ts';
import { replicaEventWork } from '../async-recommend.ts';
import { CALL_SERVICE, type Model } from '../model.ts';
import { makeScenario, type Placement, place } from '../placement.ts';

export const MAX_PER_ZONE = 64;
export const RHO_TARGET = 0.7;

export interface BundleSearch {
  counts: Int32Array;
  /** Why the bundle could not be sized (capped at MAX_PER_ZONE, no zones). */
  reasons: string[];
}

/** Orders count vectors: fewest in total, then most even, then more in earlier zones. */
export function tieOrder(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const stats = (v: ArrayLike<number>) => {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    let sq = 0;
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      min = Math.min(min, x);
      max = Math.max(max, x);
      sq += x * x;
      sum += x;
    }
    return { sum, spread: max - min, sq };
  };
  const x = stats(a);
  const y = stats(b);
  if (x.sum !== y.sum) return x.sum - y.sum;
  if (x.spread !== y.spread) return x.spread - y.spread;
  if (x.sq !== y.sq) return x.sq - y.sq;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (b[i] as number) - (a[i] as number);
  return 0;
}

/** The limit a replica's ρ and CPU must stay within in each scenario: 0.7 normally, below 1 with a zone down. */
export interface Check {
  placement: Placement;
  limit: number;
  /** The CPU limit when it differs from ρ's (goal seek's `cpuTarget`); default `limit`. */
  cpuLimit?: number;
  strict: boolean;
}

/** Worst utilization ÷ limit of one kind: service replicas' workers (ρ) and bundle replicas' cores (CPU). */
export interface Ratios {
  rho: number;
  cpu: number;
}

/**
 * Worst ρ / limit and CPU / limit over the bundle's replicas in the given zones (`only`, or
 * all), for count vector `n` (indexed by zone), in one scenario. ≤ 1 (or < 1 when strict)
 * means it holds. CPU per replica = Σ over the bundle's services of λ·own time ÷ cpu
 * (MODEL.md §2), held to the same limit as ρ: a replica whose cores run out queues however
 * many workers it declares.
 */
export function worstRatios(model: Model, b: number, n: Int32Array, check: Check, only: number | null): Ratios {
  const Z = model.zones.length;
  const bundle = model.bundles[b];
  if (!bundle) return { rho: 0, cpu: 0 };
  const pl = check.placement;
  const failed = pl.scenario.failed;
  const live = new Int32Array(Z);
  let N = 0;
  for (let z = 0; z < Z; z++) {
    live[z] = failed[z] ? 0 : (n[z] as number);
    N += live[z] as number;
  }
  if (N === 0) return { rho: 0, cpu: 0 }; // no replicas left: unavailability is judged in phase 2
  // Where a call from each zone lands for this bundle.
  const locality = model.doc.routing === 'locality';
  const lam = new Float64Array(bundle.services.length * Z);
  const idx = new Map(bundle.services.map((s, i) => [s, i]));
  for (let from = 0; from < Z; from++) {
    let any = false;
    for (const s of bundle.services) if ((pl.inflow[s * Z + from] as number) > 0) any = true;
    if (!any) continue;
    let pick: (z: number) => boolean = () => true;
    if (locality) {
      if ((live[from] as number) > 0) pick = (z) => z === from;
      else {
        const region = model.zoneRegion[from];
        let inRegion = false;
        for (let z = 0; z < Z; z++) if (model.zoneRegion[z] === region && (live[z] as number) > 0) inRegion = true;
        if (inRegion) pick = (z) => model.zoneRegion[z] === region;
      }
    }
    let total = 0;
    for (let z = 0; z < Z; z++) if (pick(z)) total += live[z] as number;
    for (let z = 0; z < Z; z++) {
      if (!pick(z) || (live[z] as number) === 0) continue;
      const w = (live[z] as number) / total;
      bundle.services.forEach((s, i) => {
        lam[i * Z + z] = (lam[i * Z + z] as number) + (pl.inflow[s * Z + from] as number) * w;
      });
    }
  }
  // Calls inside the bundle stay on the caller's replica; hit rates follow the live count.
  const hit = new Float64Array(bundle.services.length);
  bundle.services.forEach((s, i) => {
    const svc = model.services[s];
    if (!svc?.cache) return;
    const cap = svc.cache.scope === 'perReplica' ? svc.cache.entriesPerReplica : svc.cache.entriesPerReplica * N;
    hit[i] = cheHitRate(svc.cache.keySpace, svc.cache.zipf, cap);
  });
  for (const s of model.topo) {
    const i = idx.get(s);
    if (i === undefined) continue;
    const svc = model.services[s];
    for (const c of svc?.calls ?? []) {
      if (c.kind !== CALL_SERVICE || !c.shortCircuit) continue;
      const j = idx.get(c.target);
      if (j === undefined) continue;
      for (let z = 0; z < Z; z++) lam[j * Z + z] = (lam[j * Z + z] as number) + (lam[i * Z + z] as number) * (1 - (hit[i] as number)) * c.perRequest;
    }
  }
  let worstRho = 0;
  const busy = new Float64Array(Z); // core·seconds per second on one replica of each zone
  // Schema v3: subscription events on the services' workers, consumer handlers on their own pool; both on the cores.
  const ev = model.async ? replicaEventWork(model, pl, b, live) : null;
  if (ev) {
    worstRho = ev.consumerRho / check.limit;
    for (let z = 0; z < Z; z++) if ((live[z] as number) > 0 && (only === null || z === only)) busy[z] = ev.cpu;
  }
  bundle.services.forEach((s, i) => {
    const svc = model.services[s];
    if (!svc) return;
    const h = hit[i] as number;
    const own = svc.cache ? h * svc.cache.hitTimeMs + (1 - h) * svc.serviceTimeMs : svc.serviceTimeMs;
    for (let z = 0; z < Z; z++) {
      if (only !== null && z !== only) continue;
      const k = live[z] as number;
      if (k === 0) continue;
      const events = ev ? (ev.events[i] as number) : 0;
      const work = ((lam[i * Z + z] as number) / k / 1000) * own + events;
      busy[z] = (busy[z] as number) + work - events;
      worstRho = Math.max(worstRho, work / svc.workers / check.limit);
    }
  });
  let worstCpu = 0;
  const cpuLimit = check.cpuLimit ?? check.limit;
  for (let z = 0; z < Z; z++) worstCpu = Math.max(worstCpu, (busy[z] as number) / bundle.cpu / cpuLimit);
  return { rho: worstRho, cpu: worstCpu };
}

/** Utilization targets: ρ and CPU in normal operation, and whether each one-zone failure is checked (below 1). */
export interface Targets {
  rho: number;
  cpu: number;
  zoneFailure: boolean;
}

export const RECOMMEND_TARGETS: Targets = { rho: RHO_TARGET, cpu: RHO_TARGET, zoneFailure: true };

/** Phase 1's scenarios at the given counts: normal operation (the targets), then each zone down (below 1) when asked. */
export function checksAt(model: Model, counts: Int32Array, scale: number, targets: Targets = RECOMMEND_TARGETS): Check[] {
  const checks: Check[] = [];
  for (let f = -1; f < (targets.zoneFailure ? model.zones.length : 0); f++) {
    const failed = f >= 0 ? [model.zones[f] as string] : [];
    const pl = place(model, makeScenario(model, { scale, failZones: failed, replicas: counts }));
    checks.push(f >= 0 ? { placement: pl, limit: 1, strict: true } : { placement: pl, limit: targets.rho, cpuLimit: targets.cpu, strict: false });
  }
  return checks;
}

/** Whether bundle b's replicas (in zone `only`, or all) stay within every check's limits at counts n. */
export function holds(model: Model, b: number, n: Int32Array, checks: Check[], only: number | null): boolean {
  for (const c of checks) {
    const r = worstRatios(model, b, n, c, only);
    const worst = Math.max(r.rho, r.cpu);
    if (c.strict ? !(worst < 1) : worst > 1 + 1e-12) return false;
  }
  return true;
}

/**
 * Per-zone lower bounds of bundle b: what zone z needs with every other zone it uses at the cap
 * (a reason is pushed for a zone that needs more than the cap).
 */
export function zoneLowerBounds(model: Model, b: number, used: number[], checks: Check[], reasons: string[]): Int32Array {
  const Z = model.zones.length;
  const bundle = model.bundles[b];
  const lower = new Int32Array(Z);
  for (const z of used) {
    const n = new Int32Array(Z);
    for (const y of used) n[y] = MAX_PER_ZONE;
    let lo = 1;
    let hi = MAX_PER_ZONE;
    n[z] = hi;
    if (!holds(model, b, n, checks, z)) {
      reasons.push(`bundle ${bundle?.name} needs more than ${MAX_PER_ZONE} replicas in ${model.zones[z]}`);
      lower[z] = MAX_PER_ZONE;
      continue;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      n[z] = mid;
      if (holds(model, b, n, checks, z)) hi = mid;
      else lo = mid + 1;
    }
    lower[z] = lo;
  }
  return lower;
}

/** The fewest replicas for bundle b over the zones it uses, given the others' current placement. */
export function searchBundle(model: Model, b: number, used: number[], checks: Check[]): BundleSearch {
  const Z = model.zones.length;
  const bundle = model.bundles[b];
  const counts = new Int32Array(Z);
  if (!bundle) return { counts, reasons: [] };
  if (used.length === 0) return { counts, reasons: [`bundle ${bundle.name} has no replicas in any zone; give it a zone first`] };
  const reasons: string[] = [];
  const lower = zoneLowerBounds(model, b, used, checks, reasons);
  let base = 0;
  for (const z of used) base += lower[z] as number;
  const max = MAX_PER_ZONE * used.length;
  for (let total = base; total <= Math.min(max, base + 24); total++) {
    const candidates: number[][] = [];
    const cur = new Array<number>(used.length).fill(0);
    const fill = (i: number, left: number) => {
      const z = used[i] as number;
      if (i === used.length - 1) {
        if (left >= (lower[z] as number) && left <= MAX_PER_ZONE) {
          cur[i] = left;
          candidates.push([...cur]);
        }
        return;
      }
      for (let k = lower[z] as number; k <= Math.min(MAX_PER_ZONE, left); k++) {
        cur[i] = k;
        fill(i + 1, left - k);
      }
    };
    fill(0, total);
    candidates.sort(tieOrder);
    for (const v of candidates) {
      const n = new Int32Array(Z);
      used.forEach((z, i) => {
        n[z] = v[i] as number;
      });
      if (holds(model, b, n, checks, null)) return { counts: n, reasons };
    }
  }
  // Nothing within reach: the per-zone bounds are the best found.
  for (const z of used) counts[z] = lower[z] as number;
  if (reasons.length === 0)
    reasons.push(`bundle ${bundle.name}: no spread within ${MAX_PER_ZONE} replicas per zone keeps every replica at ρ and CPU ≤ ${RHO_TARGET}`);
  return { counts, reasons };
}

/**
 * Phase 1: each bundle's fewest replicas for utilization (searchBundle), bundle by bundle, until
 * the bundles agree (they influence each other only through caches and region fallback).
 */
export function sizeBundles(
  model: Model,
  current: Int32Array,
  used: number[][],
  scale: number,
  targets: Targets = RECOMMEND_TARGETS,
): { counts: Int32Array; reasons: string[] } {
  const Z = model.zones.length;
  let counts: Int32Array = Int32Array.from(current);
  let reasons: string[] = [];
  for (let round = 0; round < 8; round++) {
    const checks = checksAt(model, counts, scale, targets);
    const next = new Int32Array(counts.length);
    reasons = [];
    for (let b = 0; b < model.bundles.length; b++) {
      const r = searchBundle(model, b, used[b] as number[], checks);
      next.set(r.counts, b * Z);
      reasons.push(...r.reasons);
    }
    const same = next.every((v, i) => v === counts[i]);
    counts = next;
    if (same) break;
  }
  return { counts, reasons };
}
