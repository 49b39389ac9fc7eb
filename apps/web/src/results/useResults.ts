/**
 * The engine's results for the open design, recomputed on every edit and what-if: a thin
 * `useSyncExternalStore` over the results controller (controller.ts), which owns the passes.
 */
import type { SimulateOptions, Topology } from '@busboard/core';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useView } from '../state/view.ts';
import { createResultsController, type Results, type ResultsController } from './controller.ts';
import { browserEngine } from './engine.ts';

export function useResults(parsed: Topology | null): Results & { controller: ResultsController } {
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const eventBurst = useView((s) => s.eventBurst);
  const outage = useView((s) => s.consumerOutageSeconds);
  const options = useMemo<SimulateOptions>(() => {
    const async = { ...(eventBurst > 0 ? { eventBurst } : {}), ...(outage > 0 ? { consumerOutageSeconds: outage } : {}) };
    return { scale, failZones, ...(Object.keys(async).length ? { async } : {}) };
  }, [scale, failZones, eventBurst, outage]);
  const [controller] = useState(() => createResultsController(browserEngine));
  const getSnapshot = useCallback(() => controller.getSnapshot(parsed, options), [controller, parsed, options]);
  const results = useSyncExternalStore(controller.subscribe, getSnapshot);
  useEffect(() => controller.setInput(parsed, options), [controller, parsed, options]);
  useEffect(() => () => controller.dispose(), [controller]);
  return useMemo(() => ({ ...results, controller }), [results, controller]);
}
