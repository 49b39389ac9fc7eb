/**
 * `createDesRun`: the discrete-event cross-check of a document, run as independent
 * replications until every entry's P99 is known to ±precision (99 % confidence) or the
 * request cap is reached. The caller drives it in chunks (`step`), so a browser worker can
 * report progress and stop between chunks, and the CLI can print progress; `runToEnd` does
 * it all at once. Randomness comes from the seed only: one seed, one answer, everywhere.
 */
import { at } from '../checked.ts';
import type { AsyncWhatIf } from '../engine/async-types.ts';
import { usesClasses } from '../engine/traffic-classes.ts';
import type { Topology } from '../schema/topology.ts';
import { AsyncStats } from './async-figures.ts';
import { addAsync } from './async-result.ts';
import { desBudget } from './budget.ts';
import { DesClasses } from './classes.ts';
import { DesAsync } from './events.ts';
import { type Layout, layoutOf, rowOf } from './figures.ts';
import { buildPlan, type DesPlan } from './plan.ts';
import { buildResult, type DesInfo, type DesResult } from './result.ts';
import { Rng, seedFrom } from './rng.ts';
import { DesSim } from './sim.ts';
import { SECTION_SAMPLES, type Sizing, sizeRun } from './sizing.ts';
import { RatioFigures, SectionedDistribution } from './stats.ts';

export interface DesOptions {
  doc: Topology;
  /** Any number or string; the same seed gives the same result on every machine. Default 1. */
  seed?: number | string;
  /** Cap on simulated requests, warm-up included (default 1,000,000). */
  requests?: number;
  /** Stop when every entry's P99 half-width ≤ precision × P99 (default 0.05); 0 runs to the cap. */
  precision?: number;
  /**
   * Recorded requests per replication (default: sized from the slowest queue's relaxation time
   * and the rarest entry's share, within the cap; see sizing.ts).
   */
  replicationRequests?: number;
  /** Independent sections of every entry before the stopping rule may fire (default 10). */
  minReplications?: number;
  /**
   * Wall-clock budget in ms, checked between chunks of events (needs `now`): the run stops with
   * the replications finished so far, `stoppedBy: "time"`.
   */
  timeBudgetMs?: number;
  /** A clock in ms (core reads no clock of its own), e.g. `() => performance.now()`. */
  now?: () => number;
  scale?: number;
  failZones?: readonly string[];
  /** Schema v3 what-ifs: a burst of events on every consumer, or an outage of them (des/events.ts). */
  async?: AsyncWhatIf;
  /** Called after every replication, with the result so far. */
  onProgress?: (progress: DesProgress) => void;
}

export interface DesProgress {
  /** 0…1, never decreasing. */
  fraction: number;
  requests: number;
  replications: number;
  events: number;
  done: boolean;
  /** The result over the replications finished so far (null before the second one). */
  result: DesResult | null;
}

export interface DesRun {
  readonly plan: DesPlan;
  /** Runs up to `maxEvents` events (default 250,000); returns true when the run is over. */
  step(maxEvents?: number): boolean;
  /** Runs to the end and returns the result. */
  runToEnd(): DesResult;
  /** Ends the run now; the result covers the replications already finished. */
  cancel(): void;
  progress(): DesProgress;
  /** The result so far (null before two replications are done). */
  result(): DesResult | null;
  readonly done: boolean;
}

const DEFAULT_CAP = 1_000_000;
/** The DES holds every message of a burst or an outage's backlog: at most this many per consumer. */
export const MAX_DES_BACKLOG = 1_000_000;

/** Why the DES cannot run these what-ifs (a backlog too large to hold message by message), or null. */
function backlogProblem(plan: DesPlan, whatIf: AsyncWhatIf | undefined): string | null {
  if (!whatIf || !plan.async) return null;
  const burst = whatIf.eventBurst ?? 0;
  const outage = whatIf.consumerOutageSeconds ?? 0;
  for (const c of plan.async.consumers) {
    const backlog = burst + c.deliverRps * (1 - c.failureRate) * outage;
    if (backlog > MAX_DES_BACKLOG)
      return `the DES holds every message of the backlog: ${c.name} would hold about ${Math.round(backlog).toLocaleString('en-US')}, at most ${MAX_DES_BACKLOG.toLocaleString('en-US')} (a smaller --event-burst or --consumer-outage, or the analytic engine)`;
  }
  return null;
}
/**
 * When the stopping rule first holds at n replications, the run goes on to n·(1 + CONFIRM) and
 * stops there if it still holds. Stopping the moment an interval looks narrow enough favours
 * runs whose spread happens to look small, and their intervals then miss more often than 1 %;
 * the fresh quarter dilutes that choice (measured: P99 coverage 95 % → 97.5–98 %, DES README).
 */
const CONFIRM = 0.25;
export function createDesRun(options: DesOptions): DesRun {
  const run = new Replications(options);
  return {
    plan: run.plan,
    step: (maxEvents?: number) => run.step(maxEvents),
    runToEnd() {
      while (!run.step(1_000_000)) {}
      return run.result() as DesResult;
    },
    cancel: () => run.cancel(),
    progress: () => run.progress(),
    result: () => run.result(),
    get done() {
      return run.done;
    },
  };
}

/** The widest entry P99 half-width relative to its P99, once every entry has `minSections` sections. */
function widest(entries: readonly SectionedDistribution[], ok: readonly number[], minSections: number): number {
  let w = 0;
  for (const e of ok) {
    const d = at(entries, e);
    const est = d.estimate()?.p99;
    if (!est || d.sectionCount < minSections) return Number.POSITIVE_INFINITY;
    w = Math.max(w, est.mean > 0 ? est.halfWidth / est.mean : 0);
  }
  return w;
}

/** The widest, whatever the number of sections (for the report). */
function widestSoFar(entries: readonly SectionedDistribution[], ok: readonly number[]): number {
  let w = 0;
  for (const e of ok) {
    const est = entries[e]?.estimate();
    if (!est) continue;
    const { mean, halfWidth } = est.p99;
    // Before two sections the only bounds are the observed range.
    const half = Number.isFinite(halfWidth) ? halfWidth : (est.range[1] - est.range[0]) / 2;
    w = Math.max(w, mean > 0 ? half / mean : 0);
  }
  return w;
}

/** The run's state: replications of the simulation, one after another, until the stopping rule, the cap or the clock ends it. */
class Replications {
  readonly plan: DesPlan;
  private readonly doc: Topology;
  private readonly options: DesOptions;
  private readonly seed: number | string;
  private readonly cap: number;
  private readonly precision: number;
  private readonly minReps: number;
  private readonly layout: Layout;
  private readonly sizing: Sizing;
  private readonly perRep: number;
  private readonly seed32: number;
  private readonly entryDist: SectionedDistribution[];
  private readonly serviceDist: SectionedDistribution[];
  private readonly sim: DesSim;
  private readonly reps: RatioFigures;
  /** Entries with a latency to estimate (the stopping rule looks at these). */
  private readonly okEntries: number[];
  private readonly clock: (() => number) | undefined;
  private readonly deadline: number;
  private readonly maxGroup: number;
  /** Schema v3 async messaging: its figures over the replications (null without it). */
  private readonly asyncStats: AsyncStats | null = null;

  private requests = 0;
  private events = 0;
  done = false;
  private stoppedBy: DesInfo['stoppedBy'] = 'running';
  private achieved = Number.POSITIVE_INFINITY;
  private lastFraction = 0;
  private cached: DesResult | null = null;
  /** Replications to reach before the rule may stop the run (set when it first fires). */
  private confirmAt = 0;

  constructor(options: DesOptions) {
    this.options = options;
    this.doc = options.doc;
    this.seed = options.seed ?? 1;
    this.cap = Math.max(1, Math.floor(options.requests ?? DEFAULT_CAP));
    this.precision = options.precision ?? 0.05;
    this.minReps = Math.max(2, options.minReplications ?? 10);
    const plan = buildPlan(this.doc, { scale: options.scale ?? 1, failZones: options.failZones ?? [] });
    this.plan = plan;
    const problem = backlogProblem(plan, options.async);
    if (problem) throw new RangeError(problem);
    this.layout = layoutOf(plan);
    this.sizing = sizeRun(plan, { cap: this.cap, minReplications: this.minReps, replicationRequests: options.replicationRequests });
    this.perRep = this.sizing.warmup + this.sizing.measured;
    this.seed32 = seedFrom(this.seed);
    const { entryGroup, serviceGroup } = this.sizing;
    this.entryDist = plan.entryNames.map((_, e) => new SectionedDistribution(at(entryGroup, e)));
    this.serviceDist = plan.serviceNames.map((_, s) => new SectionedDistribution(at(serviceGroup, s)));
    this.sim = new DesSim(
      plan,
      this.entryDist.map((d) => d.current),
      this.serviceDist.map((d) => d.current),
      desBudget(plan, this.doc),
    );
    this.reps = new RatioFigures(this.layout.width);
    if (usesClasses(this.doc)) this.sim.classes = new DesClasses(this.doc, plan, entryGroup);
    if (plan.async) {
      const { measured, maxGroup } = this.sizing;
      const group = (share: number) => (share > 0 ? Math.min(maxGroup, Math.max(1, Math.ceil(SECTION_SAMPLES / (measured * share)))) : 1);
      this.asyncStats = new AsyncStats(plan, group);
      this.sim.async = new DesAsync(plan, plan.dists, this.sim.heap, this.sim, options.async);
      this.asyncStats.attach(this.sim.async);
    }
    this.okEntries = plan.entryNames.flatMap((_, e) => (plan.entryStatus[e] === 'ok' ? [e] : []));
    this.clock = options.now;
    this.deadline = this.clock && options.timeBudgetMs !== undefined ? this.clock() + options.timeBudgetMs : Number.POSITIVE_INFINITY;
    this.maxGroup = Math.max(1, ...entryGroup);
    this.startNext();
  }

  /** Runs up to `maxEvents` events; true when the run is over. */
  step(maxEvents = 250_000): boolean {
    const sim = this.sim;
    let budget = maxEvents;
    while (!this.done && budget > 0) {
      const before = sim.events;
      const finished = sim.run(budget);
      budget -= sim.events - before;
      if (!finished) {
        // Out of time mid-replication: keep what the finished replications say.
        if (this.reps.count >= 2 && this.outOfTime()) this.finish('time');
        break;
      }
      this.requests += sim.admittedCount;
      this.events += sim.events;
      const { num, den } = rowOf(this.plan, this.layout, sim.totals);
      this.reps.add(num, den);
      if (sim.async) this.asyncStats?.endReplication(sim.async, sim.totals.measured, sim.totals.windowMs);
      sim.classes?.endReplication(sim.totals.measured > 0 ? (this.plan.ingressRate * 1000) / sim.totals.measured : 0);
      for (const d of this.entryDist) d.endReplication();
      for (const d of this.serviceDist) d.endReplication();
      this.achieved = widest(this.entryDist, this.okEntries, this.minReps);
      // Schema v3: every handler's publish → handled P99 must be known as well as the entries'.
      const events = this.asyncStats?.measuredLatencies() ?? [];
      if (events.length)
        this.achieved = Math.max(
          this.achieved,
          widest(
            events,
            events.map((_, i) => i),
            this.minReps,
          ),
        );
      this.cached = null;
      this.startNext();
      this.options.onProgress?.(this.progress());
    }
    return this.done;
  }

  cancel(): void {
    if (!this.done) this.finish('cancelled');
  }

  result(): DesResult | null {
    if (this.cached) return this.cached;
    if (this.reps.count < 2 && !this.done) return null;
    const stats = { ratios: this.reps, entries: this.entryDist, services: this.serviceDist };
    this.cached = buildResult(this.doc, this.plan, this.layout, stats, this.info());
    this.sim.classes?.addTo(this.cached, this.cached.des.intervals);
    if (this.asyncStats) addAsync(this.doc, this.plan, this.asyncStats, this.cached, this.cached.des.intervals);
    return this.cached;
  }

  progress(): DesProgress {
    const sim = this.sim;
    return {
      fraction: this.fraction(),
      requests: this.requests + (this.done ? 0 : sim.admittedCount),
      replications: this.reps.count,
      events: this.events + (this.done ? 0 : sim.events),
      done: this.done,
      result: this.result(),
    };
  }

  private outOfTime(): boolean {
    return this.clock !== undefined && this.clock() >= this.deadline;
  }

  private info(): Omit<DesInfo, 'intervals'> {
    const { sizing, achieved, precision } = this;
    return {
      seed: this.seed,
      replications: this.reps.count,
      requests: this.requests,
      requestsCap: this.cap,
      warmupPerReplication: sizing.warmup,
      measuredPerReplication: sizing.measured,
      relaxationMs: sizing.relaxationMs,
      slowestQueue: sizing.slowest,
      neededRequests: sizing.neededRequests,
      events: this.events,
      precision,
      achievedPrecision: Number.isFinite(achieved) ? achieved : widestSoFar(this.entryDist, this.okEntries),
      stoppedBy: this.stoppedBy,
      shortReplications: sizing.shortened,
      converged: !sizing.shortened && Number.isFinite(achieved) && achieved <= precision,
    };
  }

  /** 0…1, never decreasing: the furthest of the cap, the stopping rule and the time budget. */
  private fraction(): number {
    const { reps, achieved, precision, clock, perRep } = this;
    const budgetMs = this.options.timeBudgetMs;
    const inRep = this.done ? 0 : Math.min(1, this.sim.admittedCount / perRep);
    const byCap = (this.requests + inRep * perRep) / this.cap;
    let needed = this.minReps * this.maxGroup;
    if (Number.isFinite(achieved) && precision > 0) needed = Math.max(needed, reps.count * (achieved / precision) ** 2);
    const byPrecision = precision > 0 ? (reps.count + inRep) / needed : 0;
    const byTime = clock && budgetMs ? 1 - (this.deadline - clock()) / budgetMs : 0;
    this.lastFraction = this.done ? 1 : Math.max(this.lastFraction, Math.min(0.999, Math.max(byCap, byPrecision, byTime)));
    return this.lastFraction;
  }

  private finish(why: DesInfo['stoppedBy']): void {
    this.done = true;
    this.stoppedBy = why;
    this.cached = null;
  }

  /** Ends the run if the stopping rule, the cap or the clock says so; else starts the next replication. */
  private startNext(): void {
    const why = this.stopReason();
    if (why) this.finish(why);
    else this.sim.begin(new Rng(this.seed32, this.reps.count), this.sizing.warmup, this.sizing.measured);
  }

  /** Why the run ends before the next replication (null: it goes on). */
  private stopReason(): DesInfo['stoppedBy'] | null {
    const { reps, okEntries, precision } = this;
    const met = reps.count >= this.minReps && (okEntries.length === 0 || (precision > 0 && this.achieved <= precision));
    if (met && okEntries.length > 0 && CONFIRM > 0 && this.confirmAt === 0) this.confirmAt = Math.ceil(reps.count * (1 + CONFIRM));
    if (met && reps.count >= this.confirmAt) return 'precision';
    if (reps.count >= 2 && this.requests + this.perRep > this.cap) return 'cap';
    if (reps.count >= 2 && this.outOfTime()) return 'time';
    return null;
  }
}
