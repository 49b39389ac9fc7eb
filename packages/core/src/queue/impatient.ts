/**
 * M/M/c+D: c servers, Poisson arrivals λ, exponential service μ, every request with the same
 * deterministic patience D (its time budget left when it arrives): a request still waiting for a
 * worker at its deadline leaves the queue (abandons) and never takes a worker. Schema v2 time
 * budgets (core README, "Time budgets").
 *
 * The offered wait V (the wait a request would have with unlimited patience) is the process to
 * solve: it jumps by Exp(cμ) when a request joins a full house (V ≤ D; a request arriving with
 * V > D abandons and changes nothing) and falls at rate 1. Level crossing gives, with
 * θ = cμ − λ (any sign), a = λ/μ and p_n = p_0·aⁿ/n! for the n < c states with V = 0:
 *   density of V: g(v) = λ p_{c−1} e^{−θv} on (0, D], g(D)·e^{−cμ(v−D)} beyond;
 *   normalization p_0 [Σ_{n<c} aⁿ/n! + λ(a^{c−1}/(c−1)!)(∫₀ᴰ e^{−θv}dv + e^{−θD}/(cμ))] = 1;
 *   P(abandon) = P(V > D) = λ p_{c−1} e^{−θD}/(cμ).
 * With r = Erlang B(c − 1, a) = p_{c−1}/Σ_{n<c} p_n this is P(V = 0) = 1/(1 + K),
 * K = λr(∫₀ᴰ e^{−θv}dv + e^{−θD}/(cμ)). Computed in logs: an overloaded replica (θ < 0) with a
 * long budget has e^{−θD} far past the double range.
 *
 * A request that starts service with D − W left finishes in time with probability e^{−μ(D−W)}'s
 * complement; `finish` (the handler runs on, its worker held: exactly M/M/c+D's dynamics) or
 * `stop` (the worker is freed at the deadline: the served times are truncated, so the formulas
 * are then an approximation, the engine says so).
 *
 * Times in ms, rates per ms.
 */
import { erlangB } from './erlang.ts';

export interface ImpatientQueue {
  /** Patience (ms): the deadline, from arrival. */
  D: number;
  /** cμ − λ, per ms (negative when overloaded). */
  theta: number;
  /** 1 / mean own time, per ms. */
  mu: number;
  /** `stop`: the in-service timeouts taken back scale every doneBy (1 for `finish`). */
  doneScale: number;
  /** 1 / mean time a worker is held (the own time's μ, or with `stop` the fixed point's), per ms. */
  muHold: number;
  /** P(V = 0): served at once. */
  p0: number;
  /** Density coefficient: g(v) = A·e^{−θv} on (0, D] (as ln A, A may be tiny). */
  lnA: number;
  /** P(V > D): the share of arrivals that abandon in the queue. */
  abandon: number;
  /** P(V ≤ D < V + S): the share of arrivals that start service but whose own time runs past the deadline. */
  timeoutInService: number;
  /** Mean wait of the served (V given V ≤ D). */
  servedWq: number;
  /** P(wait > 0 | served). */
  servedC: number;
  /** Per arrival: own time (ms) spent on requests that time out in service, `finish` (the whole own time) and `stop` (up to the deadline). */
  wastedFinish: number;
  wastedStop: number;
  /** Per arrival: own time spent in all (served × 1/μ for finish). */
  workPerArrival: number;
}

const lse = (a: number, b: number): number => (a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));

/** ln ∫₀ᴰ e^{αv} dv. */
function lnJ0(alpha: number, D: number): number {
  const x = alpha * D;
  if (Math.abs(x) < 1e-9) return Math.log(D) + x / 2;
  if (alpha > 0) return x + Math.log(-Math.expm1(-x)) - Math.log(alpha);
  return Math.log(-Math.expm1(x)) - Math.log(-alpha);
}

/** ln ∫₀ᴰ v·e^{αv} dv = ln [(e^{x}(x − 1) + 1)/α²], x = αD. */
function lnJv(alpha: number, D: number): number {
  const x = alpha * D;
  if (Math.abs(x) < 1e-4) return Math.log((D * D) / 2) + Math.log1p((2 * x) / 3 + (x * x) / 4);
  if (alpha > 0) return x + Math.log(x - 1 + Math.exp(-x)) - 2 * Math.log(alpha);
  return Math.log(Math.exp(x) * (x - 1) + 1) - 2 * Math.log(-alpha);
}

/** ln ∫₀ᴰ (D − v)·e^{αv} dv = ln [(e^{x} − 1 − x)/α²]. */
function lnJd(alpha: number, D: number): number {
  const x = alpha * D;
  if (Math.abs(x) < 1e-4) return Math.log((D * D) / 2) + Math.log1p(x / 3 + (x * x) / 12);
  if (alpha > 0) return x + Math.log(1 - (1 + x) * Math.exp(-x)) - 2 * Math.log(alpha);
  return Math.log(Math.expm1(x) - x) - 2 * Math.log(-alpha);
}

/** M/M/c+D (see the module comment): λ per ms, c workers, mean own time (ms), patience D (ms, > 0). */
export function impatientQueue(lambda: number, workers: number, mean: number, D: number): ImpatientQueue {
  return withService(lambda, workers, mean, mean, D);
}

/**
 * `onTimeout: stop` — the worker is freed at the deadline. Approximation (error against the DES
 * in the core README): the line of M/M/c+D above; of the requests it serves, a share u (its
 * utilization λ(1 − P(abandon))/(cμ)) of the in-service timeouts is taken back. Why: with
 * exponential own times a busy worker completes work at rate μ whether or not deadlines cut
 * some requests short, so when every worker is always busy (u → 1) the successes are cμ/λ =
 * 1 − P(abandon) exactly; when workers are mostly idle (u → 0) freeing one earlier changes
 * nothing and the timeouts are those of `finish`.
 */
export function impatientQueueStop(lambda: number, workers: number, mean: number, D: number): ImpatientQueue {
  const q = withService(lambda, workers, mean, mean, D);
  const u = Math.min(1, (lambda * (1 - q.abandon) * mean) / workers);
  const ts = q.timeoutInService * (1 - u);
  const done = 1 - q.abandon - q.timeoutInService;
  return { ...q, timeoutInService: ts, doneScale: done > 0 ? (1 - q.abandon - ts) / done : 1 };
}

/** The line with an exponential hold of mean `holdMean`; timeouts in service read with own time of mean `ownMean`. */
function withService(lambda: number, workers: number, holdMean: number, ownMean: number, D: number): ImpatientQueue {
  const mean = ownMean;
  const muH = 1 / holdMean;
  const mu = 1 / ownMean;
  const cmu = workers * muH;
  const theta = cmu - lambda;
  if (!(lambda > 0)) {
    const ts = Math.exp(-mu * D);
    return {
      D,
      theta,
      mu,
      muHold: muH,
      doneScale: 1,
      p0: 1,
      lnA: Number.NEGATIVE_INFINITY,
      abandon: 0,
      timeoutInService: ts,
      servedWq: 0,
      servedC: 0,
      wastedFinish: ts * (D + mean),
      wastedStop: D * ts,
      workPerArrival: mean,
    };
  }
  const r = erlangB(workers - 1, lambda / muH);
  const lnLr = Math.log(lambda) + Math.log(r);
  const lnK = lnLr + lse(lnJ0(-theta, D), -theta * D - Math.log(cmu));
  const ln1pK = lse(0, lnK);
  const p0 = Math.exp(-ln1pK);
  const lnA = lnLr - ln1pK;
  const abandon = Math.exp(lnA - theta * D - Math.log(cmu));
  // ∫₀ᴰ g(v) e^{−μ(D−v)} dv = A e^{−μD} ∫₀ᴰ e^{(μ−θ)v} dv.
  const alpha = mu - theta;
  const tsQueued = Math.exp(lnA - mu * D + lnJ0(alpha, D));
  const timeoutInService = p0 * Math.exp(-mu * D) + tsQueued;
  const served = Math.max(1e-300, 1 - abandon);
  const servedWq = Math.exp(lnA + lnJv(-theta, D)) / served;
  const waited = Math.max(0, 1 - p0 - abandon);
  // E[S·1{S > D − V}] = e^{−μ(D−V)}(D − V + 1/μ); E[(D − V)·1{S > D − V}].
  const lnJdA = lnA - mu * D + lnJd(alpha, D);
  const wastedStop = p0 * D * Math.exp(-mu * D) + Math.exp(lnJdA);
  const wastedFinish = wastedStop + mean * timeoutInService;
  return {
    D,
    theta,
    mu,
    muHold: muH,
    doneScale: 1,
    p0,
    lnA,
    abandon,
    timeoutInService: Math.min(1, timeoutInService),
    servedWq,
    servedC: Math.min(1, waited / served),
    wastedFinish,
    wastedStop,
    workPerArrival: served * mean,
  };
}

/** P(V > x) for the offered wait (x ≥ 0). */
export function offeredWaitSurvival(q: ImpatientQueue, workers: number, x: number): number {
  if (x < 0) return 1;
  const cmu = workers * q.muHold;
  if (x >= q.D) return q.abandon * Math.exp(-cmu * (x - q.D));
  // P(V > x) = ∫ₓᴰ A e^{−θv} dv + P(V > D).
  const inner = x === q.D ? 0 : Math.exp(q.lnA - q.theta * x + lnJ0(-q.theta, q.D - x));
  return Math.min(1, inner + q.abandon);
}

/** P(W > x | served), W the wait of a request that gets a worker (0 < x < D; 0 past D). */
export function servedWaitSurvival(q: ImpatientQueue, x: number): number {
  if (x < 0) return 1;
  if (x >= q.D) return 0;
  const served = 1 - q.abandon;
  if (x === 0) return q.servedC;
  return Math.min(1, Math.exp(q.lnA - q.theta * x + lnJ0(-q.theta, q.D - x)) / served);
}

/**
 * E[min(W, x) | served]: what the lattice's kernel reads (distribution/lattice.ts `fromH`):
 * ∫₀ᴰ min(v, x)·A e^{−θv} dv / P(served) = A[∫₀ˣ v e^{−θv} dv + x e^{−θx}∫₀^{D−x} e^{−θu} du] / P(served).
 */
export function servedWaitH(q: ImpatientQueue, x: number): number {
  if (x <= 0 || q.lnA === Number.NEGATIVE_INFINITY) return 0;
  const served = Math.max(1e-300, 1 - q.abandon);
  if (x >= q.D) return q.servedWq;
  const below = Math.exp(q.lnA + lnJv(-q.theta, x));
  const above = x * Math.exp(q.lnA - q.theta * x + lnJ0(-q.theta, q.D - x));
  return (below + above) / served;
}

/**
 * P(served, and wait + own time ≤ x) for 0 ≤ x ≤ D: the share of arrivals done with their own
 * work by x after arriving. x = D: finished in time; x = D − hop: still able to send a call.
 */
export function doneBy(q: ImpatientQueue, x: number): number {
  if (!(x > 0)) return 0;
  const t = Math.min(x, q.D);
  const own = -Math.expm1(-q.mu * t);
  if (q.lnA === Number.NEGATIVE_INFINITY) return Math.min(1, q.p0 * own * q.doneScale);
  const waited = Math.exp(q.lnA + lnJ0(-q.theta, t));
  const notYet = Math.exp(q.lnA - q.mu * t + lnJ0(q.mu - q.theta, t));
  return Math.min(1, Math.max(0, (q.p0 * own + waited - notYet) * q.doneScale));
}

/** E[wait + own | done by x] (0 < x ≤ D): ∫₀ˣ (doneBy(x) − doneBy(u)) du / doneBy(x), Simpson on 32 panels. */
export function meanDoneTime(q: ImpatientQueue, x: number): number {
  const total = doneBy(q, x);
  if (!(total > 0)) return x;
  // Nobody near the deadline: the plain mean of wait + own time.
  if (total > 1 - 1e-9) return q.servedWq + 1 / q.mu;
  const n = 32;
  const h = x / n;
  let s = total - doneBy(q, 0) + 0;
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * (total - doneBy(q, i * h));
  return (s * h) / 3 / total;
}
