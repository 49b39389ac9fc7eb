/** The day's totals per policy shown, side by side (core's TimelineTotals). */
import type { TimelineResult } from '@busboard/core';
import { formatMs } from '../canvas/adapter.ts';
import { hhmm } from './minute.ts';

export function TimelineTotalsTable({ days, names }: { days: TimelineResult[]; names: string[] }) {
  const rows: { label: string; title?: string; cell(d: TimelineResult): string; testId: string; bad?(d: TimelineResult): boolean }[] = [
    {
      label: 'Minutes over SLO',
      testId: 'slo-minutes',
      cell: (d) => String(d.totals.sloMinutesMissed),
      bad: (d) => d.totals.sloMinutesMissed > 0,
    },
    { label: 'Pod-hours', testId: 'replica-hours', cell: (d) => d.totals.replicaHoursTotal.toFixed(1) },
    { label: 'Rejected', testId: 'rejected', cell: (d) => Math.round(d.totals.rejected).toLocaleString('en') },
    {
      label: 'Peak P99',
      testId: 'peak-p99',
      cell: (d) => (d.totals.peakP99Ms === null ? '—' : `${formatMs(d.totals.peakP99Ms)} at ${hhmm(d.totals.peakP99Minute ?? 0)}`),
    },
    {
      label: 'Not stationary',
      title: 'Minutes where the pointwise-stationary figures understate the latency (a queue still draining or slow to settle)',
      testId: 'non-stationary',
      cell: (d) => `${d.totals.nonStationaryMinutes} min`,
    },
  ];
  return (
    <table className="tl-totals" data-testid="tl-totals">
      <thead>
        <tr>
          <th scope="col">The day</th>
          {names.map((n, i) => (
            <th scope="col" key={n} className={i === 1 ? 'tl-dashed' : undefined}>
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} title={r.title}>
            <th scope="row">{r.label}</th>
            {days.map((d, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one column per policy shown, in order
              <td key={i} data-testid={`tl-${r.testId}-${i}`} className={r.bad?.(d) ? 'error' : undefined}>
                {r.cell(d)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
