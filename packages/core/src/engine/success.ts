/**
 * Which requests succeed (schema v2 bounded queues). A request fails when a replica on its path
 * rejects it: the one it arrives at, or any replica a call of an admitted request reaches. The
 * caller still makes its remaining calls (the failure is in the answer, not in the load: see
 * README "Bounded queues"), so the success of a request at class (s, z) is
 *   admit(s, z) · (h + (1 − h) · Π over its calls of E[p_call^N]),
 * N the call's repetitions (⌊n⌋, one more with probability n − ⌊n⌋), p_call the success of one
 * call: the callee class's own success, averaged over the replicas the call can land on.
 * Sojourns are independent of admission elsewhere (the engine's independence assumption), so
 * the latency of successful requests is the composition along the path with each branch
 * weighted by its success (compose.ts). A service with no live replica fails every call to it.
 * With time budgets (budget.ts) a request also fails where it times out: a failure is a
 * rejection, a timeout, or a call to a service with no live replica.
 */

import { inTimeSuccess } from './budget.ts';
import { CALL_SERVICE, type CallModel, type Model } from './model.ts';
import type { Placement } from './placement.ts';
import { failureChain, firstAdmit } from './retries.ts';
import { chainFailure } from './retry-policy.ts';

/**
 * A retried call's success: an attempt that is admitted succeeds further down with the same chance
 * `down` whichever attempt it is, so success = down · (1 − Π f).
 */
export function retried(down: number, f: Float64Array): number {
  return Math.min(1, down * (1 - chainFailure(f)));
}

/** The success of requests admitted at the classes a call from zone z can land on (their success ÷ admission, weighted by landing). */
export function downSuccess(model: Model, pl: Placement, succ: Float64Array, target: number, short: boolean, z: number): number {
  const Z = model.zones.length;
  const down = (cls: number) => {
    const a = pl.admit[cls] as number;
    return a > 0 ? (succ[cls] as number) / a : 0;
  };
  if (short) return down(target * Z + z);
  const t = model.services[target];
  const d = t ? pl.dispatch[t.bundle * Z + z] : undefined;
  let out = 0;
  let norm = 0;
  const first = firstAdmit(pl);
  for (let i = 0; d && i < d.zones.length; i++) {
    const cls = target * Z + (d.zones[i] as number);
    const w = (d.weights[i] as number) * first(cls);
    out += w * down(cls);
    norm += w;
  }
  return norm > 0 ? out / norm : 0;
}

/** P(all N repetitions succeed) for N = ⌊n⌋, one more with probability n − ⌊n⌋. */
export function repeatedSuccess(p: number, perRequest: number): number {
  if (p === 1) return 1;
  const whole = Math.floor(perRequest);
  const frac = perRequest - whole;
  const base = p ** whole;
  return frac < 1e-12 ? base : base * (1 - frac + frac * p);
}

/**
 * Success of one call from a replica in zone z, given the success of every class (`succ[s·Z + z]`).
 * With retries (schema v2) each failed attempt is sent again: success of one attempt × (1 + p + … + p^r),
 * p = P(attempt fails) (retries.ts): 1 − p^(r+1) when nothing fails further down.
 */
export function callSuccess(model: Model, pl: Placement, succ: Float64Array, c: CallModel, z: number): number {
  if (c.kind !== CALL_SERVICE) return 1;
  const Z = model.zones.length;
  const t = model.services[c.target];
  const d = c.shortCircuit || !t ? undefined : pl.dispatch[t.bundle * Z + z];
  let p = 0;
  if (c.shortCircuit) p = succ[c.target * Z + z] as number;
  else {
    if (!d || d.zones.length === 0) return 0;
    for (let i = 0; i < d.zones.length; i++) p += (d.weights[i] as number) * (succ[c.target * Z + (d.zones[i] as number)] as number);
  }
  if (!c.retry || !pl.retry) return p;
  return retried(downSuccess(model, pl, succ, c.target, c.shortCircuit, z), failureChain(model, pl, c.target, c.shortCircuit, false, z, c.retry));
}

/** The success of a request arriving at one replica of each class (s, z), its calls included: succ[s·Z + z]. */
export function classSuccess(model: Model, pl: Placement, ignoreBudget = false): Float64Array {
  const budget = ignoreBudget ? null : pl.budget;
  const Z = model.zones.length;
  const succ = new Float64Array(model.services.length * Z).fill(1);
  // Callees before callers.
  for (let i = model.topo.length - 1; i >= 0; i--) {
    const s = model.services[model.topo[i] as number];
    if (!s) continue;
    const h = pl.hit[s.index] as number;
    for (let z = 0; z < Z; z++) {
      let calls = 1;
      if (h < 1) for (const c of s.calls) calls *= repeatedSuccess(callSuccess(model, pl, succ, c, z), c.perRequest);
      const admit = pl.admit[s.index * Z + z] as number;
      const i = s.index * Z + z;
      // Time budgets (budget.ts): only the requests done in time, and able to send their calls, succeed here.
      if (budget && Number.isFinite(budget.D[i] as number)) succ[i] = admit * inTimeSuccess(budget, i, h, calls, s.steps.length);
      else succ[i] = calls === 1 ? admit : admit * (h + (1 - h) * calls);
    }
  }
  return succ;
}

/** Share of the requests entering model.entries[ei] that succeed (1 when none enter). */
export function entrySuccess(model: Model, pl: Placement, succ: Float64Array, ei: number): number {
  const Z = model.zones.length;
  const e = model.entries[ei] as number;
  const svc = model.services[e];
  if (!svc) return 0;
  let rps = 0;
  let ok = 0;
  for (let z = 0; z < Z; z++) {
    const r = pl.ingress[ei * Z + z] as number;
    if (r === 0) continue;
    rps += r;
    const d = pl.dispatch[svc.bundle * Z + z];
    for (let i = 0; d && i < d.zones.length; i++) ok += r * (d.weights[i] as number) * (succ[e * Z + (d.zones[i] as number)] as number);
  }
  if (rps === 0) return pl.unavailable[e] ? 0 : 1;
  // Client retries at the entry: a rejected request is sent again (retries.ts).
  for (const src of pl.retry?.sources[e] ?? []) {
    if (!src.ingress) continue;
    const d = pl.dispatch[svc.bundle * Z + src.from];
    let s = 0;
    for (let i = 0; d && i < d.zones.length; i++) s += (d.weights[i] as number) * (succ[e * Z + (d.zones[i] as number)] as number);
    ok += src.rate * (retried(downSuccess(model, pl, succ, e, false, src.from), failureChain(model, pl, e, false, true, src.from, src.policy)) - s);
  }
  return Math.min(1, ok / rps);
}
