/**
 * `createDesRun`: the discrete-event cross-check of a document, run as independent
 * replications until every entry's P99 is known to ±precision (99 % confidence) or the
 * request cap is reached. The caller drives it in chunks (`step`), so a browser worker can
 * report progress and stop between chunks, and the CLI can print progress; `runToEnd` does
 * it all at once. Randomness comes from the seed only: one seed, one answer, everywhere.
 */
import type { Topology } from '../schema/topology.ts';
import { layoutOf, rowOf } from './figures.ts';
import { buildPlan, type DesPlan } from './plan.ts';
import { buildResult, type DesInfo, type DesResult } from './result.ts';
import { Rng, seedFrom } from './rng.ts';
import { DesSim } from './sim.ts';
import { Replications } from './stats.ts';

export interface DesOptions {
  doc: Topology;
  /** Any number or string; the same seed gives the same result on every machine. Default 1. */
  seed?: number | string;
  /** Cap on simulated requests, warm-up included (default 1,000,000). */
  requests?: number;
  /** Stop when every entry's P99 half-width ≤ precision × P99 (default 0.05); 0 runs to the cap. */
  precision?: number;
  /** Recorded requests per replication (default: up to 20,000, so the cap holds ≥ minReplications). */
  replicationRequests?: number;
  /** Replications before the stopping rule may fire (default 10). */
  minReplications?: number;
  scale?: number;
  failZones?: readonly string[];
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
const DEFAULT_PER_REPLICATION = 20_000;

/**
 * Requests to discard at the start of each replication: 10 % of the recorded ones, and at
 * least ten relaxation times of the slowest-mixing queue (1 / (cμ(1 − √ρ)²), the heavy-traffic
 * relaxation time), but never more than the recorded count.
 */
function warmupFor(plan: DesPlan, measured: number): number {
  let tau = 0;
  for (let q = 0; q < plan.nQueues; q++) {
    const rho = plan.qRho[q] as number;
    if (rho <= 0 || rho >= 1) continue;
    const s = plan.qService[q] as number;
    const mean = s >= 0 ? (plan.svcMeanOwn[s] as number) : (plan.dists.mean[plan.qDist[q] as number] as number);
    const c = plan.qServers[q] as number;
    tau = Math.max(tau, mean / c / (1 - Math.sqrt(rho)) ** 2);
  }
  return Math.min(measured, Math.max(Math.ceil(measured / 10), Math.ceil(plan.ingressRate * 10 * tau)));
}

export function createDesRun(options: DesOptions): DesRun {
  const { doc } = options;
  const seed = options.seed ?? 1;
  const cap = Math.max(1, Math.floor(options.requests ?? DEFAULT_CAP));
  const precision = options.precision ?? 0.05;
  const minReps = Math.max(2, options.minReplications ?? 10);
  const plan = buildPlan(doc, { scale: options.scale ?? 1, failZones: options.failZones ?? [] });
  const layout = layoutOf(plan);
  const measured = Math.max(
    1,
    Math.floor(options.replicationRequests ?? Math.min(DEFAULT_PER_REPLICATION, Math.max(100, Math.floor(cap / (minReps * 1.1))))),
  );
  const warmup = warmupFor(plan, measured);
  const perRep = warmup + measured;
  const seed32 = seedFrom(seed);
  const sim = new DesSim(plan);
  const reps = new Replications(layout.width);
  const okEntries = plan.entryNames.flatMap((_, e) => (plan.entryStatus[e] === 'ok' ? [e] : []));

  let requests = 0;
  let events = 0;
  let done = false;
  let stoppedBy: DesInfo['stoppedBy'] = 'running';
  let achieved = Number.POSITIVE_INFINITY;
  let lastFraction = 0;
  let cached: DesResult | null = null;

  /** The widest entry P99 half-width relative to its P99. */
  const widest = () => {
    let w = 0;
    for (const e of okEntries) {
      const est = reps.estimate(layout.entry + e * 4 + 3);
      if (est.n < 2) return Number.POSITIVE_INFINITY;
      w = Math.max(w, est.mean > 0 ? est.halfWidth / est.mean : 0);
    }
    return w;
  };

  const info = (): Omit<DesInfo, 'intervals'> => ({
    seed,
    replications: reps.count,
    requests,
    requestsCap: cap,
    warmupPerReplication: warmup,
    measuredPerReplication: measured,
    events,
    precision,
    achievedPrecision: Number.isFinite(achieved) ? achieved : 0,
    stoppedBy,
    converged: Number.isFinite(achieved) && achieved <= precision,
  });

  const result = (): DesResult | null => {
    if (cached) return cached;
    if (reps.count < 2 && !done) return null;
    cached = buildResult(doc, plan, layout, reps, info());
    return cached;
  };

  const fraction = (): number => {
    const inRep = done ? 0 : Math.min(1, sim.admittedCount / perRep);
    const byCap = (requests + inRep * perRep) / cap;
    let needed = minReps;
    if (Number.isFinite(achieved) && precision > 0) needed = Math.max(minReps, reps.count * (achieved / precision) ** 2);
    const byPrecision = precision > 0 ? (reps.count + inRep) / needed : 0;
    lastFraction = done ? 1 : Math.max(lastFraction, Math.min(0.999, Math.max(byCap, byPrecision)));
    return lastFraction;
  };

  const progress = (): DesProgress => ({
    fraction: fraction(),
    requests: requests + (done ? 0 : sim.admittedCount),
    replications: reps.count,
    events: events + (done ? 0 : sim.events),
    done,
    result: result(),
  });

  const finish = (why: DesInfo['stoppedBy']) => {
    done = true;
    stoppedBy = why;
    cached = null;
  };

  const startNext = () => {
    if (reps.count >= minReps && (okEntries.length === 0 || (precision > 0 && achieved <= precision))) return finish('precision');
    if (reps.count >= 2 && requests + perRep > cap) return finish('cap');
    sim.begin(new Rng(seed32, reps.count), warmup, measured);
  };

  startNext();

  const step = (maxEvents = 250_000): boolean => {
    let budget = maxEvents;
    while (!done && budget > 0) {
      const before = sim.events;
      const finished = sim.run(budget);
      budget -= sim.events - before;
      if (!finished) break;
      requests += sim.admittedCount;
      events += sim.events;
      reps.add(rowOf(plan, layout, sim.totals));
      achieved = widest();
      cached = null;
      startNext();
      options.onProgress?.(progress());
    }
    return done;
  };

  return {
    plan,
    step,
    runToEnd() {
      while (!step(1_000_000)) {}
      return result() as DesResult;
    },
    cancel() {
      if (!done) finish('cancelled');
    },
    progress,
    result,
    get done() {
      return done;
    },
  };
}
