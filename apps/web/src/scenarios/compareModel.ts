/**
 * How the comparison table writes its figures: each row's values in its unit, and each later
 * column's difference from the first with its tone (better, worse, or just different), from
 * core's `compareScenarios` rows. Pure, so the tests can pin the words a user reads.
 */
import { money, type ScenarioColumn, type ScenarioRow } from '@busboard/core';

export type Value = ScenarioRow['values'][number];
export type Tone = 'better' | 'worse' | 'changed' | 'same';

const num = (v: number, digits: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function bytes(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${num(v / 1e9, 2)} GB/s`;
  if (a >= 1e6) return `${num(v / 1e6, 2)} MB/s`;
  if (a >= 1e3) return `${num(v / 1e3, 1)} kB/s`;
  return `${num(v, 0)} B/s`;
}

/** The currency of a `…/month` unit (`USD/month` → USD). */
function currencyOf(unit: string): string | null {
  const m = /^([A-Z]{3})\/month$/.exec(unit);
  return m?.[1] ?? null;
}

/** One value as the table shows it. */
export function formatValue(v: Value, unit: string): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  const currency = currencyOf(unit);
  if (currency) return money(v, currency);
  switch (unit) {
    case 'ms':
      return `${num(v, 1)} ms`;
    case '×':
      return `${num(v, 2)}×`;
    case 'B/s':
      return bytes(v);
    case 'msg/s':
      return `${num(v, 0)} msg/s`;
    case 'fraction':
      return `${num(v * 100, 2)} %`;
    case 'vCPU':
      return `${num(v, 2)} vCPU`;
    case 'replicas':
      return num(v, 0);
    default:
      return unit ? `${num(v, 2)} ${unit}` : num(v, 2);
  }
}

/** A signed difference in the row's unit: `+$123.45`, `−0.3 ms`. */
export function formatDelta(d: number, unit: string): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return `${sign}${formatValue(Math.abs(d), unit)}`;
}

/**
 * Column `i`'s value against the first column's: its tone and its difference (null when either
 * is not a number). A row core says does not differ is `same`, whatever the last digits.
 */
export function compareCell(row: ScenarioRow, i: number): { tone: Tone; delta: number | null } {
  const first = row.values[0] ?? null;
  const v = row.values[i] ?? null;
  const delta = typeof first === 'number' && typeof v === 'number' ? v - first : null;
  // Nothing to weigh against: a figure one column lacks (a DES run of one scenario only) is no difference.
  if (i === 0 || !row.differs || first === null || v === null) return { tone: 'same', delta: null };
  if (delta === null) return { tone: first === v ? 'same' : 'changed', delta: null };
  const a = first as number;
  const close = Math.abs(delta) <= 0.005 * Math.max(Math.abs(a), Math.abs(v as number));
  if (close || delta === 0) return { tone: 'same', delta: null };
  if (row.better === null) return { tone: 'changed', delta };
  const better = row.better === 'lower' ? delta < 0 : delta > 0;
  return { tone: better ? 'better' : 'worse', delta };
}

/** The table's sections, in core's order: the design, then each entry, then each bundle. */
export function sectionOf(key: string): string {
  const [kind, name] = key.split(':');
  if (kind === 'entry') return `Entry ${name}`;
  if (kind === 'bundle') return `Bundle ${name}`;
  return 'Design';
}

/** P99 per entry per scenario, and its SLO, for the grouped bar chart. */
export function p99Series(columns: readonly ScenarioColumn[]): { entry: string; slo: number | null; [scenario: string]: number | string | null }[] {
  const entries = [...new Set(columns.flatMap((c) => Object.keys(c.entries)))];
  return entries.map((entry) => {
    const point: { entry: string; slo: number | null; [scenario: string]: number | string | null } = { entry, slo: null };
    for (const c of columns) {
      const e = c.entries[entry];
      point[c.name] = e?.p99Ms ?? null;
      if (e?.slo?.p99Ms !== undefined && point.slo === null) point.slo = e.slo.p99Ms;
    }
    return point;
  });
}

/** Cost per month per scenario, split into compute, NATS, network and the rest (databases, storage). */
export function costSeries(
  columns: readonly ScenarioColumn[],
): { scenario: string; compute: number; nats: number; network: number; other: number }[] {
  return columns
    .filter((c) => c.cost !== null)
    .map((c) => {
      const t = c.cost?.totals;
      return {
        scenario: c.name,
        compute: t?.compute ?? 0,
        nats: t?.nats ?? 0,
        network: t?.network ?? 0,
        other: (t?.databases ?? 0) + (t?.storage ?? 0),
      };
    });
}
