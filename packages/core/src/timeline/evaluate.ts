/**
 * The engine at one instant of the timeline (pointwise-stationary): the compiled model with
 * each traffic item's rate at its factor, the bundles' own times stretched while replicas warm
 * up, the ready replicas as the live ones, and the warming caches' hit rates capped. Instants
 * that come out alike share one evaluation (a day repeats many states).
 */
import { placeWithInFlight } from '../engine/cap-blocking.ts';
import type { Model } from '../engine/model.ts';
import { makeScenario, type Scenario } from '../engine/placement.ts';
import { buildQueues } from '../engine/queues.ts';
import { bundleResults } from '../engine/results.ts';
import { simulateModel } from '../engine/simulate.ts';
import { usesClasses } from '../engine/traffic-classes.ts';
import type { SimulationResult } from '../engine/types.ts';
import { BASE_STEP, blend, blendable, discrepancy, MAX_DEPTH, SHAPE_STEP } from './interpolate.ts';
import type { Readings } from './metrics.ts';
import { mixWarming, warmingMixes } from './warming.ts';

/** The state of the world the engine is asked about. */
export interface Instant {
  /** Factor × rps per traffic item. */
  factors: Float64Array;
  /** Ready replicas per bundle and zone: ready[b·Z + z]. */
  ready: Int32Array;
  /** Own-time multiplier per bundle (1 when no replica is warming up). */
  slow: Float64Array;
  /** Cache hit cap per service (1 when no cache is warming). */
  hitCap: Float64Array;
  failZones: string[];
  /**
   * Ready pods still warming up per bundle and zone, each counted for the share of the minute it
   * warms (warming.ts composes the latency on them); absent: none.
   */
  warming?: Float64Array;
}

const round = (x: number, step: number) => (step > 0 && x > 0 ? Math.exp(Math.round(Math.log(x) / Math.log1p(step)) * Math.log1p(step)) : x);

export class Evaluator {
  private readonly memo = new Map<string, Readings>();
  /** Interpolation (minute()): full results per grid level, and each grid segment's midpoint discrepancy (NaN: not interpolable). */
  private readonly levels = new Map<string, SimulationResult>();
  private readonly segments = new Map<string, number>();
  evaluations = 0;
  private readonly warmupFactors: Float64Array;

  constructor(
    private readonly model: Model,
    private readonly rateStep: number,
  ) {
    this.warmupFactors = Float64Array.from(model.bundles, (b) => model.doc.bundles[b.index]?.startup?.warmupFactor ?? 1);
  }

  /** The engine's result at an instant; `full` adds the end-to-end percentiles. */
  at(inst: Instant, full: boolean): SimulationResult {
    const prepared = this.prepare(inst);
    const { model, sc, factors } = prepared;
    // Warming pods change only the latency (what `readings` reads is the same either way).
    const warming = inst.warming?.some((w) => w > 0) ? inst.warming : null;
    const key = warming ? `${prepared.key}|${warming.map((w) => Math.round(w * 1000) / 1000).join(',')}` : prepared.key;
    const hitFull = this.memo.get(`F${key}`);
    if (hitFull) return hitFull as SimulationResult;
    if (!full) {
      const hitFast = this.memo.get(`f${key}`);
      if (hitFast) return hitFast as SimulationResult;
    }
    const result = simulateModel(model, sc, !full);
    // The latency with warming pods as what they are (warming.ts), on the pods' own pace.
    if (full && warming && warmingMixes(model)) {
      const own = this.variant(factors, new Float64Array(inst.slow.length).fill(1));
      mixWarming(own, sc, warming, this.warmupFactors, result);
    }
    this.remember(`${full ? 'F' : 'f'}${key}`, result);
    return result;
  }

  /**
   * The full figures at an instant: exact (`tolerance` 0), or interpolated on the rate grid
   * (interpolate.ts) with `estimate` the measured midpoint discrepancy of the segment used.
   */
  minute(inst: Instant, tolerance: number): { result: SimulationResult; estimate: number | null } {
    const exact = () => ({ result: this.at(inst, true), estimate: null });
    let s = 0;
    for (const f of inst.factors) s = Math.max(s, f);
    if (!(tolerance > 0) || !(s > 0)) return exact();
    const shape = Float64Array.from(inst.factors, (f) => round(f / s, SHAPE_STEP));
    const slow = inst.slow.map((f) => Math.round(f * 1000) / 1000);
    const hitCap = inst.hitCap.map((x) => Math.round(x * 1000) / 1000);
    const base = `${shape.join(',')}|${inst.ready.join(',')}|${slow.join(',')}|${hitCap.join(',')}|${inst.failZones.join(',')}`;
    const at = (u: number) => {
      const k = `${base}@${u}`;
      let r = this.levels.get(k);
      if (!r) {
        r = this.at({ ...inst, factors: shape.map((g) => g * Math.exp(u)) }, true);
        if (this.levels.size > 4_000) this.levels.clear();
        this.levels.set(k, r);
      }
      return r;
    };
    const u = Math.log(s);
    const h = Math.log1p(BASE_STEP);
    let lo = Math.floor(u / h + 1e-9) * h;
    let hi = lo + h;
    if (Math.abs(u - lo) < 1e-9) return { result: at(lo), estimate: 0 };
    for (let depth = 0; ; depth++) {
      const a = at(lo);
      const b = at(hi);
      const mid = (lo + hi) / 2;
      const [sl, sm, sh] = [Math.exp(lo), Math.exp(mid), Math.exp(hi)];
      const segment = `${base}@${lo}:${hi}`;
      let estimate = this.segments.get(segment);
      if (estimate === undefined) {
        const m = blendable(a) && blendable(b) ? at(mid) : null;
        estimate = m && blendable(m) ? discrepancy(m, blend(a, b, (sm - sl) / (sh - sl))) : Number.NaN;
        if (this.segments.size > 4_000) this.segments.clear();
        this.segments.set(segment, estimate);
      }
      // A saturated end or midpoint: no curve to interpolate, the minute runs exactly.
      if (Number.isNaN(estimate)) return exact();
      if (estimate <= tolerance || depth >= MAX_DEPTH) {
        const m = at(mid);
        const result = u <= mid ? blend(a, m, (s - sl) / (sm - sl)) : blend(m, b, (s - sm) / (sh - sm));
        return { result, estimate };
      }
      if (u <= mid) hi = mid;
      else lo = mid;
    }
  }

  /**
   * What the HPAs read (per-replica CPU, arrivals, ρ, L, W_q per zone), from the placement and the
   * stations alone, the same figures the full result carries at a tenth of its cost. Designs with
   * traffic classes get the engine's fast path (their stations are the joint ones).
   */
  readings(inst: Instant): Readings {
    const { key, model, sc } = this.prepare(inst);
    const known = this.memo.get(`F${key}`) ?? this.memo.get(`f${key}`) ?? this.memo.get(`r${key}`);
    if (known) return known;
    if (usesClasses(model.doc)) return this.at(inst, false);
    const { pl } = placeWithInFlight(model, sc);
    const q = buildQueues(model, pl);
    const Z = model.zones.length;
    const services: Readings['services'] = {};
    for (const s of model.services) {
      const replicasDetail: NonNullable<Readings['services'][string]>['replicasDetail'] = [];
      for (let z = 0; z < Z; z++) {
        const st = q.cls[s.index * Z + z];
        const n = sc.counts[s.bundle * Z + z] as number;
        if (!st || n === 0) continue;
        replicasDetail.push({
          zone: model.zones[z] as string,
          arrivalRps: (pl.lam[s.index * Z + z] as number) / n,
          utilization: st.rho,
          meanInSystem: st.saturated ? null : st.L,
          meanWaitMs: st.saturated ? null : st.Wq,
        });
      }
      services[s.name] = { replicasDetail };
    }
    const out: Readings = { bundles: bundleResults(model, pl, q), services };
    this.remember(`r${key}`, out);
    return out;
  }

  private prepare(inst: Instant): { key: string; model: Model; sc: Scenario; factors: Float64Array } {
    const factors = Float64Array.from(inst.factors, (f) => round(f, this.rateStep));
    const slow = Float64Array.from(inst.slow, (f) => Math.round(f * 1000) / 1000);
    const hitCap = Float64Array.from(inst.hitCap, (h) => Math.round(h * 1000) / 1000);
    const key = `${factors.join(',')}|${inst.ready.join(',')}|${slow.join(',')}|${hitCap.join(',')}|${inst.failZones.join(',')}`;
    const model = this.variant(factors, slow);
    const sc = makeScenario(model, { failZones: inst.failZones, replicas: inst.ready });
    if (hitCap.some((h) => h < 1)) sc.hitCap = hitCap;
    return { key, model, sc, factors };
  }

  private remember(key: string, value: Readings): void {
    this.evaluations++;
    // A 200-service result is large: keep a few thousand states (a day has well under that).
    if (this.memo.size > 2_000) this.memo.clear();
    this.memo.set(key, value);
  }

  /** The model with the instant's rates and own times (only what differs is copied). */
  private variant(factors: Float64Array, slow: Float64Array): Model {
    const m = this.model;
    const traffic = m.traffic.map((t, i) => {
      const f = factors[i] as number;
      return f === 1 ? t : { ...t, rps: t.rps * f };
    });
    const anySlow = slow.some((x) => x !== 1);
    const services = anySlow
      ? m.services.map((s) => {
          const k = slow[s.bundle] as number;
          return k === 1 ? s : { ...s, serviceTimeMs: s.serviceTimeMs * k };
        })
      : m.services;
    return { ...m, traffic, services };
  }
}
