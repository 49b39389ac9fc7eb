/**
 * What arrives together (issue 12, items 2 and 3): the DES is the reference the analytic engine
 * is checked against when one request lands several times at once, so it must reproduce those
 * arrivals exactly. A parallel group's repetitions leave at the same instant (batch arrivals at
 * the callee, not Poisson); a group calling distinct services sends them the same arrival
 * instants (fork–join, correlated waits). Exact values: queue-reference.ts.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { batchMM1, forkJoin2Mean, mmc } from '../../test/queue-reference.ts';
import type { Percentiles } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { createDesRun } from './run.ts';

type Call = { to: string; perRequest?: number; parallelGroup?: string };

/** A front with no queue (fixed 0.001 ms, 1000 workers) at `rps`, calling single-worker 10 ms callees. */
function front(rps: number, calls: Call[], callees: { name: string; replicas?: number }[]): Topology {
  return docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: FREE_NETWORK,
    routing: 'random',
    services: [
      { name: 'front', serviceTimeMs: 0.001, serviceTimeCv: 0, workers: 1000, calls },
      ...callees.map((c) => ({ name: c.name, serviceTimeMs: 10, workers: 1 })),
    ],
    bundles: [
      { name: 'f', services: ['front'], replicas: { a: 1 } },
      ...callees.map((c) => ({ name: `b-${c.name}`, services: [c.name], replicas: { a: c.replicas ?? 1 } })),
    ],
    traffic: [{ entry: 'front', rps }],
  });
}

const run = (doc: Topology, seed: string) => createDesRun({ doc, seed, requests: 3_000_000 }).runToEnd();

function holds(p: Percentiles | null | undefined, k: 'mean' | 'p99', exact: number) {
  const [lo, hi] = p?.ci?.[k] ?? [Number.NaN, Number.NaN];
  expect(lo, `${k} ${exact} in [${lo}, ${hi}]`).toBeLessThanOrEqual(exact);
  expect(hi, `${k} ${exact} in [${lo}, ${hi}]`).toBeGreaterThanOrEqual(exact);
}

describe('batch arrivals: perRequest n inside a parallel group', () => {
  it('sends n calls at the same instant: the callee is an M^X/M/1 with batches of n, not a Poisson M/M/1', () => {
    // 10 rps × 5 calls at once to one 10 ms worker: ρ 0.5, batches of 5.
    const r = run(front(10, [{ to: 'a', perRequest: 5, parallelGroup: 'g' }], [{ name: 'a' }]), 'batch-5');
    const exact = batchMM1(0.05, 0.1, 5);
    // A customer's mean sojourn: 30 ms batch wait + 20 ms for batch-mates ahead + 10 ms own = 60 ms.
    holds(r.services.a?.sojournMs, 'mean', exact.customerSojournMean);
    // The group waits for the batch's last: 30 + 5 × 10 = 80 ms (plus the front's 0.001 ms).
    holds(r.entries.front?.latencyMs, 'mean', exact.batchDoneMean + 0.001);
    // A Poisson stream at the same rate would give 20 ms: three times lower.
    expect(mmc(0.05, 0.1, 1).mean).toBeCloseTo(20, 9);
    expect(r.services.a?.sojournMs?.ci?.mean[0]).toBeGreaterThan(2.5 * 20);
    expect(r.services.a?.utilization).toBeCloseTo(0.5, 2);
  });

  it('a batch scattered over k replicas: each call picks its replica at random (a queue group), so each replica sees thinned batches', () => {
    // 10 rps × 10 calls over 5 single-worker replicas: ρ 0.2 each; a replica receives a Binomial(10, 1/5) batch per request.
    const r = run(front(10, [{ to: 'a', perRequest: 10, parallelGroup: 'g' }], [{ name: 'a', replicas: 5 }]), 'scatter-10');
    // M^X/M/1 with X ~ Binomial(10, 0.2): E[X] = 2, E[X(X−1)] = 90·0.04 = 3.6; batch wait
    // = λ_b·E[B²]/(2(1−ρ)) with E[B²] = (E[X²] + E[X])/μ²; mates ahead E[X(X−1)]/(2E[X])/μ.
    const mu = 0.1;
    const lambdaB = 0.01;
    const ex = 2;
    const ex2 = 3.6 + 2;
    const rho = (lambdaB * ex) / mu;
    const batchWait = (lambdaB * (ex2 + ex)) / (mu * mu) / (2 * (1 - rho));
    const exact = batchWait + 3.6 / (2 * ex) / mu + 1 / mu;
    holds(r.services.a?.sojournMs, 'mean', exact);
    for (const rep of r.services.a?.replicasDetail ?? []) expect(rep.arrivalRps).toBeCloseTo(20, 0);
  });
});

describe('fork–join: a parallel group calling distinct services', () => {
  it('both callees see the same arrival instants; the group waits for the later: (12 − ρ)/8 · 1/(μ − λ) (Flatto–Hahn)', () => {
    const r = run(
      front(
        50,
        [
          { to: 'a', parallelGroup: 'g' },
          { to: 'b', parallelGroup: 'g' },
        ],
        [{ name: 'a' }, { name: 'b' }],
      ),
      'fork-join-2',
    );
    const exact = forkJoin2Mean(0.05, 0.1);
    expect(exact).toBeCloseTo(28.75, 9);
    holds(r.entries.front?.latencyMs, 'mean', exact + 0.001);
    // Each callee alone is an ordinary M/M/1 at ρ 0.5.
    holds(r.services.a?.sojournMs, 'mean', 20);
    holds(r.services.b?.sojournMs, 'p99', mmc(0.05, 0.1, 1).p99);
    // Independent sojourns would give E[max] = 1.5 × 20 = 30 ms: outside the interval (correlation lowers it).
    expect(r.entries.front?.latencyMs?.ci?.mean[1]).toBeLessThan(30);
  });
});
