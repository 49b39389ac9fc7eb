/// <reference lib="webworker" />
/**
 * Runs core's timeline off the main thread, one policy after the other, posting progress at
 * most every 100 ms. Its own worker, not the engine worker's queue: a day can take seconds on a
 * large design, and cancelling it (`terminate`) must not drop the canvas's pending figures.
 */
import '../zod-config.ts';
import { type TimelineResult, timeline } from '@busboard/core';
import type { TimelineStart, TimelineWorkerMessage } from './protocol.ts';

const post = (m: TimelineWorkerMessage) => self.postMessage(m);

self.onmessage = (e: MessageEvent<TimelineStart>) => {
  const { doc, policies } = e.data;
  const started = performance.now();
  let lastPost = started;
  const results: TimelineResult[] = [];
  try {
    for (const [i, policy] of policies.entries()) {
      const r = timeline(doc, {
        ...(policy === null ? {} : { policy }),
        onProgress: (minute, minutes) => {
          const now = performance.now();
          if (now - lastPost < 100) return;
          lastPost = now;
          post({ type: 'progress', fraction: (i + minute / minutes) / policies.length });
        },
      });
      if (!r.ok) {
        post({ type: 'error', message: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') });
        return;
      }
      results.push(r.timeline);
    }
    post({ type: 'done', results, elapsedMs: performance.now() - started });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
