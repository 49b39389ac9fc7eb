/**
 * Retries under failure (schema v2 `calls[].retries`, `traffic[].retries`; issue 17): the load a
 * retrying caller offers depends on how often its attempts fail, and that depends on the load.
 *
 * A call with r retries whose attempts fail with probability p offers the callee
 * (1 + p + … + p^r) × its first attempts. p is `attemptFailure`: today a rejection by a full
 * queue (1 − the admitted share, averaged over the replicas the attempt can land on) or no live
 * replica at all (p = 1); time-budget timeouts will add to it there.
 *
 * The fixed point. p at a service t depends only on the load of t's own replica classes (a
 * rejection is decided at t's queue), and the call graph is a DAG, so placement solves one small
 * fixed point per service when it reaches t in caller-first order (every caller's first attempts
 * are known by then).
 *
 * Retries are not a Poisson stream: a retry comes back after its backoff, often to a queue still
 * full, and a rejected retry leaves the queue as it was. So (1) each retry's failure chance is
 * conditioned on the attempt before it failing (`failureChain`: the transient chance the replica
 * that rejected is full again after the backoff and the network, queue/retry-rejection.ts), and
 * (2) each class's queue is solved at the effective Poisson rate λe whose admitted throughput
 * λe·(1 − B(λe)) equals what is really admitted: plain arrivals × (1 − B) plus, per retrying
 * source, first attempts × (1 − Π f). That balance is increasing in λe (more load admits more
 * plain arrivals and fails more attempts), so it has one root, found by bisection; several zones
 * are solved in turn until none moves (capped: `retry-unconverged`). Exact at both ends — no
 * backoff and no network (every retry of a rejected request meets the same full queue), and a
 * backoff far beyond the queue's memory (retries are fresh Poisson arrivals: p = B(λ0·Σ p^k)) —
 * and approximate between (validity `retry-approximation`; the DES measures it, core README).
 *
 * Downstream of t, only admitted attempts make calls, so retries amplify everything below t too.
 */
import { fullAgain } from '../queue/retry-rejection.ts';
import type { Station } from '../queue/station.ts';
import type { Model } from './model.ts';

/** Where a call from one zone lands (placement.ts's Dispatch, restated: placement imports this module). */
interface Dispatch {
  zones: Int32Array;
  weights: Float64Array;
}

/** The live replica counts (placement.ts's Scenario). */
interface Scenario {
  counts: Int32Array;
}

import { backoffBefore, chainAttempts, chainFailure, type RetryPolicy } from './retry-policy.ts';

export const MAX_ITERATIONS = 100;

/** First attempts into one service from one zone under one policy. */
export interface RetrySource {
  /** The zone the attempts leave from (ingress: the zone the requests enter in). */
  from: number;
  /** First attempts per second. */
  rate: number;
  policy: RetryPolicy;
  /** A call inside one bundle: lands on the caller's own replica. */
  short: boolean;
  /** A client retry at the entry (no broker, never cross-zone). */
  ingress: boolean;
}

/** How the fixed point of one service went. */
export interface RetrySolution {
  iterations: number;
  converged: boolean;
  /** A second, stormy steady state's offered rps (metastable), else null: never with rejections alone (the balance has one root); kept for timeouts, whose failed attempts do hold workers. */
  stormOfferedRps: number | null;
  /** The least fixed point's offered rps. */
  offeredRps: number;
}

/**
 * P(an attempt fails) from zone z: rejected at the replica it lands on or no live replica.
 * The one place that says what a failed attempt is (timeouts extend it).
 */
export function attemptFailure(
  dispatch: Dispatch | undefined,
  admitted: (cls: number) => number,
  target: number,
  Z: number,
  short: boolean,
  z: number,
): number {
  if (short) return 1 - admitted(target * Z + z);
  if (!dispatch || dispatch.zones.length === 0) return 1;
  let p = 0;
  for (let i = 0; i < dispatch.zones.length; i++) p += (dispatch.weights[i] as number) * (1 - admitted(target * Z + (dispatch.zones[i] as number)));
  return p;
}

/** The share of first attempts (a Poisson stream) a class admits: 1 − its station's blocking (not the share of all attempts, which retries lower). */
export function firstAdmit(pl: { admit: Float64Array; bounded: (Station | null)[] }): (cls: number) => number {
  return (cls) => {
    const b = pl.bounded[cls]?.bounded;
    return b ? 1 - b.block : (pl.admit[cls] as number);
  };
}

/** What the failure chain of a retrying call reads from a placement. */
export interface FailureInputs {
  scenario: Scenario;
  dispatch: Dispatch[];
  admit: Float64Array;
  bounded: (Station | null)[];
}

/** Network time of one attempt from zone `from` to zone `to` (request and response): what separates a rejection from its retry. */
export function attemptNetworkMs(model: Model, from: number, to: number, short: boolean, ingress: boolean): number {
  if (ingress) return 0;
  const net = model.doc.network;
  if (short) return net.shortCircuitMs;
  if (to === from) return net.natsHopMs;
  return net.natsHopMs + (model.zoneRegion[to] === model.zoneRegion[from] ? net.crossZoneMs : net.crossRegionMs);
}

/**
 * The failure chance of each attempt of a retrying call into service t from zone z: f[0] =
 * attemptFailure, f[k] = the chance retry k fails given attempt k − 1 failed. A retry that lands on
 * the replica that just rejected (short-circuit: always; otherwise with chance w_i / n_i) finds it
 * full again with queue/retry-rejection.ts's transient probability after the backoff and the
 * network; elsewhere it fails like a first attempt. Without a bounded queue f is constant.
 */
export function failureChain(
  model: Model,
  pl: FailureInputs,
  t: number,
  short: boolean,
  ingress: boolean,
  z: number,
  policy: RetryPolicy,
): Float64Array {
  const Z = model.zones.length;
  const svc = model.services[t];
  const d = short || !svc ? undefined : pl.dispatch[svc.bundle * Z + z];
  const admitted = firstAdmit(pl);
  const p = attemptFailure(d, admitted, t, Z, short, z);
  const f = new Float64Array(policy.retries + 1).fill(p);
  if (!svc || svc.queueLimit === null || p < 1e-12 || p >= 1) return f;
  const again = (i: number, gap: number) => {
    const st = pl.bounded[t * Z + i];
    const bq = st?.bounded;
    return st && bq ? fullAgain(st.lambda, st.workers, bq.capacity, st.ownMean, gap, bq.block) : 1 - admitted(t * Z + i);
  };
  for (let k = 1; k <= policy.retries; k++) {
    const wait = backoffBefore(policy, k);
    if (short) {
      f[k] = again(z, wait + attemptNetworkMs(model, z, z, true, false));
      continue;
    }
    let q = 0;
    for (let j = 0; d && j < d.zones.length; j++) {
      const i = d.zones[j] as number;
      const w = d.weights[j] as number;
      const post = (w * (1 - admitted(t * Z + i))) / p;
      const n = pl.scenario.counts[svc.bundle * Z + i] as number;
      const same = n > 0 ? w / n : 0;
      q += post * (same * again(i, wait + attemptNetworkMs(model, z, i, false, ingress)) + (1 - same) * p);
    }
    f[k] = Math.min(1, q);
  }
  return f;
}

/** The mutable load of a placement that the solution writes into. */
export interface LoadState {
  lam: Float64Array;
  offered: Float64Array;
  inflow: Float64Array;
  bus: Float64Array;
  admit: Float64Array;
  dispatch: Dispatch[];
  bounded: (Station | null)[];
  scenario: Scenario;
  cross: { zone: number; region: number };
}

export class RetryLoad {
  readonly sources: (RetrySource[] | undefined)[];
  readonly solutions: (RetrySolution | undefined)[];

  constructor(private readonly model: Model) {
    this.sources = new Array(model.services.length);
    this.solutions = new Array(model.services.length);
  }

  add(target: number, src: RetrySource): void {
    let list = this.sources[target];
    if (!list) {
      list = [];
      this.sources[target] = list;
    }
    list.push(src);
  }

  /**
   * Solves service t's fixed point and writes its retried load into `st`. `stations()` rebuilds
   * t's bounded stations from `st.lam` and refreshes `st.admit` (placement.ts).
   *
   * Retries are not Poisson: a retry comes back after a rejection, often to a queue still full,
   * and a rejected retry leaves the queue as it was. So the queue's state is not that of a
   * Poisson stream of every attempt. Each class's station is instead solved at the EFFECTIVE
   * Poisson rate λe whose admitted throughput λe·(1 − B(λe)) equals the requests really admitted
   * — plain arrivals × (1 − B) plus, per retrying source, first attempts × (1 − Π f) (its failure
   * chain, failureChain) — found by bisection (the throughput is increasing in λe). The offered
   * rate (every attempt) and the admitted share of attempts are written apart from it.
   */
  solve(t: number, st: LoadState, stations: () => void): void {
    const sources = this.sources[t];
    const svc = this.model.services[t];
    if (!sources || !svc) return;
    const Z = this.model.zones.length;
    const base = st.lam.slice(t * Z, t * Z + Z);
    const disp = (src: RetrySource) => (src.short ? undefined : st.dispatch[svc.bundle * Z + src.from]);
    const chains = () => sources.map((src) => failureChain(this.model, st, t, src.short, src.ingress, src.from, src.policy));
    // Attempts (offered) and admitted requests per class, from each source's chain.
    const flows = (f: Float64Array[]) => {
      const offered = new Float64Array(Z);
      const admitted = new Float64Array(Z);
      for (let z = 0; z < Z; z++) {
        offered[z] = base[z] as number;
        admitted[z] = (base[z] as number) * (st.admit[t * Z + z] as number);
      }
      sources.forEach((src, j) => {
        const chain = f[j] as Float64Array;
        const a = src.rate * chainAttempts(chain);
        const ok = src.rate * (1 - chainFailure(chain));
        if (src.short) {
          offered[src.from] = (offered[src.from] as number) + a;
          admitted[src.from] = (admitted[src.from] as number) + ok;
          return;
        }
        const d = disp(src);
        let norm = 0;
        for (let i = 0; d && i < d.zones.length; i++) norm += (d.weights[i] as number) * (st.admit[t * Z + (d.zones[i] as number)] as number);
        for (let i = 0; d && i < d.zones.length; i++) {
          const to = d.zones[i] as number;
          const w = d.weights[i] as number;
          offered[to] = (offered[to] as number) + a * w;
          if (norm > 0) admitted[to] = (admitted[to] as number) + (ok * w * (st.admit[t * Z + to] as number)) / norm;
        }
      });
      return { offered, admitted };
    };
    const at = (lamE: Float64Array) => {
      st.lam.set(lamE, t * Z);
      stations();
    };
    const lamE = base.slice();
    // Unbounded: attempts fail only where nothing is live, which load does not change.
    let n = 0;
    let converged = svc.queueLimit === null;
    if (svc.queueLimit !== null) {
      // Per class, bisection on λe of g(λe) = λe·(1 − B(λe)) − admitted(λe), increasing (more load
      // admits more of the plain stream, fails more attempts); classes in turn until none moves.
      const g = (i: number, x: number) => {
        lamE[i] = x;
        at(lamE);
        const cls = st.bounded[t * Z + i];
        const through = x * (1 - (cls?.bounded?.block ?? 0));
        return through - (flows(chains()).admitted[i] as number);
      };
      // Fast path: at the first attempts' own load nothing is rejected (to 1e-12), so no attempt
      // is retried and that load is the answer (the usual case below capacity: every edit pays it).
      const first = flows(sources.map((src) => new Float64Array(src.policy.retries + 1))).offered;
      lamE.set(first);
      at(lamE);
      const calm = chains().every((f) => (f[0] as number) < 1e-12);
      if (calm) converged = true;
      for (n = 1; !calm && n <= MAX_ITERATIONS; n++) {
        let moved = 0;
        for (let i = 0; i < Z; i++) {
          if (!st.bounded[t * Z + i]) continue;
          const before = lamE[i] as number;
          lamE[i] = root((x) => g(i, x), Math.max(1e-9, before, flows(chains()).offered[i] as number) * 2);
          moved = Math.max(moved, Math.abs((lamE[i] as number) - before) / Math.max(1e-12, lamE[i] as number));
        }
        if (moved < 1e-9 || Z === 1) {
          converged = true;
          break;
        }
      }
      at(lamE);
    }
    const f = chains();
    const { offered, admitted } = flows(f);
    let total = 0;
    for (let i = 0; i < Z; i++) {
      const o = offered[i] as number;
      total += o;
      st.lam[t * Z + i] = o;
      if (svc.queueLimit !== null && o > 0) st.admit[t * Z + i] = Math.min(1, (admitted[i] as number) / o);
    }
    this.write(t, st, sources, f);
    this.solutions[t] = { iterations: n, converged, stormOfferedRps: null, offeredRps: total };
  }

  /** Offered load, broker traffic and cross-zone calls of the retried attempts (the class rates are already set). */
  private write(t: number, st: LoadState, sources: RetrySource[], f: Float64Array[]): void {
    const Z = this.model.zones.length;
    const svc = this.model.services[t];
    if (!svc) return;
    sources.forEach((src, j) => {
      const rate = src.rate * chainAttempts(f[j] as Float64Array);
      st.offered[t] = (st.offered[t] as number) + (rate - src.rate);
      if (src.short) return;
      st.inflow[t * Z + src.from] = (st.inflow[t * Z + src.from] as number) + (rate - (src.ingress ? src.rate : 0));
      if (src.ingress) return;
      const d = st.dispatch[svc.bundle * Z + src.from];
      for (let i = 0; d && i < d.zones.length; i++) {
        const to = d.zones[i] as number;
        const r = rate * (d.weights[i] as number);
        st.bus[src.from * Z + to] = (st.bus[src.from * Z + to] as number) + r;
        if (to !== src.from) {
          st.cross.zone += r;
          if (this.model.zoneRegion[to] !== this.model.zoneRegion[src.from]) st.cross.region += r;
        }
      }
    });
  }
}

/**
 * The root of an increasing g on [0, ∞) with g(0) ≤ 0 (0 when g(0) ≥ 0): bracket by doubling
 * from `hi`, then the Illinois variant of regula falsi (superlinear; each g costs a station and
 * the failure chains), to a relative 1e-10.
 */
function root(g: (x: number) => number, start: number): number {
  let a = 0;
  let ga = g(0);
  if (ga >= 0) return 0;
  let b = start;
  let gb = g(b);
  while (gb < 0 && b < 1e15) {
    a = b;
    ga = gb;
    b *= 2;
    gb = g(b);
  }
  let side = 0;
  for (let k = 0; k < 100 && b - a > 1e-10 * b; k++) {
    const x = (a * gb - b * ga) / (gb - ga);
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) {
      a = x;
      ga = gx;
      if (side === -1) gb /= 2;
      side = -1;
    } else {
      b = x;
      gb = gx;
      if (side === 1) ga /= 2;
      side = 1;
    }
  }
  return (a + b) / 2;
}
