/** Messages between the page and the DES worker (structured-cloned: plain data only). */
import type { AsyncWhatIf, DesResult, Topology } from '@busboard/core';

export interface DesStart {
  type: 'start';
  doc: Topology;
  seed: number | string;
  requests: number;
  /** Stop once every entry's P99 is within ±precision (0: run to the request cap). */
  precision: number;
  scale?: number;
  failZones?: string[];
  /** A scenario's async what-ifs (event burst, consumer outage): the DES runs them message by message. */
  async?: AsyncWhatIf;
  /** Wall-clock budget in ms (default DES_BUDGET_MS); the designer's background cross-check asks for less. */
  timeBudgetMs?: number;
}

export interface DesWorkerProgress {
  type: 'progress';
  fraction: number;
  requests: number;
  replications: number;
  events: number;
  /** Present when a replication finished since the last message. */
  result: DesResult | null;
}

export interface DesWorkerDone {
  type: 'done';
  result: DesResult;
  elapsedMs: number;
}

export interface DesWorkerError {
  type: 'error';
  message: string;
}

export type DesWorkerMessage = DesWorkerProgress | DesWorkerDone | DesWorkerError;

/** A browser DES run stops by itself after this long (stopped by "time", its intervals as far as they got): no run holds a core forever. */
export const DES_BUDGET_MS = 120_000;
