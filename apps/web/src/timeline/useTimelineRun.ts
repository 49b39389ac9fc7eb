/**
 * Keeps the timeline's day computed for the open design while the timeline is open: debounced
 * after each edit or what-if, the previous computation cancelled (its worker stopped).
 */
import type { Topology } from '@busboard/core';
import { useEffect } from 'react';
import { withWhatIf } from './minute.ts';
import { runTimelineInWorker } from './runTimeline.ts';
import { OWN, policyArg, useTimeline } from './store.ts';

/** Edits come in bursts (typing a number): wait this long after the last one. */
export const TIMELINE_DEBOUNCE_MS = 300;

/** The running computation's stop, for the panel's Cancel button. */
let running: (() => void) | null = null;

export function useTimelineRun(doc: Topology): void {
  const open = useTimeline((s) => s.open);
  const policy = useTimeline((s) => s.policy);
  const compare = useTimeline((s) => s.compare);
  const whatIf = useTimeline((s) => s.whatIf);
  useEffect(() => {
    if (!open) return;
    const known = new Set([OWN, ...(doc.autoscalePolicies ?? []).map((p) => p.name)]);
    const keys = [policy, ...(compare !== null && compare !== policy ? [compare] : [])].filter((k) => known.has(k));
    if (!keys.length) keys.push(OWN);
    const { setRun } = useTimeline.getState();
    let cancel: (() => void) | null = null;
    const timer = setTimeout(() => {
      setRun({ status: 'running', progress: 0, error: null });
      const stop = runTimelineInWorker(withWhatIf(doc, whatIf), keys.map(policyArg), {
        progress: (fraction) => setRun({ progress: fraction }),
        done: (results, elapsedMs) => {
          running = null;
          setRun({ status: 'done', results, elapsedMs, progress: 1, error: null });
        },
        error: (message) => {
          running = null;
          setRun({ status: 'error', error: message });
        },
      });
      cancel = stop;
      running = () => {
        stop();
        running = null;
        setRun({ status: 'idle', progress: 0, error: 'stopped: the day shown is from before the last change' });
      };
    }, TIMELINE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      cancel?.();
      running = null;
    };
  }, [open, doc, policy, compare, whatIf]);
}

/** Stops the running computation (the last day computed stays on screen; the next edit starts again). */
export function cancelTimeline(): void {
  running?.();
}
