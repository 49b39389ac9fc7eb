/**
 * Measured figures pinned under each service node while a rehearsal runs and after it: ρ and
 * request rate (design time) beside the model's ρ, coloured by the error against the panel's
 * tolerance. Render inside `<ReactFlow>`.
 */
import { measuredAtBusiest } from '@busboard/core';
import { useInternalNode, ViewportPortal } from '@xyflow/react';
import { serviceId } from '../canvas/ids.ts';
import { useDesign } from '../design/context.ts';
import { errorClass } from './format.ts';
import { useRehearsal } from './state.ts';

/** The error class as the shared node badge's tone (canvas/nodes.css). */
const TONE = { ok: 'tone-ok', near: 'tone-warn', off: 'tone-bad', none: '' } as const;

interface Figure {
  service: string;
  rho: number;
  rps: number;
  predictedRho: number | null;
}

function Badge({ f, tolerance, final }: { f: Figure; tolerance: number; final: boolean }) {
  const node = useInternalNode(serviceId(f.service));
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const height = node.measured.height ?? 60;
  const error = f.predictedRho !== null && f.rho > 0 ? (f.predictedRho - f.rho) / f.rho : null;
  return (
    <div
      className={`node-badge ${final ? TONE[errorClass(error, tolerance)] : ''}`}
      data-testid={`measured-badge-${f.service}`}
      style={{ transform: `translate(${x + 10}px, ${y + height}px) translate(0, -55%)` }}
      title={`measured ρ ${f.rho.toFixed(3)}${f.predictedRho !== null ? `, model ${f.predictedRho.toFixed(3)}` : ''} at ${f.rps.toFixed(1)} req/s (design time)`}
    >
      {final ? 'measured' : 'so far'} ρ {f.rho.toFixed(2)} · {f.rps.toFixed(0)} rps
    </div>
  );
}

export function RehearsalBadges() {
  const run = useRehearsal((s) => s.run);
  const tolerance = useRehearsal((s) => s.tolerance);
  const { result } = useDesign();
  if (!run) return null;
  let figures: Figure[] = [];
  const report = run.report;
  if (report) {
    figures = Object.entries(report.measured.services).map(([service, m]) => ({
      service,
      rho: measuredAtBusiest(report.predicted, report.measured, service) ?? m.utilization,
      rps: m.arrivalRps,
      predictedRho: report.predicted.services[service]?.utilization ?? null,
    }));
  } else if (run.state === 'running') {
    figures = Object.entries(run.progress?.services ?? {}).map(([service, s]) => ({
      service,
      rho: s.utilization,
      rps: s.arrivalRps,
      predictedRho: result?.services[service]?.utilization ?? null,
    }));
  }
  if (figures.length === 0) return null;
  return (
    <ViewportPortal>
      {figures.map((f) => (
        <Badge key={f.service} f={f} tolerance={tolerance} final={Boolean(report)} />
      ))}
    </ViewportPortal>
  );
}
