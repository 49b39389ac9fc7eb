/**
 * The engine's results for the open design, recomputed on every edit and what-if.
 *
 * Two passes: the per-service figures (load, placement, utilization, sojourns — one frame's
 * work) run synchronously, so badges update with the edit; the end-to-end composition (entry
 * percentiles against their SLOs) runs in the engine worker and fills in a moment later.
 */
import { type SimulateOptions, type SimulationResult, simulate, type Topology } from '@busboard/core';
import { useEffect, useMemo, useState } from 'react';
import { simulateInWorker, TooSlowError } from '../engine/client.ts';
import { useView } from '../state/view.ts';

export interface Results {
  result: SimulationResult | null;
  /** The full result's entries are for an older edit and are being recomputed. */
  entriesPending: boolean;
  /** Why the end-to-end figures are missing for this design (the engine worker ran out of its time budget), or null. */
  entriesError: string | null;
  error: string | null;
  options: SimulateOptions;
}

export function useResults(parsed: Topology | null): Results {
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const options = useMemo<SimulateOptions>(() => ({ scale, failZones }), [scale, failZones]);

  const fast = useMemo(() => {
    if (!parsed) return { result: null, error: null };
    try {
      return { result: simulate(parsed, { ...options, skipEndToEnd: true }), error: null };
    } catch (err) {
      // An engine bug must not take the designer down: show it and keep editing.
      return { result: null, error: err instanceof Error ? err.message : String(err) };
    }
  }, [parsed, options]);

  const [full, setFull] = useState<{ parsed: Topology; options: SimulateOptions; result: SimulationResult } | null>(null);
  const [slow, setSlow] = useState<{ parsed: Topology; options: SimulateOptions; message: string } | null>(null);
  useEffect(() => {
    if (!parsed) return;
    let live = true;
    const timer = setTimeout(() => {
      simulateInWorker({ kind: 'simulate', doc: parsed, options })
        .then((result) => live && setFull({ parsed, options, result }))
        .catch((err: unknown) => {
          if (live && err instanceof TooSlowError) setSlow({ parsed, options, message: err.message });
        });
    }, 40);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [parsed, options]);

  return useMemo(() => {
    if (!fast.result) return { result: null, entriesPending: false, entriesError: null, error: fast.error, options };
    const current = full !== null && full.parsed === parsed && full.options === options;
    const tooSlow = !current && slow !== null && slow.parsed === parsed && slow.options === options ? slow.message : null;
    const entries = full ? full.result.entries : fast.result.entries;
    // Entries from an older edit would name services that may be gone: keep only live ones.
    const live = current ? entries : Object.fromEntries(Object.entries(entries).filter(([k]) => k in fast.result.services));
    return {
      result: { ...fast.result, entries: Object.keys(fast.result.entries).length && !current ? fast.result.entries : live },
      entriesPending: !current && tooSlow === null,
      entriesError: tooSlow,
      error: null,
      options,
    };
  }, [fast, full, slow, parsed, options]);
}
