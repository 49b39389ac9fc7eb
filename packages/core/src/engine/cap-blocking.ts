/**
 * The in-flight cap of a replica that makes calls, as a loss system on its whole response
 * (inflight.ts, core README "In-flight caps and least-connections"): Erlang B with N =
 * maxInFlight (n·maxInFlight under least-connections) and offered load λ·E[response], solved
 * together with the load the admitted requests put downstream.
 */
import { mean } from '../distribution/lattice.ts';
import { lossBlocking } from '../queue/loss.ts';
import { Composer, newComposeCache } from './compose.ts';
import { capIsLineLimit, hasInFlight } from './inflight.ts';
import type { InFlight } from './inflight-figures.ts';
import type { Model } from './model.ts';
import { type Placement, type PlaceOptions, place, type Scenario } from './placement.ts';
import { buildQueues } from './queues.ts';

const MAX_ROUNDS = 40;
const TOLERANCE = 1e-6;

/**
 * The placement of a document with in-flight caps: a fixed point of blocking ↔ load. Start
 * with nothing blocked; each round places the admitted load, composes every capped class's
 * mean response R, and moves each class's blocking towards B(N, λ·R): the whole way at first,
 * half as far after its step changes direction, 1.5 times as far (up to the whole way) after it
 * keeps it (the map is decreasing, so plain iteration can oscillate; a fixed half step crawls). A class whose response has no finite mean (something
 * below it saturated) is pushed towards blocking everything. Every round shares one compose
 * cache, returned for the end-to-end composition: classes whose load did not move are composed once.
 */
export function placeWithInFlight(model: Model, sc: Scenario, joint?: PlaceOptions['joint']): { pl: Placement; inflight: InFlight } {
  const Z = model.zones.length;
  const S = model.services.length;
  const capBlock = new Float64Array(S * Z);
  const responseMs = new Float64Array(S * Z).fill(Number.NaN);
  const capped = model.services.filter((s) => s.maxInFlight !== null && !capIsLineLimit(s));
  // Replicas that hold requests across their calls: their mean in flight needs the whole response.
  const holding = model.services.filter((s) => hasInFlight(s) && s.calls.length > 0);
  let pl = place(model, sc, { capBlock, joint });
  if (holding.length === 0) return { pl, inflight: { capBlock, responseMs } };
  const cache = newComposeCache();
  const weight = new Float64Array(S * Z).fill(1);
  const lastStep = new Float64Array(S * Z);
  for (let round = 0; round < MAX_ROUNDS && capped.length > 0; round++) {
    const composer = new Composer(model, pl, buildQueues(model, pl), cache);
    let moved = 0;
    for (const s of capped) {
      for (let z = 0; z < Z; z++) {
        const i = s.index * Z + z;
        const n = sc.counts[s.bundle * Z + z] as number;
        const lam = pl.lam[i] as number;
        if (n === 0 || lam === 0) continue;
        const r = composer.response(s.index, z);
        const R = r.dist ? mean(r.dist) : Number.NaN;
        const pool = s.leastConnections ? n : 1;
        const target = Number.isFinite(R) ? lossBlocking((s.maxInFlight as number) * pool, ((lam / n) * pool * R) / 1000) : 1;
        const old = capBlock[i] as number;
        const step = target - old;
        const turn = step * (lastStep[i] as number);
        if (turn < 0) weight[i] = (weight[i] as number) / 2;
        else if (turn > 0) weight[i] = Math.min(1, (weight[i] as number) * 1.5);
        lastStep[i] = step;
        const next = old + (weight[i] as number) * step;
        moved = Math.max(moved, Math.abs(next - old));
        capBlock[i] = next;
      }
    }
    pl = place(model, sc, { capBlock, joint });
    if (moved < TOLERANCE) break;
  }
  const composer = new Composer(model, pl, buildQueues(model, pl), cache);
  for (const s of holding)
    for (let z = 0; z < Z; z++) {
      if ((sc.counts[s.bundle * Z + z] as number) === 0 || (pl.lam[s.index * Z + z] as number) === 0) continue;
      const r = composer.response(s.index, z);
      responseMs[s.index * Z + z] = r.dist ? mean(r.dist) : Number.NaN;
    }
  return { pl, inflight: { capBlock, responseMs, cache } };
}
