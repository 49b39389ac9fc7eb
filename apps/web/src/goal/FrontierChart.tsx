/**
 * The cost–P99 frontier of the designs goal seek visited: x = cost per month, y = the worst
 * entry's P99. Visited designs are faint (infeasible ones as crosses), the frontier is a line of
 * points to click, the current design and the answer are marked, and a single P99 SLO is a
 * dashed line. The list beneath holds the same frontier points as buttons (keyboard and screen
 * readers reach them there).
 */
import { money } from '@busboard/core';
import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { type ChartPoint, countsText, type FrontierSeries, sameReplicas } from './frontier.ts';

const COLORS = { visited: '#8a93a6', infeasible: '#d33b3b', frontier: '#2a62d6', current: '#d89614', answer: '#2e9d5b', slo: '#d33b3b' };

const ms = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`;

function PointTip({ active, payload, currency }: { active?: boolean; payload?: readonly { payload?: unknown }[]; currency: string }) {
  const row = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || !row) return null;
  const label = row.label;
  return (
    <div className="chart-tip">
      <strong>{label}</strong>
      <div>
        {row.point.totalReplicas} replicas · {money(row.x, currency)}/month · P99 {ms(row.y)}
      </div>
      <div className="muted">{countsText(row.point.replicas)}</div>
    </div>
  );
}

export function FrontierChart({
  series,
  currency,
  slo,
  selected,
  onSelect,
}: {
  series: FrontierSeries;
  currency: string;
  slo: number | null;
  /** The frontier index previewed, or -1 for the answer. */
  selected: number;
  onSelect(index: number): void;
}) {
  const ys = [...series.visited, ...series.infeasible, ...series.frontier, series.current, series.answer].flatMap((p) => (p ? [p.y] : []));
  const top = Math.max(...ys, slo ?? 0) * 1.05 || 1;
  // A round top (ticks at round milliseconds): 324 → 350, 1,240 → 1,500.
  const step = 10 ** Math.floor(Math.log10(top)) / 2;
  const yTop = Math.ceil(top / step) * step;
  const money0 = (v: number) => money(v, currency).replace(/\.\d\d(?=\D*$)/, '');
  const chosen = series.frontier.find((p) => p.index === selected);
  return (
    <figure className="chart goal-chart" data-testid="goal-frontier-chart">
      <figcaption>
        Cost vs P99 <span className="muted">(every design the search evaluated; the frontier is the line)</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 18, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
          <XAxis
            dataKey="x"
            type="number"
            name="cost"
            domain={['auto', 'auto']}
            tickFormatter={money0}
            fontSize={11}
            label={{ value: `cost per month (${currency})`, position: 'insideBottom', offset: -10, fontSize: 10 }}
          />
          <YAxis
            dataKey="y"
            type="number"
            name="P99"
            domain={[0, yTop]}
            tickFormatter={(v: number) => v.toFixed(0)}
            fontSize={11}
            width={44}
            allowDataOverflow
          />
          <ZAxis range={[36, 36]} />
          <ZAxis zAxisId="mark" range={[110, 110]} />
          <Tooltip content={<PointTip currency={currency} />} cursor={{ strokeDasharray: '3 3' }} />
          <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" height={22} />
          {slo !== null && (
            <ReferenceLine
              y={slo}
              stroke={COLORS.slo}
              strokeDasharray="4 4"
              label={{ value: `SLO P99 ${slo} ms`, fontSize: 10, position: 'insideTopRight', fill: COLORS.slo }}
            />
          )}
          <Scatter name="visited" data={series.visited} fill={COLORS.visited} fillOpacity={0.35} isAnimationActive={false} />
          <Scatter
            name="misses a constraint"
            data={series.infeasible}
            fill={COLORS.infeasible}
            fillOpacity={0.35}
            shape="cross"
            legendType="cross"
            isAnimationActive={false}
          />
          <Scatter
            name="frontier"
            className="goal-frontier-scatter"
            data={series.frontier}
            fill={COLORS.frontier}
            line={{ stroke: COLORS.frontier, strokeWidth: 1.5 }}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(d: unknown) => {
              const p = (d as { payload?: ChartPoint } | undefined)?.payload;
              if (p && p.index >= 0) onSelect(p.index);
            }}
          />
          {series.current && (
            <Scatter
              name="current design"
              data={[series.current]}
              fill={COLORS.current}
              shape="diamond"
              legendType="diamond"
              isAnimationActive={false}
            />
          )}
          {series.answer && (
            <Scatter
              name="answer"
              data={[series.answer]}
              zAxisId="mark"
              fill={COLORS.answer}
              shape="star"
              legendType="star"
              isAnimationActive={false}
            />
          )}
          {chosen && (
            <Scatter
              name="previewed"
              data={[chosen]}
              fill="none"
              stroke={COLORS.frontier}
              strokeWidth={2}
              shape="square"
              legendType="none"
              isAnimationActive={false}
            />
          )}
        </ScatterChart>
      </ResponsiveContainer>
      <FrontierList series={series} currency={currency} selected={selected} onSelect={onSelect} />
    </figure>
  );
}

function FrontierList({
  series,
  currency,
  selected,
  onSelect,
}: {
  series: FrontierSeries;
  currency: string;
  selected: number;
  onSelect(index: number): void;
}) {
  if (!series.frontier.length) return <p className="muted small">No feasible design on the frontier.</p>;
  return (
    <ol className="goal-frontier-list" aria-label="frontier points: choose one to preview it">
      {series.frontier.map((p) => (
        <li key={p.index}>
          <button
            type="button"
            className="chip goal-point"
            aria-pressed={p.index === selected}
            data-testid={`goal-frontier-${p.index}`}
            data-frontier-index={p.index}
            data-current={series.current !== null && sameReplicas(p.point.replicas, series.current.point.replicas)}
            data-answer={series.answer !== null && sameReplicas(p.point.replicas, series.answer.point.replicas)}
            onClick={() => onSelect(p.index)}
            title={countsText(p.point.replicas)}
          >
            {money(p.x, currency)} · {p.point.totalReplicas} replicas · P99 {ms(p.y)}
            {series.answer && sameReplicas(p.point.replicas, series.answer.point.replicas) ? ' (the answer)' : ''}
            {series.current && sameReplicas(p.point.replicas, series.current.point.replicas) ? ' (current)' : ''}
          </button>
        </li>
      ))}
    </ol>
  );
}
