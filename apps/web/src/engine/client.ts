/**
 * The page's side of the engine worker: one worker, started on first use, promises per
 * request. Requests are cheap to drop: callers keep only the answer to their latest ask.
 *
 * Every request has a time budget (ENGINE_BUDGET_MS). A design that takes longer stops the
 * worker (the page never waits on it: the tab stays responsive either way), every request
 * still waiting is refused with `TooSlowError`, which the UI shows in words, and the next
 * request starts a fresh worker.
 */
import type { GoalOptions, GoalSeekResult, GoodputSweep, Recommendation, SimulationResult, Topology } from '@busboard/core';
import type { EngineRequest, EngineResponse, SweepPoint, SweepRequest } from './protocol.ts';

/** How long one engine request may take in the browser before it is stopped. */
export const ENGINE_BUDGET_MS = 20_000;

/** The engine worker was stopped after its time budget: the design is too large to compute here. */
export class TooSlowError extends Error {
  constructor(readonly seconds: number) {
    super(
      `this design takes longer than ${seconds} s to compute in the browser, so it was stopped; the per-service figures are current. ` +
        'Make the design smaller, or run it with the CLI: busboard simulate FILE --max-seconds N',
    );
  }
}

type Pending = { resolve: (r: EngineResponse) => void; reject: (e: Error) => void };
let worker: Worker | null = null;
/**
 * One watchdog, not a clock per request: the worker answers in order, so it is stuck on one
 * request exactly when it owes answers and has said nothing for the whole budget.
 */
let watchdog: ReturnType<typeof setTimeout> | undefined;
function rearm(): void {
  clearTimeout(watchdog);
  watchdog = pending.size ? setTimeout(() => stopWorker(ENGINE_BUDGET_MS / 1000), ENGINE_BUDGET_MS) : undefined;
}
let nextId = 1;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'busboard-engine' });
  worker.onmessage = (e: MessageEvent<EngineResponse>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    rearm();
    p?.resolve(e.data);
  };
  return worker;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Stops the worker and refuses everything it still owed. */
function stopWorker(seconds: number): void {
  worker?.terminate();
  worker = null;
  const owed = [...pending.values()];
  pending.clear();
  rearm();
  for (const p of owed) p.reject(new TooSlowError(seconds));
}

function ask(req: WithoutId<EngineRequest>): Promise<EngineResponse> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const idle = pending.size === 0;
    pending.set(id, { resolve, reject });
    if (idle) rearm();
    getWorker().postMessage({ ...req, id });
  });
}

export async function simulateInWorker(req: Omit<Extract<EngineRequest, { kind: 'simulate' }>, 'id'>): Promise<SimulationResult> {
  const res = await ask(req);
  if (!res.ok) throw new Error(res.error);
  if (!('result' in res)) throw new Error('engine worker: expected a result');
  return res.result;
}

export async function sweepInWorker(req: SweepRequest): Promise<SweepPoint[]> {
  const res = await ask(req);
  if (!res.ok) throw new Error(res.error);
  if (!('points' in res)) throw new Error('engine worker: expected sweep points');
  return res.points;
}

export async function goodputInWorker(req: Omit<Extract<EngineRequest, { kind: 'goodputSweep' }>, 'id'>): Promise<GoodputSweep> {
  const res = await ask(req);
  if (!res.ok) throw new Error(res.error);
  if (!('goodput' in res)) throw new Error('engine worker: expected a goodput sweep');
  return res.goodput;
}

export async function recommendInWorker(doc: Topology, scale = 1): Promise<Recommendation> {
  const res = await ask({ kind: 'recommend', doc, scale });
  if (!res.ok) throw new Error(res.error);
  if (!('recommendation' in res)) throw new Error('engine worker: expected a recommendation');
  return res.recommendation;
}

/** How long goal seek may search in the browser before it is stopped (the CLI has no such limit). */
export const GOAL_BUDGET_MS = 60_000;

/** Goal seek was cancelled by the user. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface GoalRun {
  promise: Promise<{ goal: GoalSeekResult; currentP99Ms: number | null }>;
  /** Stops the search now (its worker is terminated); the promise is refused with `CancelledError`. */
  cancel(): void;
}

/**
 * Goal seek in a worker of its own: the search may take seconds, and the design's own results
 * keep coming from the shared worker meanwhile; Cancel (or the time budget) terminates it.
 */
export function goalSeekInWorker(doc: Topology, options: GoalOptions): GoalRun {
  const w = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'busboard-goal' });
  let stop: (err: Error) => void = () => {};
  const promise = new Promise<{ goal: GoalSeekResult; currentP99Ms: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => stop(new TooSlowError(GOAL_BUDGET_MS / 1000)), GOAL_BUDGET_MS);
    stop = (err) => {
      clearTimeout(timer);
      w.terminate();
      reject(err);
    };
    w.onmessage = (e: MessageEvent<EngineResponse>) => {
      clearTimeout(timer);
      w.terminate();
      const res = e.data;
      if (!res.ok) reject(new Error(res.error));
      else if (!('goal' in res)) reject(new Error('engine worker: expected a goal-seek result'));
      else resolve({ goal: res.goal, currentP99Ms: res.currentP99Ms });
    };
    w.onerror = (e) => stop(new Error(e.message || 'the goal-seek worker failed'));
    w.postMessage({ id: 1, kind: 'goalSeek', doc, options } satisfies EngineRequest);
  });
  return { promise, cancel: () => stop(new CancelledError()) };
}
