/** Figures as the rehearsal panels print them. */
import type { ComparisonRow } from '@busboard/core';

export function fmtValue(v: number | null, unit: ComparisonRow['unit']): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (unit === 'req/s') return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  if (unit === 'ms') return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return v.toFixed(3);
}

export function fmtError(e: number | null): string {
  if (e === null) return '–';
  return `${e >= 0 ? '+' : '−'}${Math.abs(e * 100).toFixed(1)} %`;
}

/** `ok` within tolerance, `near` within twice it, `off` beyond. */
export function errorClass(e: number | null, tolerance: number): 'ok' | 'near' | 'off' | 'none' {
  if (e === null) return 'none';
  const a = Math.abs(e);
  return a <= tolerance ? 'ok' : a <= 2 * tolerance ? 'near' : 'off';
}
