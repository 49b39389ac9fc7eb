/**
 * One timeline computation in its own worker, without React: progress, then the results or an
 * error. The returned function cancels it at once (`worker.terminate()`).
 */
import type { TimelineResult, Topology } from '@busboard/core';
import type { TimelineStart, TimelineWorkerMessage } from './protocol.ts';

export interface TimelineListener {
  progress(fraction: number): void;
  done(results: TimelineResult[], elapsedMs: number): void;
  error(message: string): void;
}

export function runTimelineInWorker(doc: Topology, policies: (string | null)[], listener: TimelineListener): () => void {
  let worker: Worker | null = new Worker(new URL('./timeline.worker.ts', import.meta.url), { type: 'module', name: 'busboard-timeline' });
  const stop = () => {
    worker?.terminate();
    worker = null;
  };
  worker.onmessage = (event: MessageEvent<TimelineWorkerMessage>) => {
    if (!worker) return;
    const m = event.data;
    if (m.type === 'progress') return listener.progress(m.fraction);
    stop();
    if (m.type === 'done') listener.done(m.results, m.elapsedMs);
    else listener.error(m.message);
  };
  worker.onerror = (e) => {
    stop();
    listener.error(e.message || 'the timeline worker failed to start');
  };
  const start: TimelineStart = { type: 'start', doc, policies };
  worker.postMessage(start);
  return stop;
}
