import { type AutoFigure, trustOf, type Validity } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { flagReasons, sloVerdict, verdict } from './words.ts';

const BATCH: Validity = [{ code: 'batch', message: 'leaf receives batches' }];

function figure(analytic: number, des: number | null, ci: [number, number] | null): AutoFigure {
  const t = trustOf(analytic, BATCH, des !== null && ci ? { value: des, ci } : null, 0.05);
  return {
    path: 'entries["front"].latencyMs.p99',
    analytic,
    validity: BATCH,
    des,
    ci,
    ...t,
    value: t.trusted === 'des' && des !== null ? des : analytic,
  };
}

describe('cross-check words', () => {
  it('says to trust a simulation that pins the figure, naming both numbers and the interval', () => {
    // Half-width 4.5 on 173: ±2.6 %, inside the ±5 % target.
    expect(verdict('front', 'p99', figure(189, 173, [168.5, 177.5]))).toBe(
      'Trust the simulation: front P99 is 173 ms (99 % interval 169–178 ms), not the analytic 189 ms, because the simulation pins it to ±2.6 %; the analytic figure is an approximation here.',
    );
  });

  it('keeps the analytic figure when the simulation is too loose to overrule it', () => {
    expect(verdict('front', 'p99', figure(180, 175, [150, 200]))).toBe(
      'Trust the analytic 180 ms for front P99: the simulation’s interval [150, 200] is too wide to overrule it.',
    );
  });

  it('judges the SLO on the figures to trust', () => {
    const p = figure(189, 173, [168.5, 177.5]);
    const row = { mean: p, p50: p, p95: p, p99: p };
    expect(sloVerdict(row, { entry: 'front', p99Ms: 180 })).toBe(
      'With the figures to trust, the SLO is met (the analytic figures alone would miss it).',
    );
    expect(sloVerdict(row, { entry: 'front', p99Ms: 170 })).toBe('With the figures to trust, the SLO is missed: P99 173 ms > 170 ms.');
    expect(sloVerdict(row, undefined)).toBeNull();
  });

  it('lists each reason once', () => {
    expect(flagReasons([...(BATCH as Exclude<Validity, 'ok'>), ...(BATCH as Exclude<Validity, 'ok'>)])).toEqual(['leaf receives batches']);
    expect(flagReasons('ok')).toEqual([]);
  });
});
