/**
 * DES runs kept per scenario (issue 20: "the DES figures kept beside the analytic ones where a
 * run exists"), so they outlive the dialog that started them. Each is keyed by the scenario's
 * name and a hash of what it ran (the resolved document and the what-if): a run whose hash no
 * longer matches the scenario is stale, shown as such and never mixed with today's figures.
 */
import { type AsyncWhatIf, type DesResult, fnv1a, type Topology } from '@busboard/core';
import { create } from 'zustand';
import { runDesInWorker } from '../des/runInWorker.ts';

export interface ScenarioDesRun {
  name: string;
  /** `scenarioHash` of what ran. */
  hash: string;
  status: 'running' | 'done' | 'error';
  fraction: number;
  result: DesResult | null;
  error: string | null;
  elapsedMs: number | null;
}

/** FNV-1a (32 bit) of a JSON text, as 8 hex digits: cheap, and enough to tell two documents apart here. */
export function hashText(text: string): string {
  return fnv1a(text).toString(16).padStart(8, '0');
}

/** What a scenario's DES run is given besides its document: scale, failed zones, and the async what-ifs. */
export interface ScenarioRunOptions {
  scale?: number;
  failZones?: string[];
  async?: AsyncWhatIf;
}

/** What a DES run of a scenario depends on: its resolved document and its what-if (burst and outage included). */
export function scenarioHash(doc: Topology, options: ScenarioRunOptions): string {
  // The base as the canvas holds it carries its variants; they are not part of what runs.
  const { scenarios: _, ...run } = doc;
  const burst = options.async?.eventBurst ?? 0;
  const outage = options.async?.consumerOutageSeconds ?? 0;
  // Without an async what-if the text is as before (no burst, no outage: the same run).
  const asyncPart = burst || outage ? { eventBurst: burst, consumerOutageSeconds: outage } : undefined;
  return hashText(JSON.stringify({ doc: run, scale: options.scale ?? 1, failZones: [...(options.failZones ?? [])].sort(), async: asyncPart }));
}

/** The DES settings of a comparison column: the panel's defaults, a shorter wall-clock budget. */
export const COMPARE_DES = { seed: 1, requests: 1_000_000, precision: 0.05, timeBudgetMs: 30_000 } as const;

interface DesRunsState {
  runs: Record<string, ScenarioDesRun>;
  start(name: string, doc: Topology, options: ScenarioRunOptions): void;
  cancel(name: string): void;
  /** Keeps a run made elsewhere (the Simulate (DES) panel) as scenario `name`'s. */
  record(name: string, doc: Topology, options: ScenarioRunOptions, result: DesResult, elapsedMs: number | null): void;
  /** Forgets runs of scenarios that are gone (renamed or deleted). */
  keepOnly(names: readonly string[]): void;
}

const stops = new Map<string, () => void>();

export const useScenarioDes = create<DesRunsState>((set, get) => {
  const patch = (name: string, hash: string, fields: Partial<ScenarioDesRun>) => {
    const cur = get().runs[name];
    if (!cur || cur.hash !== hash) return;
    set({ runs: { ...get().runs, [name]: { ...cur, ...fields } } });
  };
  return {
    runs: {},
    start: (name, doc, options) => {
      stops.get(name)?.();
      const hash = scenarioHash(doc, options);
      set({ runs: { ...get().runs, [name]: { name, hash, status: 'running', fraction: 0, result: null, error: null, elapsedMs: null } } });
      const stop = runDesInWorker(
        doc,
        { ...COMPARE_DES, scale: options.scale, failZones: options.failZones, ...(options.async ? { async: options.async } : {}) },
        {
          progress: (fraction) => patch(name, hash, { fraction }),
          done: (result, elapsedMs) => {
            stops.delete(name);
            patch(name, hash, { status: 'done', fraction: 1, result, elapsedMs });
          },
          error: (message) => {
            stops.delete(name);
            patch(name, hash, { status: 'error', error: message });
          },
        },
      );
      stops.set(name, stop);
    },
    cancel: (name) => {
      stops.get(name)?.();
      stops.delete(name);
      const { [name]: _, ...rest } = get().runs;
      set({ runs: rest });
    },
    record: (name, doc, options, result, elapsedMs) => {
      if (stops.has(name)) return;
      const hash = scenarioHash(doc, options);
      set({ runs: { ...get().runs, [name]: { name, hash, status: 'done', fraction: 1, result, error: null, elapsedMs } } });
    },
    keepOnly: (names) => {
      const keep = new Set(names);
      const runs = Object.fromEntries(Object.entries(get().runs).filter(([n]) => keep.has(n)));
      for (const [n, stop] of [...stops]) {
        if (keep.has(n)) continue;
        stop();
        stops.delete(n);
      }
      set({ runs });
    },
  };
});

/** A run of `name` and whether it still matches the scenario (`hash`: the scenario's hash today). */
export function runFor(runs: Record<string, ScenarioDesRun>, name: string, hash: string | null): { run: ScenarioDesRun; stale: boolean } | null {
  const run = runs[name];
  if (!run) return null;
  return { run, stale: hash === null || run.hash !== hash };
}
