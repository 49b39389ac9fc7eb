import type { DesResult, Percentiles, SimulationResult } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { compareResults, formatMs } from './compare.ts';

const analyticP = (mean: number, p99: number): Percentiles => ({ mean, p50: mean, p95: p99, p99 });
const desP = (mean: number, p99: number): Percentiles => ({
  mean,
  p50: mean,
  p95: p99,
  p99,
  ci: { mean: [mean * 0.98, mean * 1.02], p50: [mean * 0.98, mean * 1.02], p95: [p99 * 0.97, p99 * 1.03], p99: [p99 * 0.97, p99 * 1.03] },
});

function result(method: 'analytic' | 'des', latency: Percentiles | null): SimulationResult {
  return {
    method,
    scale: 1,
    failedZones: [],
    services: {},
    bundles: {},
    entries: {
      web: {
        rps: 10,
        method: method === 'des' ? 'des' : 'composed',
        latencyMs: latency,
        successRate: 1,
        goodputRps: 10,
        reason: null,
        slo: null,
        zones: {},
      },
    },
    databases: {},
    brokers: [],
    crossZoneRps: 0,
    crossRegionRps: 0,
    headroom: 1,
    bottleneck: null,
    binding: null,
    warnings: [],
  };
}

describe('analytic vs simulated', () => {
  it('marks exactly the analytic figures outside the simulated interval', () => {
    const des = result('des', desP(100, 200)) as DesResult;
    // mean 101 inside [98, 102]; p99 190 below [194, 206]; p95 (= p99 190) also below.
    const c = compareResults(result('analytic', analyticP(101, 190)), des);
    const byFigure = Object.fromEntries(c.entries.map((r) => [r.figure, r.cell.outside]));
    expect(byFigure).toEqual({ mean: false, p50: false, p95: true, p99: true });
    expect(c).toMatchObject({ compared: 4, outside: 2 });
  });

  it("marks a service's ρ when a replica's analytic ρ lies outside that replica's simulated interval", () => {
    const replica = (zone: string, utilization: number) => ({
      bundle: 'b',
      zone,
      index: 0,
      arrivalRps: 1,
      utilization,
      sojournMeanMs: null,
      waitProbability: null,
      meanWaitMs: null,
      meanInSystem: null,
      saturated: false,
      hot: false,
      rejectionRate: 0,
    });
    const service = (reps: ReturnType<typeof replica>[]) => ({
      bundle: 'b',
      capacityRps: 10,
      arrivalRps: 2,
      replicas: reps.length,
      utilization: Math.max(...reps.map((r) => r.utilization)),
      meanUtilization: 0,
      saturated: false,
      unavailable: false,
      excessRps: 0,
      replicasNeeded: 1,
      cacheHitRate: null,
      method: 'exact' as const,
      sojournMs: null,
      rejectedRps: 0,
      rejectionRate: 0,
      replicasDetail: reps,
    });
    const analytic = { ...result('analytic', null), services: { api: service([replica('a', 0.5), replica('b', 0.7)]) } };
    const des = {
      ...result('des', null),
      services: { api: service([replica('b', 0.61), replica('a', 0.5)]) },
      des: {
        intervals: { 'services["api"].replicasDetail[0].utilization': [0.6, 0.62], 'services["api"].replicasDetail[1].utilization': [0.49, 0.51] },
      },
    } as unknown as DesResult;
    const c = compareResults(analytic, des);
    expect(c.services[0]?.rhoOutside).toEqual(['b #0']);
    expect(c).toMatchObject({ compared: 2, outside: 1 });
    // Outside the interval by a hair (under 2 %): chance, not a flag.
    const near = { ...analytic, services: { api: service([replica('a', 0.5), replica('b', 0.6205)]) } };
    expect(compareResults(near, des).services[0]?.rhoOutside).toEqual([]);
  });

  it('compares nothing where either side has no figure', () => {
    const c = compareResults(result('analytic', null), result('des', desP(100, 200)) as DesResult);
    expect(c.compared).toBe(0);
    expect(c.entries.every((r) => !r.cell.outside && r.cell.analytic === null)).toBe(true);
    expect(compareResults(null, null)).toMatchObject({ entries: [], services: [], compared: 0, outside: 0 });
  });

  it('formats milliseconds for a table', () => {
    expect([formatMs(null), formatMs(0.0123), formatMs(5.678), formatMs(123.45), formatMs(2345.6)]).toEqual(['—', '0.012', '5.68', '123.5', '2346']);
  });
});
