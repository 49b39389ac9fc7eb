/**
 * Load and placement (MODEL.md §2 "Load", "Where requests go"): the arrival rate at every
 * replica class — a bundle's replicas in one zone, which all see the same load — under NATS
 * queue-group semantics.
 *
 * - A queue group hands each message to one subscriber at random: every replica is its own
 *   queue, fed by a random split. With `routing: locality` a caller in zone z sends to the
 *   callee's replicas in z when there are any (split evenly), else to those in z's region,
 *   else to all; `random` splits over all replicas.
 * - Ingress from a zone reaches the entry the way a call from that zone would, at no
 *   network cost, and is never counted as cross-zone.
 * - A call between two services of one bundle stays in the caller's process: its load lands
 *   on the replica beside the caller (same class), no broker, no zone change.
 * - A cache hit rate h on s multiplies the calls s makes by (1 − h). Database and external
 *   calls end the chain; a service with no live replica passes nothing on.
 * - A bounded queue (schema v2 `queueLimit`) rejects a share of its arrivals at once: only the
 *   admitted requests make calls, so everything downstream sees the thinned rate. Its station is
 *   built here, where its load is first known (callers come first), and reused by queues.ts.
 */
import { cheHitRate } from '../cache/che.ts';
import { type Station, station } from '../queue/station.ts';
import { type BudgetPlacement, budgetCallRate, budgetPlacement, budgetStations, feedCall, feedIngress } from './budget.ts';
import { hasInFlight, inFlightStation } from './inflight.ts';
import { CALL_DB, CALL_EXT, CALL_SERVICE, type Model } from './model.ts';
import { ownTime } from './own-time.ts';
import { type LoadState, RetryLoad } from './retries.ts';

export interface Scenario {
  scale: number;
  /** 1 for each failed zone. */
  failed: Uint8Array;
  /** Live replica count per bundle and zone, flat: counts[b·Z + z] (0 in failed zones). */
  counts: Int32Array;
  /** The most each service's cache may hit (the timeline: per-replica caches still warming); absent: no cap. */
  hitCap?: Float64Array;
}

/** Where a call from one zone to a bundle lands: zones and the share each gets. */
export interface Dispatch {
  zones: Int32Array;
  weights: Float64Array;
}

export interface Placement {
  scenario: Scenario;
  /** Cache hit rate per service (0 without a cache). */
  hit: Float64Array;
  /** Arrival rate (rps) at each replica class, all its replicas together: lam[s·Z + z]. */
  lam: Float64Array;
  /** Requests per second sent to each service, placed or not. */
  offered: Float64Array;
  /** 1 where a service receives requests but has no live replica. */
  unavailable: Uint8Array;
  dbRate: Float64Array;
  extRate: Float64Array;
  /** Calls per second through the broker, from caller zone to callee zone: bus[z1·Z + z2]. */
  bus: Float64Array;
  crossZoneRps: number;
  crossRegionRps: number;
  /** Requests per second entering each entry (index into model.entries) in each zone. */
  ingress: Float64Array;
  /**
   * Requests per second reaching service s from zone z from outside its bundle (ingress and
   * broker calls, before dispatch): inflow[s·Z + z]. The recommendation re-places one bundle
   * from these without re-running the whole placement.
   */
  inflow: Float64Array;
  /** dispatch[b·Z + z]: where a call from zone z to bundle b lands. */
  dispatch: Dispatch[];
  /** Share of the arrivals at one replica of class (s, z) admitted: 1 − blocking (1 for an unbounded queue). */
  admit: Float64Array;
  /** The station of each class of a service with a queue limit, a cap or least-connections (null elsewhere): bounded[s·Z + z]. */
  bounded: (Station | null)[];
  /** Schema v2 time budgets (budget.ts); null when no traffic carries one (then nothing here changes). */
  budget: BudgetPlacement | null;
  /** Schema v2 retries: the retried first attempts per service and how each fixed point went (retries.ts); null without retries. */
  retry: RetryLoad | null;
  /** Share of a class's arrivals the in-flight cap turns away before the worker line (inflight.ts); all 0 without caps. */
  capBlock: Float64Array;
}

export function makeScenario(model: Model, opts: { scale?: number; failZones?: readonly string[]; replicas?: Int32Array }): Scenario {
  const Z = model.zones.length;
  const failed = new Uint8Array(Z);
  for (const z of opts.failZones ?? []) {
    const zi = model.zoneIndex.get(z);
    if (zi !== undefined) failed[zi] = 1;
  }
  const counts = new Int32Array(model.bundles.length * Z);
  for (const b of model.bundles) {
    for (let z = 0; z < Z; z++) {
      const n = opts.replicas ? (opts.replicas[b.index * Z + z] as number) : (b.replicas[z] as number);
      counts[b.index * Z + z] = failed[z] ? 0 : n;
    }
  }
  return { scale: opts.scale ?? 1, failed, counts };
}

/** Live replicas of a bundle over all zones. */
export function liveReplicas(model: Model, sc: Scenario, bundle: number): number {
  const Z = model.zones.length;
  let n = 0;
  for (let z = 0; z < Z; z++) n += sc.counts[bundle * Z + z] as number;
  return n;
}

export function buildDispatch(model: Model, sc: Scenario): Dispatch[] {
  const Z = model.zones.length;
  const locality = model.doc.routing === 'locality';
  const out: Dispatch[] = [];
  const zs: number[] = [];
  const ws: number[] = [];
  for (let b = 0; b < model.bundles.length; b++) {
    for (let from = 0; from < Z; from++) {
      // 0: every live zone; 1: the caller's own zone; 2: the caller's region.
      let mode = 0;
      const region = model.zoneRegion[from];
      if (locality) {
        if ((sc.counts[b * Z + from] as number) > 0) mode = 1;
        else for (let z = 0; z < Z && mode === 0; z++) if (model.zoneRegion[z] === region && (sc.counts[b * Z + z] as number) > 0) mode = 2;
      }
      zs.length = 0;
      ws.length = 0;
      let total = 0;
      for (let z = 0; z < Z; z++) {
        const n = sc.counts[b * Z + z] as number;
        if (n === 0 || (mode === 1 && z !== from) || (mode === 2 && model.zoneRegion[z] !== region)) continue;
        zs.push(z);
        ws.push(n);
        total += n;
      }
      out.push({ zones: Int32Array.from(zs), weights: Float64Array.from(ws, (w) => w / total) });
    }
  }
  return out;
}

/** Cache hit rates: distributed caches hold entries × live replicas, per-replica caches hold entries. */
export function hitRates(model: Model, sc: Scenario): Float64Array {
  const hit = new Float64Array(model.services.length);
  for (const s of model.services) {
    if (!s.cache) continue;
    const n = liveReplicas(model, sc, s.bundle);
    if (n === 0) continue;
    const capacity = s.cache.scope === 'perReplica' ? s.cache.entriesPerReplica : s.cache.entriesPerReplica * n;
    hit[s.index] = cheHitRate(s.cache.keySpace, s.cache.zipf, capacity);
    if (sc.hitCap) hit[s.index] = Math.min(hit[s.index] as number, sc.hitCap[s.index] as number);
  }
  return hit;
}

/** Ingress shares per zone for one traffic item: explicit (failed zones' shares moved to the rest in proportion) or even over the entry bundle's live zones. */
export function ingressShares(model: Model, sc: Scenario, shares: Float64Array | null, bundle: number): Float64Array {
  const Z = model.zones.length;
  const out = new Float64Array(Z);
  let total = 0;
  if (shares) {
    for (let z = 0; z < Z; z++) {
      if (sc.failed[z]) continue;
      out[z] = shares[z] as number;
      total += shares[z] as number;
    }
  }
  if (!(total > 0)) {
    for (let z = 0; z < Z; z++) {
      out[z] = (sc.counts[bundle * Z + z] as number) > 0 ? 1 : 0;
      total += out[z] as number;
    }
  }
  if (total > 0) for (let z = 0; z < Z; z++) out[z] = (out[z] as number) / total;
  return out;
}

/** How `place` is asked to place (every part optional: absent = the class-blind, uncapped, retrying placement). */
export interface PlaceOptions {
  /** Where traffic classes are treated apart (engine/traffic-classes.ts): the classes' joint station at (s, z), replacing the class-blind one and its admission. */
  joint?: readonly (Station | null)[];
  /** Place as if no call or traffic item retried (the base of the retry amplification). */
  noRetries?: boolean;
  /** Share of a class's arrivals the in-flight cap turns away before the worker line (cap-blocking.ts). */
  capBlock?: Float64Array;
}

export function place(model: Model, sc: Scenario, opts: PlaceOptions = {}): Placement {
  const joint = opts.joint;
  const capBlock = opts.capBlock ?? new Float64Array(model.services.length * model.zones.length);
  const Z = model.zones.length;
  const S = model.services.length;
  const hit = hitRates(model, sc);
  const lam = new Float64Array(S * Z);
  const offered = new Float64Array(S);
  const unavailable = new Uint8Array(S);
  const dbRate = new Float64Array(model.databases.length);
  const extRate = new Float64Array(model.externals.length);
  const bus = new Float64Array(Z * Z);
  const ingress = new Float64Array(model.entries.length * Z);
  const inflow = new Float64Array(S * Z);
  const dispatch = buildDispatch(model, sc);
  const admit = new Float64Array(S * Z).fill(1);
  const bounded: (Station | null)[] = new Array(S * Z).fill(null);
  const budget = budgetPlacement(model);
  let crossZoneRps = 0;
  let crossRegionRps = 0;
  const retry = model.hasRetries && !opts.noRetries ? new RetryLoad(model) : null;
  const cross = { zone: 0, region: 0 };
  const state: LoadState = { lam, offered, inflow, bus, admit, dispatch, bounded, scenario: sc, cross };

  for (const t of model.traffic) {
    const entry = model.services[t.entry];
    if (!entry) continue;
    const rps = t.rps * sc.scale;
    offered[t.entry] = (offered[t.entry] as number) + rps;
    const shares = ingressShares(model, sc, t.shares, entry.bundle);
    const ei = model.entries.indexOf(t.entry);
    for (let z = 0; z < Z; z++) {
      const share = shares[z] as number;
      if (share === 0) continue;
      const r = rps * share;
      ingress[ei * Z + z] = (ingress[ei * Z + z] as number) + r;
      inflow[t.entry * Z + z] = (inflow[t.entry * Z + z] as number) + r;
      const d = dispatch[entry.bundle * Z + z] as Dispatch;
      if (d.zones.length === 0) unavailable[t.entry] = 1;
      if (retry && t.retry) {
        retry.add(t.entry, { from: z, rate: r, policy: t.retry, short: false, ingress: true });
        continue;
      }
      for (let i = 0; i < d.zones.length; i++) {
        const to = d.zones[i] as number;
        lam[t.entry * Z + to] = (lam[t.entry * Z + to] as number) + r * (d.weights[i] as number);
        if (budget) feedIngress(budget, t.entry * Z + to, r * (d.weights[i] as number), t.timeBudgetMs);
      }
    }
    if (liveReplicas(model, sc, entry.bundle) === 0) unavailable[t.entry] = 1;
  }

  for (const si of model.topo) {
    const s = model.services[si];
    if (!s) continue;
    const miss = 1 - (hit[si] as number);
    const limited = s.queueLimit !== null || hasInFlight(s);
    if (retry?.sources[si]) retry.solve(si, state, () => boundedStations(model, sc, si, lam, hit, admit, bounded, capBlock));
    else if (limited) boundedStations(model, sc, si, lam, hit, admit, bounded, capBlock);
    if (joint) jointStations(si, Z, joint, admit, bounded);
    if (budget) budgetStations(budget, model, sc.counts, si, lam, hit);
    for (let z = 0; z < Z; z++) {
      const l = lam[si * Z + z] as number;
      if (l === 0) continue;
      const passed = limited ? l * (admit[si * Z + z] as number) : l;
      for (const c of s.calls) {
        const rate = budget ? budgetCallRate(budget, model, si, z, c, passed * miss * c.perRequest) : passed * miss * c.perRequest;
        if (rate === 0) continue;
        if (c.kind === CALL_DB) dbRate[c.target] = (dbRate[c.target] as number) + rate;
        else if (c.kind === CALL_EXT) extRate[c.target] = (extRate[c.target] as number) + rate;
        else if (c.kind === CALL_SERVICE) {
          const t = c.target;
          offered[t] = (offered[t] as number) + rate;
          if (retry && c.retry) {
            // Placed with its retries when t's fixed point is solved (retries.ts).
            retry.add(t, { from: z, rate, policy: c.retry, short: c.shortCircuit, ingress: false });
            if (!c.shortCircuit && !dispatch[(model.services[t]?.bundle ?? -1) * Z + z]?.zones.length) unavailable[t] = 1;
            continue;
          }
          if (c.shortCircuit) {
            lam[t * Z + z] = (lam[t * Z + z] as number) + rate;
            if (budget) feedCall(budget, model, si, z, c, t * Z + z, rate);
            continue;
          }
          inflow[t * Z + z] = (inflow[t * Z + z] as number) + rate;
          const tb = model.services[t]?.bundle ?? -1;
          const d = dispatch[tb * Z + z];
          if (!d || d.zones.length === 0) {
            unavailable[t] = 1;
            continue;
          }
          for (let i = 0; i < d.zones.length; i++) {
            const to = d.zones[i] as number;
            const r = rate * (d.weights[i] as number);
            lam[t * Z + to] = (lam[t * Z + to] as number) + r;
            if (budget) feedCall(budget, model, si, z, c, t * Z + to, r);
            bus[z * Z + to] = (bus[z * Z + to] as number) + r;
            if (to !== z) {
              crossZoneRps += r;
              if (model.zoneRegion[to] !== model.zoneRegion[z]) crossRegionRps += r;
            }
          }
        }
      }
    }
  }
  return {
    scenario: sc,
    hit,
    lam,
    offered,
    unavailable,
    dbRate,
    extRate,
    bus,
    crossZoneRps: crossZoneRps + cross.zone,
    crossRegionRps: crossRegionRps + cross.region,
    ingress,
    inflow,
    dispatch,
    admit,
    bounded,
    budget,
    retry,
    capBlock,
  };
}

/** Traffic classes' joint stations of service si, where there are any (see `place`). */
function jointStations(si: number, Z: number, joint: readonly (Station | null)[], admit: Float64Array, out: (Station | null)[]): void {
  for (let z = 0; z < Z; z++) {
    const st = joint[si * Z + z];
    if (!st) continue;
    out[si * Z + z] = st;
    admit[si * Z + z] = 1 - (st.bounded?.block ?? 0);
  }
}

/** The bounded-queue stations of service si in every zone with replicas, and the share each admits. */
function boundedStations(
  model: Model,
  sc: Scenario,
  si: number,
  lam: Float64Array,
  hit: Float64Array,
  admit: Float64Array,
  out: (Station | null)[],
  capBlock: Float64Array,
): void {
  const Z = model.zones.length;
  const s = model.services[si];
  if (!s) return;
  const own = ownTime(s, hit[si] as number);
  for (let z = 0; z < Z; z++) {
    const n = sc.counts[s.bundle * Z + z] as number;
    if (n === 0) continue;
    if (hasInFlight(s)) {
      const cb = capBlock[si * Z + z] as number;
      const st = inFlightStation(s, n, lam[si * Z + z] as number, cb, own, s.cache !== null);
      out[si * Z + z] = st;
      admit[si * Z + z] = (1 - cb) * (1 - (st.bounded?.block ?? 0));
      continue;
    }
    if (s.queueLimit === null) return;
    const st = station({
      lambda: (lam[si * Z + z] as number) / n / 1000,
      workers: s.workers,
      own,
      cached: s.cache !== null,
      queueLimit: s.queueLimit,
    });
    out[si * Z + z] = st;
    admit[si * Z + z] = 1 - (st.bounded?.block ?? 0);
  }
}
