/**
 * Rehearsals started from the designer: one at a time (a rehearsal takes the machine's CPU and
 * a dozen processes), its progress streamed to whoever watches, its cluster registered as a
 * live connection while it runs (so the Live page and the design overlay show it), its last
 * report kept in memory.
 */
import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { type Failure, failure, type SimulationResult, type Topology } from '@busboard/core';
import type { LiveRegistry } from '../live/registry.ts';
import { findNatsServer, NATS_MISSING } from './cluster.ts';
import { type RehearsalProgress, type RehearsalReport, rehearse } from './run.ts';

export interface RunView {
  id: string;
  design: string;
  state: 'running' | 'done' | 'failed' | 'stopped';
  startedAt: number;
  options: { durationS: number; dilation: number; scale: number; failZones: string[] };
  progress: RehearsalProgress | null;
  monitorUrls: string[];
  /** The live connection showing its cluster while it runs. */
  connectionId: string | null;
  problem: string | null;
  report: RehearsalReport | null;
}

export interface StartOptions {
  durationS: number;
  dilation: number;
  scale: number;
  failZones: string[];
  /** The engine's prediction, when the caller computed it already (on the engine pool, under its budgets). */
  predicted?: SimulationResult;
}

type Listener = (run: RunView) => void;

export class RehearsalManager {
  private current: RunView | null = null;
  private readonly runs = new Map<string, RunView>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    private readonly live?: LiveRegistry,
    private readonly findBin: () => string | null = () => findNatsServer(),
    /** A Prometheus file_sd JSON file to list the running rehearsal's replicas in (`BUSBOARD_REHEARSAL_SD_FILE`). */
    private readonly sdFile?: string,
  ) {}

  /** Lists metrics targets for a Prometheus watching `sdFile` (written whole, then renamed, so it never reads half a file). */
  private writeTargets(targets: string[]): void {
    if (!this.sdFile) return;
    const tmp = `${this.sdFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(targets.length ? [{ targets, labels: { job: 'busboard-rehearsal' } }] : []));
    renameSync(tmp, this.sdFile);
  }

  /** Whether rehearsals can run here, and how to make them when not. */
  availability(): { available: boolean; problem: string | null } {
    return this.findBin() ? { available: true, problem: null } : { available: false, problem: NATS_MISSING };
  }

  get(id: string): RunView | undefined {
    return this.runs.get(id);
  }

  running(): RunView | null {
    return this.current?.state === 'running' ? this.current : null;
  }

  start(doc: Topology, o: StartOptions): { ok: true; run: RunView } | Failure {
    const avail = this.availability();
    if (!avail.available) return failure(avail.problem ?? NATS_MISSING);
    if (this.running()) return failure(`a rehearsal of "${this.current?.design}" is running; stop it first or wait for it`);
    const run: RunView = {
      id: randomUUID(),
      design: doc.name || 'design',
      state: 'running',
      startedAt: Date.now(),
      options: o,
      progress: null,
      monitorUrls: [],
      connectionId: null,
      problem: null,
      report: null,
    };
    this.current = run;
    this.runs.set(run.id, run);
    // Keep a few finished runs to read back; drop the oldest.
    for (const id of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - 5))) this.runs.delete(id);
    const controller = new AbortController();
    this.controllers.set(run.id, controller);
    void rehearse(doc, {
      durationS: o.durationS,
      dilation: o.dilation,
      scale: o.scale,
      failZones: o.failZones,
      ...(o.predicted ? { predicted: o.predicted } : {}),
      signal: controller.signal,
      onCluster: ({ monitorUrls, natsUrls }) => {
        run.monitorUrls = monitorUrls;
        const added = this.live?.addTransient({
          name: `rehearsal: ${run.design}`,
          servers: natsUrls.slice(0, 64),
          monitorUrls: monitorUrls.slice(0, 64),
          pollMs: 1000,
        });
        if (added?.ok) run.connectionId = added.connection.id;
        this.emit(run);
      },
      onProgress: (p) => {
        run.progress = p;
        this.emit(run);
      },
      beforeLoad: ({ metricsTargets }) => this.writeTargets(metricsTargets),
      beforeTeardown: async () => {
        this.writeTargets([]);
        // Stop the live collector while the servers still answer (a collector polling dead servers waits for its timeouts).
        const id = run.connectionId;
        run.connectionId = null;
        if (id) await this.live?.remove(id);
      },
    })
      .then((outcome) => {
        if (outcome.ok) {
          run.state = 'done';
          run.report = outcome.report;
        } else {
          run.state = controller.signal.aborted ? 'stopped' : 'failed';
          run.problem = outcome.problems.map((p) => p.message).join('; ');
        }
      })
      .catch((err: Error) => {
        run.state = 'failed';
        run.problem = err.message;
      })
      .finally(() => {
        this.controllers.delete(run.id);
        this.emit(run);
      });
    return { ok: true, run };
  }

  stop(id: string): boolean {
    const c = this.controllers.get(id);
    c?.abort();
    return Boolean(c);
  }

  async stopAll(): Promise<void> {
    for (const c of this.controllers.values()) c.abort();
    while (this.controllers.size) await new Promise((r) => setTimeout(r, 100));
  }

  private emit(run: RunView): void {
    for (const l of this.listeners.get(run.id) ?? []) l(run);
  }

  /** The run's state now and at every change, until it ends or `signal` aborts. */
  async *watch(id: string, signal?: AbortSignal): AsyncGenerator<RunView> {
    const run = this.runs.get(id);
    if (!run) return;
    let pending = true;
    let wake: (() => void) | null = null;
    const listener: Listener = () => {
      pending = true;
      wake?.();
    };
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        if (!pending) await new Promise<void>((r) => (wake = r));
        wake = null;
        if (signal?.aborted) break;
        pending = false;
        yield { ...run };
        if (run.state !== 'running') break;
      }
    } finally {
      set.delete(listener);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
