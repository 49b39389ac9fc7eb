/**
 * The DES off the main thread. It runs the simulation in chunks of events and posts progress
 * after each chunk (with the result so far whenever a replication has finished), yielding
 * between chunks. Cancel is `worker.terminate()` from the page: immediate, whatever the chunk.
 */
import '../zod-config.ts';
import { createDesRun, type DesResult } from '@busboard/core';
import { DES_BUDGET_MS, type DesStart, type DesWorkerMessage } from './protocol.ts';

const scope = self as unknown as {
  postMessage(message: DesWorkerMessage): void;
  onmessage: ((event: MessageEvent<DesStart>) => void) | null;
};

/** About 10–30 ms of work per chunk: smooth progress, negligible messaging cost. */
const CHUNK_EVENTS = 150_000;

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.type !== 'start') return;
  const started = performance.now();
  try {
    const run = createDesRun({
      doc: msg.doc,
      seed: msg.seed,
      requests: msg.requests,
      precision: msg.precision,
      scale: msg.scale ?? 1,
      failZones: msg.failZones ?? [],
      ...(msg.async ? { async: msg.async } : {}),
      timeBudgetMs: msg.timeBudgetMs ?? DES_BUDGET_MS,
      now: () => performance.now(),
    });
    let shown: DesResult | null = null;
    const tick = () => {
      try {
        const done = run.step(CHUNK_EVENTS);
        const p = run.progress();
        if (done) {
          scope.postMessage({ type: 'done', result: p.result as DesResult, elapsedMs: performance.now() - started });
          return;
        }
        const fresh = p.result !== shown ? p.result : null;
        shown = p.result;
        scope.postMessage({
          type: 'progress',
          fraction: p.fraction,
          requests: p.requests,
          replications: p.replications,
          events: p.events,
          result: fresh,
        });
        setTimeout(tick, 0);
      } catch (err) {
        scope.postMessage({ type: 'error', message: (err as Error).message });
      }
    };
    tick();
  } catch (err) {
    scope.postMessage({ type: 'error', message: (err as Error).message });
  }
};
