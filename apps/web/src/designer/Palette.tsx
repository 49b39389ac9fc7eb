/** Things to add: drag one onto the canvas (a service onto a bundle joins it) or click to add it in free space in view. */
import type { PaletteKind } from '@busboard/core';
import { useReactFlow } from '@xyflow/react';
import { addFromPalette } from '../canvas/Canvas.tsx';
import { BUNDLE_W, bundleHeight, CONSUMER_W, ENDPOINT_H, ENDPOINT_W, GAP, SERVICE_H, STREAM_H, STREAM_W } from '../canvas/geometry.ts';
import { parseEntityId } from '../canvas/ids.ts';
import { freeSpotInView, type Rect, spotBeside, type XY } from '../canvas/placement.ts';
import { useView } from '../state/view.ts';

const ITEMS: { kind: PaletteKind; label: string; icon: string; hint: string }[] = [
  {
    kind: 'service',
    label: 'Service',
    icon: '▭',
    hint: 'a microservice in a new bundle; drop it on a bundle, or click with a bundle selected, to put it there',
  },
  { kind: 'bundle', label: 'Bundle', icon: '⬚', hint: 'an application: services deployed together, replicated per zone' },
  { kind: 'database', label: 'Database', icon: '⛁', hint: 'a sharded database' },
  { kind: 'external', label: 'External', icon: '☁', hint: 'something outside: a delay with no queue' },
  { kind: 'zone', label: 'Zone', icon: '▥', hint: 'an availability zone' },
  {
    kind: 'stream',
    label: 'Stream',
    icon: '≣',
    hint: 'a JetStream stream: it stores the events published on its subjects; drag from a service onto it to publish into it',
  },
  {
    kind: 'consumer',
    label: 'Consumer',
    icon: '⇉',
    hint: 'a JetStream consumer: workers that handle a stream’s events; it reads the selected stream and runs on the selected service (else a new worker service)',
  },
];

/** Screen pixels kept clear at the canvas edges (zoom controls, legend, minimap). */
const INSET = { top: 16, left: 56, right: 16, bottom: 130 };

/** A new box's size; a bundle's with room for one more service (see placeInView). */
function sizeOf(kind: PaletteKind): { w: number; h: number } {
  if (kind === 'service') return { w: BUNDLE_W, h: bundleHeight(2) };
  if (kind === 'bundle') return { w: BUNDLE_W, h: bundleHeight(1) };
  if (kind === 'stream') return { w: STREAM_W, h: STREAM_H + 12 };
  // A consumer may bring its worker service's bundle, right of it.
  if (kind === 'consumer') return { w: CONSUMER_W + 30 + BUNDLE_W, h: bundleHeight(1) };
  return { w: ENDPOINT_W, h: ENDPOINT_H };
}

/**
 * Where a clicked palette item lands: free space in the visible part of the canvas, in
 * reading order; when the view is full, beside everything, and the view zooms out to show it.
 * A bundle is held one service taller than it is, so adding a service to it later does not
 * push it onto its neighbour below.
 */
function placeInView(rf: ReturnType<typeof useReactFlow>, kind: PaletteKind): { position: XY; refit: boolean } | undefined {
  const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
  if (!el) return undefined;
  // The zone key sits over the canvas's top-left corner: a new box lands below it, its name readable.
  const key = document.querySelector('[data-testid="zone-key"]')?.getBoundingClientRect();
  const top = Math.max(INSET.top, key ? key.bottom - el.top + 12 : 0);
  const a = rf.screenToFlowPosition({ x: el.left + INSET.left, y: el.top + top });
  const b = rf.screenToFlowPosition({ x: el.right - INSET.right, y: el.bottom - INSET.bottom });
  const view = { x: a.x, y: a.y, w: Math.max(0, b.x - a.x), h: Math.max(0, b.y - a.y) };
  const occupied: Rect[] = [];
  for (const n of rf.getNodes()) {
    if (n.parentId || n.type === 'lane') continue;
    const internal = rf.getInternalNode(n.id);
    if (!internal) continue;
    const p = internal.internals.positionAbsolute;
    const h = internal.measured.height ?? n.height ?? ENDPOINT_H;
    occupied.push({ x: p.x, y: p.y, w: internal.measured.width ?? n.width ?? BUNDLE_W, h: n.type === 'bundle' ? h + SERVICE_H + GAP : h });
  }
  const size = sizeOf(kind);
  const free = freeSpotInView(view, occupied, size, besideSelection(rf));
  return free ? { position: free, refit: false } : { position: spotBeside(view, occupied), refit: true };
}

/** Just right of the selected box (a selected service's bundle), where the next thing reads as following it. */
function besideSelection(rf: ReturnType<typeof useReactFlow>): XY | undefined {
  const id = useView.getState().selection[0];
  const node = id ? rf.getInternalNode(id) : undefined;
  const top = node?.parentId ? rf.getInternalNode(node.parentId) : node;
  if (!top) return undefined;
  const p = top.internals.positionAbsolute;
  return { x: p.x + (top.measured.width ?? BUNDLE_W), y: p.y };
}

export function Palette() {
  const rf = useReactFlow();
  return (
    <nav className="palette" aria-label="Add to the design">
      <div className="palette-title">Add</div>
      {ITEMS.map((it) => (
        <button
          key={it.kind}
          type="button"
          draggable={it.kind !== 'zone'}
          title={it.hint}
          data-testid={`palette-${it.kind}`}
          onDragStart={(e) => {
            e.dataTransfer.setData('application/x-busboard-palette', it.kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => {
            // A service clicked in while one bundle is selected joins that bundle.
            const selected = useView.getState().selection;
            const into = it.kind === 'service' && selected.length === 1 ? (parseEntityId(selected[0] ?? '') ?? undefined) : undefined;
            const bundle = into?.kind === 'bundle' ? into.name : undefined;
            const spot = it.kind === 'zone' || bundle ? undefined : placeInView(rf, it.kind);
            addFromPalette(it.kind, spot?.position, [], bundle);
            // No room in view: zoom out (never in) so the new thing and the rest are all on screen.
            if (spot?.refit) setTimeout(() => void rf.fitView({ padding: 0.15, maxZoom: rf.getZoom(), duration: 200 }), 50);
          }}
        >
          <span className="palette-icon" aria-hidden>
            {it.icon}
          </span>
          {it.label}
        </button>
      ))}
    </nav>
  );
}
