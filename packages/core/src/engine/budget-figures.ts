/**
 * The time-budget figures of one service in the analytic results (engine/budget.ts computes the
 * stations and shares; this reads them off a placement). Apart from budget.ts so that the
 * placement, which calls budget.ts, is not imported back by it.
 */
import { timeoutShare, wastedPerArrival } from './budget.ts';
import type { Model } from './model.ts';
import type { Placement } from './placement.ts';

/** The budget figures of one service (absent from results when no traffic carries a budget). */
export function budgetServiceFigures(
  model: Model,
  pl: Placement,
  si: number,
): { timeoutRate: number; timedOutRps: number; wastedWorkRate: number } | null {
  const b = pl.budget;
  const s = model.services[si];
  if (!b || !s) return null;
  const Z = model.zones.length;
  const h = pl.hit[si] as number;
  let lamAll = 0;
  let timedOut = 0;
  let wasted = 0;
  for (let z = 0; z < Z; z++) {
    const i = si * Z + z;
    const lam = pl.lam[i] as number;
    if (!(lam > 0) || (pl.scenario.counts[s.bundle * Z + z] as number) === 0) continue;
    lamAll += lam;
    timedOut += lam * (pl.admit[i] as number) * timeoutShare(b, i, h);
    const st = b.stations[i];
    if (st) wasted += (lam / 1000) * wastedPerArrival(b, i, s.onTimeout, st.ownMean);
  }
  return { timeoutRate: lamAll > 0 ? timedOut / lamAll : 0, timedOutRps: timedOut, wastedWorkRate: wasted };
}
