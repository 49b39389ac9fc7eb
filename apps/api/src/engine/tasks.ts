/**
 * The engine work the server does for its clients, as plain data in and out, so it can run in
 * a worker thread (pool.ts) or, for in-process callers and the benchmark, inline. Each task
 * parses its document itself: a document's problems come back as a value, with their paths.
 */
import {
  calibrateFromMeasurements,
  compareWithMeasurements,
  type Problem,
  parseTopology,
  type SimulationResult,
  type SystemMeasurements,
  simulate,
  type TopologyInput,
} from '@busboard/core';

export type EngineTask =
  | { kind: 'simulate'; doc: unknown; scale?: number; failZones?: string[] }
  | { kind: 'compare'; doc: unknown; measurements: SystemMeasurements }
  /** Tests only (the pool's own test): burn CPU or memory to meet a budget on purpose. */
  | { kind: 'burn'; cpuMs?: number; allocateMb?: number; crash?: boolean };

export type EngineOutcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export interface CompareValue {
  predicted: SimulationResult;
  rows: ReturnType<typeof compareWithMeasurements>;
  calibration: Pick<ReturnType<typeof calibrateFromMeasurements>, 'doc' | 'changes' | 'skipped'>;
}

export interface TaskValues {
  simulate: SimulationResult;
  compare: CompareValue;
  burn: number;
}

/** Runs one task here and now. */
export function runTask(task: EngineTask): EngineOutcome<unknown> {
  switch (task.kind) {
    case 'simulate': {
      const parsed = parseTopology(task.doc);
      if (!parsed.ok) return { ok: false, problems: parsed.problems };
      return { ok: true, value: simulate(parsed.doc, { scale: task.scale, failZones: task.failZones }) };
    }
    case 'compare': {
      const parsed = parseTopology(task.doc);
      if (!parsed.ok) return { ok: false, problems: parsed.problems };
      const predicted = simulate(parsed.doc);
      const calibration = calibrateFromMeasurements(task.doc as TopologyInput, task.measurements);
      const rows = compareWithMeasurements(parsed.doc, predicted, task.measurements, calibration.estimates);
      const value: CompareValue = {
        predicted,
        rows,
        calibration: { doc: calibration.doc, changes: calibration.changes, skipped: calibration.skipped },
      };
      return { ok: true, value };
    }
    case 'burn': {
      if (task.crash) process.exit(3);
      const keep: number[][] = [];
      for (let mb = 0; mb < (task.allocateMb ?? 0); mb++) keep.push(new Array(128 * 1024).fill(mb + 0.5));
      const until = performance.now() + (task.cpuMs ?? 0);
      let n = 0;
      while (performance.now() < until) n++;
      return { ok: true, value: n + keep.length };
    }
  }
}
