/** Charts computed by sweeping the engine in its worker: load and replica counts. */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useDesign } from '../designer/context.ts';
import { useSweep } from './useSweep.ts';

const SCALES = Array.from({ length: 15 }, (_, i) => Math.round((0.1 + i * 0.1) * 100) / 100);
const COLORS = { p50: '#2e9d5b', p95: '#d89614', p99: '#d33b3b', rho: '#2f6fed' };

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="muted small chart-empty">{children}</p>;
}

export function LoadChart({ entry }: { entry: string }) {
  const { doc, options } = useDesign();
  const { points, error } = useSweep({ kind: 'loadSweep', doc, options, scales: SCALES }, `${JSON.stringify(options)}|${sweepKey(doc)}`);
  const slo = doc.slo.find((s) => s.entry === entry);
  const data = points?.map((p) => {
    const e = p.result.entries[entry]?.latencyMs;
    const rho = Math.max(0, ...Object.values(p.result.services).map((s) => s.utilization));
    return { x: p.x, p50: e?.p50 ?? null, p95: e?.p95 ?? null, p99: e?.p99 ?? null, rho };
  });
  const hasLatency = data?.some((d) => d.p99 !== null);
  return (
    <figure className="chart" data-testid="chart-load">
      <figcaption>Latency vs load {entry && <span className="muted">({entry})</span>}</figcaption>
      {error && <Empty>{error}</Empty>}
      {!data && !error && <Empty>computing…</Empty>}
      {data && (
        <ResponsiveContainer width="100%" height={190}>
          <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
            <XAxis dataKey="x" tickFormatter={(v: number) => `${v}×`} fontSize={11} />
            <YAxis yAxisId="ms" fontSize={11} hide={!hasLatency} />
            <YAxis yAxisId="rho" orientation="right" domain={[0, 1.2]} fontSize={11} hide={Boolean(hasLatency)} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : '—')} labelFormatter={(v) => `traffic ×${v}`} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {hasLatency ? (
              <>
                <Line yAxisId="ms" dataKey="p50" name="P50 ms" stroke={COLORS.p50} dot={false} connectNulls={false} isAnimationActive={false} />
                <Line yAxisId="ms" dataKey="p95" name="P95 ms" stroke={COLORS.p95} dot={false} connectNulls={false} isAnimationActive={false} />
                <Line yAxisId="ms" dataKey="p99" name="P99 ms" stroke={COLORS.p99} dot={false} connectNulls={false} isAnimationActive={false} />
                {slo?.p99Ms && (
                  <ReferenceLine yAxisId="ms" y={slo.p99Ms} stroke={COLORS.p99} strokeDasharray="4 4" label={{ value: 'SLO P99', fontSize: 10 }} />
                )}
                {slo?.p95Ms && (
                  <ReferenceLine yAxisId="ms" y={slo.p95Ms} stroke={COLORS.p95} strokeDasharray="4 4" label={{ value: 'SLO P95', fontSize: 10 }} />
                )}
              </>
            ) : (
              <>
                <Line yAxisId="rho" dataKey="rho" name="busiest ρ" stroke={COLORS.rho} dot={false} isAnimationActive={false} />
                <ReferenceLine yAxisId="rho" y={1} stroke={COLORS.p99} strokeDasharray="4 4" />
              </>
            )}
          </LineChart>
        </ResponsiveContainer>
      )}
      {data && !hasLatency && <Empty>No end-to-end percentiles from the engine yet: showing the busiest replica's ρ.</Empty>}
    </figure>
  );
}

export function ReplicaCharts({ bundle, entry }: { bundle: string; entry: string }) {
  const { doc, options } = useDesign();
  const b = doc.bundles.find((x) => x.name === bundle);
  const current = b ? Object.values(b.replicas).reduce((n, k) => n + k, 0) : 0;
  const max = Math.max(6, current * 2);
  const counts = Array.from({ length: Math.min(max, 40) }, (_, i) => Math.max(1, Math.round(((i + 1) * max) / Math.min(max, 40))));
  const { points, error } = useSweep(
    b ? { kind: 'replicaSweep', doc, options, bundle, counts } : null,
    `${bundle}|${JSON.stringify(options)}|${sweepKey(doc)}`,
  );
  const cached = b?.services.filter((s) => doc.services.find((x) => x.name === s)?.cache) ?? [];
  const data = points?.map((p) => {
    const row: Record<string, number | null> = { x: p.x };
    row.entryP99 = p.result.entries[entry]?.latencyMs?.p99 ?? null;
    const sojourns = (b?.services ?? []).map((s) => p.result.services[s]?.sojournMs?.p99 ?? null).filter((v): v is number => v !== null);
    row.serviceP99 = sojourns.length ? Math.max(...sojourns) : null;
    row.rho = Math.max(0, ...(b?.services ?? []).map((s) => p.result.services[s]?.utilization ?? 0));
    for (const s of cached) row[`hit:${s}`] = p.result.services[s]?.cacheHitRate ?? null;
    return row;
  });
  const hasP99 = data?.some((d) => d.entryP99 !== null || d.serviceP99 !== null);
  return (
    <>
      <figure className="chart" data-testid="chart-replicas">
        <figcaption>
          P99 vs replicas <span className="muted">({bundle}, spread evenly over its zones)</span>
        </figcaption>
        {error && <Empty>{error}</Empty>}
        {!data && !error && <Empty>computing…</Empty>}
        {data && (
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
              <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
              <XAxis dataKey="x" fontSize={11} />
              <YAxis fontSize={11} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : '—')} labelFormatter={(v) => `${v} replicas`} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {hasP99 ? (
                <>
                  <Line dataKey="entryP99" name={`${entry} P99 ms`} stroke={COLORS.p99} dot={false} isAnimationActive={false} />
                  <Line dataKey="serviceP99" name="bundle's worst service P99 ms" stroke={COLORS.p95} dot={false} isAnimationActive={false} />
                </>
              ) : (
                <Line dataKey="rho" name="busiest ρ" stroke={COLORS.rho} dot={false} isAnimationActive={false} />
              )}
              <ReferenceLine x={current} stroke="#888" strokeDasharray="4 4" label={{ value: 'now', fontSize: 10 }} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </figure>
      <figure className="chart" data-testid="chart-cache">
        <figcaption>Cache hit rate vs replicas</figcaption>
        {cached.length === 0 ? (
          <Empty>No cached service in {bundle}.</Empty>
        ) : (
          data && (
            <ResponsiveContainer width="100%" height={160}>
              <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
                <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
                <XAxis dataKey="x" fontSize={11} />
                <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} fontSize={11} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—')} labelFormatter={(v) => `${v} replicas`} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                {cached.map((s, i) => (
                  <Line
                    key={s}
                    dataKey={`hit:${s}`}
                    name={s}
                    stroke={['#2f6fed', '#8e44ad', '#16a085'][i % 3]}
                    dot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          )
        )}
      </figure>
    </>
  );
}

/** A cheap identity for "the document changed": parsed documents are new objects per edit. */
const ids = new WeakMap<object, number>();
let nextId = 1;
export function sweepKey(doc: object): number {
  let id = ids.get(doc);
  if (!id) {
    id = nextId++;
    ids.set(doc, id);
  }
  return id;
}
