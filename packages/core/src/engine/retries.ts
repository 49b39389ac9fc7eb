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
 * fixed point per service, when it reaches t in caller-first order (every caller's first
 * attempts are known by then): λ_t = λ_plain + Σ_j r_j · A_j(p_j(λ_t)). The map
 * p ↦ blocking(λ(p)) is monotone (more failure → more attempts → more load → more blocking), so
 * iterating from p = 0 climbs to the LEAST fixed point (Kleene), the one an idle system reaches;
 * iterating from p = 1 descends to the greatest. When they differ the design is metastable: a
 * burst can tip it into a retry storm that outlives the burst (warning `retry-metastable`).
 * The iteration is capped (`MAX_ITERATIONS`); a service still moving then is reported
 * (`retry-unconverged`) with the last iterate.
 *
 * Downstream of t, only admitted attempts make calls, so retries amplify everything below t too.
 * Approximation: the attempts are taken as a Poisson stream (a retry follows a rejection, so
 * retries bunch when the queue is full); des/retries.test.ts measures the error.
 */
import type { Model } from './model.ts';
import type { Dispatch } from './placement.ts';
import { attempts, type RetryPolicy } from './retry-policy.ts';

export const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-10;

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
  /** The greatest fixed point's offered rps when it differs from the least (metastable), else null. */
  stormOfferedRps: number | null;
  /** The least fixed point's offered rps. */
  offeredRps: number;
}

/**
 * P(an attempt fails) from zone z: rejected at the replica it lands on or no live replica.
 * The one place that says what a failed attempt is (timeouts extend it).
 */
export function attemptFailure(dispatch: Dispatch | undefined, admit: Float64Array, target: number, Z: number, short: boolean, z: number): number {
  if (short) return 1 - (admit[target * Z + z] as number);
  if (!dispatch || dispatch.zones.length === 0) return 1;
  let p = 0;
  for (let i = 0; i < dispatch.zones.length; i++)
    p += (dispatch.weights[i] as number) * (1 - (admit[target * Z + (dispatch.zones[i] as number)] as number));
  return p;
}

/** The mutable load of a placement that the solution writes into. */
export interface LoadState {
  lam: Float64Array;
  offered: Float64Array;
  inflow: Float64Array;
  bus: Float64Array;
  admit: Float64Array;
  dispatch: Dispatch[];
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
   * Solves service t's fixed point and writes its retried load into `st`. `stations(lam)`
   * rebuilds t's bounded stations from lam and refreshes `st.admit` (placement.ts).
   */
  solve(t: number, st: LoadState, stations: () => void): void {
    const sources = this.sources[t];
    const svc = this.model.services[t];
    if (!sources || !svc) return;
    const Z = this.model.zones.length;
    const base = st.lam.slice(t * Z, t * Z + Z);
    const disp = (src: RetrySource) => (src.short ? undefined : st.dispatch[svc.bundle * Z + src.from]);
    const fail = (src: RetrySource) => attemptFailure(disp(src), st.admit, t, Z, src.short, src.from);
    const spread = (p: Float64Array, write: boolean) => {
      st.lam.set(base, t * Z);
      let offered = 0;
      sources.forEach((src, j) => {
        const rate = src.rate * attempts(p[j] as number, src.policy.retries);
        offered += rate;
        if (!write) {
          if (src.short) st.lam[t * Z + src.from] = (st.lam[t * Z + src.from] as number) + rate;
          else {
            const d = disp(src);
            for (let i = 0; d && i < d.zones.length; i++) {
              const to = d.zones[i] as number;
              st.lam[t * Z + to] = (st.lam[t * Z + to] as number) + rate * (d.weights[i] as number);
            }
          }
          return;
        }
        st.offered[t] = (st.offered[t] as number) + rate - src.rate;
        if (src.short) {
          st.lam[t * Z + src.from] = (st.lam[t * Z + src.from] as number) + rate;
          return;
        }
        st.inflow[t * Z + src.from] = (st.inflow[t * Z + src.from] as number) + rate - (src.ingress ? src.rate : 0);
        const d = disp(src);
        for (let i = 0; d && i < d.zones.length; i++) {
          const to = d.zones[i] as number;
          const r = rate * (d.weights[i] as number);
          st.lam[t * Z + to] = (st.lam[t * Z + to] as number) + r;
          if (src.ingress) continue;
          st.bus[src.from * Z + to] = (st.bus[src.from * Z + to] as number) + r;
          if (to !== src.from) {
            st.cross.zone += r;
            if (this.model.zoneRegion[to] !== this.model.zoneRegion[src.from]) st.cross.region += r;
          }
        }
      });
      return offered;
    };
    const iterate = (start: number) => {
      const p = new Float64Array(sources.length).fill(start);
      let n = 0;
      let converged = false;
      let offered = 0;
      while (n < MAX_ITERATIONS) {
        n++;
        offered = spread(p, false) as number;
        if (svc.queueLimit !== null) stations();
        let moved = 0;
        sources.forEach((src, j) => {
          const next = fail(src);
          moved = Math.max(moved, Math.abs(next - (p[j] as number)));
          p[j] = next;
        });
        if (moved < TOLERANCE) {
          converged = true;
          break;
        }
      }
      return { p, n, converged, offered };
    };
    // Unbounded: attempts fail only where nothing is live, which load does not change.
    const least = iterate(0);
    let storm: number | null = null;
    if (svc.queueLimit !== null) {
      const greatest = iterate(1);
      if (greatest.offered > least.offered * (1 + 1e-3) + 1e-9) storm = greatest.offered;
      // Back to the least fixed point's stations.
      spread(least.p, false);
      stations();
    }
    spread(least.p, true);
    this.solutions[t] = { iterations: least.n, converged: least.converged, stormOfferedRps: storm, offeredRps: least.offered };
  }
}
