/**
 * Own times from what a running system measures. Microbus's request-duration histogram times a
 * handler from its start to its answer: the worker queue, the service's own time and every
 * downstream call it waits for. The estimator ("subtract, then invert"):
 *
 * 1. Downstream: for each step of the design's calls, the time it takes — a call to a service:
 *    its measured ack round trip (the network; the design's cost when not measured) + the
 *    callee's measured duration; a repeated call:
 *    its measured per-request count × that; a parallel group: the expected maximum of its
 *    members, from the callees' measured histograms (E[max] = ∫ 1 − Π F_i(x)^n_i dx); a
 *    database: `dbCallMs` + the engine's shard sojourn; an external: its `latencyMs`.
 * 2. Sojourn = mean duration − (1 − hit rate) × downstream (a cache hit calls nothing).
 * 3. Own time: the mean own time m whose queue (M/M/c with Allen–Cunneen's (1 + cs²)/2, at each
 *    instance's measured arrival rate, `workers` servers) gives that sojourn, found by bisection.
 *    On a cached service m is the hit/miss mixture: the miss time is (m − h·hitTimeMs)/(1 − h).
 *
 * Its error on rehearsals, where the truth is known, is in `src/calibrate/README.md`.
 */
import { dict } from '../dict.ts';
import type { SimulationResult } from '../engine/types.ts';
import { erlangC } from '../queue/erlang.ts';
import { gammaSurvival } from '../queue/station.ts';
import type { Topology } from '../schema/topology.ts';
import type { BucketRate, MeasuredServiceStats, SystemMeasurements } from './measurements.ts';

export interface OwnTimeEstimate {
  service: string;
  /** Estimated mean own time (a cached service: on a miss), ms; null when it cannot be estimated. */
  ownTimeMs: number | null;
  /** Mean duration − downstream: queue + own time, ms. */
  sojournMs: number | null;
  /** Expected downstream time of a request that calls (a miss), ms. */
  downstreamMs: number;
  /** Estimated ρ of the busiest instance at that own time. */
  utilization: number | null;
  /** Own-time cv from the histogram, when it resolves the distribution and the queue adds little. */
  cv: number | null;
  /** Why a figure is missing, or how it was made. */
  notes: string[];
}

/** Mean sojourn of one replica: own time m, c workers, arrival rate λ (per ms), cs² of own time. */
export function meanSojourn(lambda: number, c: number, m: number, cs2: number): number {
  const a = lambda * m;
  if (a >= c) return Number.POSITIVE_INFINITY;
  return m + (erlangC(c, a) * m * (1 + cs2)) / (2 * (c - a));
}

/** The own time whose load-weighted mean sojourn over the instances is `target` (bisection), or null. */
export function invertSojourn(lambdas: number[], c: number, cs2: number, target: number): number | null {
  const total = lambdas.reduce((a, b) => a + b, 0);
  if (!(target > 0) || total <= 0) return null;
  const weighted = (m: number) => lambdas.reduce((s, l) => s + (l / total) * meanSojourn(l, c, m, cs2), 0);
  let lo = 0;
  let hi = Math.min(target, c / Math.max(...lambdas));
  if (weighted(hi) < target) return null; // even the largest own time below the target would not queue enough: inconsistent
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (weighted(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(X ≤ x) from cumulative bucket rates, linear inside a bucket. */
export function bucketCdf(buckets: readonly BucketRate[], x: number): number {
  const finite = buckets.filter((b) => Number.isFinite(b.le));
  const total = buckets.find((b) => !Number.isFinite(b.le))?.rate ?? finite.at(-1)?.rate ?? 0;
  if (!(total > 0)) return 1;
  let prevLe = 0;
  let prevRate = 0;
  for (const b of finite) {
    if (x <= b.le) return Math.min(1, (prevRate + ((b.rate - prevRate) * (x - prevLe)) / (b.le - prevLe || 1)) / total);
    prevLe = b.le;
    prevRate = b.rate;
  }
  return prevRate / total;
}

/** One member of a parallel group: the survival of its call time and how many times it runs. */
interface Member {
  survival(x: number): number;
  whole: number;
  frac: number;
  upper: number;
}

/** E[max] of the members' call times (each repeated ⌊n⌋ or ⌈n⌉ times), by numeric integration. */
export function expectedMax(members: Member[]): number {
  const upper = Math.max(...members.map((m) => m.upper), 1e-9);
  const steps = 4000;
  const dx = upper / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const x = (i + 0.5) * dx;
    let allBelow = 1;
    for (const m of members) {
      const F = 1 - m.survival(x);
      allBelow *= F ** m.whole * (1 - m.frac + m.frac * F);
    }
    sum += (1 - allBelow) * dx;
  }
  return sum;
}

function mixtureCs2(s: Topology['services'][number], hit: number): number {
  const miss = 1 - hit;
  const cv2 = s.serviceTimeCv * s.serviceTimeCv;
  if (!s.cache || hit <= 0) return cv2;
  const m1 = hit * s.cache.hitTimeMs + miss * s.serviceTimeMs;
  const m2 = (hit * s.cache.hitTimeMs ** 2 + miss * s.serviceTimeMs ** 2) * (1 + cv2);
  return m2 / (m1 * m1) - 1;
}

/** Hit rate measured on a service's cache, else null. */
export function measuredHitRate(stats: MeasuredServiceStats | undefined): number | null {
  const c = stats?.cache;
  return c && c.loadsRps > 0 ? c.hitsRps / c.loadsRps : null;
}

/** Calls per request (per miss on a cached service) from `from` to `to`, as measured; null when not measured. */
export function measuredPerRequest(m: SystemMeasurements, from: string, to: string, hit: number): number | null {
  const requests = m.services[from]?.requestRps ?? 0;
  const call = m.calls.find((c) => c.from === from && c.to === to);
  if (!call || requests <= 0 || hit >= 1) return null;
  return call.rps / requests / (1 - hit);
}

export function estimateOwnTimes(doc: Topology, m: SystemMeasurements, predicted: SimulationResult | null): Record<string, OwnTimeEstimate> {
  const out: Record<string, OwnTimeEstimate> = dict<OwnTimeEstimate>();
  const bundleOf = new Map<string, string>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b.name);
  const n = doc.network;

  /** A call's time to the caller: its network cost and what the callee takes. */
  const callMember = (from: string, to: string, whole: number, frac: number): Member | null => {
    if (to.startsWith('ext:')) {
      const e = doc.externals.find((x) => x.name === to.slice(4));
      if (!e) return null;
      return { survival: (x) => gammaSurvival(e.latencyMs, e.latencyCv, x), whole, frac, upper: e.latencyMs * 20 };
    }
    if (to.startsWith('db:')) {
      const d = doc.databases.find((x) => x.name === to.slice(3));
      if (!d) return null;
      const shards = predicted?.databases[d.name]?.shards ?? [];
      const rate = shards.reduce((a, s) => a + s.arrivalRps, 0);
      const sojourn = rate > 0 ? shards.reduce((a, s) => a + (s.arrivalRps / rate) * (s.sojournMeanMs ?? d.queryTimeMs), 0) : d.queryTimeMs;
      const mean = n.dbCallMs + sojourn;
      return { survival: (x) => Math.exp(-Math.max(0, x - n.dbCallMs) / Math.max(1e-9, sojourn)), whole, frac, upper: mean * 20 };
    }
    // The network part of a call: its measured ack round trip (Microbus acks on arrival), else the design's cost.
    const ack = m.calls.find((c) => c.from === from && c.to === to)?.ackMeanMs ?? null;
    const hop = ack ?? (bundleOf.get(from) === bundleOf.get(to) ? n.shortCircuitMs : n.natsHopMs);
    const callee = m.services[to];
    const mean = callee?.durationMeanMs;
    if (!callee || mean === null || mean === undefined) return null;
    const finite = callee.buckets.filter((b) => Number.isFinite(b.le));
    const top = Math.max(...finite.map((b) => b.le), mean * 20);
    if (finite.length < 3) return { survival: (x) => (x <= hop ? 1 : Math.exp(-(x - hop) / mean)), whole, frac, upper: hop + top };
    // The buckets give the shape; interpolating inside wide buckets misplaces the mean, so the
    // shape is shifted until its mean is the exact one (_sum / _count).
    let shapeMean = 0;
    const steps = 2000;
    for (let i = 0; i < steps; i++) shapeMean += (1 - bucketCdf(callee.buckets, ((i + 0.5) * top) / steps)) * (top / steps);
    const shift = hop + mean - shapeMean;
    return { survival: (x) => 1 - bucketCdf(callee.buckets, x - shift), whole, frac, upper: Math.max(0, shift) + top };
  };

  for (const s of doc.services) {
    const stats = m.services[s.name];
    const notes: string[] = [];
    const est: OwnTimeEstimate = { service: s.name, ownTimeMs: null, sojournMs: null, downstreamMs: 0, utilization: null, cv: null, notes };
    out[s.name] = est;
    if (!stats || stats.requestRps <= 0 || stats.durationMeanMs === null) {
      notes.push(stats ? 'no requests measured in the window' : 'not seen in the measurements');
      continue;
    }
    const hit = measuredHitRate(stats) ?? predicted?.services[s.name]?.cacheHitRate ?? 0;
    // Steps in document order; a group stands where its first member stands.
    const groups = new Map<string, Member[]>();
    const order: (Member[] | { seq: Member })[] = [];
    let missing = false;
    for (const c of s.calls) {
      const per = (c.to.startsWith('db:') || c.to.startsWith('ext:') ? null : measuredPerRequest(m, s.name, c.to, hit)) ?? c.perRequest;
      const member = callMember(s.name, c.to, Math.floor(per), per - Math.floor(per));
      if (!member) {
        missing = true;
        notes.push(`no measured duration for ${c.to}`);
        continue;
      }
      if (c.parallelGroup) {
        const g = groups.get(c.parallelGroup);
        if (g) g.push(member);
        else {
          const list = [member];
          groups.set(c.parallelGroup, list);
          order.push(list);
        }
      } else order.push({ seq: member });
    }
    if (missing) continue;
    let downstream = 0;
    for (const step of order) {
      if (Array.isArray(step)) downstream += expectedMax(step);
      else downstream += expectedMax([{ ...step.seq, whole: 1, frac: 0 }]) * (step.seq.whole + step.seq.frac);
    }
    est.downstreamMs = downstream;
    const sojourn = stats.durationMeanMs - (1 - hit) * downstream;
    if (!(sojourn > 0)) {
      notes.push(
        `downstream calls (${downstream.toFixed(3)} ms) take as long as the whole handler (${stats.durationMeanMs.toFixed(3)} ms): too noisy to subtract`,
      );
      continue;
    }
    est.sojournMs = sojourn;
    const lambdas = Object.values(stats.instances)
      .filter((r) => r > 0)
      .map((r) => r / 1000);
    if (lambdas.length === 0) lambdas.push(stats.requestRps / 1000);
    const mean = invertSojourn(lambdas, s.workers, mixtureCs2(s, hit), sojourn);
    if (mean === null) {
      notes.push('the measured sojourn is not consistent with the queue (check workers)');
      continue;
    }
    est.utilization = (Math.max(...lambdas) * mean) / s.workers;
    const miss = s.cache && hit > 0 ? (mean - hit * s.cache.hitTimeMs) / (1 - hit) : mean;
    if (!(miss > 0)) {
      notes.push('the cache hit time alone explains the measured time');
      continue;
    }
    est.ownTimeMs = miss;
    est.cv = histogramCv(stats, s, est);
  }
  return out;
}

/**
 * The own-time cv of a leaf service from its duration histogram, when the histogram resolves
 * it (at least four populated buckets, none holding more than half) and queueing adds little
 * (ρ < 0.3); the second moment comes from bucket midpoints, the mean is the exact one.
 */
function histogramCv(stats: MeasuredServiceStats, s: Topology['services'][number], est: OwnTimeEstimate): number | null {
  if (s.calls.length > 0 || s.cache) {
    est.notes.push('cv kept: the histogram mixes own time with downstream calls or cache hits');
    return null;
  }
  if ((est.utilization ?? 1) >= 0.3) {
    est.notes.push('cv kept: at ρ ≥ 0.3 the queue shapes the histogram');
    return null;
  }
  const finite = stats.buckets.filter((b) => Number.isFinite(b.le));
  const total = stats.buckets.find((b) => !Number.isFinite(b.le))?.rate ?? 0;
  const mean = stats.durationMeanMs ?? 0;
  if (!(total > 0) || !(mean > 0)) return null;
  let prevLe = 0;
  let prevRate = 0;
  let m2 = 0;
  let populated = 0;
  let largest = 0;
  for (const b of finite) {
    const share = (b.rate - prevRate) / total;
    if (share > 0) {
      populated++;
      largest = Math.max(largest, share);
      const mid = (prevLe + b.le) / 2;
      m2 += share * (mid * mid + ((b.le - prevLe) * (b.le - prevLe)) / 12);
    }
    prevLe = b.le;
    prevRate = b.rate;
  }
  const over = 1 - prevRate / total;
  if (over > 0.01 || populated < 4 || largest > 0.5) {
    est.notes.push('cv kept: the histogram buckets are too coarse for this service');
    return null;
  }
  const variance = m2 - mean * mean;
  return variance > 0 ? Math.sqrt(variance) / mean : null;
}
