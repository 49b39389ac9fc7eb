/**
 * One DES run in its own worker, without React: progress, then the result or an error.
 * The returned function stops it at once (`worker.terminate()`, whatever the chunk).
 */
import type { DesResult, Topology } from '@busboard/core';
import type { DesStart, DesWorkerMessage } from './protocol.ts';

export interface DesRunListener {
  progress(fraction: number, requests: number): void;
  done(result: DesResult, elapsedMs: number): void;
  error(message: string): void;
}

export function runDesInWorker(doc: Topology, options: Omit<DesStart, 'type' | 'doc'>, listener: DesRunListener): () => void {
  let worker: Worker | null = new Worker(new URL('./des.worker.ts', import.meta.url), { type: 'module', name: 'busboard-des' });
  const stop = () => {
    worker?.terminate();
    worker = null;
  };
  worker.onmessage = (event: MessageEvent<DesWorkerMessage>) => {
    if (!worker) return;
    const m = event.data;
    if (m.type === 'progress') return listener.progress(m.fraction, m.requests);
    stop();
    if (m.type === 'done') listener.done(m.result, m.elapsedMs);
    else listener.error(m.message);
  };
  worker.onerror = (e) => {
    stop();
    listener.error(e.message || 'the simulation worker failed to start');
  };
  const start: DesStart = { type: 'start', doc, ...options };
  worker.postMessage(start);
  return stop;
}
