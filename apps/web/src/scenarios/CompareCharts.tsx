/**
 * The comparison's charts: P99 per entry, a bar per scenario, with each entry's P99 SLO as a
 * reference line; and the cost per month of each scenario stacked by compute, NATS, network
 * and the rest.
 */
import { money, type ScenarioColumn } from '@busboard/core';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { costSeries, p99Series } from './compareModel.ts';

/** One colour per column, in column order (the first, the reference, in the accent). */
const SCENARIO_COLORS = ['var(--accent)', 'var(--zone-3)', 'var(--zone-1)', 'var(--zone-2)'];
const COST_COLORS = { compute: 'var(--accent)', nats: 'var(--zone-1)', network: 'var(--zone-3)', other: 'var(--muted)' };
const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)', fontSize: 12 };

export function CompareCharts({ columns }: { columns: readonly ScenarioColumn[] }) {
  const p99 = useMemo(() => p99Series(columns), [columns]);
  const cost = useMemo(() => costSeries(columns), [columns]);
  const currency = columns.find((c) => c.cost)?.cost?.prices.currency ?? 'USD';
  const slos = [...new Set(p99.map((p) => p.slo).filter((s): s is number => s !== null))];
  const yMax = Math.max(0, ...p99.flatMap((p) => columns.map((c) => (typeof p[c.name] === 'number' ? (p[c.name] as number) : 0))), ...slos) * 1.1;
  return (
    <div className="compare-charts">
      <figure className="chart" data-testid="compare-chart-p99">
        <figcaption>
          P99 per entry <span className="muted">(ms; dashed: a P99 SLO, where one is set)</span>
        </figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={p99} margin={{ top: 8, right: 12, bottom: 4, left: -4 }}>
            <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
            <XAxis dataKey="entry" fontSize={11} />
            <YAxis fontSize={11} domain={[0, Math.ceil(yMax) || 1]} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : String(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={22} itemSorter={null} />
            {columns.map((c, i) => (
              <Bar key={c.name} dataKey={c.name} name={c.name} fill={SCENARIO_COLORS[i % SCENARIO_COLORS.length]} isAnimationActive={false} />
            ))}
            {slos.map((s) => (
              <ReferenceLine
                key={s}
                y={s}
                stroke="var(--bad-text)"
                strokeDasharray="4 4"
                label={{ value: `SLO ${s} ms`, fontSize: 10, position: 'insideTopRight', fill: 'var(--bad-text)' }}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" data-testid="compare-chart-cost">
        <figcaption>
          Cost per month <span className="muted">({currency})</span>
        </figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={cost} margin={{ top: 8, right: 12, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
            <XAxis dataKey="scenario" fontSize={11} />
            <YAxis fontSize={11} tickFormatter={(v: number) => money(v, currency).replace(/\.\d\d$/, '')} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => (typeof v === 'number' ? money(v, currency) : String(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={22} itemSorter={null} />
            <Bar dataKey="compute" name="compute" stackId="cost" fill={COST_COLORS.compute} isAnimationActive={false} />
            <Bar dataKey="nats" name="NATS" stackId="cost" fill={COST_COLORS.nats} isAnimationActive={false} />
            <Bar dataKey="network" name="network" stackId="cost" fill={COST_COLORS.network} isAnimationActive={false} />
            {cost.some((c) => c.other > 0) && (
              <Bar dataKey="other" name="databases, storage" stackId="cost" fill={COST_COLORS.other} isAnimationActive={false} />
            )}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
