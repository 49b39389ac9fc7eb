/**
 * The DES against MODEL.md §3's exact cases, through documents: every simulated 99 % interval
 * must contain the exact value. Seeds are pinned (one seed, one answer), and each test also
 * checks the interval is tight (the stopping rule's ±5 % on P99), so containment means
 * something: a model error of a few percent would fall outside.
 */
import { describe, expect, it } from 'vitest';
import type { Percentiles } from '../engine/types.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { cheHitRate } from './che.ts';
import { createDesRun } from './run.ts';

const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

function run(input: TopologyInput, seed: number, requests = 1_000_000) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createDesRun({ doc: parsed.doc, seed, requests }).runToEnd();
}

/** One service, one replica, `workers` servers: an M/M/c queue in ms. */
function mmc(rps: number, serviceTimeMs: number, workers: number, replicas = 1, routing: 'random' | 'locality' = 'locality'): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: ZERO_NETWORK,
    routing,
    services: [{ name: 's', serviceTimeMs, workers }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: replicas } }],
    traffic: [{ entry: 's', rps }],
  };
}

/** Erlang C: the probability an arrival waits in M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

/** MODEL.md §2's M/M/c sojourn tail, inverted by bisection: the time t with P(T > t) = 1 − p. */
function mmcQuantile(lambda: number, mu: number, c: number, p: number): number {
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const tail = (t: number) =>
    Math.abs(theta - mu) < 1e-12
      ? (1 - C) * Math.exp(-mu * t) + C * Math.exp(-mu * t) * (1 + mu * t)
      : (1 - C) * Math.exp(-mu * t) + (C * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
  let lo = 0;
  let hi = 1;
  while (tail(hi) > 1 - p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function expectWithin(p: Percentiles | null | undefined, exact: Partial<Record<'mean' | 'p50' | 'p95' | 'p99', number>>) {
  expect(p, 'a latency').toBeTruthy();
  const ci = p?.ci;
  expect(ci, 'intervals').toBeTruthy();
  for (const [k, v] of Object.entries(exact) as ['mean' | 'p50' | 'p95' | 'p99', number][]) {
    const [lo, hi] = ci?.[k] ?? [Number.NaN, Number.NaN];
    expect(lo, `${k}: ${v} in [${lo}, ${hi}]`).toBeLessThanOrEqual(v);
    expect(hi, `${k}: ${v} in [${lo}, ${hi}]`).toBeGreaterThanOrEqual(v);
  }
  // Tight enough to mean something: the P99 interval within ±5 % (the stopping rule).
  const [lo, hi] = ci?.p99 ?? [0, Number.POSITIVE_INFINITY];
  expect((hi - lo) / 2).toBeLessThanOrEqual(0.05 * (p?.p99 ?? 0) + 1e-9);
}

/** The M/M/c figures in ms for λ in requests/s and μ in 1/s. */
function mmcExact(lambda: number, mu: number, c: number) {
  const C = erlangC(c, lambda / mu);
  const W = C / (c * mu - lambda) + 1 / mu;
  return {
    mean: W * 1000,
    p50: mmcQuantile(lambda, mu, c, 0.5) * 1000,
    p95: mmcQuantile(lambda, mu, c, 0.95) * 1000,
    p99: mmcQuantile(lambda, mu, c, 0.99) * 1000,
  };
}

describe('DES on the exact cases of MODEL.md §3', () => {
  it('the closed forms used here reproduce the table', () => {
    // ln(100)/2 = ln 10: the table's 2.302585.
    expect(mmcQuantile(8, 10, 1, 0.99)).toBeCloseTo(Math.LN10, 5);
    expect(erlangC(4, 3.5)).toBeCloseTo(0.73786, 5);
    expect(mmcQuantile(0.35, 0.1, 4, 0.99)).toBeCloseTo(99.843, 2);
    expect(mmcQuantile(1, 1, 2, 0.5)).toBeCloseTo(0.9744, 4);
    expect(mmcQuantile(1, 1, 2, 0.95)).toBeCloseTo(3.8165, 4);
    expect(mmcQuantile(1, 1, 2, 0.99)).toBeCloseTo(5.666, 3);
    expect(erlangC(10, 8)).toBeCloseTo(0.40918, 5);
    expect(mmcQuantile(8, 1, 10, 0.99)).toBeCloseTo(4.9461, 4);
  });

  it('M/M/1, λ=8, μ=10: W 0.5 s, T p99 2.302585 s', () => {
    // At ρ 0.8 one busy period spans many requests: the P99 needs a few million to pin to ±5 %.
    const r = run(mmc(8, 100, 1), 11, 4_000_000);
    const exact = { ...mmcExact(8, 10, 1), mean: 500, p99: 2302.585 };
    expectWithin(r.entries.s?.latencyMs, exact);
    expectWithin(r.services.s?.sojournMs, exact);
    expect(r.services.s?.utilization).toBeCloseTo(0.8, 2);
    expect(r.services.s?.method).toBe('des');
    expect(r.method).toBe('des');
  });

  it("M/M/4, λ=0.35, μ=0.1 (PDQ's example): W 24.7572 s, T p99 99.843 s", () => {
    const r = run(mmc(0.35, 10_000, 4), 12, 4_000_000);
    expectWithin(r.entries.s?.latencyMs, { ...mmcExact(0.35, 0.1, 4), mean: 24_757.2, p99: 99_843 });
  });

  it('M/M/2, λ=1, μ=1: W 1.33333, T p50 0.9744, p95 3.8165, p99 5.6660', () => {
    const r = run(mmc(1, 1000, 2), 13);
    expectWithin(r.entries.s?.latencyMs, { mean: 1333.33, p50: 974.4, p95: 3816.5, p99: 5666.0 });
  });

  it('M/M/10, λ=8, μ=1: W 1.20459, T p99 4.9461', () => {
    const r = run(mmc(8, 1000, 10), 14);
    expectWithin(r.entries.s?.latencyMs, { ...mmcExact(8, 1, 10), mean: 1204.59, p99: 4946.1 });
  });

  it('two M/M/1 in tandem (μ−λ = 1 and 2): mean 1.5, p50 1.2280, p95 3.6761, p99 5.2958, not the sum of p99s', () => {
    const r = run(
      {
        schema: 'busboard.topology/v3',
        zones: [{ name: 'a', region: 'r' }],
        network: ZERO_NETWORK,
        services: [
          { name: 'first', serviceTimeMs: 500, calls: [{ to: 'second' }] },
          { name: 'second', serviceTimeMs: 1000 / 3 },
        ],
        bundles: [
          { name: 'one', services: ['first'], replicas: { a: 1 } },
          { name: 'two', services: ['second'], replicas: { a: 1 } },
        ],
        traffic: [{ entry: 'first', rps: 1 }],
      },
      15,
    );
    const latency = r.entries.first?.latencyMs;
    expectWithin(latency, { mean: 1500, p50: 1228.0, p95: 3676.1, p99: 5295.8 });
    expect(latency?.ci?.p99[1]).toBeLessThan(6908);
    expectWithin(r.services.first?.sojournMs, { mean: 1000, p99: 1000 * Math.log(100) });
    expectWithin(r.services.second?.sojournMs, { mean: 500, p99: 500 * Math.log(100) });
  });

  describe('max of n iid Exp(1) through a parallel group of externals', () => {
    const table: [number, number][] = [
      [1, 4.605],
      [2, 5.296],
      [5, 6.211],
      [10, 6.903],
      [100, 9.205],
    ];
    for (const [n, p99] of table) {
      it(`n=${n}: p99 ${p99}, mean H_n`, () => {
        // n = 2 as two externals; otherwise one external called n times in the group.
        const calls =
          n === 2
            ? [
                { to: 'ext:x', parallelGroup: 'g' },
                { to: 'ext:y', parallelGroup: 'g' },
              ]
            : [{ to: 'ext:x', perRequest: n, parallelGroup: 'g' }];
        const r = run(
          {
            schema: 'busboard.topology/v3',
            zones: [{ name: 'a', region: 'r' }],
            network: ZERO_NETWORK,
            services: [{ name: 'fan', serviceTimeMs: 0.001, serviceTimeCv: 0, workers: 1000, calls }],
            externals: [
              { name: 'x', latencyMs: 1000, latencyCv: 1 },
              { name: 'y', latencyMs: 1000, latencyCv: 1 },
            ],
            bundles: [{ name: 'b', services: ['fan'], replicas: { a: 1 } }],
            traffic: [{ entry: 'fan', rps: 10 }],
          },
          100 + n,
          // n = 100 costs 100 events a request; iid samples need far fewer requests.
          n === 100 ? 80_000 : 1_000_000,
        );
        let harmonic = 0;
        for (let k = 1; k <= n; k++) harmonic += 1 / k;
        expectWithin(r.entries.fan?.latencyMs, { mean: harmonic * 1000 + 0.001, p99: p99 * 1000 + 0.001 });
      });
    }
  });

  it('3 replicas × 2 workers, 900 rps, 5 ms, random dispatch: each replica M/M/2 at 300 rps, ρ 0.75, W 11.4286 ms', () => {
    const r = run(mmc(900, 5, 2, 3, 'random'), 17);
    const s = r.services.s;
    expect(s?.replicasDetail).toHaveLength(3);
    for (const rep of s?.replicasDetail ?? []) {
      expect(rep.arrivalRps).toBeGreaterThan(297);
      expect(rep.arrivalRps).toBeLessThan(303);
      expect(rep.utilization).toBeGreaterThan(0.74);
      expect(rep.utilization).toBeLessThan(0.76);
      expect(rep.sojournMeanMs).toBeGreaterThan(11.4286 * 0.95);
      expect(rep.sojournMeanMs).toBeLessThan(11.4286 * 1.05);
    }
    expectWithin(s?.sojournMs, { ...mmcExact(300, 200, 2), mean: 11.4286 });
  });

  describe('beyond the table: M/G/1 by Pollaczek–Khinchine (exact for any own-time distribution)', () => {
    // Wq = λ·E[S²] / (2(1 − ρ)); a single worker, Poisson arrivals.
    const pk = (lambdaPerMs: number, m1: number, m2: number) => (lambdaPerMs * m2) / (2 * (1 - lambdaPerMs * m1)) + m1;
    const single = (rps: number, svc: Record<string, unknown>): TopologyInput => ({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      network: ZERO_NETWORK,
      services: [{ name: 's', serviceTimeMs: 1, workers: 1, ...svc }],
      bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
      traffic: [{ entry: 's', rps }],
    });

    it('M/D/1 (cv 0) at ρ 0.5: W = 1.5 ms', () => {
      const r = run(single(500, { serviceTimeMs: 1, serviceTimeCv: 0 }), 21, 2_000_000);
      expectWithin(r.services.s?.sojournMs, { mean: pk(0.5, 1, 1) });
    });

    it('M/G/1 with gamma own times (cv 0.5) at ρ 0.7', () => {
      const r = run(single(350, { serviceTimeMs: 2, serviceTimeCv: 0.5 }), 22, 2_000_000);
      expectWithin(r.services.s?.sojournMs, { mean: pk(0.35, 2, 4 * 1.25) });
    });

    it("M/G/1 with a cache: hits and misses mix at Che's rate (cv 1 each) at ρ 0.7", () => {
      const cache = { scope: 'perReplica', entriesPerReplica: 5000, keySpace: 200_000, zipf: 0.9, hitTimeMs: 0.3 };
      const h = cheHitRate(200_000, 0.9, 5000);
      const m1 = h * 0.3 + (1 - h) * 4;
      const m2 = h * 2 * 0.09 + (1 - h) * 2 * 16;
      const rps = (0.7 / m1) * 1000;
      const r = run(single(rps, { serviceTimeMs: 4, cache }), 23, 3_000_000);
      expectWithin(r.services.s?.sojournMs, { mean: pk(rps / 1000, m1, m2) });
    });
  });
});
