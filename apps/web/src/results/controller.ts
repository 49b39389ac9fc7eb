/**
 * The engine's results for the open design, as a framework-free store with `subscribe` and
 * `getSnapshot` (the shape TanStack Query's observers have; `useResults` is a thin
 * `useSyncExternalStore` over it). Three passes, merged here and nowhere else:
 *
 * 1. fast: the per-service figures (load, placement, utilization, sojourns: one frame's work),
 *    computed synchronously so badges update with the edit;
 * 2. full: the end-to-end composition (entry percentiles against their SLOs) in the engine
 *    worker, a moment later;
 * 3. cross-check: where a figure of the full result is outside its method's comfort zone
 *    (core's `needsCrossCheck`), a bounded DES in its own worker once the analytic results have
 *    settled, combined by core's `combineAuto`: the designer and `busboard simulate --method
 *    auto` decide which number to trust by the same rule (`trustOf`).
 *
 * A new edit or what-if drops what runs for the old one (the DES worker is stopped). A DES result
 * is kept while the design's physics and the what-if stay the same: moving a node keeps it.
 */
import { combineAuto, type DesResult, needsCrossCheck, type SimulateOptions, type SimulationResult, type Topology } from '@busboard/core';
import { TooSlowError } from '../engine/client.ts';
import { crossCheckKey } from './key.ts';

/** The DES's target (every entry P99 to ±5 %, 99 % intervals): the CLI's `--method auto` default. */
export const CROSS_CHECK_PRECISION = 0.05;
/** The background DES's bounds: it must never hold a core for long. */
export const CROSS_CHECK_BUDGET = { requests: 5_000_000, timeBudgetMs: 30_000, seed: 1 } as const;
/** The end-to-end pass waits this long after an edit (a drag of the traffic slider is many edits). */
const FULL_DELAY_MS = 40;
/** The DES starts this long after the analytic results are in, so a burst of edits starts none. */
const CROSS_CHECK_SETTLE_MS = 400;

export type CombinedAuto = ReturnType<typeof combineAuto>;

export type CrossCheck =
  /** Every figure is inside its method's comfort zone (or the end-to-end figures are not in yet). */
  | { status: 'none' }
  /** Waiting for the analytic results to settle, then simulating. */
  | { status: 'running'; fraction: number; requests: number }
  | { status: 'done'; auto: CombinedAuto; des: DesResult; elapsedMs: number }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

export interface Results {
  result: SimulationResult | null;
  /** The full result's entries are for an older edit and are being recomputed. */
  entriesPending: boolean;
  /** Why the end-to-end figures are missing for this design (the engine worker ran out of its time budget), or null. */
  entriesError: string | null;
  error: string | null;
  options: SimulateOptions;
  /** The background DES cross-check of figures outside their comfort zone. */
  crossCheck: CrossCheck;
}

export interface DesListener {
  progress(fraction: number, requests: number): void;
  done(result: DesResult, elapsedMs: number): void;
  error(message: string): void;
}

/** What the controller runs: core's engine, in workers in the browser. */
export interface ResultsEngine {
  /** Pass 1, on the calling thread (`simulate` with `skipEndToEnd`). */
  fast(doc: Topology, options: SimulateOptions): SimulationResult;
  /** Pass 2; rejects with `TooSlowError` past its budget. */
  full(doc: Topology, options: SimulateOptions): Promise<SimulationResult>;
  /** Pass 3: starts a DES and returns its cancel (which stops the work at once). */
  des(doc: Topology, options: SimulateOptions, listener: DesListener): () => void;
}

export interface ResultsController {
  subscribe(listener: () => void): () => void;
  /** The merged results for this design and what-if: the same object until something changes. */
  getSnapshot(parsed: Topology | null, options: SimulateOptions): Results;
  /** Starts the slower passes for this design and what-if (idempotent); drops those of another one. */
  setInput(parsed: Topology | null, options: SimulateOptions): void;
  /** Stops the running cross-check; the analytic figures stay. */
  cancelCrossCheck(): void;
  /** Runs the cross-check again after a cancel or an error. */
  retryCrossCheck(): void;
  /** Stops everything (the designer closed); `setInput` starts again. */
  dispose(): void;
}

type Fast = { result: SimulationResult | null; error: string | null };
type Tagged<T> = { parsed: Topology; options: SimulateOptions } & T;
interface Check {
  key: string;
  state: CrossCheck;
  cancel: (() => void) | null;
}

export function createResultsController(engine: ResultsEngine): ResultsController {
  const listeners = new Set<() => void>();
  let input: { parsed: Topology; options: SimulateOptions } | null = null;
  let fastMemo: Tagged<Fast> | null = null;
  let full: Tagged<{ result: SimulationResult }> | null = null;
  let slow: Tagged<{ message: string }> | null = null;
  let check: Check | null = null;
  /** Bumped by every change of input: answers for an older one are dropped. */
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let version = 0;
  let cached: { parsed: Topology | null; options: SimulateOptions; version: number; value: Results } | null = null;

  const notify = () => {
    version++;
    for (const l of [...listeners]) l();
  };

  function fast(parsed: Topology, options: SimulateOptions): Fast {
    if (same(fastMemo, parsed, options) && fastMemo) return fastMemo;
    let value: Fast;
    try {
      value = { result: engine.fast(parsed, { ...options, skipEndToEnd: true }), error: null };
    } catch (err) {
      // An engine bug must not take the designer down: show it and keep editing.
      value = { result: null, error: err instanceof Error ? err.message : String(err) };
    }
    fastMemo = { parsed, options, ...value };
    return value;
  }

  function stopCheck(): void {
    check?.cancel?.();
    check = null;
  }

  function setCheck(c: Check, state: CrossCheck): void {
    if (check !== c) return;
    c.state = state;
    notify();
  }

  /** After the full pass: decide whether to simulate, or bring a kept DES up to the new analytic result. */
  function afterFull(result: SimulationResult, parsed: Topology, options: SimulateOptions): void {
    if (!needsCrossCheck(result)) {
      stopCheck();
      return;
    }
    const key = crossCheckKey(parsed, options);
    if (check && check.key === key) {
      if (check.state.status === 'done') check.state = { ...check.state, auto: combineAuto(result, check.state.des, CROSS_CHECK_PRECISION) };
      return;
    }
    stopCheck();
    startCheck(key, parsed, options, CROSS_CHECK_SETTLE_MS);
  }

  function startCheck(key: string, parsed: Topology, options: SimulateOptions, delay: number): void {
    const c: Check = { key, state: { status: 'running', fraction: 0, requests: 0 }, cancel: null };
    check = c;
    const wait = setTimeout(() => {
      c.cancel = engine.des(parsed, options, {
        progress: (fraction, requests) => setCheck(c, { status: 'running', fraction, requests }),
        done: (des: DesResult | null, elapsedMs) => {
          c.cancel = null;
          const analytic = full?.result;
          if (!analytic) return;
          // A run stopped by its time budget before two replications has no figures to offer.
          if (!des) return setCheck(c, { status: 'error', message: 'the simulation finished no replication within its time budget' });
          setCheck(c, { status: 'done', auto: combineAuto(analytic, des, CROSS_CHECK_PRECISION), des, elapsedMs });
        },
        error: (message) => {
          c.cancel = null;
          setCheck(c, { status: 'error', message });
        },
      });
    }, delay);
    c.cancel = () => clearTimeout(wait);
  }

  function runFull(parsed: Topology, options: SimulateOptions): void {
    const mine = ++generation;
    clearTimeout(timer);
    timer = setTimeout(() => {
      engine
        .full(parsed, options)
        .then((result) => {
          if (mine !== generation) return;
          full = { parsed, options, result };
          afterFull(result, parsed, options);
          notify();
        })
        .catch((err: unknown) => {
          if (mine !== generation || !(err instanceof TooSlowError)) return;
          slow = { parsed, options, message: err.message };
          notify();
        });
    }, FULL_DELAY_MS);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot(parsed, options) {
      if (cached && cached.parsed === parsed && cached.options === options && cached.version === version) return cached.value;
      const value = parsed ? merge({ fast: fast(parsed, options), full, slow, check }, parsed, options) : merge(null, null, options);
      cached = { parsed, options, version, value };
      return value;
    },
    setInput(parsed, options) {
      if (parsed && same(input, parsed, options)) return;
      input = parsed ? { parsed, options } : null;
      if (!parsed) {
        generation++;
        clearTimeout(timer);
        stopCheck();
        return;
      }
      // A DES of the same physics and what-if (e.g. only a node moved) keeps running or stays shown.
      if (check && check.key !== crossCheckKey(parsed, options)) stopCheck();
      runFull(parsed, options);
    },
    cancelCrossCheck() {
      if (check?.state.status !== 'running') return;
      check.cancel?.();
      check.cancel = null;
      setCheck(check, { status: 'cancelled' });
    },
    retryCrossCheck() {
      if (!input || !check || (check.state.status !== 'cancelled' && check.state.status !== 'error')) return;
      if (!same(full, input.parsed, input.options)) return;
      startCheck(check.key, input.parsed, input.options, 0);
      notify();
    },
    dispose() {
      input = null;
      generation++;
      clearTimeout(timer);
      stopCheck();
    },
  };
}

const NONE: CrossCheck = { status: 'none' };
const same = (a: { parsed: Topology; options: SimulateOptions } | null, parsed: Topology | null, options: SimulateOptions) =>
  a !== null && a.parsed === parsed && a.options === options;

/** The one place the passes meet: what the designer shows for this design and what-if. */
function merge(
  passes: { fast: Fast; full: Tagged<{ result: SimulationResult }> | null; slow: Tagged<{ message: string }> | null; check: Check | null } | null,
  parsed: Topology | null,
  options: SimulateOptions,
): Results {
  const f = passes?.fast;
  if (!passes || !parsed || !f?.result)
    return { result: null, entriesPending: false, entriesError: null, error: f?.error ?? null, options, crossCheck: NONE };
  const { full, slow, check } = passes;
  const current = same(full, parsed, options);
  const tooSlow = !current && slow !== null && same(slow, parsed, options) ? slow.message : null;
  const entries = full ? full.result.entries : f.result.entries;
  const services = f.result.services;
  // Entries from an older edit would name services that may be gone: keep only live ones.
  const live = current ? entries : Object.fromEntries(Object.entries(entries).filter(([k]) => k in services));
  // A cross-check of the same physics and what-if stays shown while the analytic pass catches up.
  const crossCheck = check && check.key === crossCheckKey(parsed, options) ? check.state : NONE;
  // Async figures (schema v3): the full pass's when it is current, else the fast pass's.
  const async = (current ? full?.result.async : undefined) ?? f.result.async;
  return {
    result: {
      ...f.result,
      entries: Object.keys(f.result.entries).length && !current ? f.result.entries : live,
      ...(async ? { async } : {}),
    },
    entriesPending: !current && tooSlow === null,
    entriesError: tooSlow,
    error: null,
    options,
    crossCheck,
  };
}
