/**
 * A call edge: a bezier path with a plain SVG label. React Flow's default label measures
 * itself (getBBox) whenever it mounts, and panning a big design mounts labels all the time;
 * this one needs no measuring, and hides when zoomed too far out to read. Calls between
 * bundles are beziers: smooth-step paths on every edge measured 2× slower to pan a
 * 1,000-service design (scripts/bench/canvas.bench.ts).
 */
import { BaseEdge, type EdgeProps, getBezierPath, getSmoothStepPath, type ReactFlowState, useStore } from '@xyflow/react';
import { memo } from 'react';
import { ZoneFlowEdge } from './ZoneFlowEdge.tsx';

const readable = (s: ReactFlowState) => s.transform[2] >= 0.45;

export const CallEdge = memo(function CallEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style, selected, data } = props;
  // A call inside one bundle goes between services stacked in one column: a bezier would hide
  // behind them, a smooth step walks around the side.
  const route = data?.inProcess ? getSmoothStepPath : getBezierPath;
  const [path, midX, midY] = route({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  // An in-bundle call's midpoint lies over the services it joins: put its label beside the column.
  const labelX = data?.inProcess ? Math.max(sourceX, targetX) + 30 : midX;
  const labelY = midY;
  const showLabel = useStore(readable);
  const text = typeof label === 'string' ? label : '';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      {showLabel && text && (
        <g transform={`translate(${labelX} ${labelY})`} className={`call-label${selected ? ' selected' : ''}`}>
          <rect x={-(text.length * 3.3 + 5)} y={-9} width={text.length * 6.6 + 10} height={18} rx={4} />
          <text textAnchor="middle" dominantBaseline="central">
            {text}
          </text>
        </g>
      )}
    </>
  );
});

export const edgeTypes = { call: CallEdge, zoneFlow: ZoneFlowEdge };
