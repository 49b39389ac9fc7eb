/**
 * The end-to-end P99 of each entry whose analytic figure is an approximation, pinned to the
 * entry's node: flagged (≈) while analytic only, "checking…" while the background simulation
 * runs, then the simulated value with its 99 % interval and which number to trust. Render inside
 * `<ReactFlow>`.
 */
import type { AutoFigure } from '@busboard/core';
import { useInternalNode, ViewportPortal } from '@xyflow/react';
import { serviceId } from '../canvas/ids.ts';
import { useDesign } from '../design/context.ts';
import { flagReasons, interval, ms } from './words.ts';
import './crosscheck.css';

function Badge({
  entry,
  analytic,
  reasons,
  checked,
  running,
}: {
  entry: string;
  analytic: number;
  reasons: string[];
  checked: AutoFigure | null;
  running: boolean;
}) {
  const node = useInternalNode(serviceId(entry));
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const height = node.measured.height ?? 66;
  // Straddles the node's bottom edge, left-aligned under the figures: clear of the ρ and P99 badges.
  const style = { transform: `translate(${x + 8}px, ${y + height}px) translate(0, -45%)` };
  const why = `end-to-end P99 of ${entry}: the analytic ${ms(analytic)} ms is an approximation here (${reasons.join('; ')})`;
  if (checked && checked.des !== null) {
    const trusted = checked.trusted === 'des';
    return (
      <div className="crosscheck-badge done" data-testid={`crosscheck-badge-${entry}`} style={style} title={`${why}; ${checked.why}`}>
        {trusted ? `entry P99 ${ms(checked.des)} ms [${interval(checked.ci)}] · simulated` : `entry P99 ${ms(analytic)} ms · simulation agrees`}
      </div>
    );
  }
  return (
    <div className={`crosscheck-badge ${running ? 'running' : 'approx'}`} data-testid={`crosscheck-badge-${entry}`} style={style} title={why}>
      entry P99 ≈ {ms(analytic)} ms · {running ? 'checking…' : 'approximate'}
    </div>
  );
}

export function CrossCheckBadges() {
  const { result, crossCheck } = useDesign();
  if (!result) return null;
  const flagged = Object.entries(result.entries).flatMap(([entry, e]) => {
    const reasons = flagReasons(e.validity);
    return e.latencyMs && reasons.length ? [{ entry, analytic: e.latencyMs.p99, reasons }] : [];
  });
  if (flagged.length === 0) return null;
  return (
    <ViewportPortal>
      {flagged.map((f) => (
        <Badge
          key={f.entry}
          {...f}
          checked={crossCheck.status === 'done' ? (crossCheck.auto.entries[f.entry]?.p99 ?? null) : null}
          running={crossCheck.status === 'running'}
        />
      ))}
    </ViewportPortal>
  );
}
