/**
 * Where one request lands on one replica several times (issue 12): what the Poisson picture of
 * MODEL.md §2 leaves out, per replica class.
 *
 * - **Batches.** A parallel group launches all its calls at one instant, so `perRequest: n`
 *   inside a group (or two members calling one service) sends n requests at once. Each picks
 *   its replica among the K candidates on its own (a queue group chooses per message), so one
 *   replica receives Binomial(n, 1/K) of them; short-circuit calls all land on the caller's own
 *   replica. Per replica we keep, per second, Σ over batches of X(X − 1) (work arriving in
 *   chunks), of g(X) = Σⱼ (j − c)⁺ (own-batch requests ahead of each one beyond the first c
 *   workers) and of (X − c)⁺ (those that must wait for their own batch): `station()` turns them
 *   into the M^X/G/c wait.
 * - **Repeats.** A call made again after the previous one returns (`perRequest` ≥ 2 outside a
 *   group, or two steps to one service) that reaches the same replica arrives just after its own
 *   previous visit left: it is not a fresh Poisson arrival (it rarely finds its own work ahead).
 *   Counted per replica (follow-up arrivals per second) for the validity flag; not corrected.
 */
import { CALL_SERVICE, type CallModel, type Model } from './model.ts';
import type { Placement } from './placement.ts';

export interface Arrivals {
  /** Per replica, per second: Σ over its batches of X(X − 1) (the work arriving in chunks). */
  pairs: Float64Array;
  /** Per replica of class (s, z), per second: Σ over its batches of g(X) (0: Poisson only). */
  ahead: Float64Array;
  /** Per replica, per second: Σ over its batches of (X − c)⁺. */
  beyond: Float64Array;
  /** Per replica, per second: follow-up arrivals of a request already served there (repeats). */
  repeats: Float64Array;
}

/** Distribution of the number of calls of a group member set: Σ ⌊nᵢ⌋ plus a Bernoulli(nᵢ − ⌊nᵢ⌋) each. */
function countPmf(counts: readonly number[]): Float64Array {
  let whole = 0;
  let pmf = Float64Array.of(1);
  for (const n of counts) {
    const w = Math.floor(n);
    whole += w;
    const f = n - w;
    if (f < 1e-12) continue;
    const next = new Float64Array(pmf.length + 1);
    for (let i = 0; i < pmf.length; i++) {
      next[i] = (next[i] as number) + (pmf[i] as number) * (1 - f);
      next[i + 1] = (next[i + 1] as number) + (pmf[i] as number) * f;
    }
    pmf = next;
  }
  const out = new Float64Array(whole + pmf.length);
  out.set(pmf, whole);
  return out;
}

/** E[g(X)] and E[(X − c)⁺] for X ~ Binomial(N, p) with N ~ pmf (p = 1: X = N). */
export function batchTerms(pmf: Float64Array, p: number, c: number): { pairs: number; ahead: number; beyond: number } {
  let ahead = 0;
  let beyond = 0;
  let pairs = 0;
  for (let n = 2; n < pmf.length; n++) pairs += (pmf[n] as number) * n * (n - 1);
  pairs *= p * p;
  for (let n = c + 1; n < pmf.length; n++) {
    const pn = pmf[n] as number;
    if (pn === 0) continue;
    if (p >= 1) {
      ahead += (pn * (n - c) * (n - c + 1)) / 2;
      beyond += pn * (n - c);
      continue;
    }
    // Binomial(n, p) by its recurrence from x = 0 (n is a handful of calls).
    let b = (1 - p) ** n;
    for (let x = 0; x <= n; x++) {
      if (x > c) {
        ahead += (pn * b * (x - c) * (x - c + 1)) / 2;
        beyond += pn * b * (x - c);
      }
      b *= ((n - x) / (x + 1)) * (p / (1 - p));
    }
  }
  return { pairs, ahead, beyond };
}

export function arrivals(model: Model, pl: Placement): Arrivals {
  const Z = model.zones.length;
  const S = model.services.length;
  const counts = pl.scenario.counts;
  const ahead = new Float64Array(S * Z);
  const pairs = new Float64Array(S * Z);
  const beyond = new Float64Array(S * Z);
  const repeats = new Float64Array(S * Z);
  const byTarget = new Map<number, { calls: CallModel[]; counts: number[] }>();

  for (const s of model.services) {
    const miss = 1 - (pl.hit[s.index] as number);
    if (!(miss > 0)) continue;
    for (let z = 0; z < Z; z++) {
      const l = (pl.lam[s.index * Z + z] as number) * miss;
      if (l === 0) continue;
      const callers = counts[s.bundle * Z + z] as number;
      const seen = new Map<number, number>(); // target → calls already made by earlier steps
      for (const step of s.steps) {
        byTarget.clear();
        for (const c of step.calls) {
          if (c.kind !== CALL_SERVICE) continue;
          const g = byTarget.get(c.target);
          if (g) {
            g.calls.push(c);
            g.counts.push(c.perRequest);
          } else byTarget.set(c.target, { calls: [c], counts: [c.perRequest] });
        }
        for (const [t, g] of byTarget) {
          const target = model.services[t];
          if (!target) continue;
          const n = g.counts.reduce((a, b) => a + b, 0);
          const earlier = seen.get(t) ?? 0;
          seen.set(t, earlier + n);
          const sc = (g.calls[0] as CallModel).shortCircuit;
          const tb = target.bundle;
          if (step.parallel && n > 1) {
            const pmf = countPmf(g.counts);
            if (sc) {
              const per = batchTerms(pmf, 1, target.workers);
              ahead[t * Z + z] = (ahead[t * Z + z] as number) + (l / callers) * per.ahead;
              pairs[t * Z + z] = (pairs[t * Z + z] as number) + (l / callers) * per.pairs;
              beyond[t * Z + z] = (beyond[t * Z + z] as number) + (l / callers) * per.beyond;
            } else {
              const d = pl.dispatch[tb * Z + z];
              if (!d || d.zones.length === 0) continue;
              let K = 0;
              for (const to of d.zones) K += counts[tb * Z + to] as number;
              const per = batchTerms(pmf, 1 / K, target.workers);
              // Every batch reaches every candidate replica with its binomial share.
              for (const to of d.zones) {
                ahead[t * Z + to] = (ahead[t * Z + to] as number) + l * per.ahead;
                pairs[t * Z + to] = (pairs[t * Z + to] as number) + l * per.pairs;
                beyond[t * Z + to] = (beyond[t * Z + to] as number) + l * per.beyond;
              }
            }
          }
          // Follow-ups that reach a replica this request has already visited.
          const followUps = step.parallel ? (earlier > 0 ? n : 0) : Math.max(0, n - 1) + (earlier > 0 ? n : 0);
          if (followUps > 0) {
            if (sc) repeats[t * Z + z] = (repeats[t * Z + z] as number) + (l / callers) * followUps;
            else {
              const d = pl.dispatch[tb * Z + z];
              if (!d || d.zones.length === 0) continue;
              let K = 0;
              for (const to of d.zones) K += counts[tb * Z + to] as number;
              // A fresh pick lands on the same replica with probability 1/K; spread over the K candidates.
              for (const to of d.zones) repeats[t * Z + to] = (repeats[t * Z + to] as number) + (l * followUps) / K / K;
            }
          }
        }
      }
    }
  }
  return { pairs, ahead, beyond, repeats };
}
