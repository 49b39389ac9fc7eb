/**
 * A call to a service with no live replica (a failed zone held all of them) fails the request,
 * in the DES as in the analytic engine (engine/success.ts): the caller carries on with its other
 * calls, as after a rejection, and the entry has no latency (MODEL.md §2) but a success rate.
 * Checked through documents against closed forms, and the two engines against each other.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { createDesRun } from './run.ts';

const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };
const SEED = 11;

/** api (zones a and b) calls other (a and b), then back, whose replicas all sit in zone b. */
function design(back: { perRequest?: number; queueLimitOther?: number; cache?: boolean }): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [
      { name: 'a', region: 'r' },
      { name: 'b', region: 'r' },
    ],
    network: ZERO_NETWORK,
    services: [
      {
        name: 'api',
        serviceTimeMs: 1,
        workers: 4,
        calls: [{ to: 'other' }, { to: 'back', perRequest: back.perRequest ?? 1 }],
        ...(back.cache ? { cache: { entriesPerReplica: 100, keySpace: 1000, zipf: 1, hitTimeMs: 0.5 } } : {}),
      },
      // With a limit: M/M/1/5 at λ 80 rps, 10 ms (λ 8, μ 10 per 100 ms) on the one replica left in zone a.
      { name: 'other', serviceTimeMs: 10, workers: 1, ...(back.queueLimitOther === undefined ? {} : { queueLimit: back.queueLimitOther }) },
      { name: 'back', serviceTimeMs: 2, workers: 2 },
    ],
    bundles: [
      { name: 'front', services: ['api'], replicas: { a: 1, b: 1 } },
      { name: 'mid', services: ['other'], replicas: { a: 1, b: 1 } },
      { name: 'tail', services: ['back'], replicas: { b: 2 } },
    ],
    traffic: [{ entry: 'api', rps: 80 }],
  };
}

function both(input: TopologyInput, failZones: string[]) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const analytic = simulate(parsed.doc, { failZones });
  const des = createDesRun({ doc: parsed.doc, seed: SEED, requests: 300_000, failZones }).runToEnd();
  return { analytic, des };
}

function within(iv: [number, number] | undefined, v: number, what: string) {
  expect(iv, what).toBeDefined();
  const [lo, hi] = iv ?? [Number.NaN, Number.NaN];
  expect(lo, `${what}: ${v} in [${lo}, ${hi}]`).toBeLessThanOrEqual(v);
  expect(hi, `${what}: ${v} in [${lo}, ${hi}]`).toBeGreaterThanOrEqual(v);
}

describe('a call to a service with no live replica fails the request, in both engines', () => {
  it('zone b fails with every replica of back: no request succeeds (success 0, goodput 0), other still gets every call', () => {
    const { analytic, des } = both(design({}), ['b']);
    for (const r of [analytic, des]) {
      expect(r.services.back?.unavailable).toBe(true);
      expect(r.entries.api?.successRate).toBe(0);
      expect(r.entries.api?.goodputRps).toBe(0);
      expect(r.entries.api?.latencyMs).toBeNull();
      expect(r.entries.api?.reason).toBe('back has no live replica');
    }
    // The caller carries on: other's call comes before back's and is still made.
    expect(analytic.services.other?.arrivalRps).toBeCloseTo(80, 9);
    within(des.des.intervals['services["other"].arrivalRps'], 80, 'other arrival rps');
  });

  it('a call made every other request (perRequest 0.5) fails half of them: success 0.5, goodput 40 rps', () => {
    const { analytic, des } = both(design({ perRequest: 0.5 }), ['b']);
    expect(analytic.entries.api?.successRate).toBeCloseTo(0.5, 12);
    expect(analytic.entries.api?.goodputRps).toBeCloseTo(40, 9);
    within(des.des.intervals['entries["api"].successRate'], 0.5, 'DES success');
    expect(des.entries.api?.goodputRps).toBeCloseTo(80 * (des.entries.api?.successRate ?? 0), 9);
  });

  it('with a rejecting M/M/1/5 before it: success (1 − P_K) · 0.5 = 0.455590 in both', () => {
    const exact = (1 - 0.088819499) * 0.5;
    const { analytic, des } = both(design({ perRequest: 0.5, queueLimitOther: 4 }), ['b']);
    expect(analytic.services.other?.rejectionRate).toBeCloseTo(0.088819499, 6);
    expect(analytic.entries.api?.successRate).toBeCloseTo(exact, 6);
    within(des.des.intervals['entries["api"].successRate'], exact, 'DES success');
    within(des.des.intervals['services["other"].rejectionRate'], 0.088819499, 'DES rejection');
  });

  it('a cache hit makes no call and succeeds: success = the hit rate in both', () => {
    const { analytic, des } = both(design({ cache: true }), ['b']);
    const h = analytic.services.api?.cacheHitRate ?? Number.NaN;
    expect(h).toBeGreaterThan(0.5);
    expect(analytic.entries.api?.successRate).toBeCloseTo(h, 12);
    within(des.des.intervals['entries["api"].successRate'], h, 'DES success');
  });

  it('an entry with no live replica at all fails every request in both', () => {
    const { analytic, des } = both(design({}), ['a', 'b']);
    for (const r of [analytic, des]) {
      expect(r.entries.api?.successRate).toBe(0);
      expect(r.entries.api?.goodputRps).toBe(0);
    }
  });
});
