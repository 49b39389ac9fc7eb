/**
 * Predicted against measured, figure by figure, for the panel and `busboard calibrate
 * --prometheus`: the model's figure beside the measured one and the error (p − m)/m.
 *
 * - entries: request rate and the latency percentiles, measured as the entry service's
 *   handler-duration quantiles (Prometheus's histogram_quantile over the window: linear inside
 *   a bucket, so only as fine as the buckets);
 * - services: request rate; for a leaf, its sojourn (queue + own time, which is all its handler
 *   does); for a service that calls others, its own time as the estimator finds it under the
 *   design's one; ρ of the busiest instance; a cache's hit rate.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { measuredHitRate, type OwnTimeEstimate } from './estimate.ts';
import type { SystemMeasurements } from './measurements.ts';

export interface ComparisonRow {
  kind: 'entry' | 'service';
  name: string;
  figure: 'rps' | 'p50' | 'p95' | 'p99' | 'sojourn mean' | 'sojourn p99' | 'own time' | 'utilization' | 'hit rate' | 'timeouts';
  unit: 'ms' | 'req/s' | '';
  predicted: number | null;
  measured: number | null;
  /** (predicted − measured) / measured; null when either is missing. */
  error: number | null;
  note: string | null;
}

const err = (p: number | null, m: number | null) => (p === null || m === null || !(m > 0) ? null : (p - m) / m);

export function compareWithMeasurements(
  doc: Topology,
  predicted: SimulationResult,
  m: SystemMeasurements,
  estimates: Record<string, OwnTimeEstimate>,
): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const row = (r: Omit<ComparisonRow, 'error' | 'note'> & { note?: string | null }) =>
    rows.push({ ...r, error: err(r.predicted, r.measured), note: r.note ?? null });
  for (const [name, e] of Object.entries(predicted.entries)) {
    const s = m.services[name];
    row({ kind: 'entry', name, figure: 'rps', unit: 'req/s', predicted: e.rps, measured: s?.requestRps ?? null });
    for (const q of ['p50', 'p95', 'p99'] as const) {
      row({
        kind: 'entry',
        name,
        figure: q,
        unit: 'ms',
        predicted: e.latencyMs?.[q] ?? null,
        measured: s?.durationMs[q] ?? null,
        note: e.latencyMs ? null : e.reason,
      });
    }
  }
  for (const svc of doc.services) {
    const p = predicted.services[svc.name];
    const s = m.services[svc.name];
    const est = estimates[svc.name];
    row({ kind: 'service', name: svc.name, figure: 'rps', unit: 'req/s', predicted: p?.arrivalRps ?? null, measured: s?.requestRps ?? null });
    if (svc.calls.length === 0) {
      row({
        kind: 'service',
        name: svc.name,
        figure: 'sojourn mean',
        unit: 'ms',
        predicted: p?.sojournMs?.mean ?? null,
        measured: s?.durationMeanMs ?? null,
      });
      row({
        kind: 'service',
        name: svc.name,
        figure: 'sojourn p99',
        unit: 'ms',
        predicted: p?.sojournMs?.p99 ?? null,
        measured: s?.durationMs.p99 ?? null,
      });
    } else {
      row({
        kind: 'service',
        name: svc.name,
        figure: 'own time',
        unit: 'ms',
        predicted: svc.serviceTimeMs,
        measured: est?.ownTimeMs ?? null,
        note: est?.ownTimeMs === null ? (est?.notes[0] ?? null) : 'estimated: handler duration less downstream calls and queue',
      });
    }
    row({
      kind: 'service',
      name: svc.name,
      figure: 'utilization',
      unit: '',
      predicted: p?.utilization ?? null,
      measured: est?.utilization ?? null,
      note: 'measured: the estimated own time × the busiest instance’s rate ÷ workers',
    });
    const hit = measuredHitRate(s);
    if (svc.cache || hit !== null)
      row({ kind: 'service', name: svc.name, figure: 'hit rate', unit: '', predicted: p?.cacheHitRate ?? null, measured: hit });
  }
  for (const c of m.calls) {
    if (c.timeoutRps > 0)
      rows.push({
        kind: 'service',
        name: c.from,
        figure: 'timeouts',
        unit: 'req/s',
        predicted: 0,
        measured: c.timeoutRps,
        error: null,
        note: `calls to ${c.to} timed out: the model has no timeouts`,
      });
  }
  return rows;
}
