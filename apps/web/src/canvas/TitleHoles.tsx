/**
 * Call edges draw above their bundle (React Flow lifts edges between child nodes over the
 * parent), so an edge crossing a bundle's title caught the clicks meant for the title. One
 * shared clip path, the whole plane less every bundle's title row, clips each call's hit area
 * (SVG hit-testing honours clip paths): over a title the click reaches the title, the edge
 * still shows. The path is rebuilt only when the nodes change, never on a pan.
 */
import { type ReactFlowState, useStore } from '@xyflow/react';
import { useMemo } from 'react';
import { BUNDLE_W } from './geometry.ts';

export const TITLE_HOLES_ID = 'bundle-title-holes';
/** The bundle title row's height (`.bundle-label`: 6 + 20 + 4 px). */
const TITLE_H = 30;
const FAR = 1e7;

const nodesOf = (s: ReactFlowState) => s.nodes;

export function BundleTitleHoles() {
  const nodes = useStore(nodesOf);
  const d = useMemo(() => {
    const holes = nodes
      .filter((n) => n.type === 'bundle' && !n.parentId)
      .map((n) => {
        const w = n.measured?.width ?? BUNDLE_W;
        return `M${n.position.x} ${n.position.y}h${w}v${TITLE_H}h${-w}Z`;
      });
    return `M${-FAR} ${-FAR}H${FAR}V${FAR}H${-FAR}Z${holes.join('')}`;
  }, [nodes]);
  return (
    <svg width="0" height="0" style={{ position: 'absolute' }} aria-hidden="true">
      <defs>
        <clipPath id={TITLE_HOLES_ID} clipPathUnits="userSpaceOnUse">
          <path d={d} clipRule="evenodd" />
        </clipPath>
      </defs>
    </svg>
  );
}
