/**
 * The comparison's rows (issue 20): one figure per column, whether they differ from the first
 * column's, and which way is better. Design-wide rows first, then per entry, then per bundle;
 * entries and bundles are the union over the columns (null where a column has none).
 */
import type { ScenarioColumn, ScenarioRow } from './types.ts';

type Value = ScenarioRow['values'][number];

/** Two numbers differ when apart by more than 0.5 % of the larger and more than `abs`. */
export const RELATIVE_TOLERANCE = 0.005;

function same(a: Value, b: Value, abs: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b);
    return d <= abs || d <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** `abs`: differences at or below it are rounding (one unit of the last digit shown). */
function row(key: string, label: string, unit: string, values: Value[], better: ScenarioRow['better'], abs = 1e-9): ScenarioRow {
  const first = values[0] ?? null;
  return { key, label, unit, values, differs: values.some((v) => !same(first, v, abs)), better };
}

function union(columns: readonly ScenarioColumn[], of: (c: ScenarioColumn) => Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const c of columns) for (const k of Object.keys(of(c))) out.add(k);
  return [...out];
}

function designRows(columns: readonly ScenarioColumn[], currency: string): ScenarioRow[] {
  const v = (f: (c: ScenarioColumn) => Value) => columns.map(f);
  const ok = (c: ScenarioColumn) => c.result !== null;
  return [
    row(
      'design:costMonthly',
      'Cost per month',
      `${currency}/month`,
      v((c) => c.costMonthly),
      'lower',
      0.005,
    ),
    row(
      'design:headroom',
      'Headroom',
      '×',
      v((c) => c.headroom),
      'higher',
      0.005,
    ),
    row(
      'design:bottleneck',
      'Bottleneck',
      '',
      v((c) => c.bottleneck),
      null,
    ),
    row(
      'design:crossZoneBytesPerSecond',
      'Cross-zone traffic',
      'B/s',
      v((c) => (ok(c) ? c.crossZoneBytesPerSecond : null)),
      'lower',
      0.5,
    ),
    row(
      'design:brokerMessagesPerSecond',
      'NATS messages',
      'msg/s',
      v((c) => (ok(c) ? c.brokerMessagesPerSecond : null)),
      'lower',
      0.05,
    ),
  ];
}

const PCT = [
  ['p50Ms', 'P50'],
  ['p95Ms', 'P95'],
  ['p99Ms', 'P99'],
] as const;

function entryRows(columns: readonly ScenarioColumn[]): ScenarioRow[] {
  const out: ScenarioRow[] = [];
  for (const e of union(columns, (c) => c.entries)) {
    const fig = columns.map((c) => c.entries[e]);
    const any = (f: (x: NonNullable<(typeof fig)[number]>) => unknown) => fig.some((x) => x !== undefined && f(x) !== null && f(x) !== undefined);
    for (const [k, label] of PCT)
      out.push(
        row(
          `entry:${e}:${k}`,
          `${e} ${label}`,
          'ms',
          fig.map((x) => x?.[k] ?? null),
          'lower',
          0.05,
        ),
      );
    if (any((x) => x.des))
      for (const [k, label] of PCT)
        out.push(
          row(
            `entry:${e}:des:${k}`,
            `${e} ${label} (DES)`,
            'ms',
            fig.map((x) => x?.des?.[k] ?? null),
            'lower',
            0.05,
          ),
        );
    for (const [k, label] of PCT)
      if (any((x) => x.slo?.[k]))
        out.push(
          row(
            `entry:${e}:slo:${k}`,
            `${e} ${label} SLO`,
            'ms',
            fig.map((x) => x?.slo?.[k] ?? null),
            null,
            0.05,
          ),
        );
    if (any((x) => x.meetsSlo))
      out.push(
        row(
          `entry:${e}:meetsSlo`,
          `${e} meets its SLO`,
          '',
          fig.map((x) => x?.meetsSlo ?? null),
          null,
        ),
      );
    if (any((x) => x.rejectionRate))
      out.push(
        row(
          `entry:${e}:rejectionRate`,
          `${e} rejected`,
          'fraction',
          fig.map((x) => x?.rejectionRate ?? null),
          'lower',
          5e-5,
        ),
      );
    if (any((x) => x.timeoutRate))
      out.push(
        row(
          `entry:${e}:timeoutRate`,
          `${e} timed out`,
          'fraction',
          fig.map((x) => x?.timeoutRate ?? null),
          'lower',
          5e-5,
        ),
      );
  }
  return out;
}

function bundleRows(columns: readonly ScenarioColumn[], currency: string): ScenarioRow[] {
  const out: ScenarioRow[] = [];
  for (const b of union(columns, (c) => c.bundles)) {
    const fig = columns.map((c) => c.bundles[b]);
    for (const z of union(columns, (c) => c.bundles[b]?.replicas ?? {}))
      out.push(
        row(
          `bundle:${b}:replicas:${z}`,
          `${b} replicas in ${z}`,
          'replicas',
          fig.map((x) => x?.replicas[z] ?? null),
          null,
        ),
      );
    out.push(
      row(
        `bundle:${b}:totalReplicas`,
        `${b} replicas`,
        'replicas',
        fig.map((x) => x?.totalReplicas ?? null),
        null,
      ),
    );
    out.push(
      row(
        `bundle:${b}:cpuRequested`,
        `${b} vCPU requested`,
        'vCPU',
        fig.map((x) => x?.cpuRequested ?? null),
        'lower',
        0.005,
      ),
    );
    out.push(
      row(
        `bundle:${b}:cpuBusy`,
        `${b} vCPU busy`,
        'vCPU',
        fig.map((x) => x?.cpuBusy ?? null),
        null,
        0.005,
      ),
    );
    out.push(
      row(
        `bundle:${b}:costMonthly`,
        `${b} cost per month`,
        `${currency}/month`,
        fig.map((x) => x?.costMonthly ?? null),
        'lower',
        0.005,
      ),
    );
  }
  return out;
}

/** Every row of the comparison of `columns` (the first column is the one the others are read against). */
export function comparisonRows(columns: readonly ScenarioColumn[]): ScenarioRow[] {
  const currency = columns.find((c) => c.cost)?.cost?.prices.currency ?? 'USD';
  return [...designRows(columns, currency), ...entryRows(columns), ...bundleRows(columns, currency)];
}
