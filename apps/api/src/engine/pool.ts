/**
 * The engine off the event loop: a small fixed pool of worker threads (worker.ts) that run
 * simulations and comparisons for the API, each under a time budget and a memory budget
 * (V8's `resourceLimits`), so one expensive document never stalls `/healthz` or anyone else's
 * request. A task is cancelled when its client goes away (the request's abort signal): a
 * queued one is dropped, a running one's worker is terminated. A worker that runs out of
 * time or memory, or dies, is replaced; the server carries on. Failures are values naming
 * the budget that was met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Problem } from '@busboard/core';
import { bundleForNode } from '../node-bundle.ts';
import type { EngineTask, TaskValues } from './tasks.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export interface EngineBudget {
  /** Worker threads (default 2, at most the CPUs). */
  workers: number;
  /** Longest one task may run, from when a worker takes it (default 10 s). */
  timeoutMs: number;
  /** Heap one worker may use (V8's old generation, MB; default 512). */
  memoryMb: number;
  /** Tasks that may wait for a worker; more are refused as busy (default 32). */
  queue: number;
}

export const DEFAULT_ENGINE_BUDGET: EngineBudget = { workers: 2, timeoutMs: 10_000, memoryMb: 512, queue: 32 };

export type EngineFailure =
  | { reason: 'time-budget'; budgetMs: number; message: string }
  | { reason: 'memory-budget'; budgetMb: number; message: string }
  | { reason: 'busy'; message: string }
  | { reason: 'cancelled'; message: string }
  | { reason: 'failed'; message: string };

export type PoolResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] } | { ok: false; failure: EngineFailure };

/** What a task is called in messages ("the simulation took longer than 10 s"). */
const WHAT: Record<EngineTask['kind'], string> = { simulate: 'the simulation', compare: 'the comparison with Prometheus', burn: 'the test task' };

interface Job {
  task: EngineTask;
  resolve(r: PoolResult<unknown>): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  timer?: ReturnType<typeof setTimeout>;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Terminated on purpose (budget, cancel, close): its exit is expected. */
  retired: boolean;
  /** The last error the worker reported (e.g. out of memory), read when it exits. */
  error?: Error & { code?: string };
}

export interface PoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers started to replace one that ran out of budget, was cancelled or died. */
  replaced: number;
  completed: number;
}

/**
 * The worker as one bundled file, built once per process: a thread loads it in ~0.1 s, where
 * loading the TypeScript through tsx takes ~2 s (and a worker is replaced after every budget met).
 */
let bundled: Promise<URL> | undefined;
function workerBundle(): Promise<URL> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busboard-engine-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'worker.mjs');
    await bundleForNode(fileURLToPath(new URL('./worker.ts', import.meta.url)), outfile);
    return new URL(`file://${outfile}`);
  })().catch(() => new URL('./worker-boot.mjs', import.meta.url));
  return bundled;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

export class EnginePool {
  readonly budget: EngineBudget;
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #closed = false;
  #replaced = 0;
  #completed = 0;
  #seq = 0;
  #ids = new WeakMap<Job, number>();
  #workerUrl: URL | undefined;
  #booted: Promise<void> | undefined;

  /** Workers start with the first task (or `warm()`): a server nobody asks to simulate spends nothing on them. */
  constructor(budget: Partial<EngineBudget> = {}) {
    this.budget = { ...DEFAULT_ENGINE_BUDGET, ...budget };
  }

  #boot(): Promise<void> {
    this.#booted ??= workerBundle().then((url) => {
      this.#workerUrl = url;
      if (this.#closed) return;
      for (let i = 0; i < this.budget.workers; i++) this.#slots.push(this.#start());
      this.#pump();
    });
    return this.#booted;
  }

  /** Runs `task` on a worker; resolves with its value, its document's problems, or a failure naming the budget. */
  run<K extends EngineTask['kind']>(
    task: Extract<EngineTask, { kind: K }>,
    options: { signal?: AbortSignal } = {},
  ): Promise<PoolResult<TaskValues[K]>> {
    const what = WHAT[task.kind];
    if (this.#closed) return Promise.resolve(fail({ reason: 'cancelled', message: `${what} was not run: the server is shutting down` }));
    if (options.signal?.aborted) return Promise.resolve(fail({ reason: 'cancelled', message: `${what} was cancelled: the client went away` }));
    if (this.#queue.length >= this.budget.queue) {
      return Promise.resolve(
        fail({
          reason: 'busy',
          message: `the server is busy with ${this.budget.workers + this.#queue.length} computations; try again in a few seconds`,
        }),
      );
    }
    return new Promise((resolve) => {
      const job: Job = {
        task,
        resolve: resolve as (r: PoolResult<unknown>) => void,
        signal: options.signal,
        onAbort: () => this.#cancel(job),
        settled: false,
      };
      this.#ids.set(job, ++this.#seq);
      options.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      void this.#boot();
      this.#pump();
    });
  }

  stats(): PoolStats {
    return {
      workers: this.#slots.length,
      busy: this.#slots.filter((s) => s.job).length,
      queued: this.#queue.length,
      replaced: this.#replaced,
      completed: this.#completed,
    };
  }

  /** Resolves once every worker has loaded the engine (tests and benchmarks wait for it). */
  async warm(): Promise<void> {
    await this.#boot();
    while (!this.#closed && this.#slots.some((s) => !s.ready)) await new Promise((r) => setTimeout(r, 10));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#booted;
    for (const job of this.#queue.splice(0))
      this.#settle(job, fail({ reason: 'cancelled', message: `${WHAT[job.task.kind]} was not run: the server is shutting down` }));
    await Promise.all(
      this.#slots.map((slot) => {
        slot.retired = true;
        if (slot.job)
          this.#settle(slot.job, fail({ reason: 'cancelled', message: `${WHAT[slot.job.task.kind]} was stopped: the server is shutting down` }));
        return slot.worker.terminate();
      }),
    );
  }

  #start(): Slot {
    const worker = new Worker(this.#workerUrl as URL, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.budget.memoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.budget.memoryMb >> 3)),
      },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, retired: false };
    worker.on('message', (msg: WorkerReply) => {
      if ('ready' in msg) {
        slot.ready = true;
        this.#pump();
        return;
      }
      const job = slot.job;
      if (!job || this.#ids.get(job) !== msg.id) return;
      slot.job = null;
      this.#completed++;
      if ('error' in msg) this.#settle(job, fail({ reason: 'failed', message: `${WHAT[job.task.kind]} failed: ${msg.error}` }));
      else this.#settle(job, msg.outcome as PoolResult<unknown>);
      this.#pump();
    });
    worker.on('error', (err) => {
      slot.error = err;
    });
    worker.on('exit', (code) => {
      if (slot.retired) return;
      const job = slot.job;
      slot.job = null;
      if (job) {
        const what = WHAT[job.task.kind];
        this.#settle(
          job,
          slot.error?.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? fail({
                reason: 'memory-budget',
                budgetMb: this.budget.memoryMb,
                message: `${what} needed more than ${this.budget.memoryMb} MB of memory (the server's budget, BUSBOARD_ENGINE_MEMORY_MB); make the design smaller (fewer replicas, zones, servers or workers), or raise the budget`,
              })
            : fail({ reason: 'failed', message: `${what} stopped its worker (${slot.error ? slot.error.message : `exit code ${code}`})` }),
        );
      }
      this.#replace(slot);
    });
    return slot;
  }

  #replace(slot: Slot): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    if (this.#closed) {
      this.#slots.splice(i, 1);
      return;
    }
    this.#replaced++;
    this.#slots[i] = this.#start();
  }

  /** Stops a worker on purpose (its task met a budget or was cancelled) and starts a fresh one in its place. */
  #retire(slot: Slot): void {
    slot.retired = true;
    slot.job = null;
    void slot.worker.terminate();
    this.#replace(slot);
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.#queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.ref();
      job.timer = setTimeout(() => {
        if (slot.job !== job) return;
        this.#settle(
          job,
          fail({
            reason: 'time-budget',
            budgetMs: this.budget.timeoutMs,
            message: `${WHAT[job.task.kind]} took longer than ${seconds(this.budget.timeoutMs)} (the server's budget, BUSBOARD_ENGINE_TIMEOUT_MS) and was stopped; make the design smaller (fewer replicas, zones, servers or workers), or raise the budget`,
          }),
        );
        this.#retire(slot);
      }, this.budget.timeoutMs);
      slot.worker.postMessage({ id: this.#ids.get(job) as number, task: job.task } satisfies WorkerRequest);
    }
  }

  #cancel(job: Job): void {
    const message = `${WHAT[job.task.kind]} was cancelled: the client went away`;
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(job, fail({ reason: 'cancelled', message }));
      return;
    }
    const slot = this.#slots.find((s) => s.job === job);
    if (!slot) return;
    this.#settle(job, fail({ reason: 'cancelled', message }));
    this.#retire(slot);
  }

  #settle(job: Job, result: PoolResult<unknown>): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.signal?.removeEventListener('abort', job.onAbort);
    job.resolve(result);
    // A worker with nothing to do does not keep the process alive.
    for (const s of this.#slots) if (!s.job) s.worker.unref();
  }
}

function fail(failure: EngineFailure): { ok: false; failure: EngineFailure } {
  return { ok: false, failure };
}
