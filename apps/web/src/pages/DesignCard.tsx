/**
 * One row of the designs list: a thumbnail, the name, when it changed, and how it stands
 * (headroom and SLOs at today's traffic), computed in the engine worker once per revision.
 */
import { parseTopology, type SimulationResult, type Topology } from '@busboard/core';
import { useQuery } from '@tanstack/react-query';
import { simulateInWorker } from '../engine/client.ts';
import { useTRPCClient } from '../trpc.ts';
import { thumbnail } from './thumbnail.ts';

export interface CardStatus {
  headroom: number | null;
  slo: 'met' | 'missed' | 'none';
}

export function statusOf(result: SimulationResult): CardStatus {
  // Every SLO the design sets: the entries' and, with traffic classes, each class's (slo[].class).
  const slos = Object.values(result.entries).flatMap((e) => [
    ...(e.slo ? [e.slo.met] : []),
    ...Object.values(e.classes ?? {}).flatMap((c) => (c.slo ? [c.slo.met] : [])),
  ]);
  return { headroom: result.headroom, slo: slos.length === 0 ? 'none' : slos.every(Boolean) ? 'met' : 'missed' };
}

/** The document and its status for one design revision (cached by id and revision). */
export function useDesignCard(id: string, revision: number) {
  const client = useTRPCClient();
  return useQuery({
    queryKey: ['design-card', id, revision],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async (): Promise<{ doc: Topology; status: CardStatus } | null> => {
      const d = await client.designs.get.query({ id, revision });
      const parsed = parseTopology(d.doc);
      if (!parsed.ok) return null;
      const result = await simulateInWorker({ kind: 'simulate', doc: parsed.doc, options: {} });
      return { doc: parsed.doc, status: statusOf(result) };
    },
  });
}

export function Thumb({ doc }: { doc: Topology | undefined }) {
  const t = doc ? thumbnail(doc) : null;
  return (
    <svg className="design-thumb" viewBox="0 0 120 64" width={120} height={64} aria-hidden="true">
      {t?.lines.map((l) => (
        <line key={`${l.x1},${l.y1},${l.x2},${l.y2}`} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} />
      ))}
      {t?.boxes.map((b) => (
        <rect key={b.name} x={b.x} y={b.y} width={b.w} height={b.h} rx={2} />
      ))}
    </svg>
  );
}

export function StatusChips({ status }: { status: CardStatus | undefined }) {
  if (!status) return <span className="muted small">…</span>;
  const h = status.headroom;
  return (
    <span className="design-status">
      <span
        className={`chip ${h === null ? '' : h < 1 ? 'bad' : h < 1.3 ? 'warn' : 'good'}`}
        title="how far traffic can grow before the first replica saturates"
      >
        {h === null ? 'no load' : `headroom ${h.toFixed(2)}×`}
      </span>
      <span className={`chip ${status.slo === 'met' ? 'good' : status.slo === 'missed' ? 'bad' : ''}`}>
        {status.slo === 'none' ? 'no SLO' : `SLO ${status.slo}`}
      </span>
    </span>
  );
}
