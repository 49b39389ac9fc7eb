/** Things to add: drag one onto the canvas (a service onto a bundle joins it) or click to add. */
import type { PaletteKind } from '@busboard/core';
import { useReactFlow } from '@xyflow/react';
import { addFromPalette } from '../canvas/Canvas.tsx';

const ITEMS: { kind: PaletteKind; label: string; icon: string; hint: string }[] = [
  { kind: 'service', label: 'Service', icon: '▭', hint: 'a microservice; drop it on a bundle to put it there' },
  { kind: 'bundle', label: 'Bundle', icon: '⬚', hint: 'an application: services deployed together, replicated per zone' },
  { kind: 'database', label: 'Database', icon: '⛁', hint: 'a sharded database' },
  { kind: 'external', label: 'External', icon: '☁', hint: 'something outside: a delay with no queue' },
  { kind: 'zone', label: 'Zone', icon: '▥', hint: 'an availability zone' },
];

/** The first spot near `p` where a new box overlaps nothing already on the canvas. */
function freeSpotWith(rf: ReturnType<typeof useReactFlow>, p: { x: number; y: number }) {
  for (let k = 0; k < 40; k++) {
    const c = { x: p.x + (k % 8) * 70, y: p.y + Math.floor(k / 8) * 150 };
    if (rf.getIntersectingNodes({ x: c.x, y: c.y, width: 260, height: 130 }).length === 0) return c;
  }
  return p;
}

export function Palette() {
  const rf = useReactFlow();
  const freeSpot = (p: { x: number; y: number }) => freeSpotWith(rf, p);
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
            const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
            const centre = el ? rf.screenToFlowPosition({ x: el.left + el.width / 3, y: el.top + el.height / 3 }) : undefined;
            addFromPalette(it.kind, it.kind === 'zone' || !centre ? undefined : freeSpot(centre));
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
