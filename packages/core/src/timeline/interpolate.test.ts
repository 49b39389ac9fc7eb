import { describe, expect, it } from 'vitest';
import { checkout } from '../examples/checkout.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { timeline } from './run.ts';
import type { TimelineResult } from './types.ts';

function run(doc: TopologyInput, options: { policy?: string; tolerance?: number; minutes?: number }): TimelineResult {
  const p = parseTopology(doc);
  if (!p.ok) throw new Error(p.problems.map((x) => `${x.path}: ${x.message}`).join('\n'));
  const r = timeline(p.doc, options);
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return r.timeline;
}

/** The largest relative difference of any entry's P50/P95/P99 in any minute (both must have one or neither). */
function maxError(exact: TimelineResult, approx: TimelineResult): number {
  let worst = 0;
  for (const [name, e] of Object.entries(exact.series.entries)) {
    const f = approx.series.entries[name];
    for (const k of ['p50Ms', 'p95Ms', 'p99Ms'] as const)
      e[k].forEach((v, m) => {
        const w = f?.[k][m];
        if (v === null || w === null || w === undefined) {
          expect(w ?? null, `${name} ${k} minute ${m}`).toBe(v);
          return;
        }
        worst = Math.max(worst, Math.abs(w - v) / v);
      });
  }
  return worst;
}

describe('minutes interpolated on the rate grid (interpolate.ts)', () => {
  it('one M/M/1 pod on a ramp (ρ 0.1 → 0.8): P95 = ln 20 ÷ (μ − λ) within 1 %, from a handful of engine runs', () => {
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 'api.example', serviceTimeMs: 10, serviceTimeCv: 1, workers: 1 }],
      bundles: [{ name: 'api', services: ['api.example'], replicas: { a: 1 }, cpu: 1, memoryMiB: 128 }],
      traffic: [{ entry: 'api.example', rps: 10, profile: { shape: 'ramp', startMinute: 0, endMinute: 1440, from: 1, to: 8 } }],
    };
    const tl = run(doc, { tolerance: 0.01 });
    expect(tl.evaluations).toBeLessThan(40);
    const p95 = tl.series.entries['api.example']?.p95Ms ?? [];
    let worst = 0;
    for (let m = 0; m < 1440; m += 7) {
      const lambda = 10 * (1 + (7 * m) / 1440);
      const closed = (Math.log(20) / (100 - lambda)) * 1000;
      worst = Math.max(worst, Math.abs((p95[m] as number) - closed) / closed);
    }
    expect(worst).toBeLessThan(0.01);
    expect(tl.accuracy.tolerance).toBe(0.01);
    expect(tl.accuracy.maxEstimatedError).toBeLessThanOrEqual(0.01);
    expect(tl.accuracy.method).toMatch(/^pointwise-stationary, interpolated on a rate grid ≤ 1 %/);
  });

  it("checkout's night and morning rush (HPA on CPU): every minute's percentiles within the tolerance of the exact run, the same SLO minutes and scale events", () => {
    for (const policy of ['cpu']) {
      const exact = run(checkout, { policy, minutes: 480 });
      const approx = run(checkout, { policy, minutes: 480, tolerance: 0.01 });
      expect(exact.accuracy.tolerance).toBeNull();
      expect(maxError(exact, approx), policy).toBeLessThan(0.01);
      expect(approx.totals.sloMinutesMissed).toBe(exact.totals.sloMinutesMissed);
      expect(approx.scaleEvents).toEqual(exact.scaleEvents);
    }
  });

  it('a constant profile is the grid point itself: exactly the steady figures, one engine run', () => {
    const doc = structuredClone(checkout);
    for (const t of doc.traffic ?? []) t.profile = { shape: 'points', points: [{ atMinute: 0, factor: 1 }] };
    const exact = run(doc, { minutes: 30 });
    const approx = run(doc, { minutes: 30, tolerance: 0.01 });
    expect(approx.series.entries).toEqual(exact.series.entries);
    expect(approx.evaluations).toBe(1);
  });
});
