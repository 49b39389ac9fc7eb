/** The per-hop latency budget of one entry as a waterfall, against its SLO. */
import { latencyBudget } from '@busboard/core';
import { useMemo } from 'react';
import { formatMs } from '../canvas/adapter.ts';
import { useDesign } from '../design/context.ts';

const KIND_COLOR = { service: 'var(--accent)', network: 'var(--muted)', database: '#8e44ad', external: '#d89614' } as const;

export function BudgetChart({ entry }: { entry: string }) {
  const { doc, result } = useDesign();
  const rows = useMemo(() => latencyBudget(doc, result, entry), [doc, result, entry]);
  const slo = doc.slo.find((s) => s.entry === entry);
  const limit = slo?.p99Ms ?? slo?.p95Ms ?? slo?.p50Ms;
  const total = Math.max(0, ...rows.map((r) => r.startMs + r.durationMs));
  const span = Math.max(total, limit ?? 0) * 1.05 || 1;
  const e = result?.entries[entry];
  return (
    <figure className="chart" data-testid="chart-budget">
      <figcaption>
        Latency budget <span className="muted">({entry}, mean per hop)</span>
      </figcaption>
      <div className="waterfall">
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional (one hop may appear twice)
          <div className="wf-row" key={`${r.label}#${i}`} title={`${r.label}: ${formatMs(r.durationMs)} from ${formatMs(r.startMs)}`}>
            <span className="wf-label" style={{ paddingLeft: r.depth * 8 }}>
              {r.label}
            </span>
            <span className="wf-track">
              <span
                className="wf-bar"
                style={{
                  left: `${(r.startMs / span) * 100}%`,
                  width: `${Math.max(0.5, (r.durationMs / span) * 100)}%`,
                  background: KIND_COLOR[r.kind],
                }}
              />
            </span>
            <span className="wf-ms">{formatMs(r.durationMs)}</span>
          </div>
        ))}
        {limit !== undefined && <div className="wf-slo" style={{ left: `calc(36% + ${(limit / span) * 44}%)` }} title={`SLO ${limit} ms`} />}
      </div>
      <p className="small">
        Mean path {formatMs(total)}
        {limit !== undefined && (
          <>
            {' '}
            · SLO {slo?.p99Ms ? 'P99' : slo?.p95Ms ? 'P95' : 'P50'} {limit} ms
          </>
        )}
        {e?.latencyMs && (
          <>
            {' '}
            · composed P99 <strong className={e.slo && !e.slo.met ? 'error' : ''}>{formatMs(e.latencyMs.p99)}</strong>
          </>
        )}
      </p>
    </figure>
  );
}
