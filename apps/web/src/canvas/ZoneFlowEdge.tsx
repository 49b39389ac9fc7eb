/**
 * Cross-zone traffic in the physical view: an arc over the lanes from one zone's top to
 * another's, as thick as its share of the heaviest flow. Flows in the two directions between
 * the same zones arc at different heights so both stay readable.
 */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

const HEAD = 14;

export const ZoneFlowEdge = memo(function ZoneFlowEdge({ id, sourceX, sourceY, targetX, targetY, label, style }: EdgeProps) {
  const lift = 50 + Math.abs(targetX - sourceX) * 0.18 + (sourceX < targetX ? 0 : 34);
  const top = Math.min(sourceY, targetY) - lift;
  // The arc comes down vertically onto the target lane; the arrowhead finishes it.
  const end = targetY - HEAD;
  const path = `M ${sourceX} ${sourceY} C ${sourceX} ${top}, ${targetX} ${top}, ${targetX} ${end}`;
  // The curve's highest point (t = ½ of the cubic) is where the label sits.
  const labelX = (sourceX + targetX) / 2;
  const labelY = (sourceY + targetY) / 8 + (3 * top) / 4;
  return (
    <>
      <BaseEdge id={id} path={path} style={style} />
      <path className="zone-flow-head" d={`M ${targetX - 8} ${end} L ${targetX + 8} ${end} L ${targetX} ${targetY} Z`} />
      <EdgeLabelRenderer>
        <div className="zone-flow-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
          {label}
        </div>
      </EdgeLabelRenderer>
    </>
  );
});
