/**
 * Goal seek's yardstick: one trial vector of replica counts judged in full — the recommendation's
 * `assess` (every SLO and rejection budget, ρ at or below target in normal operation, no replica
 * saturated and nothing unavailable with any one zone down) plus each bundle replica's CPU (at
 * or below target normally, below 1 with a zone down) — with its worst P99 and its cost.
 * Trials are memoised and share composed distributions.
 */
import { designCost, replicaMonthly } from '../cost/cost.ts';
import { type ComposeCache, Composer, newComposeCache, summarize } from '../engine/compose.ts';
import type { Model } from '../engine/model.ts';
import { assess, rejectionBudgets } from '../engine/recommend/assess.ts';
import { type Targets, worstRatios } from '../engine/recommend/capacity.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

export interface Failure {
  /** The failed zone's index, or null in normal operation. */
  failed: number | null;
  kind: 'rho' | 'cpu' | 'slo' | 'rejection' | 'unavailable' | 'shard';
  /** The bundle it concerns, when one does (ρ and CPU). */
  bundle: number | null;
  text: string;
}

export interface Evaluation {
  counts: Int32Array;
  /** Meets every constraint replicas can meet (see `Evaluator.hopeless`). */
  feasible: boolean;
  failures: Failure[];
  /** Largest P99 over entries in normal operation; null when none has a latency. */
  p99Ms: number | null;
  totalReplicas: number;
  /** Σ over bundles of replicas × one replica's monthly price: what the `cost` objective minimises. */
  computeCost: number;
  /** designCost's total with these counts (cross-zone calls from this trial's placement). */
  costMonthly: number;
}

export class Evaluator {
  readonly cache: ComposeCache = newComposeCache();
  private readonly memo = new Map<string, Evaluation>();
  private readonly probes = new Map<string, Evaluation>();
  private readonly budgets: (number | undefined)[];
  /** One replica's monthly price per bundle. */
  readonly price: number[];
  readonly currency: string;
  evaluations = 0;
  /**
   * Scenarios (a failed zone's index, null: normal operation) where a service has no live
   * replica in the zones its bundle uses: no count fixes them, so their failures are reported
   * but not searched for. Database shards saturating are ignored the same way.
   */
  readonly hopeless = new Set<number | null>();

  constructor(
    readonly doc: Topology,
    readonly model: Model,
    readonly scale: number,
    readonly targets: Targets,
    private readonly base: SimulationResult,
  ) {
    this.budgets = rejectionBudgets(model);
    const cost = designCost(doc, base);
    this.currency = cost.prices.currency;
    this.price = model.bundles.map((b) => {
      const bundle = doc.bundles.find((x) => x.name === b.name);
      return bundle ? replicaMonthly(bundle.cpu, bundle.memoryMiB, cost.prices) : 0;
    });
  }

  /** Every trial so far, in the order evaluated. */
  all(): Evaluation[] {
    return [...this.memo.values()];
  }

  /** Like `evaluate`, for a design that is not a candidate (a relaxation): kept out of `all()`. */
  probe(counts: Int32Array): Evaluation {
    const key = counts.join(',');
    const known = this.memo.get(key) ?? this.probes.get(key);
    if (known) return known;
    const e = this.evaluate(counts, false);
    this.probes.set(key, e);
    return e;
  }

  evaluate(counts: Int32Array, record = true): Evaluation {
    const key = counts.join(',');
    const known = this.memo.get(key);
    if (known) return known;
    this.evaluations++;
    const { model, targets } = this;
    const Z = model.zones.length;
    const a = assess(model, counts, this.scale, this.cache, this.budgets, targets);
    const failures: Failure[] = [...a.failures];
    // CPU per bundle replica, on each scenario's own placement.
    for (const run of a.runs) {
      const f = run.failed;
      const check =
        f === null
          ? { placement: run.placement, limit: targets.rho, cpuLimit: targets.cpu, strict: false }
          : { placement: run.placement, limit: 1, strict: true };
      const limit = f === null ? targets.cpu : 1;
      for (const b of model.bundles) {
        const n = counts.subarray(b.index * Z, b.index * Z + Z);
        for (let z = 0; z < Z; z++) {
          if ((n[z] as number) === 0 || z === f) continue;
          const cpu = worstRatios(model, b.index, n, check, z).cpu;
          if (f === null ? cpu <= 1 + 1e-12 : cpu < 1) continue;
          const where = f === null ? 'in normal operation' : `with ${model.zones[f]} down`;
          failures.push({
            failed: f,
            kind: 'cpu',
            bundle: b.index,
            text: `${where}: CPU of a ${b.name} replica in ${model.zones[z]} ${(cpu * limit).toFixed(2)} ${f === null ? '>' : '≥'} ${limit}`,
          });
        }
      }
    }
    const normal = a.runs[0];
    let p99: number | null = null;
    if (normal) {
      const composer = new Composer(model, normal.placement, normal.queues, this.cache);
      model.entries.forEach((_, ei) => {
        const c = composer.entry(ei);
        const v = c.dist ? summarize(c.dist).p99 : null;
        if (v !== null && Number.isFinite(v)) p99 = Math.max(p99 ?? 0, v);
      });
    }
    let total = 0;
    let compute = 0;
    for (const b of model.bundles)
      for (let z = 0; z < Z; z++) {
        const k = counts[b.index * Z + z] as number;
        total += k;
        compute += k * (this.price[b.index] as number);
      }
    const e: Evaluation = {
      counts: Int32Array.from(counts),
      feasible: false,
      failures,
      p99Ms: p99,
      totalReplicas: total,
      computeCost: compute,
      costMonthly: this.costOf(counts, normal?.placement ?? null),
    };
    e.feasible = this.ok(e);
    if (record) this.memo.set(key, e);
    return e;
  }

  /** Every failure is one replicas cannot fix. */
  ok(e: Evaluation): boolean {
    return e.failures.every((f) => f.kind === 'shard' || this.hopeless.has(f.failed));
  }

  /** Marks the scenarios where something is unavailable whatever the counts (judged on trial e), and re-judges the trials so far. */
  markHopeless(e: Evaluation): void {
    for (const f of e.failures) if (f.kind === 'unavailable') this.hopeless.add(f.failed);
    for (const x of this.memo.values()) x.feasible = this.ok(x);
    for (const x of this.probes.values()) x.feasible = this.ok(x);
  }

  /** designCost of the document with these counts; calls crossing zones and regions from the trial's own placement. */
  private costOf(counts: Int32Array, pl: { crossZoneRps: number; crossRegionRps: number } | null): number {
    const doc = withCounts(this.doc, this.model, counts);
    const result = pl ? { ...this.base, crossZoneRps: pl.crossZoneRps, crossRegionRps: pl.crossRegionRps } : this.base;
    return designCost(doc, result).totals.total;
  }
}

/** The replicas record (bundle → zone → count, zones the bundle uses) of a count vector. */
export function replicasOf(model: Model, counts: Int32Array, used: number[][]): Record<string, Record<string, number>> {
  const Z = model.zones.length;
  const out: Record<string, Record<string, number>> = {};
  for (const b of model.bundles) {
    const r: Record<string, number> = {};
    for (const z of used[b.index] ?? []) r[model.zones[z] as string] = counts[b.index * Z + z] as number;
    out[b.name] = r;
  }
  return out;
}

/** The parsed document with each bundle's replicas (the zones it lists) set from a count vector. */
export function withCounts(doc: Topology, model: Model, counts: Int32Array): Topology {
  const Z = model.zones.length;
  return {
    ...doc,
    bundles: doc.bundles.map((b, i) => ({
      ...b,
      replicas: Object.fromEntries(Object.keys(b.replicas).map((z) => [z, counts[i * Z + model.zones.indexOf(z)] as number])),
    })),
  };
}
