/**
 * The day's charts: traffic, replicas per bundle, each bundle's busiest ready replica's CPU (ρ)
 * and the entries' latency against their SLO, minutes over SLO shaded. A second policy draws
 * dashed beside the first. Memoized on the day: scrubbing moves only the cursor (TimelinePanel),
 * not 1,440-point charts. Clicking a chart scrubs to that minute.
 */
import type { TimelineResult, Topology } from '@busboard/core';
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { hhmm, missedRanges } from './minute.ts';
import { chartRows, chartSpec, type Row } from './series.ts';

const PALETTE = ['#2f6fed', '#2e9d5b', '#d89614', '#8e44ad', '#d33b3b', '#16a2b8'];
/** Fixed plot margins, so the cursor overlay (TimelinePanel) can place itself without measuring. */
export const PLOT_LEFT = 52;
export const PLOT_RIGHT = 12;
const HEIGHT = 120;

interface Props {
  doc: Topology;
  days: TimelineResult[];
  names: string[];
  width: number;
  /** The minutes shown, first and last (the whole day, or a zoomed window). */
  range: [number, number];
  onPick(minute: number): void;
}

export const TimelineCharts = memo(function TimelineCharts({ doc, days, names, width, range, onPick }: Props) {
  const spec = useMemo(() => (days[0] ? chartSpec(doc, days[0]) : null), [doc, days]);
  const all = useMemo(() => (spec ? chartRows(doc, days, spec) : []), [doc, days, spec]);
  const [lo, hi] = range;
  const rows = useMemo(() => all.slice(lo, hi + 1), [all, lo, hi]);
  const missed = useMemo(() => (days[0] ? missedRanges(days[0]) : []).filter(([a, b]) => b >= lo && a <= hi), [days, lo, hi]);
  if (!spec || !days[0]) return null;
  const span = hi - lo;
  const every = span > 600 ? 180 : span > 120 ? 30 : 10;
  const ticks = Array.from({ length: Math.floor(hi / every) - Math.ceil(lo / every) + 1 }, (_, i) => (Math.ceil(lo / every) + i) * every);
  // A run shorter than ~1 px would vanish: it is drawn at least that wide, and outlined.
  const minRun = span / 200;
  const compare = days.length > 1;
  const chart = (
    testId: string,
    title: string,
    unit: string,
    lines: { key: string; name: string; color: string }[],
    opts: { extra?: React.ReactNode; yMax?: number; legend?: boolean; compare?: boolean } = {},
  ) => (
    <figure className={opts.legend ? 'tl-chart has-legend' : 'tl-chart'} data-testid={testId}>
      <figcaption>
        {title} <span className="muted">{unit}</span>
      </figcaption>
      <LineChart
        width={width}
        height={HEIGHT}
        data={rows}
        margin={{ top: 4, right: PLOT_RIGHT, bottom: 0, left: 0 }}
        onClick={(s) => {
          const label = (s as { activeLabel?: unknown } | null)?.activeLabel;
          if (label !== undefined && label !== null) onPick(Number(label));
        }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey="m" type="number" domain={[lo, hi]} ticks={ticks} tickFormatter={hhmm} fontSize={10} stroke="var(--muted)" />
        <YAxis
          width={PLOT_LEFT}
          fontSize={10}
          stroke="var(--muted)"
          allowDecimals={false}
          domain={[0, (max: number) => Math.max(max, opts.yMax ?? 0)]}
        />
        {missed.map(([a, b]) => (
          <ReferenceArea
            key={a}
            x1={Math.max(lo, Math.min(a - 0.5, (a + b) / 2 - minRun / 2))}
            x2={Math.min(hi, Math.max(b + 0.5, (a + b) / 2 + minRun / 2))}
            fill="var(--high)"
            fillOpacity={0.22}
            stroke={b - a + 1 < minRun ? 'var(--high)' : undefined}
            strokeOpacity={0.6}
            ifOverflow="hidden"
          />
        ))}
        {opts.extra}
        {opts.legend && <Legend height={14} iconSize={8} wrapperStyle={{ fontSize: 10 }} />}
        <Tooltip
          labelFormatter={(m) => hhmm(Number(m))}
          formatter={(v) => (typeof v === 'number' ? v.toFixed(v < 10 ? 2 : 0) : String(v))}
          contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 11 }}
        />
        {lines.flatMap((l) => [
          <Line
            key={l.key}
            dataKey={l.key}
            name={`${l.name}${compare ? ` (${names[0]})` : ''}`}
            stroke={l.color}
            dot={false}
            isAnimationActive={false}
            strokeWidth={1.5}
          />,
          ...(compare && opts.compare !== false
            ? [
                <Line
                  key={`${l.key}~`}
                  dataKey={`${l.key}~`}
                  name={`${l.name} (${names[1]})`}
                  stroke={l.color}
                  strokeDasharray="5 3"
                  dot={false}
                  isAnimationActive={false}
                  strokeWidth={1.5}
                />,
              ]
            : []),
        ])}
      </LineChart>
    </figure>
  );
  const color = (i: number) => PALETTE[i % PALETTE.length] as string;
  const limits = [...new Set(spec.entries.map((e) => e.limitMs).filter((l): l is number => l !== null))];
  return (
    <div className="tl-charts">
      {chart(
        'tl-chart-traffic',
        'Traffic',
        'rps',
        [{ key: 'rps', name: 'rps', color: color(0) }].map((l) => ({ ...l, key: 'rps' })),
      )}
      {chart(
        'tl-chart-replicas',
        'Replicas',
        'pods per bundle',
        spec.bundles.map((b, i) => ({ key: `rep:${b}`, name: b, color: color(i) })),
        { legend: true },
      )}
      {chart(
        'tl-chart-rho',
        'ρ',
        '% CPU, busiest ready replica',
        spec.bundles.map((b, i) => ({ key: `rho:${b}`, name: b, color: color(i) })),
        { legend: true },
      )}
      {chart(
        'tl-chart-latency',
        'Latency',
        `${spec.entries.map((e) => `${e.label} ${e.entry}`).join(' · ')} (ms)`,
        spec.entries.map((e, i) => ({ key: `lat:${e.entry}`, name: `${e.label} ${e.entry}`, color: color(i + 2) })),
        {
          yMax: Math.max(0, ...limits) * 1.15,
          extra: limits.map((l) => (
            <ReferenceLine
              key={l}
              y={l}
              stroke="var(--high)"
              strokeDasharray="6 3"
              label={{ value: `SLO ${l} ms`, fontSize: 10, position: 'insideTopLeft', fill: 'var(--high)' }}
            />
          )),
        },
      )}
    </div>
  );
});

export type { Row };
