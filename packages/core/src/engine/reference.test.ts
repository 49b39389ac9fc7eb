/**
 * MODEL.md §3, every row, through documents run by the engine (not through the formula
 * functions): exact figures within 0.1 %, composed percentiles within 2 %.
 * Rates in §3 are per time unit; here the unit is the millisecond, so λ = 8 is 8,000 rps.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { simulate } from './simulate.ts';

const within = (got: number | null | undefined, want: number, tol: number) => {
  expect(got, `expected ≈ ${want}`).not.toBeNull();
  expect(Math.abs((got as number) - want) / Math.abs(want), `got ${got}, want ${want}`).toBeLessThan(tol);
};
const EXACT = 0.001;
const COMPOSED = 0.02;

/** One service, one replica with c workers and exponential service of mean 1/μ ms, fed λ per ms. */
function single(lambdaPerMs: number, muPerMs: number, c: number) {
  const d = docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: FREE_NETWORK,
    services: [{ name: 'q', serviceTimeMs: 1 / muPerMs, workers: c }],
    bundles: [{ name: 'b', services: ['q'], replicas: { a: 1 } }],
    traffic: [{ entry: 'q', rps: lambdaPerMs * 1000 }],
  });
  const r = simulate(d);
  const s = r.services.q;
  const rep = s?.replicasDetail[0];
  if (!s || !rep) throw new Error('no result');
  return { s, rep, entry: r.entries.q };
}

describe('MODEL.md §3 reference values through the engine', () => {
  it('M/M/1, λ=8, μ=10: Wq 0.4, W 0.5, T p99 ln(100)/2 = 2.302585', () => {
    const { s, rep, entry } = single(8, 10, 1);
    expect(s.method).toBe('exact');
    within(rep.meanWaitMs, 0.4, EXACT);
    within(rep.sojournMeanMs, 0.5, EXACT);
    within(s.sojournMs?.mean, 0.5, EXACT);
    within(s.sojournMs?.p99, Math.log(100) / 2, EXACT);
    within(entry?.latencyMs?.p99, Math.log(100) / 2, COMPOSED);
    expect(entry?.method).toBe('composed');
  });

  it("M/M/4, λ=0.35, μ=0.1 (PDQ's worked example): C 0.73786, Wq 14.7572, W 24.7572, L 8.6650, T p99 99.843", () => {
    const { s, rep, entry } = single(0.35, 0.1, 4);
    within(rep.waitProbability, 0.73786, EXACT);
    within(rep.meanWaitMs, 14.7572, EXACT);
    within(rep.sojournMeanMs, 24.7572, EXACT);
    within(rep.meanInSystem, 8.665, EXACT);
    within(s.sojournMs?.p99, 99.843, EXACT);
    within(entry?.latencyMs?.p99, 99.843, COMPOSED);
  });

  it('M/M/2, λ=1, μ=1: C 1/3, Wq 0.33333, W 1.33333, T p50 0.9744, p95 3.8165, p99 5.6660', () => {
    const { s, rep, entry } = single(1, 1, 2);
    within(rep.waitProbability, 1 / 3, EXACT);
    within(rep.meanWaitMs, 1 / 3, EXACT);
    within(rep.sojournMeanMs, 4 / 3, EXACT);
    within(s.sojournMs?.p50, 0.9744, EXACT);
    within(s.sojournMs?.p95, 3.8165, EXACT);
    within(s.sojournMs?.p99, 5.666, EXACT);
    within(entry?.latencyMs?.p50, 0.9744, COMPOSED);
    within(entry?.latencyMs?.p95, 3.8165, COMPOSED);
    within(entry?.latencyMs?.p99, 5.666, COMPOSED);
  });

  it('M/M/10, λ=8, μ=1: C 0.40918, Wq 0.20459, T p99 4.9461', () => {
    const { s, rep } = single(8, 1, 10);
    within(rep.waitProbability, 0.40918, EXACT);
    within(rep.meanWaitMs, 0.20459, EXACT);
    within(s.sojournMs?.p99, 4.9461, EXACT);
  });

  it('two M/M/1 in tandem, μ−λ = 1 and 2: mean 1.5, p50 1.2280, p95 3.6761, p99 5.2958 (not 6.908, the sum of p99s)', () => {
    // λ = 1 per ms; μ = 2 and 3 per ms. Two bundles, no network cost.
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        { name: 'first', serviceTimeMs: 1 / 2, calls: [{ to: 'second' }] },
        { name: 'second', serviceTimeMs: 1 / 3 },
      ],
      bundles: [
        { name: 'one', services: ['first'], replicas: { a: 1 } },
        { name: 'two', services: ['second'], replicas: { a: 1 } },
      ],
      traffic: [{ entry: 'first', rps: 1000 }],
    });
    const r = simulate(d);
    const lat = r.entries.first?.latencyMs;
    within(lat?.mean, 1.5, COMPOSED);
    within(lat?.p50, 1.228, COMPOSED);
    within(lat?.p95, 3.6761, COMPOSED);
    within(lat?.p99, 5.2958, COMPOSED);
    const naive = (r.services.first?.sojournMs?.p99 ?? 0) + (r.services.second?.sojournMs?.p99 ?? 0);
    within(naive, 6.908, 0.001);
    expect(lat?.p99).toBeLessThan(naive * 0.8);
  });

  it.each([
    [1, 4.605],
    [2, 5.296],
    [5, 6.211],
    [10, 6.903],
    [100, 9.205],
  ])('max of %i iid Exp(1): p99 %f (a parallel group of that many calls)', (n, p99) => {
    // An entry with a negligible fixed own time fans out to n calls of an exponential external.
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        { name: 'fan', serviceTimeMs: 1e-6, serviceTimeCv: 0, workers: 1000, calls: [{ to: 'ext:x', perRequest: n, parallelGroup: 'all' }] },
      ],
      externals: [{ name: 'x', latencyMs: 1, latencyCv: 1 }],
      bundles: [{ name: 'b', services: ['fan'], replicas: { a: 1 } }],
      traffic: [{ entry: 'fan', rps: 1 }],
    });
    within(simulate(d).entries.fan?.latencyMs?.p99, p99, COMPOSED);
  });

  it('max of 5 iid Exp(1) as five members of one group gives the same p99 6.211', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        {
          name: 'fan',
          serviceTimeMs: 1e-6,
          serviceTimeCv: 0,
          workers: 1000,
          calls: [1, 2, 3, 4, 5].map((i) => ({ to: `ext:x${i}`, parallelGroup: 'all' })),
        },
      ],
      externals: [1, 2, 3, 4, 5].map((i) => ({ name: `x${i}`, latencyMs: 1, latencyCv: 1 })),
      bundles: [{ name: 'b', services: ['fan'], replicas: { a: 1 } }],
      traffic: [{ entry: 'fan', rps: 1 }],
    });
    within(simulate(d).entries.fan?.latencyMs?.p99, 6.211, COMPOSED);
  });

  it.each([
    ['perReplica', 100, 1, 10_000, 1.0, 0.3905],
    ['distributed', 50, 2, 10_000, 1.0, 0.3905],
    ['perReplica', 1000, 3, 100_000, 0.9, 0.3421],
    ['distributed', 250, 4, 100_000, 0.9, 0.3421],
  ] as const)("Che's hit rate (%s cache, %i entries × %i replicas, N=%i, α=%f) = %f", (scope, entries, replicas, keySpace, zipf, want) => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 'c', serviceTimeMs: 1, cache: { scope, entriesPerReplica: entries, keySpace, zipf, hitTimeMs: 0.1 } }],
      bundles: [{ name: 'b', services: ['c'], replicas: { a: replicas } }],
      traffic: [{ entry: 'c', rps: 10 }],
    });
    const s = simulate(d).services.c;
    within(s?.cacheHitRate, want, EXACT);
    // One worker and a hit/miss mixture: M/G/1, the exact wait (Pollaczek–Khinchine).
    expect(s?.method).toBe('pollaczek-khinchine');
  });

  it('3 replicas × 2 workers, 900 rps, 5 ms, random dispatch: each M/M/2 at 300 rps, ρ 0.75, C 0.642857, W 11.4286 ms', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      routing: 'random',
      services: [{ name: 'svc', serviceTimeMs: 5, workers: 2 }],
      bundles: [{ name: 'b', services: ['svc'], replicas: { a: 3 } }],
      traffic: [{ entry: 'svc', rps: 900 }],
    });
    const s = simulate(d).services.svc;
    expect(s?.replicasDetail).toHaveLength(3);
    for (const rep of s?.replicasDetail ?? []) {
      within(rep.arrivalRps, 300, EXACT);
      within(rep.utilization, 0.75, EXACT);
      within(rep.waitProbability, 0.642857, EXACT);
      within(rep.sojournMeanMs, 11.4286, EXACT);
    }
    within(s?.utilization, 0.75, EXACT);
    within(s?.sojournMs?.mean, 11.4286, EXACT);
  });
});
