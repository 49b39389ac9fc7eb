/**
 * Fork–join correlation (issue 12). A parallel group calling K distinct services gives their
 * replicas the same arrival instants, so their waits rise and fall together and the group's
 * time — the maximum — is smaller than the maximum of independent sojourns.
 *
 * Nelson & Tantawi (1988) give the mean of the maximum of K homogeneous M/M/1 queues fed by
 * one Poisson stream, within a few percent of simulation for K ≤ 32:
 *
 *     E[T_K] ≈ [H_K/H_2 + (4/11)(1 − H_K/H_2)·ρ] · (12 − ρ)/8 · 1/(μ − λ)
 *
 * (exact for K = 2 by Flatto & Hahn; independent queues would give H_K/(μ − λ)). The engine
 * needs whole distributions of unlike members, so it joins the members' CDFs with a
 * Gumbel–Hougaard copula, the extreme-value copula for maxima:
 *
 *     P(max ≤ t) = exp(−(Σᵢ (−ln Fᵢ(t))^β)^{1/β}),  β ≥ 1 (β = 1: independent; β → ∞: comonotone).
 *
 * For K like members this is F^{K^{1/β}}: the maximum of K_eff = K^{1/β} independent copies. β is
 * chosen so that K_eff exponential copies have Nelson–Tantawi's mean (H(K_eff) = their bracket),
 * i.e. the copula reproduces the homogeneous M/M/1 case and carries its dependence to unlike
 * members. The ρ it is calibrated with is the members' *shared* load: for each pair, the
 * geometric mean of their wait probabilities times the share of their arrivals that come from
 * this group's common instants (a member with several candidate replicas, or other traffic,
 * shares fewer instants); averaged over pairs.
 */
import { CALL_SERVICE, type CallModel, type Model, type StepModel } from './model.ts';
import type { Placement } from './placement.ts';
import type { Queues } from './queues.ts';

/** H(x) = ψ(x + 1) + γ: the mean of the maximum of x independent Exp(1) (x real ≥ 1). */
export function harmonic(x: number): number {
  let y = x + 1;
  let acc = 0;
  while (y < 8) {
    acc -= 1 / y;
    y += 1;
  }
  const y2 = 1 / (y * y);
  const psi = Math.log(y) - 0.5 / y - y2 * (1 / 12 - y2 * (1 / 120 - y2 / 252));
  return psi + acc + 0.5772156649015329;
}

/** Nelson–Tantawi's mean of the maximum of K M/M/1 sojourns, in units of 1/(μ − λ). */
export function nelsonTantawi(K: number, rho: number): number {
  const r = harmonic(K) / 1.5;
  return (r + (4 / 11) * (1 - r) * rho) * ((12 - rho) / 8);
}

/** The copula's β for K linked members at shared load rho (1 when there is nothing to link). */
export function forkBeta(K: number, rho: number): number {
  if (K < 2 || !(rho > 0)) return 1;
  const target = nelsonTantawi(K, Math.min(rho, 0.99));
  if (target >= harmonic(K)) return 1;
  // H is increasing: bisection for K_eff with H(K_eff) = target.
  let lo = 1;
  let hi = K;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (harmonic(mid) < target) lo = mid;
    else hi = mid;
  }
  const kEff = (lo + hi) / 2;
  return kEff <= 1 + 1e-9 ? 64 : Math.min(64, Math.log(K) / Math.log(kEff));
}

interface Member {
  /** Per-replica arrival rate (rps) at the replica the call meets (load-weighted over candidates), its wait probability, candidates. */
  lam: number;
  C: number;
  K: number;
  shortCircuit: boolean;
}

/**
 * The shared load of a group's distinct-service members, from the caller class (s, z), and how
 * many members it links. Members calling one service twice count once (that is a batch).
 */
export function forkLoad(model: Model, pl: Placement, q: Queues, s: number, z: number, step: StepModel): { rho: number; linked: number } {
  const Z = model.zones.length;
  const svc = model.services[s];
  if (!svc || !step.parallel) return { rho: 0, linked: 0 };
  const f = (pl.lam[s * Z + z] as number) * (1 - (pl.hit[s] as number));
  const callers = pl.scenario.counts[svc.bundle * Z + z] as number;
  const members: Member[] = [];
  const seen = new Set<number>();
  for (const c of step.calls as CallModel[]) {
    if (c.kind !== CALL_SERVICE || seen.has(c.target)) continue;
    seen.add(c.target);
    const t = model.services[c.target];
    if (!t) continue;
    if (c.shortCircuit) {
      const st = q.cls[c.target * Z + z];
      const n = pl.scenario.counts[t.bundle * Z + z] as number;
      if (!st || st.saturated || n === 0) continue;
      members.push({ lam: (pl.lam[c.target * Z + z] as number) / n, C: st.C, K: 1, shortCircuit: true });
      continue;
    }
    const d = pl.dispatch[t.bundle * Z + z];
    if (!d || d.zones.length === 0) continue;
    let K = 0;
    let lam = 0;
    let C = 0;
    for (let i = 0; i < d.zones.length; i++) {
      const to = d.zones[i] as number;
      const n = pl.scenario.counts[t.bundle * Z + to] as number;
      const st = q.cls[c.target * Z + to];
      if (!st || st.saturated) continue;
      K += n;
      lam += (d.weights[i] as number) * ((pl.lam[c.target * Z + to] as number) / n);
      C += (d.weights[i] as number) * st.C;
    }
    if (K > 0) members.push({ lam, C, K, shortCircuit: false });
  }
  if (members.length < 2 || !(f > 0)) return { rho: 0, linked: members.length };
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i] as Member;
      const b = members[j] as Member;
      // Requests per second that meet both replicas at one instant.
      const both = f / ((a.shortCircuit || b.shortCircuit ? callers : 1) * a.K * b.K);
      const share = Math.min(1, Math.sqrt((both / a.lam) * (both / b.lam)));
      sum += Math.sqrt(a.C * b.C) * share;
      pairs++;
    }
  }
  return { rho: sum / pairs, linked: members.length };
}
