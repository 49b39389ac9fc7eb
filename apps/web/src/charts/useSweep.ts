/** Runs a sweep in the engine worker and keeps the answer to the latest ask. */
import { useEffect, useState } from 'react';
import { sweepInWorker } from '../engine/client.ts';
import type { SweepPoint, SweepRequest } from '../engine/protocol.ts';

export function useSweep(req: SweepRequest | null, key: string): { points: SweepPoint[] | null; error: string | null } {
  const [state, setState] = useState<{ key: string; points: SweepPoint[] | null; error: string | null }>({ key: '', points: null, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the request
  useEffect(() => {
    if (!req) return;
    let live = true;
    const t = setTimeout(() => {
      sweepInWorker(req)
        .then((points) => live && setState({ key, points, error: null }))
        .catch((err: Error) => live && setState({ key, points: null, error: err.message }));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);
  return state.key === key ? state : { points: state.points, error: null };
}
