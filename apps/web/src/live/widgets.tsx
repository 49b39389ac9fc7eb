/** Small shared pieces of the live tables: sortable headers, a pager, an RTT histogram. */
import { fmtCount, fmtMs } from './format.ts';

export function SortHeader<S extends string>({
  label,
  sort,
  current,
  dir,
  onSort,
  numeric,
}: {
  label: string;
  sort: S;
  current: S;
  dir: 'asc' | 'desc';
  onSort: (s: S, dir: 'asc' | 'desc') => void;
  numeric?: boolean;
}) {
  const active = sort === current;
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="sort-header"
        onClick={() => onSort(sort, active && dir === (numeric ? 'desc' : 'asc') ? (numeric ? 'asc' : 'desc') : numeric ? 'desc' : 'asc')}
      >
        {label}
        {active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}

export function Pager({
  offset,
  limit,
  matched,
  total,
  onOffset,
}: {
  offset: number;
  limit: number;
  matched: number;
  total: number;
  onOffset: (o: number) => void;
}) {
  const last = Math.min(matched, offset + limit);
  return (
    <div className="live-pager">
      <span data-testid="pager-range">
        {matched === 0 ? 'none' : `${fmtCount(offset + 1)}–${fmtCount(last)} of ${fmtCount(matched)}`}
        {matched !== total ? ` (filtered from ${fmtCount(total)})` : ''}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous
      </button>
      <button type="button" disabled={last >= matched} onClick={() => onOffset(offset + limit)}>
        Next
      </button>
    </div>
  );
}

/** A histogram of round-trip times as bars, with its percentiles in the tooltip. */
export function RttBars({
  h,
}: {
  h: { counts: number[]; bounds: number[]; p50Ms: number; p95Ms: number; p99Ms: number; count: number } | null | undefined;
}) {
  if (!h) return <span className="muted">–</span>;
  const max = Math.max(...h.counts, 1);
  const w = 6;
  const title = `${h.count} probes · p50 ${fmtMs(h.p50Ms)} · p95 ${fmtMs(h.p95Ms)} · p99 ${fmtMs(h.p99Ms)}\n${h.counts.map((c, i) => `≤ ${fmtMs(h.bounds[i])}: ${c}`).join('\n')}`;
  return (
    <span className="rtt-bars" title={title}>
      <svg width={h.counts.length * w} height={18} role="img" aria-label={title}>
        {h.counts.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: buckets are positional
          <rect key={i} x={i * w} y={18 - (16 * c) / max} width={w - 1} height={(16 * c) / max} />
        ))}
      </svg>
      <span>
        {fmtMs(h.p50Ms)} / {fmtMs(h.p95Ms)} / {fmtMs(h.p99Ms)}
      </span>
    </span>
  );
}
