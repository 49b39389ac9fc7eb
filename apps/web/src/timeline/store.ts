/**
 * The timeline's view state: open or not, the scrubbed minute, the policies shown, the what-if
 * events, and the latest computed day. Never saved into the document (what-ifs are previews
 * until "add to design").
 */
import type { TimelineEventT, TimelineResult } from '@busboard/core';
import { create } from 'zustand';

/** A policy as the selectors hold it: '' is the bundles' own autoscalers, else `autoscalePolicies[].name`. */
export type PolicyKey = string;
export const OWN: PolicyKey = '';

export const policyArg = (key: PolicyKey): string | null => (key === OWN ? null : key);

export interface TimelineRun {
  status: 'idle' | 'running' | 'done' | 'error';
  /** 0–1 while running. */
  progress: number;
  /** One per policy asked, in the order asked (the shown policy first, then the comparison). */
  results: TimelineResult[];
  error: string | null;
  elapsedMs: number | null;
}

interface TimelineState {
  open: boolean;
  minute: number;
  policy: PolicyKey;
  /** A second policy drawn beside the first, or null. */
  compare: PolicyKey | null;
  whatIf: TimelineEventT[];
  run: TimelineRun;
  /** The panel's height in px as the user last set it (remembered in this browser), or null: the default (TimelineResizer). */
  height: number | null;
  toggle(): void;
  setMinute(minute: number): void;
  setPolicy(policy: PolicyKey): void;
  setCompare(policy: PolicyKey | null): void;
  setWhatIf(events: TimelineEventT[]): void;
  setRun(run: Partial<TimelineRun>): void;
  setHeight(height: number | null): void;
}

export const IDLE: TimelineRun = { status: 'idle', progress: 0, results: [], error: null, elapsedMs: null };

const HEIGHT_KEY = 'busboard.timeline.height';

function savedHeight(): number | null {
  try {
    const h = Number(localStorage.getItem(HEIGHT_KEY));
    return Number.isFinite(h) && h > 0 ? h : null;
  } catch {
    return null;
  }
}

export const useTimeline = create<TimelineState>((set) => ({
  open: false,
  minute: 0,
  policy: OWN,
  compare: null,
  whatIf: [],
  run: IDLE,
  height: savedHeight(),
  toggle: () => set((s) => ({ open: !s.open })),
  setMinute: (minute) => set({ minute: Math.max(0, Math.round(minute)) }),
  setPolicy: (policy) => set((s) => ({ policy, compare: s.compare === policy ? null : s.compare })),
  setCompare: (compare) => set({ compare }),
  setWhatIf: (whatIf) => set({ whatIf }),
  setRun: (run) => set((s) => ({ run: { ...s.run, ...run } })),
  setHeight: (height) => {
    const h = height === null ? null : Math.round(height);
    try {
      if (h === null) localStorage.removeItem(HEIGHT_KEY);
      else localStorage.setItem(HEIGHT_KEY, String(h));
    } catch {}
    set({ height: h });
  },
}));
