/**
 * A call edge: a bezier path with a plain SVG label. React Flow's default label measures
 * itself (getBBox) whenever it mounts, and panning a big design mounts labels all the time;
 * this one needs no measuring, and hides when zoomed too far out to read. Calls between
 * bundles are beziers: smooth-step paths on every edge measured 2× slower to pan a
 * 1,000-service design (scripts/bench/canvas.bench.ts).
 */
import { BaseEdge, type EdgeProps, getBezierPath, type ReactFlowState, useStore } from '@xyflow/react';
import { memo } from 'react';
import { GAP, SERVICE_H } from './geometry.ts';
import { TITLE_HOLES_ID } from './TitleHoles.tsx';
import { ZoneFlowEdge } from './ZoneFlowEdge.tsx';

const readable = (s: ReactFlowState) => s.transform[2] >= 0.45;

export const CallEdge = memo(function CallEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style, selected, data } = props;
  // A call inside one bundle joins services stacked in one column: it leaves on the right,
  // crosses in the gap just past the caller's box and comes down the left side to the callee's
  // handle, so it never runs under a service; its label sits in the gap before the callee, clear of every handle.
  const [path, labelX, labelY] = data?.inProcess
    ? inBundlePath(sourceX, sourceY, targetX, targetY)
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const showLabel = useStore(readable);
  const text = typeof label === 'string' ? label : '';
  return (
    <>
      {/* The drawn path takes no clicks; the wide hit path does, except over bundle titles (TitleHoles.tsx). */}
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={{ ...style, pointerEvents: 'none' }} interactionWidth={0} />
      <path d={path} className="react-flow__edge-interaction" fill="none" strokeOpacity={0} strokeWidth={20} clipPath={`url(#${TITLE_HOLES_ID})`} />
      {showLabel && text && (
        <g transform={`translate(${labelX} ${labelY})`} className={`call-label${data?.event ? ' event-label' : ''}${selected ? ' selected' : ''}`}>
          <rect x={-(text.length * 3.3 + 5)} y={-9} width={text.length * 6.6 + 10} height={18} rx={4} />
          <text textAnchor="middle" dominantBaseline="central">
            {text}
          </text>
        </g>
      )}
    </>
  );
});

/** Source handle on the right, target handle on the left of a box in the same column. */
function inBundlePath(sx: number, sy: number, tx: number, ty: number): [string, number, number] {
  const down = ty >= sy;
  // Half-way through the gap after the caller's box (handles sit at mid-height).
  const gapY = sy + (down ? 1 : -1) * (SERVICE_H / 2 + GAP / 2);
  const right = sx + GAP / 2 + 2;
  const left = tx - GAP / 2 - 2;
  const r = 4;
  const path = [
    `M ${sx} ${sy}`,
    `H ${right}`,
    `V ${gapY}`,
    `H ${left}`,
    `V ${ty + (down ? -r : r)}`,
    `Q ${left} ${ty} ${left + r} ${ty}`,
    `H ${tx}`,
  ].join(' ');
  // The label in the gap just before the callee: two calls from one caller never share a spot.
  return [path, tx + 30, ty + (down ? -1 : 1) * (SERVICE_H / 2 + GAP / 2)];
}

export const edgeTypes = { call: CallEdge, zoneFlow: ZoneFlowEdge };
