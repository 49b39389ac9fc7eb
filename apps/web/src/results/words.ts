/**
 * The cross-check in plain words: why a figure is flagged and which number to trust. The
 * decision itself is core's (`combineAuto` → `trustOf`), the same as `busboard simulate
 * --method auto`; this file only says it.
 */
import type { AutoFigure, FigureKey, SloT, Validity } from '@busboard/core';

export const FIGURE_LABEL: Record<FigureKey, string> = { mean: 'mean', p50: 'P50', p95: 'P95', p99: 'P99' };

/** Milliseconds with the precision a reader needs (3 significant digits, whole above 100). */
export function ms(v: number | null): string {
  if (v === null) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function interval(ci: [number, number] | null): string {
  return ci ? `${ms(ci[0])}–${ms(ci[1])}` : '—';
}

/** Every reason a figure is an approximation, once each. */
export function flagReasons(validity: Validity | undefined): string[] {
  if (!validity || validity === 'ok') return [];
  return [...new Set(validity.map((v) => v.message))];
}

/** One sentence: which of the two numbers to use for this figure, and why. */
export function verdict(entry: string, key: FigureKey, f: AutoFigure): string {
  const what = `${entry} ${FIGURE_LABEL[key]}`;
  if (f.trusted === 'des' && f.des !== null)
    return `Trust the simulation: ${what} is ${ms(f.des)} ms (99 % interval ${interval(f.ci)} ms), not the analytic ${ms(f.analytic)} ms, because ${f.why}.`;
  if (f.des === null) return `Use the analytic ${ms(f.analytic)} ms for ${what} with care: ${f.why}.`;
  return `Trust the analytic ${ms(f.analytic)} ms for ${what}: ${f.why}.`;
}

/** The relative difference of the simulation from the analytic figure, e.g. `−8 %`. */
export function gap(f: AutoFigure): string {
  if (f.des === null || f.analytic === 0) return '';
  const d = ((f.des - f.analytic) / f.analytic) * 100;
  return `${d < 0 ? '−' : '+'}${Math.abs(d).toFixed(0)} %`;
}

/** The entry's SLO judged on the figures to trust, and whether the analytic figures alone would say otherwise. */
export function sloVerdict(row: Record<FigureKey, AutoFigure>, slo: SloT | undefined): string | null {
  if (!slo) return null;
  const checks = (['p50', 'p95', 'p99'] as const).flatMap((k) => {
    const limit = slo[`${k}Ms`];
    return limit === undefined ? [] : [{ k, limit, value: row[k].value, analytic: row[k].analytic }];
  });
  if (checks.length === 0) return null;
  const missed = checks.filter((c) => c.value > c.limit);
  const analyticMisses = checks.some((c) => c.analytic > c.limit);
  if (missed.length === 0) return `With the figures to trust, the SLO is met${analyticMisses ? ' (the analytic figures alone would miss it)' : ''}.`;
  const what = missed.map((c) => `${FIGURE_LABEL[c.k]} ${ms(c.value)} ms > ${c.limit} ms`).join(', ');
  return `With the figures to trust, the SLO is missed: ${what}${analyticMisses ? '' : ' (the analytic figures alone would meet it)'}.`;
}
