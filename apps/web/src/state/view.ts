/**
 * What the user is looking at and asking about: the view, the selection, what-if settings.
 * Never saved into the document (STYLE.md: saved state apart from derived state).
 */
import { create } from 'zustand';

export type ViewKind = 'logical' | 'physical';
export type PanelTab = 'inspect' | 'results' | 'charts';

/** Below this window width the side panel starts collapsed, leaving the canvas the room (until opened). */
export const PANEL_AUTO_OPEN_WIDTH = 1200;

/** Whether the window is wide enough for the side panel to start open. */
export function wideWindow(): boolean {
  return typeof window === 'undefined' || window.innerWidth >= PANEL_AUTO_OPEN_WIDTH;
}

interface ViewState {
  view: ViewKind;
  /** Selected entity ids (`svc:…`, `bundle:…`, `db:…`, `ext:…`, `zone:…`) and call ids (`call:FROM#INDEX`). */
  selection: string[];
  tab: PanelTab;
  /**
   * The side panel opened (true) or collapsed (false) by the user; null until they do, when it
   * follows the window width (`PANEL_AUTO_OPEN_WIDTH`). Selecting something or a tab opens it.
   */
  panelOpen: boolean | null;
  /** Traffic multiplier for what-ifs (1 = as designed). */
  scale: number;
  failZones: string[];
  /** Async what-ifs (schema v3): a burst of this many events on every stream (0: none). */
  eventBurst: number;
  /** Async what-ifs: every consumer down for this many seconds, then back (0: none). */
  consumerOutageSeconds: number;
  /** Bumped to ask the canvas to fit the view (after select-all, search, layout). */
  fitRequest: number;
  /** Bumped to ask the canvas to centre on the first selected node. */
  focusRequest: number;
  setView(view: ViewKind): void;
  select(ids: string[]): void;
  setTab(tab: PanelTab): void;
  /** Collapses an open side panel, opens a collapsed one. */
  togglePanel(): void;
  setScale(scale: number): void;
  toggleZone(zone: string): void;
  setEventBurst(events: number): void;
  setConsumerOutage(seconds: number): void;
  resetWhatIf(): void;
  requestFit(): void;
  focus(ids: string[]): void;
}

export const useView = create<ViewState>((set, get) => ({
  view: 'logical',
  selection: [],
  tab: 'results',
  panelOpen: null,
  scale: 1,
  failZones: [],
  eventBurst: 0,
  consumerOutageSeconds: 0,
  fitRequest: 0,
  focusRequest: 0,
  setView: (view) => set({ view, fitRequest: get().fitRequest + 1 }),
  select: (ids) => {
    const cur = get().selection;
    const unique = [...new Set(ids)];
    if (cur.length === unique.length && unique.every((id) => cur.includes(id))) return;
    ids = unique;
    set({
      selection: ids,
      ...(ids.length > 0 ? { panelOpen: true } : {}),
      ...(ids.length > 0 && get().tab === 'results' ? { tab: 'inspect' as const } : {}),
    });
  },
  setTab: (tab) => set({ tab, panelOpen: true }),
  togglePanel: () => set({ panelOpen: !(get().panelOpen ?? wideWindow()) }),
  setScale: (scale) => set({ scale }),
  toggleZone: (zone) => {
    const cur = get().failZones;
    set({ failZones: cur.includes(zone) ? cur.filter((z) => z !== zone) : [...cur, zone] });
  },
  setEventBurst: (eventBurst) => set({ eventBurst: Math.max(0, eventBurst) }),
  setConsumerOutage: (consumerOutageSeconds) => set({ consumerOutageSeconds: Math.max(0, consumerOutageSeconds) }),
  resetWhatIf: () => set({ scale: 1, failZones: [], eventBurst: 0, consumerOutageSeconds: 0 }),
  requestFit: () => set({ fitRequest: get().fitRequest + 1 }),
  // Focusing from a panel (a warning, a search hit) keeps the panel the user is reading.
  focus: (ids) => set({ selection: ids, focusRequest: get().focusRequest + 1 }),
}));

/** Call ids live with every other canvas id (canvas/ids.ts); re-exported for the panels that select calls. */
export { callId, parseCallId } from '../canvas/ids.ts';
