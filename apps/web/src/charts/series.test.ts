import { parseTopology, simulate, type TopologyInput } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { loadSeries, niceCeil, replicaSeries } from './series.ts';

/** One M/M/1-per-replica service (10 ms, one worker, one core) in one zone at 300 rps. */
const doc = (replicas: number, slo = 100): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
  services: [{ name: 'api', serviceTimeMs: 10, workers: 1 }],
  bundles: [{ name: 'app', services: ['api'], replicas: { a: replicas }, cpu: 1 }],
  traffic: [{ entry: 'api', rps: 300 }],
  slo: [{ entry: 'api', p99Ms: slo }],
});
const run = (d: TopologyInput, scale = 1) => {
  const p = parseTopology(d);
  if (!p.ok) throw new Error('bad doc');
  return simulate(p.doc, { scale });
};

describe('P99 vs replicas', () => {
  // n replicas: each M/M/1 at λ = 300/n, μ = 100 → saturated for n ≤ 3; P99 = ln(100)/(100 − 300/n) s.
  const points = [1, 2, 3, 4, 5, 6, 8].map((n) => ({ x: n, result: run(doc(n)) }));
  const s = replicaSeries(points, { entry: 'api', bundle: 'app', services: ['api'], slo: 100 });

  it('draws saturated counts as saturated, not as missing points', () => {
    expect(s.rows.map((r) => r.saturated)).toEqual([true, true, true, false, false, false, false]);
    expect(s.band).toEqual({ from: 1, to: 3 });
    expect(s.rows[0]?.why).toMatch(/api ρ 3\.00/);
  });

  it('marks the fewest replicas meeting the SLO: P99 ≤ 100 ms needs 100 − 300/n ≥ 46.05 → n ≥ 5.56 → 6', () => {
    // Composed on a lattice: within 0.2 % of the closed form (engine README).
    expect((s.rows[3]?.entryP99 ?? 0) / ((Math.log(100) / 25) * 1000)).toBeCloseTo(1, 2); // 4: 184 ms
    expect((s.rows[5]?.entryP99 ?? 0) / ((Math.log(100) / 50) * 1000)).toBeCloseTo(1, 2); // 6: 92.1 ms
    expect(s.minMeeting).toBe(6);
  });

  it('keeps the SLO line on the axis even when every latency is far below it', () => {
    const low = replicaSeries(
      [8, 16].map((n) => ({ x: n, result: run(doc(n, 5000)) })),
      { entry: 'api', bundle: 'app', services: ['api'], slo: 5000 },
    );
    expect(low.yMax).toBeGreaterThanOrEqual(5000);
    expect(low.minMeeting).toBe(8);
  });

  it('counts a bundle over 100 % CPU as saturated even when its workers are not', () => {
    // 4 workers on one core, 2 replicas: ρ = 150 × 0.01 / 4 = 0.375, CPU 150 %.
    const d = doc(2);
    d.services = [{ name: 'api', serviceTimeMs: 10, workers: 4 }];
    const cpu = replicaSeries([{ x: 2, result: run(d) }], { entry: 'api', bundle: 'app', services: ['api'], slo: 100 });
    expect(cpu.rows[0]).toMatchObject({ saturated: true, entryP99: null, why: 'CPU of app 150 %' });
    expect(cpu.rows[0]?.cpu).toBeCloseTo(1.5, 12);
  });
});

describe('latency vs load', () => {
  it('puts absolute rps on the x axis and marks the saturated loads', () => {
    // 4 replicas: saturated from 400 rps (×4/3) on.
    const scales = [0.5, 1, 1.5];
    const s = loadSeries(
      scales.map((x) => ({ x, result: run(doc(4), x) })),
      { entry: 'api', slo: 100 },
    );
    expect(s.rows.map((r) => r.x)).toEqual([150, 300, 450]);
    expect(s.rows.map((r) => r.saturated)).toEqual([false, false, true]);
    expect(s.band).toEqual({ from: 450, to: 450 });
    expect(s.yMax).toBeGreaterThanOrEqual((Math.log(100) / 25) * 1000);
  });
});

describe('niceCeil', () => {
  it('rounds up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect([0.7, 1, 1.2, 2.2, 3, 7, 110, 5000].map(niceCeil)).toEqual([1, 1, 2, 2.5, 5, 10, 200, 5000]);
  });
});
