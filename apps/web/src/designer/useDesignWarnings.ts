/**
 * The design's warnings, the one list (core's `designWarnings`) the Results tab, its badge,
 * the physical view, the export dialog and `busboard check` all show. The engine's own
 * warnings come with every edit; the `below-recommendation` ones need the replica
 * recommendation, which searches many designs, so it runs in the engine worker shortly after
 * the edits stop, shared by every panel that asks.
 */
import { designWarnings, type Recommendation, type Topology, type Warning } from '@busboard/core';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useDesign } from '../design/context.ts';
import { recommendInWorker } from '../engine/client.ts';

/**
 * Above this many services the recommendation is left to the CLI (`busboard check`): its
 * search would hold the engine worker long enough to delay every other figure.
 */
export const RECOMMEND_LIMIT = 60;

interface Answer {
  doc: Topology;
  scale: number;
  rec: Recommendation | null;
}

let latest: Answer | null = null;
let asked: { doc: Topology; scale: number } | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function ask(doc: Topology, scale: number): void {
  if (asked && asked.doc === doc && asked.scale === scale) return;
  asked = { doc, scale };
  clearTimeout(timer);
  timer = setTimeout(() => {
    const settle = (rec: Recommendation | null) => {
      if (asked?.doc !== doc || asked.scale !== scale) return;
      latest = { doc, scale, rec };
      for (const l of listeners) l();
    };
    recommendInWorker(doc, scale).then(settle, () => settle(null));
  }, 250);
}

export interface DesignWarnings {
  warnings: Warning[];
  /** The recommendation for this exact design is still being computed (an older one is used meanwhile). */
  pending: boolean;
}

export function useDesignWarnings(): DesignWarnings {
  const { doc, result, options } = useDesign();
  const scale = options.scale ?? 1;
  const small = doc.services.length <= RECOMMEND_LIMIT;
  const answer = useSyncExternalStore(subscribe, () => latest);
  useEffect(() => {
    if (small) ask(doc, scale);
  }, [doc, scale, small]);
  return useMemo(() => {
    if (!result) return { warnings: [], pending: false };
    const current = answer !== null && answer.doc === doc && answer.scale === scale;
    // Until this design's recommendation arrives, the previous one stands in: the list does not flicker on every keystroke.
    const rec = small && answer && answer.scale === scale ? answer.rec : null;
    return { warnings: designWarnings(doc, result, rec), pending: small && !current };
  }, [doc, result, scale, small, answer]);
}
