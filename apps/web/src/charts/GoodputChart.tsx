/**
 * Goodput vs offered load (issue 17): what the design delivers as traffic grows — goodput,
 * the share of requests that fail (rejected, or stuck behind a saturated queue) and the P99 of
 * the successful ones — with the design's retries (solid) and without them (dashed). The cliff
 * is where an unbounded queue saturates (goodput falls to 0); a queue limit sheds the excess and
 * keeps goodput flat. Core computes it (goodputSweep); this only draws.
 */
import type { GoodputPoint, GoodputSweep } from '@busboard/core';
import { useEffect, useState } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRate } from '../canvas/adapter.ts';
import { useDesign } from '../design/context.ts';
import { goodputInWorker } from '../engine/client.ts';
import { sweepKey } from './SweepCharts.tsx';

const COLORS = { goodput: '#2e9d5b', failed: '#d33b3b', p99: '#d89614', now: '#888' };
const formatRps = (v: number) => (v >= 1000 ? formatRate(v) : v.toFixed(0));

/** One row per scale: both series side by side (recharts reads one object per x). */
interface Row {
  x: number;
  scale: number;
  goodput: number;
  failed: number;
  p99: number | null;
  goodputPlain?: number;
  failedPlain?: number;
  p99Plain?: number | null;
  amplification: number;
  /** Some entry has no bounded latency here (an unbounded queue at ρ ≥ 1): its requests count as failed. */
  saturated: boolean;
}

export function goodputRows(sweep: GoodputSweep): Row[] {
  return sweep.withRetries.map((p: GoodputPoint, i) => {
    const q = sweep.withoutRetries?.[i];
    return {
      x: p.offeredRps,
      scale: p.scale,
      goodput: p.goodputRps,
      failed: p.failureRate * 100,
      p99: p.p99Ms,
      amplification: p.amplification,
      saturated: p.saturated,
      ...(q ? { goodputPlain: q.goodputRps, failedPlain: q.failureRate * 100, p99Plain: q.p99Ms } : {}),
    };
  });
}

function GoodputTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'no latency' : `${v.toFixed(1)} ms`);
  return (
    <div className="chart-tip">
      <strong>
        {formatRps(row.x)} rps offered (×{row.scale.toFixed(2)})
      </strong>
      <div>
        goodput {formatRps(row.goodput)} rps · failed {row.failed.toFixed(1)} %{row.saturated ? ' (saturated: no bounded latency)' : ''} · P99{' '}
        {ms(row.p99)}
        {row.amplification > 1.0005 && ` · ${row.amplification.toFixed(2)}× attempts`}
      </div>
      {row.goodputPlain !== undefined && (
        <div className="muted">
          without retries: {formatRps(row.goodputPlain)} rps · failed {row.failedPlain?.toFixed(1)} % · P99 {ms(row.p99Plain)}
        </div>
      )}
    </div>
  );
}

export function GoodputChart() {
  const { doc, options } = useDesign();
  const key = `${JSON.stringify(options)}|${sweepKey(doc)}`;
  const [state, setState] = useState<{ key: string; sweep: GoodputSweep | null; error: string | null }>({ key: '', sweep: null, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the request
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      goodputInWorker({ kind: 'goodputSweep', doc, options, points: 24 })
        .then((sweep) => live && setState({ key, sweep, error: null }))
        .catch((err: Error) => live && setState({ key, sweep: null, error: err.message }));
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);
  // The last answer stays on screen while the next one computes.
  const sweep = state.sweep;
  const rows = sweep ? goodputRows(sweep) : null;
  const plain = Boolean(sweep?.withoutRetries);
  const now = rows?.find((r) => r.scale === sweep?.currentScale)?.x;
  const hasP99 = rows?.some((r) => r.p99 !== null);
  const axis = { dataKey: 'x', type: 'number' as const, domain: ['dataMin', 'dataMax'] as [string, string], tickFormatter: formatRps, fontSize: 11 };
  const nowLine = now !== undefined && (
    <ReferenceLine
      yAxisId="left"
      x={now}
      stroke={COLORS.now}
      strokeDasharray="4 4"
      label={{ value: 'now', fontSize: 10, position: 'insideTopRight' }}
    />
  );
  const line = (dataKey: keyof Row, name: string, stroke: string, dashed: boolean, yAxisId = 'left') => (
    <Line
      yAxisId={yAxisId}
      dataKey={dataKey}
      name={name}
      stroke={stroke}
      strokeDasharray={dashed ? '5 4' : undefined}
      dot={false}
      connectNulls={false}
      isAnimationActive={false}
    />
  );
  return (
    <figure className="chart" data-testid="chart-goodput">
      <figcaption>
        Goodput vs offered load <span className="muted">(all entries, requests per second{plain ? '; dashed: without retries' : ''})</span>
      </figcaption>
      {state.error && <p className="muted small chart-empty">{state.error}</p>}
      {!rows && !state.error && <p className="muted small chart-empty">computing…</p>}
      {rows && (
        <>
          <ResponsiveContainer width="100%" height={plain ? 208 : 190}>
            <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 4, left: -4 }}>
              <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
              <XAxis {...axis} />
              <YAxis yAxisId="left" fontSize={11} tickFormatter={formatRps} />
              <YAxis yAxisId="right" orientation="right" fontSize={11} domain={[0, 100]} unit="%" width={44} />
              <Tooltip content={<GoodputTooltip />} />
              <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={plain ? 40 : 22} />
              {line('goodput', 'goodput rps', COLORS.goodput, false)}
              {line('failed', 'failed %', COLORS.failed, false, 'right')}
              {plain && line('goodputPlain', 'goodput, no retries', COLORS.goodput, true)}
              {plain && line('failedPlain', 'failed %, no retries', COLORS.failed, true, 'right')}
              {nowLine}
            </ComposedChart>
          </ResponsiveContainer>
          {hasP99 && (
            <ResponsiveContainer width="100%" height={130}>
              <ComposedChart data={rows} margin={{ top: 4, right: 48, bottom: 12, left: -4 }}>
                <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
                <XAxis {...axis} label={{ value: 'offered rps', position: 'insideBottom', offset: -6, fontSize: 10 }} />
                <YAxis yAxisId="left" fontSize={11} />
                <Tooltip content={<GoodputTooltip />} />
                <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={20} />
                {line('p99', 'P99 of successes ms', COLORS.p99, false)}
                {plain && line('p99Plain', 'P99, no retries', COLORS.p99, true)}
                {nowLine}
              </ComposedChart>
            </ResponsiveContainer>
          )}
          <p className="small chart-note" data-testid="chart-goodput-note">
            {goodputNote(rows)}
          </p>
        </>
      )}
    </figure>
  );
}

/** One sentence a planner reads first: where goodput stops following load, and what retries do there. */
export function goodputNote(rows: Row[]): string {
  const peak = rows.reduce((best, r) => (r.goodput > best.goodput ? r : best), rows[0] as Row);
  const cliff = rows.find((r) => r.x > peak.x && r.goodput < peak.goodput * 0.5);
  const bent = rows.find((r) => r.failed >= 1);
  const parts: string[] = [];
  if (bent?.saturated && !rows.some((r) => r.x < bent.x && r.failed > 0.05))
    parts.push(`An unbounded queue saturates at ${formatRps(bent.x)} rps offered: past it nothing has a bounded latency, so it counts as failed.`);
  else if (bent) parts.push(`Requests start failing (≥ 1 %) at ${formatRps(bent.x)} rps offered.`);
  else parts.push('No request fails over this range.');
  if (cliff && !bent?.saturated) parts.push(`Goodput collapses past ${formatRps(peak.x)} rps (a queue without a limit saturates).`);
  else if (cliff) parts.push('A queue limit or a time budget would shed the excess instead.');
  else if (bent) parts.push(`Goodput levels off near ${formatRps(peak.goodput)} rps: the queue limits shed the excess.`);
  const storm = rows.find((r) => r.amplification >= 1.5);
  if (storm) parts.push(`Retries multiply a service's load ${storm.amplification.toFixed(1)}× from ${formatRps(storm.x)} rps.`);
  return parts.join(' ');
}
