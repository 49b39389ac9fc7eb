/** A small hook over the DES worker: start, cancel, and the latest progress and result. */
import type { DesResult, Topology } from '@busboard/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DesStart, DesWorkerMessage } from './protocol.ts';

export type DesStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface DesState {
  status: DesStatus;
  fraction: number;
  requests: number;
  replications: number;
  events: number;
  result: DesResult | null;
  error: string | null;
  elapsedMs: number | null;
}

const IDLE: DesState = { status: 'idle', fraction: 0, requests: 0, replications: 0, events: 0, result: null, error: null, elapsedMs: null };

export function useDesRun() {
  const [state, setState] = useState<DesState>(IDLE);
  const worker = useRef<Worker | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  const start = useCallback(
    (doc: Topology, options: { seed: number | string; requests: number; precision: number; scale?: number; failZones?: string[] }) => {
      stop();
      const w = new Worker(new URL('./des.worker.ts', import.meta.url), { type: 'module', name: 'busboard-des' });
      worker.current = w;
      setState({ ...IDLE, status: 'running' });
      w.onmessage = (event: MessageEvent<DesWorkerMessage>) => {
        if (worker.current !== w) return;
        const m = event.data;
        if (m.type === 'progress') {
          setState((s) => ({
            ...s,
            fraction: m.fraction,
            requests: m.requests,
            replications: m.replications,
            events: m.events,
            result: m.result ?? s.result,
          }));
        } else if (m.type === 'done') {
          stop();
          setState((s) => ({
            ...s,
            status: 'done',
            fraction: 1,
            requests: m.result.des.requests,
            replications: m.result.des.replications,
            events: m.result.des.events,
            result: m.result,
            elapsedMs: m.elapsedMs,
          }));
        } else {
          stop();
          setState((s) => ({ ...s, status: 'error', error: m.message }));
        }
      };
      w.onerror = (e) => {
        stop();
        setState((s) => ({ ...s, status: 'error', error: e.message || 'the simulation worker failed to start' }));
      };
      const msg: DesStart = { type: 'start', doc, ...options };
      w.postMessage(msg);
    },
    [stop],
  );

  const cancel = useCallback(() => {
    if (!worker.current) return;
    stop();
    setState((s) => ({ ...s, status: 'cancelled' }));
  }, [stop]);

  // A closed panel or a left page stops the work.
  useEffect(() => stop, [stop]);

  return { state, start, cancel };
}
