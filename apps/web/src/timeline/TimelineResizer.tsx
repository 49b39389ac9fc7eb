/**
 * The timeline's height: a handle on its top edge, dragged or moved with the keyboard
 * (↑/↓ 20 px, Page Up/Down 80 px, Home/End the least and the most; a double click or Enter
 * back to the default). The height set is remembered in this browser (store.ts). The canvas
 * above always keeps CANVAS_KEEP px: the panel never grows past that, and the default
 * (timeline.css) is about a third of the room, at most 320 px.
 */
import { useEffect, useRef, useState } from 'react';
import { useTimeline } from './store.ts';

/** The least height: the header, the scrubber and a line of the charts. */
export const MIN_HEIGHT = 120;
/** What the canvas-wrap keeps above the panel (the canvas and the what-if bar); timeline.css says the same. */
export const CANVAS_KEEP = 240;

const clamp = (h: number, max: number) => Math.round(Math.max(MIN_HEIGHT, Math.min(max, h)));

export function TimelineResizer() {
  const handle = useRef<HTMLDivElement>(null);
  const setHeight = useTimeline((s) => s.setHeight);
  const day = useTimeline((s) => s.run.results);
  const [shown, setShown] = useState({ now: 0, max: 0 });
  const room = () => {
    const panel = handle.current?.parentElement;
    return panel ? roomOf(panel) : null;
  };
  // The height as laid out (the default, or the one set, capped by the room there is), for the separator's value.
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again when a new day's charts replace the last
  useEffect(() => {
    const panel = handle.current?.parentElement;
    if (!panel?.parentElement) return;
    const measure = () => setShown(roomOf(panel));
    const ro = new ResizeObserver(measure);
    ro.observe(panel);
    ro.observe(panel.parentElement);
    measure();
    return () => ro.disconnect();
  }, [day]);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator (a splitter) has no element of its own; <hr> takes no keys
    <div
      ref={handle}
      className="tl-resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Timeline height"
      aria-valuemin={MIN_HEIGHT}
      aria-valuemax={Math.max(MIN_HEIGHT, shown.max)}
      aria-valuenow={shown.now}
      aria-valuetext={`${shown.now} px`}
      tabIndex={0}
      title="Drag, or ↑/↓, to resize the timeline; double-click for the default height"
      data-testid="tl-resize"
      onDoubleClick={() => setHeight(null)}
      onKeyDown={(e) => {
        const r = room();
        if (!r) return;
        const step = { ArrowUp: 20, ArrowDown: -20, PageUp: 80, PageDown: -80 }[e.key];
        let next: number | null | undefined;
        if (step !== undefined) next = clamp(r.now + step * (e.shiftKey ? 4 : 1), r.max);
        else if (e.key === 'Home') next = MIN_HEIGHT;
        else if (e.key === 'End') next = clamp(r.max, r.max);
        else if (e.key === 'Enter') next = null;
        if (next === undefined) return;
        e.preventDefault();
        setHeight(next);
      }}
      onPointerDown={(e) => {
        const r = room();
        if (!r || e.button !== 0) return;
        e.preventDefault();
        const el = e.currentTarget;
        el.setPointerCapture(e.pointerId);
        el.focus();
        const y0 = e.clientY;
        const move = (m: PointerEvent) => setHeight(clamp(r.now + (y0 - m.clientY), r.max));
        const up = () => {
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
          el.removeEventListener('pointercancel', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
        el.addEventListener('pointercancel', up);
      }}
    />
  );
}

/**
 * The panel's height now and the most it may take: the canvas-wrap's height less what the
 * canvas keeps, and never more than its content needs (no empty band under the charts).
 */
function roomOf(panel: HTMLElement): { now: number; max: number } {
  const now = panel.offsetHeight;
  const wrap = panel.parentElement?.clientHeight ?? now;
  const body = panel.querySelector<HTMLElement>('.tl-body');
  let content = Number.POSITIVE_INFINITY;
  if (body) {
    const inner = Math.max(0, ...Array.from(body.children, (c) => (c as HTMLElement).offsetHeight));
    const pad = Number.parseFloat(getComputedStyle(body).paddingBottom) || 0;
    content = now - body.clientHeight + inner + pad;
  }
  return { now: Math.round(now), max: Math.round(Math.max(MIN_HEIGHT, Math.min(wrap - CANVAS_KEEP, content))) };
}
