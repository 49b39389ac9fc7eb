/**
 * How long each replication runs, how much of it is warm-up, and how replications group into
 * sections, from the document's own queues (see the DES README, "How much to trust it").
 *
 * The clock that matters is the **relaxation time** of the slowest queue: how long a queue
 * takes to forget its state, so how long an empty start takes to look like steady state and how
 * far apart two sojourns must be to be nearly independent. For a queue with c servers, mean
 * own time m and utilization ρ it is about
 *
 *     τ = (ca² + cs²)/2 · m / (c (1 − √ρ)²)
 *
 * — Morse's relaxation time of M/M/1, 1/(μ(1 − √ρ)²), taken to c servers through the
 * heavy-traffic limit (the queue behaves like one server of rate cμ when all are busy), and
 * scaled by the heavy-traffic variance factor (ca² + cs²)/2 of a G/G/c queue (Kingman; the
 * reflected Brownian motion of the workload has relaxation time ∝ (ca² + cs²)/(1 − ρ)², which
 * the formula matches as ρ → 1). cs² is the own time's squared cv (the hit/miss mixture's on a
 * cached service); ca² is 1 (Poisson), or the burst a parallel group sends at once
 * (n calls spread over k replicas: 1 + (n − 1)/k, the index of dispersion of the batches).
 */
import { at } from '../checked.ts';
import { consumerRelaxations } from './async-plan.ts';
import { budgetFillTime } from './budget.ts';
import type { DesPlan } from './plan.ts';
import { CALL_DB, CALL_SERVICE } from './plan-types.ts';
import { EXPONENTIAL, FIXED } from './rng.ts';

/** Relaxation times discarded at the start of every replication (initial bias ~ e^−10). */
export const WARMUP_RELAXATIONS = 10;
/** Relaxation times measured per replication, at least (see sizeRun). Warm-up is then ≤ 10 % of the work. */
export const MEASURED_RELAXATIONS = 100;
/** Recorded requests per replication when the queues relax quickly. */
export const BASE_MEASURED = 20_000;
/** Samples a section needs for its own P99 to be roughly normal (20 beyond the P99). */
export const SECTION_SAMPLES = 2_000;

export interface Sizing {
  /** Relaxation time of the slowest queue, ms (0 when no queue has load). */
  relaxationMs: number;
  /** Which queue that is, e.g. `catalog.example in us-east-1b #0 (ρ 0.96)`. */
  slowest: string | null;
  warmup: number;
  measured: number;
  /** Requests the rule would like for the minimum number of replications. */
  neededRequests: number;
  /** The cap forced replications shorter than the minimum length: intervals may be too narrow. */
  shortened: boolean;
  /** Replications per section, per entry and per service, and at most (for other figures). */
  entryGroup: number[];
  maxGroup: number;
  serviceGroup: number[];
}

/** Squared cv of a distribution in the plan's table. */
function cv2(plan: DesPlan, id: number): number {
  const kind = plan.dists.kind[id];
  if (kind === FIXED) return 0;
  if (kind === EXPONENTIAL) return 1;
  return at(plan.dists.invShape, id);
}

/** Squared cv of a queue's own time (the hit/miss mixture on a cached service). */
function ownCv2(plan: DesPlan, q: number): number {
  const miss = at(plan.qDist, q);
  const h = at(plan.qHitProb, q);
  if (!(h > 0)) return cv2(plan, miss);
  const hit = at(plan.qHitDist, q);
  const mh = at(plan.dists.mean, hit);
  const mm = at(plan.dists.mean, miss);
  const m = h * mh + (1 - h) * mm;
  const second = h * mh * mh * (1 + cv2(plan, hit)) + (1 - h) * mm * mm * (1 + cv2(plan, miss));
  return second / (m * m) - 1;
}

/** The burst (index of dispersion of arrivals) a parallel group's repetitions cause at each queue. */
function bursts(plan: DesPlan): Float64Array {
  const burst = new Float64Array(plan.nQueues).fill(1);
  const nSvc = plan.serviceNames.length;
  for (let s = 0; s < nSvc; s++) {
    for (let st = at(plan.svcStepStart, s); st < at(plan.svcStepEnd, s); st++) {
      if (!plan.stepGroup[st]) continue;
      // Calls of one group to one target arrive together.
      const perTarget = new Map<number, { n: number; same: boolean; kind: number }>();
      for (let c = at(plan.stepCallStart, st); c < at(plan.stepCallEnd, st); c++) {
        const key = at(plan.callKind, c) * 1e6 + at(plan.callTarget, c);
        const cur = perTarget.get(key) ?? { n: 0, same: false, kind: at(plan.callKind, c) };
        cur.n += at(plan.callWhole, c) + at(plan.callFrac, c);
        cur.same ||= plan.callSameBundle[c] === 1;
        perTarget.set(key, cur);
      }
      for (const [key, { n, same, kind }] of perTarget) {
        if (n <= 1) continue;
        const target = key % 1e6;
        if (kind === CALL_SERVICE) {
          let k = Number.POSITIVE_INFINITY;
          for (let z = 0; z < plan.nZones; z++) {
            const count = at(plan.routeCount, target * plan.nZones + z);
            if (count > 0) k = Math.min(k, count);
          }
          const b = 1 + (n - 1) / (same || !Number.isFinite(k) ? 1 : k);
          for (const q of at(plan.svcQueues, target)) burst[q] = Math.max(at(burst, q), b);
        } else if (kind === CALL_DB) {
          let prev = 0;
          for (let g = at(plan.dbShardStart, target); g < at(plan.dbShardEnd, target); g++) {
            const share = at(plan.shardCum, g) - prev;
            prev = at(plan.shardCum, g);
            const q = at(plan.shardQueue, g);
            burst[q] = Math.max(at(burst, q), 1 + (n - 1) * share);
          }
        }
      }
    }
  }
  return burst;
}

/** The relaxation time of every queue (0 for idle or saturated ones), ms. */
export function relaxationTimes(plan: DesPlan): Float64Array {
  const burst = bursts(plan);
  const tau = new Float64Array(plan.nQueues);
  for (let q = 0; q < plan.nQueues; q++) {
    const rho = at(plan.qRho, q);
    const limit = at(plan.qLimit, q);
    if (rho >= 1 && limit < 0 && rho > 0) {
      // Time budgets: a replica past ρ 1 whose requests all carry a deadline fills its line up to it, then holds.
      tau[q] = budgetFillTime(plan, q, rho);
      continue;
    }
    if (!(rho > 0)) continue;
    const s = at(plan.qService, q);
    const mean = s >= 0 ? at(plan.svcMeanOwn, s) : at(plan.dists.mean, at(plan.qDist, q));
    const scale = (((at(burst, q) + ownCv2(plan, q)) / 2) * mean) / at(plan.qServers, q);
    // A bounded line relaxes at least as fast as a random walk across it: (queueLimit + 1)² steps of mean/c (any ρ).
    const unbounded = rho < 1 ? scale / (1 - Math.sqrt(rho)) ** 2 : Number.POSITIVE_INFINITY;
    tau[q] = limit >= 0 ? Math.min(unbounded, scale * (limit + 1) ** 2) : unbounded;
  }
  return tau;
}

function describe(plan: DesPlan, q: number): string {
  const rho = `ρ ${at(plan.qRho, q).toFixed(2)}`;
  const s = at(plan.qService, q);
  if (s < 0) {
    const g = at(plan.qShard, q);
    return `shard ${plan.shardNames[g]} of ${plan.dbNames[at(plan.shardDb, g)]} (${rho})`;
  }
  const r = at(plan.qReplica, q);
  return `${plan.serviceNames[s]} in ${plan.zoneNames[at(plan.replicaZone, r)]} #${plan.replicaIndex[r]} (${rho})`;
}

export interface SizingOptions {
  cap: number;
  minReplications: number;
  /** Fixed recorded requests per replication (overrides the rule). */
  replicationRequests?: number;
}

export function sizeRun(plan: DesPlan, o: SizingOptions): Sizing {
  const taus = relaxationTimes(plan);
  let relaxationMs = 0;
  let slowest: string | null = null;
  taus.forEach((t, q) => {
    if (t > relaxationMs) {
      relaxationMs = t;
      slowest = describe(plan, q);
    }
  });
  for (const c of consumerRelaxations(plan.async))
    if (c.ms > relaxationMs) {
      relaxationMs = c.ms;
      slowest = c.name;
    }
  // Requests per ms entering the system; relaxation times in requests.
  const lambda = plan.ingressRate;
  const perTau = lambda * relaxationMs;
  const total = plan.entryRps.reduce((a, b) => a + b, 0);
  let rarest = Number.POSITIVE_INFINITY;
  plan.entryNames.forEach((_, e) => {
    if (plan.entryStatus[e] === 'ok' && at(plan.entryRps, e) > 0) rarest = Math.min(rarest, at(plan.entryRps, e) / total);
  });
  // A section must span many relaxation times: the tail is made by rare long excursions, and a
  // section too short to hold several of them gives a P99 that is usually low and sometimes far
  // too high (skewed), so sections look alike and the interval is too narrow. Measured: 99 %
  // intervals of an M/M/4 at ρ 0.875 cover the P99 in 80 % of runs with sections of 10
  // relaxation times, 92 % with 40, 97–100 % with 60–100 (scripts/des-coverage.ts).
  const minimum = Math.max(100, Math.ceil(MEASURED_RELAXATIONS * perTau));
  const ideal = Math.ceil(o.replicationRequests ?? Math.max(BASE_MEASURED, minimum, Number.isFinite(rarest) ? SECTION_SAMPLES / rarest : 0));
  const fullWarmup = Math.max(Math.ceil(WARMUP_RELAXATIONS * perTau), Math.ceil(Math.min(ideal, BASE_MEASURED) / 10));
  let warmup = fullWarmup;
  let measured = ideal;
  if (o.replicationRequests === undefined && o.minReplications * (warmup + ideal) > o.cap) {
    // The cap cannot hold the minimum number of full replications: shorter ones (never below the
    // minimum length while two of them fit; rare entries then pool several replications per
    // section), else two that fit the cap, warm-up and all, flagged as too short.
    const fit = Math.floor(o.cap / o.minReplications) - warmup;
    measured = Math.max(fit, Math.min(minimum, ideal));
    if (2 * (warmup + measured) > o.cap) {
      const each = Math.max(200, Math.floor(o.cap / 2));
      warmup = Math.min(warmup, Math.floor(each / 2));
      measured = each - warmup;
    }
  }
  const planned = Math.max(2, Math.floor(o.cap / (warmup + measured)));
  const maxGroup = Math.max(1, Math.floor(planned / o.minReplications));
  const group = (share: number) => (share > 0 ? Math.min(maxGroup, Math.max(1, Math.ceil(SECTION_SAMPLES / (measured * share)))) : 1);
  return {
    relaxationMs,
    slowest,
    warmup,
    measured,
    neededRequests: o.minReplications * (fullWarmup + ideal),
    shortened: measured < minimum || warmup < fullWarmup,
    maxGroup,
    entryGroup: plan.entryNames.map((_, e) => group(at(plan.entryRps, e) / total)),
    serviceGroup: plan.serviceNames.map((_, s) => group(at(plan.svcDemand, s) / total)),
  };
}
