/** Charts computed by sweeping the engine in its worker: load and replica counts. */
import { useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatRate } from '../canvas/adapter.ts';
import { useDesign } from '../design/context.ts';
import { loadSeries, replicaSeries, type SweepRow } from './series.ts';
import { useSweep } from './useSweep.ts';

const SCALES = Array.from({ length: 15 }, (_, i) => Math.round((0.1 + i * 0.1) * 100) / 100);
const COLORS = { p50: '#2e9d5b', p95: '#d89614', p99: '#d33b3b', rho: '#2f6fed', cpu: '#8e44ad', sat: '#d33b3b', ok: '#2e9d5b' };

const formatRps = (v: number) => (v >= 1000 ? formatRate(v) : v.toFixed(0));
const sloLabel = (value: string) => ({ value, fontSize: 10, position: 'insideTopLeft' as const, fill: COLORS.p99 });

/** Half a step either side of the saturated points, so a single saturated count is still a visible band. */
function bandStep(rows: { x: number }[]): number {
  return rows.length > 1 ? Math.abs((rows[1]?.x ?? 0) - (rows[0]?.x ?? 0)) / 2 : 0.5;
}

function SaturatedBand({ band, step }: { band: { from: number; to: number }; step: number }) {
  return (
    <ReferenceArea
      x1={band.from - step}
      x2={band.to + step}
      fill={COLORS.sat}
      fillOpacity={0.13}
      stroke={COLORS.sat}
      strokeOpacity={0.35}
      ifOverflow="hidden"
      label={{ value: 'saturated', fontSize: 10, fill: COLORS.sat, position: 'insideTop' }}
    />
  );
}

/** Tooltip naming a saturated point as such (no figure to show there). */
function SweepTooltip({ active, payload, unit }: { active?: boolean; payload?: readonly { payload?: unknown }[]; unit: string }) {
  const row = payload?.[0]?.payload as (SweepRow & Record<string, unknown>) | undefined;
  if (!active || !row) return null;
  const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} ms`);
  return (
    <div className="chart-tip">
      <strong>{unit === 'rps' ? `${formatRps(row.x)} rps (×${row.scale})` : `${row.x} replicas`}</strong>
      {row.saturated ? (
        <div className="error">saturated: {row.why}</div>
      ) : (
        <div>
          P50 {ms(row.p50)} · P95 {ms(row.p95)} · P99 {ms(row.entryP99)}
        </div>
      )}
      <div className="muted">
        ρ {row.rho.toFixed(2)} · CPU {(row.cpu * 100).toFixed(0)}%
      </div>
    </div>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="muted small chart-empty">{children}</p>;
}

export function LoadChart({ entry }: { entry: string }) {
  const { doc, options } = useDesign();
  const { points, error } = useSweep({ kind: 'loadSweep', doc, options, scales: SCALES }, `${JSON.stringify(options)}|${sweepKey(doc)}`);
  const slo = doc.slo.find((s) => s.entry === entry);
  const series = useMemo(() => (points ? loadSeries(points, { entry, slo: slo?.p99Ms ?? slo?.p95Ms ?? null }) : null), [points, entry, slo]);
  const hasLatency = series?.rows.some((d) => d.entryP99 !== null);
  const data = series?.rows.map((r) => ({ ...r, p99: r.entryP99, mark: r.saturated ? (hasLatency ? series.yMax : 1.2) * 0.97 : null }));
  const yTop = hasLatency ? (series?.yMax ?? 1) : Math.max(1.2, ...(data ?? []).map((d) => Math.max(d.rho, d.cpu) * 1.05));
  return (
    <figure className="chart" data-testid="chart-load">
      <figcaption>Latency vs load {entry && <span className="muted">({entry}, requests per second)</span>}</figcaption>
      {error && <Empty>{error}</Empty>}
      {!data && !error && <Empty>computing…</Empty>}
      {data && series && (
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 12, left: -4 }}>
            <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(v: number) => formatRps(v)}
              fontSize={11}
              label={{ value: `${entry} rps`, position: 'insideBottom', offset: -6, fontSize: 10 }}
            />
            <YAxis domain={[0, yTop]} fontSize={11} allowDataOverflow />
            <Tooltip content={<SweepTooltip unit="rps" />} />
            <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={22} />
            {series.band && <SaturatedBand band={series.band} step={bandStep(data)} />}
            {hasLatency ? (
              <>
                <Line dataKey="p50" name="P50 ms" stroke={COLORS.p50} dot={false} connectNulls={false} isAnimationActive={false} />
                <Line dataKey="p95" name="P95 ms" stroke={COLORS.p95} dot={false} connectNulls={false} isAnimationActive={false} />
                <Line dataKey="p99" name="P99 ms" stroke={COLORS.p99} dot={false} connectNulls={false} isAnimationActive={false} />
                {slo?.p99Ms && <ReferenceLine y={slo.p99Ms} stroke={COLORS.p99} strokeDasharray="4 4" label={sloLabel(`SLO P99 ${slo.p99Ms} ms`)} />}
                {slo?.p95Ms && <ReferenceLine y={slo.p95Ms} stroke={COLORS.p95} strokeDasharray="4 4" label={sloLabel(`SLO P95 ${slo.p95Ms} ms`)} />}
              </>
            ) : (
              <>
                <Line dataKey="rho" name="busiest ρ" stroke={COLORS.rho} dot={false} isAnimationActive={false} />
                <Line dataKey="cpu" name="busiest CPU" stroke={COLORS.cpu} dot={false} isAnimationActive={false} />
                <ReferenceLine y={1} stroke={COLORS.p99} strokeDasharray="4 4" />
              </>
            )}
            {series.band && <Scatter dataKey="mark" name="saturated" fill={COLORS.sat} shape="cross" isAnimationActive={false} legendType="cross" />}
            <ReferenceLine
              x={data.find((d) => d.scale === 1)?.x}
              stroke="#888"
              strokeDasharray="4 4"
              label={{ value: 'now', fontSize: 10, position: 'insideBottomRight' }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
      {data && !hasLatency && <Empty>No end-to-end percentiles from the engine yet: showing the busiest replica's ρ and CPU.</Empty>}
      {series?.band && (
        <p className="small chart-note" data-testid="chart-load-saturated">
          Saturated from {formatRps(series.band.from)} rps ({series.rows.find((r) => r.saturated)?.why}): no latency there.
        </p>
      )}
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
  const sloMs = doc.slo.find((s) => s.entry === entry)?.p99Ms ?? null;
  const series = useMemo(
    () => (points && b ? replicaSeries(points, { entry, bundle, services: b.services, slo: sloMs }) : null),
    [points, b, entry, bundle, sloMs],
  );
  const hasP99 = series?.rows.some((d) => d.entryP99 !== null);
  const yTop = hasP99 ? (series?.yMax ?? 1) : Math.max(1.2, ...(series?.rows ?? []).map((d) => Math.max(d.rho, d.cpu) * 1.05));
  const data = series?.rows.map((r, i) => {
    const row: Record<string, number | string | boolean | null> = { ...r, mark: r.saturated ? yTop * 0.97 : null };
    for (const s of cached) row[`hit:${s}`] = points?.[i]?.result.services[s]?.cacheHitRate ?? null;
    return row;
  });
  const minRow = series?.minMeeting !== null ? series?.rows.find((r) => r.x === series.minMeeting) : undefined;
  return (
    <>
      <figure className="chart" data-testid="chart-replicas">
        <figcaption>
          P99 vs replicas <span className="muted">({bundle}, spread evenly over its zones)</span>
        </figcaption>
        {error && <Empty>{error}</Empty>}
        {!data && !error && <Empty>computing…</Empty>}
        {data && series && (
          <ResponsiveContainer width="100%" height={200}>
            <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 12, left: -4 }}>
              <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['dataMin', 'dataMax']}
                allowDecimals={false}
                fontSize={11}
                label={{ value: 'replicas', position: 'insideBottom', offset: -6, fontSize: 10 }}
              />
              <YAxis domain={[0, yTop]} fontSize={11} allowDataOverflow />
              <Tooltip content={<SweepTooltip unit="replicas" />} />
              <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={22} />
              {series.band && <SaturatedBand band={series.band} step={bandStep(data as { x: number }[])} />}
              {hasP99 ? (
                <Line dataKey="entryP99" name={`${entry} P99 ms`} stroke={COLORS.p99} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
              ) : (
                <>
                  <Line dataKey="rho" name="busiest ρ" stroke={COLORS.rho} dot={false} isAnimationActive={false} />
                  <Line dataKey="cpu" name="CPU" stroke={COLORS.cpu} dot={false} isAnimationActive={false} />
                  <ReferenceLine y={1} stroke={COLORS.p99} strokeDasharray="4 4" />
                </>
              )}
              {hasP99 && sloMs !== null && (
                <ReferenceLine y={sloMs} stroke={COLORS.p99} strokeDasharray="4 4" label={sloLabel(`SLO P99 ${sloMs} ms`)} />
              )}
              {series.band && (
                <Scatter dataKey="mark" name="saturated" fill={COLORS.sat} shape="cross" isAnimationActive={false} legendType="cross" />
              )}
              {minRow && minRow.entryP99 !== null && (
                <ReferenceDot
                  x={minRow.x}
                  y={minRow.entryP99}
                  r={5}
                  fill={COLORS.ok}
                  stroke="var(--panel)"
                  label={{ value: `${minRow.x} meets SLO`, position: 'top', fontSize: 10, fill: COLORS.ok }}
                />
              )}
              <ReferenceLine x={current} stroke="#888" strokeDasharray="4 4" label={{ value: 'now', fontSize: 10, position: 'insideBottomRight' }} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
        {series && (
          <p className="small chart-note" data-testid="chart-replicas-note">
            {series.band ? (
              <span className="sat-note" data-testid="chart-replicas-saturated">
                {series.band.from === series.band.to
                  ? `${series.band.from} replicas saturate`
                  : `${series.band.from}–${series.band.to} replicas saturate`}{' '}
                (at {series.band.to}: {series.rows.find((r) => r.x === series.band?.to)?.why}).{' '}
              </span>
            ) : null}
            {sloMs === null ? (
              <span className="muted">No P99 SLO on {entry}.</span>
            ) : series.minMeeting !== null ? (
              <span data-testid="chart-replicas-min">
                Fewest meeting the {sloMs} ms P99 SLO: <strong>{series.minMeeting}</strong>
              </span>
            ) : (
              <span className="error">
                No count up to {series.rows.at(-1)?.x} meets the {sloMs} ms P99 SLO.
              </span>
            )}
          </p>
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
