/**
 * A service's own sojourn (queue + own time, no downstream) over all its requests: the
 * mixture of its replica classes weighted by their load.
 *
 * - All classes `exact` (M/M/c) or `mmck` (M/M/c/K, admitted requests): percentiles from the
 *   closed-form survival by Brent's method (error < 1e-9, the §3 reference values hold to 0.01 %).
 * - Otherwise (Allen–Cunneen, cached): the same sojourn on a lattice — gamma own times
 *   (cached per mean and cv across runs), the exponential wait applied as a recursive filter —
 *   because the incomplete-gamma survival is 20× dearer to invert and the canvas recomputes
 *   on every edit. Lattice quantiles are within 0.5 % (distribution/lattice.test.ts), well
 *   inside Allen–Cunneen's own approximation.
 */
import { add, expWait, fromH, gammaLattice, type Lattice, mix, quantile, stepFor } from '../distribution/lattice.ts';
import { mg1Wait } from '../distribution/mg1.ts';
import { type BoundedQueue, boundedWaitH, boundedWaitSurvival } from '../queue/bounded.ts';
import { type ImpatientQueue, servedWaitH, servedWaitSurvival } from '../queue/impatient.ts';
import { type Station, sojournPercentile } from '../queue/station.ts';
import { mg1kWait } from './bounded-wait.ts';
import type { Percentiles } from './types.ts';

const gammaCache = new Map<string, Lattice>();
/** At most this many cached lattices (≤ 4 KB each): the oldest go first. */
const GAMMA_CACHE_SIZE = 8192;

/** The lattice of a gamma own time, cached across runs (the same services come back on every edit). */
export function gammaOf(mean: number, cv: number): Lattice {
  const key = `${mean}|${cv}`;
  let g = gammaCache.get(key);
  if (!g) {
    if (gammaCache.size >= GAMMA_CACHE_SIZE) {
      let drop = GAMMA_CACHE_SIZE / 8;
      for (const k of gammaCache.keys()) {
        gammaCache.delete(k);
        if (--drop === 0) break;
      }
    }
    g = gammaLattice(mean, cv);
    gammaCache.set(key, g);
  }
  return g;
}

const waitCache = new Map<string, Lattice>();
const WAIT_CACHE_SIZE = 2048;

/** The exact M/G/1 wait of a one-worker station, cached by its own time and ρ (a canvas edit leaves most loads alone). */
function mg1WaitOf(st: Station): Lattice {
  const own = st.waitOwn ?? st.own;
  let key = `${st.rho}`;
  for (const c of own) key += `|${c.weight},${c.mean},${c.cv}`;
  let w = waitCache.get(key);
  if (!w) {
    if (waitCache.size >= WAIT_CACHE_SIZE) {
      let drop = WAIT_CACHE_SIZE / 8;
      for (const k of waitCache.keys()) {
        waitCache.delete(k);
        if (--drop === 0) break;
      }
    }
    w = mg1Wait(own, st.rho);
    waitCache.set(key, w);
  }
  return w;
}

const boundedCache = new Map<string, Lattice>();
const BOUNDED_CACHE_SIZE = 2048;

/**
 * The wait of an admitted request at a bounded queue (0, or an Erlang stage mixture: queue/bounded.ts) on a lattice,
 * cached across runs by what determines it (a canvas edit leaves most loads alone).
 */
function boundedWaitOf(b: BoundedQueue): Lattice {
  const key = `${b.capacity}|${b.ratio}|${b.stageRate}|${b.firstStage}|${b.stages.length}|${b.C}|${b.Wq}`;
  let w = boundedCache.get(key);
  if (!w) {
    if (boundedCache.size >= BOUNDED_CACHE_SIZE) {
      let drop = BOUNDED_CACHE_SIZE / 8;
      for (const k of boundedCache.keys()) {
        boundedCache.delete(k);
        if (--drop === 0) break;
      }
    }
    const last = b.firstStage + b.stages.length - 1;
    const range = (last + 8 * Math.sqrt(last) + 30) / b.stageRate;
    w = fromH(
      (x) => boundedWaitH(b, x),
      (x) => boundedWaitSurvival(b, x),
      stepFor(range),
    );
    boundedCache.set(key, w);
  }
  return w;
}

const mg1kCache = new Map<string, Lattice>();

/** The exact M/G/1/K wait of admitted requests (engine/bounded-wait.ts), cached by what determines it. */
function mg1kWaitOf(st: Station, seen: Float64Array): Lattice {
  let key = `${st.lambda}|${st.bounded?.capacity}`;
  for (const c of st.own) key += `|${c.weight},${c.mean},${c.cv}`;
  let w = mg1kCache.get(key);
  if (!w) {
    if (mg1kCache.size >= BOUNDED_CACHE_SIZE) {
      let drop = BOUNDED_CACHE_SIZE / 8;
      for (const k of mg1kCache.keys()) {
        mg1kCache.delete(k);
        if (--drop === 0) break;
      }
    }
    w = mg1kWait(st.lambda, st.own, seen);
    mg1kCache.set(key, w);
  }
  return w;
}

/** own + the station's queue wait (0 with probability 1 − C, else shaped as `st.shape`; a bounded queue's stage mixture). */
export function withWait(own: Lattice, st: Station): Lattice {
  if (st.bounded?.seen) return add(own, mg1kWaitOf(st, st.bounded.seen));
  if (st.impatient) return st.C > 0 ? add(own, impatientWaitOf(st.impatient)) : own;
  if (st.bounded) return st.bounded.stages.length ? add(own, boundedWaitOf(st.bounded)) : own;
  const sh = st.shape;
  if (sh.kind === 'mg1') return add(own, mg1WaitOf(st));
  if (sh.kind === 'h2')
    return mix([
      { weight: sh.p1, dist: expWait(own, st.C, sh.rate1) },
      { weight: 1 - sh.p1, dist: expWait(own, st.C, sh.rate2) },
    ]);
  return expWait(own, st.C, st.waitRate);
}

/** Sojourn lattice of one non-saturated station: its own-time mixture plus the queue wait. */
export function stationLattice(st: Station): Lattice {
  const parts = st.own.map((c) => ({ weight: c.weight, dist: withWait(gammaOf(c.mean, c.cv), st) }));
  return parts.length === 1 ? (parts[0] as { dist: Lattice }).dist : mix(parts);
}

export function serviceSojourn(input: ReadonlyArray<{ weight: number; station: Station }>): Percentiles {
  // Replica classes with the same load are the same queue: merge them first.
  const parts: { weight: number; station: Station }[] = [];
  for (const p of input) {
    const same = parts.find(
      (x) =>
        x.station.lambda === p.station.lambda &&
        x.station.workers === p.station.workers &&
        x.station.own === p.station.own &&
        // Traffic classes' stations (engine/traffic-classes.ts) share a load but not a wait.
        x.station.Wq === p.station.Wq,
    );
    if (same) same.weight += p.weight;
    else parts.push({ weight: p.weight, station: p.station });
  }
  let mean = 0;
  let total = 0;
  for (const p of parts) {
    mean += p.weight * p.station.W;
    total += p.weight;
  }
  mean /= total;
  if (parts.some((p) => p.station.bounded)) {
    // Bounded queues' percentiles cost more to find (a stage mixture): cached across runs, most loads survive an edit.
    let key = '';
    for (const p of parts) {
      const st = p.station;
      key += `${p.weight}:${st.lambda}:${st.workers}:${st.bounded?.capacity ?? -1}:${st.method}:${st.Wq}:${st.bounded?.ratio ?? 0}`;
      for (const c of st.own) key += `,${c.weight},${c.mean},${c.cv}`;
      key += ';';
    }
    let hit = sojournCache.get(key);
    if (!hit) {
      hit = sojournOf(parts, mean);
      if (sojournCache.size >= SOJOURN_CACHE_SIZE) sojournCache.delete(sojournCache.keys().next().value as string);
      sojournCache.set(key, hit);
    }
    return { ...hit };
  }
  return sojournOf(parts, mean);
}

const impatientCache = new Map<string, Lattice>();

/** The wait of a request that gets a worker before its deadline (M/M/c+D: 0, or ∝ e^{−θv} on (0, D)), cached. */
function impatientWaitOf(q: ImpatientQueue): Lattice {
  const key = `${q.D}|${q.theta}|${q.mu}|${q.lnA}`;
  let w = impatientCache.get(key);
  if (!w) {
    if (impatientCache.size >= BOUNDED_CACHE_SIZE) impatientCache.delete(impatientCache.keys().next().value as string);
    w = fromH(
      (x) => servedWaitH(q, x),
      (x) => servedWaitSurvival(q, x),
      stepFor(q.D),
    );
    impatientCache.set(key, w);
  }
  return w;
}

const sojournCache = new Map<string, Percentiles>();
const SOJOURN_CACHE_SIZE = 4096;

function sojournOf(parts: { weight: number; station: Station }[], mean: number): Percentiles {
  if (parts.every((p) => p.station.method === 'exact' || p.station.method === 'mmck')) {
    return { mean, p50: sojournPercentile(parts, 0.5), p95: sojournPercentile(parts, 0.95), p99: sojournPercentile(parts, 0.99) };
  }
  const d =
    parts.length === 1
      ? stationLattice((parts[0] as { station: Station }).station)
      : mix(parts.map((p) => ({ weight: p.weight, dist: stationLattice(p.station) })));
  return { mean, p50: quantile(d, 0.5), p95: quantile(d, 0.95), p99: quantile(d, 0.99) };
}
