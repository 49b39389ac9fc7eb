import { describe, expect, it } from 'vitest';
import { cheHitRate, cheHitRateAfter } from '../cache/che.ts';
import { simulate } from '../engine/simulate.ts';
import { checkout } from '../examples/checkout.ts';
import type { TrafficProfileT } from '../schema/over-time.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { curveAt, profileFactor } from './profile.ts';
import { timeline } from './run.ts';
import type { TimelineResult } from './types.ts';

function parsed(doc: TopologyInput) {
  const r = parseTopology(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

function run(doc: TopologyInput, policy?: string, minutes?: number): TimelineResult {
  const r = timeline(parsed(doc), { policy, minutes });
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return r.timeline;
}

/** One service, one bundle of 2 pods in one zone, 1 worker at 10 ms: 100 rps per pod at ρ 1. */
function small(
  profile: NonNullable<TopologyInput['traffic']>[number]['profile'],
  startup: { delaySeconds: number },
  syncPeriodSeconds = 15,
): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    services: [{ name: 'api.example', serviceTimeMs: 10, serviceTimeCv: 1, workers: 1 }],
    bundles: [
      {
        name: 'api',
        services: ['api.example'],
        replicas: { a: 2 },
        cpu: 1,
        startup,
        autoscale: { min: 1, max: 20, targetUtilization: 0.5, syncPeriodSeconds },
      },
    ],
    traffic: [{ entry: 'api.example', rps: 100, profile }],
    slo: [{ entry: 'api.example', p99Ms: 100 }],
  };
}

describe('traffic profiles', () => {
  it('gives the closed forms of each shape', () => {
    const diurnal = { shape: 'diurnal', peakAt: 840, trough: 0.2 } as const;
    expect(curveAt(diurnal, 840)).toBe(1);
    expect(curveAt(diurnal, 120)).toBeCloseTo(0.2, 12);
    expect(curveAt(diurnal, 480)).toBeCloseTo(0.6, 12); // six hours from the peak: halfway
    const points: TrafficProfileT = {
      shape: 'points',
      points: [
        { atMinute: 60, factor: 1 },
        { atMinute: 1380, factor: 0.5 },
      ],
    };
    expect(curveAt(points, 720)).toBeCloseTo(0.75, 12);
    expect(curveAt(points, 0)).toBeCloseTo(0.75, 12); // across midnight: 1380 → 60 is two hours, midnight halfway
    expect(curveAt({ shape: 'peak', atMinute: 600, durationMinutes: 60, factor: 3, rampMinutes: 10 }, 595)).toBeCloseTo(2, 12);
    expect(curveAt({ shape: 'ramp', startMinute: 100, endMinute: 200, from: 1, to: 2 }, 150)).toBe(1.5);
    expect(curveAt({ shape: 'step', atMinute: 60, before: 1, after: 2 }, 60)).toBe(2);
    // 10 % a month, compounded: after 30 days × 1.1.
    expect(profileFactor({ shape: 'step', atMinute: 0, before: 1, after: 1, growthPerMonth: 0.1 }, 30 * 1440)).toBeCloseTo(1.1, 12);
  });
});

describe('cache warm-up', () => {
  it("Che's sum over the requests seen matches the key-by-key sum, and never passes the steady hit rate", () => {
    const keys = 2000;
    const zipf = 0.9;
    let z = 0;
    for (let i = 1; i <= keys; i++) z += i ** -zipf;
    for (const n of [10, 300, 5000]) {
      let h = 0;
      for (let i = 1; i <= keys; i++) {
        const p = i ** -zipf / z;
        h += p * -Math.expm1(-p * n);
      }
      expect(cheHitRateAfter(keys, zipf, n)).toBeCloseTo(h, 4);
    }
    expect(cheHitRateAfter(keys, zipf, 0)).toBe(0);
    expect(Math.min(cheHitRateAfter(keys, zipf, 1e9), cheHitRate(keys, zipf, 200))).toBe(cheHitRate(keys, zipf, 200));
  });
});

describe('the analytic timeline', () => {
  it('a constant profile gives exactly the steady-state figures, every minute', () => {
    const doc = structuredClone(checkout);
    delete doc.traffic![0]!.profile;
    const steady = simulate(parsed(doc)).entries['edge.checkout']?.latencyMs;
    const tl = run(doc, undefined, 120);
    const e = tl.series.entries['edge.checkout'];
    expect(new Set(e?.p95Ms)).toEqual(new Set([steady?.p95]));
    expect(new Set(e?.p99Ms)).toEqual(new Set([steady?.p99]));
    expect(new Set(e?.p50Ms)).toEqual(new Set([steady?.p50]));
    expect(tl.totals.replicaHours).toEqual({ edge: 6, shop: 12, payments: 6 }); // 3, 6 and 3 pods for 2 hours
    expect(tl.totals.sloMinutesMissed).toBe(0);
    expect(tl.evaluations).toBe(1);
  });

  it('a step in traffic reproduces the lag: the first sync at or after it, then the start delay', () => {
    // Traffic doubles at minute 60 (100 → 200 rps, 2 pods at CPU 0.5 → 1.0). The HPA syncs every
    // 35 s: its first sync after 3600 s is at 3605 s; the pods it adds serve 45 s later (3650 s).
    const tl = run(small({ shape: 'step', atMinute: 60, before: 1, after: 2 }, { delaySeconds: 45 }, 35), undefined, 65);
    const up = tl.scaleEvents.find((e) => e.to > e.from);
    expect(up).toEqual({ atSecond: 3605, bundle: 'api', zone: 'a', from: 2, to: 4 });
    const ready = tl.series.bundles.api?.ready ?? [];
    expect(ready.slice(59, 63)).toEqual([2, 2, 4, 4]); // minute 60 (3600 s) still 2; minute 61 (3660 s) has the new pods
    // The minute of the step has ρ 1: no latency, the SLO missed; the next is back.
    expect(tl.series.entries['api.example']?.sloMet.slice(59, 62)).toEqual([true, false, true]);
    const slower = run(small({ shape: 'step', atMinute: 60, before: 1, after: 2 }, { delaySeconds: 90 }, 35), undefined, 65);
    expect(slower.series.bundles.api?.ready.slice(59, 63)).toEqual([2, 2, 2, 4]); // 3605 + 90 = 3695 s: minute 62
  });

  it("checkout's morning rush: the HPA on CPU misses the P95, the HPA on in-flight requests does not", () => {
    const cpu = run(checkout, 'cpu');
    const inflight = run(checkout, 'in-flight');
    const rush = (tl: TimelineResult) => tl.series.entries['edge.checkout']?.p95Ms.slice(420, 426).map((x) => (x === null ? null : Math.round(x)));
    expect(cpu.totals.sloMinutesMissed).toBeGreaterThanOrEqual(1);
    expect(inflight.totals.sloMinutesMissed).toBe(0);
    expect(Math.max(...(rush(cpu) as number[]))).toBeGreaterThan(300);
    expect(Math.max(...(rush(inflight) as number[]))).toBeLessThanOrEqual(300);
    // The price: more pod-hours for the shop.
    expect(inflight.totals.replicaHours.shop).toBeGreaterThan(cpu.totals.replicaHours.shop as number);
  });

  it('a zone that fails at the peak loses its pods; the other zones scale up, and the zone restarts after its delay', () => {
    const doc = {
      ...structuredClone(checkout),
      timeline: [
        { atMinute: 840, failZone: 'us-west-2a' },
        { atMinute: 900, restoreZone: 'us-west-2a' },
      ],
    };
    const tl = run(doc, 'cpu');
    const shop = tl.series.bundles.shop;
    expect(tl.series.failedZones[840]).toEqual(['us-west-2a']);
    expect(shop?.zones['us-west-2a']?.ready[840]).toBe(0);
    expect(shop?.zones['us-west-2a']?.ready[901]).toBe(0); // restarted at 900: 90 s to start
    expect(shop?.zones['us-west-2a']?.ready[902]).toBeGreaterThan(0);
    expect((shop?.zones['us-west-2b']?.replicas[850] ?? 0) > (shop?.zones['us-west-2b']?.replicas[839] ?? 0)).toBe(true);
  });

  it('counts the requests a full queue rejects each minute (M/M/1/K closed form)', () => {
    // One pod, 10 ms, 4 may wait (K = 5); from minute 10 traffic goes 50 → 150 rps (ρ 1.5):
    // P_K = (1 − ρ)ρ^K ÷ (1 − ρ^(K+1)) = 0.3654135…, so 150 × P_K × 60 = 3288.72 rejected a minute.
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 'api.example', serviceTimeMs: 10, serviceTimeCv: 1, workers: 1, queueLimit: 4 }],
      bundles: [{ name: 'api', services: ['api.example'], replicas: { a: 1 } }],
      traffic: [{ entry: 'api.example', rps: 50, profile: { shape: 'step', atMinute: 10, before: 1, after: 3 } }],
      slo: [{ entry: 'api.example', maxRejectionRate: 0.02 }], // 1.59 % before the step, 36.5 % after
    };
    const tl = run(doc, undefined, 12);
    const rho = 1.5;
    const pk = ((1 - rho) * rho ** 5) / (1 - rho ** 6);
    expect(tl.series.entries['api.example']?.rejected[11]).toBeCloseTo(150 * pk * 60, 6);
    const p1 = (0.5 ** 5 * 0.5) / (1 - 0.5 ** 6); // ρ 0.5 before the step
    expect(tl.series.entries['api.example']?.rejected[0]).toBeCloseTo(50 * p1 * 60, 6);
    expect(tl.totals.sloMinutesMissed).toBe(2);
    expect(tl.totals.rejected).toBeCloseTo(10 * 50 * p1 * 60 + 2 * 150 * pk * 60, 4);
  });

  it('refuses a policy the document does not define, naming those it does', () => {
    const r = timeline(parsed(checkout), { policy: 'memory' });
    expect(r.ok ? null : r.problems).toEqual([{ path: 'autoscalePolicies', message: 'no policy "memory"; the document has "cpu", "in-flight"' }]);
  });
});
