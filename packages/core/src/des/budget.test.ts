/**
 * The DES with time budgets (des/budget.ts): against the M/M/c+D closed forms (queue/impatient.ts,
 * whose values mpmath checks apart from this code), and the rules Microbus's connector applies:
 * fail fast with the hop reserve or less left, the ack timeout to a service with no live replica.
 * Seeds pinned; every exact value must fall inside the run's 99 % interval.
 */
import { describe, expect, it } from 'vitest';
import { impatientQueue } from '../queue/impatient.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { createDesRun } from './run.ts';

const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

function run(input: TopologyInput, seed: number, requests = 500_000) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createDesRun({ doc: parsed.doc, seed, requests }).runToEnd();
}

/** One replica, c workers, own time `ms`, budget `budgetMs` with no hop reserve: M/M/c+D with D = budget. */
function mmcd(rps: number, ms: number, workers: number, budgetMs: number, onTimeout?: 'finish' | 'stop'): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: { ...ZERO_NETWORK, timeBudgetHopMs: 0 },
    services: [{ name: 's', serviceTimeMs: ms, workers, ...(onTimeout ? { onTimeout } : {}) }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    traffic: [{ entry: 's', rps, timeBudgetMs: budgetMs }],
  };
}

function within(iv: [number, number] | undefined, v: number, what: string) {
  expect(iv, what).toBeDefined();
  const [lo, hi] = iv ?? [Number.NaN, Number.NaN];
  expect(lo, `${what}: ${v} in [${lo}, ${hi}]`).toBeLessThanOrEqual(v);
  expect(hi, `${what}: ${v} in [${lo}, ${hi}]`).toBeGreaterThanOrEqual(v);
}

describe('DES: time budgets against M/M/c+D', () => {
  it('M/M/2+D at ρ 1.5, D 3 means (λ 3, μ 1 per 5 ms, budget 15 ms): timeouts 0.67910 (abandon 0.33960 + in service 0.33950), served wait 2.10810 × 5 ms', () => {
    const r = run(mmcd(600, 5, 2, 15), 11);
    const s = r.services.s;
    expect(s?.saturated).toBe(false);
    within(r.des.intervals['services["s"].timeoutRate'], 0.3395954 + 0.3395018, 'timeout rate');
    within(r.des.intervals['entries["s"].successRate'], 1 - 0.3395954 - 0.3395018, 'entry success');
    within(r.des.intervals['entries["s"].timeoutRate'], 0.3395954 + 0.3395018, 'entry timeout rate');
    // Served sojourn = served wait + own time (finish holds the worker to the end).
    within(s?.sojournMs?.ci?.mean, 5 * (2.108096 + 1), 'served sojourn mean');
    expect(r.entries.s?.latencyMs).not.toBeNull();
    expect(r.entries.s?.latencyMs?.p99).toBeLessThanOrEqual(15);
  });

  it('M/M/1+D at ρ 0.8, D 2 means (80 rps, 10 ms own time, budget 20 ms): timeouts 0.18783 + 0.23479', () => {
    const r = run(mmcd(80, 10, 1, 20), 3);
    within(r.des.intervals['services["s"].timeoutRate'], 0.1878321 + 0.2347901, 'timeout rate');
    within(r.services.s?.sojournMs?.ci?.mean, 10 * (0.5309131 + 1), 'served sojourn mean');
  });

  it('finish wastes the whole own time of a request that times out in service; stop frees the worker at the deadline', () => {
    const finish = run(mmcd(600, 5, 2, 15, 'finish'), 5, 300_000);
    const stop = run(mmcd(600, 5, 2, 15, 'stop'), 5, 300_000);
    // finish: M/M/c+D exactly; wasted work per arrival E[S·1{W ≤ D < W + S}] (queue/impatient.ts `wastedFinish`).
    const w = finish.services.s?.wastedWorkRate ?? 0;
    const exact = (600 / 1000) * 5 * impatientQueue(3, 2, 1, 3).wastedFinish;
    within(finish.des.intervals['services["s"].wastedWorkRate'], exact, 'wasted CPU-seconds per second');
    expect(stop.services.s?.wastedWorkRate ?? 1).toBeLessThan(w);
    // Freed workers serve more: fewer timeouts with stop.
    expect(stop.services.s?.timeoutRate ?? 1).toBeLessThan(finish.services.s?.timeoutRate ?? 0);
  });
});

describe('DES: fail fast and ack timeouts (Microbus connector rules)', () => {
  const chain = (budgetMs: number, calleeReplicas: number): TopologyInput => ({
    schema: 'busboard.topology/v3',
    zones: [
      { name: 'a', region: 'r' },
      { name: 'b', region: 'r' },
    ],
    network: { ...ZERO_NETWORK, timeBudgetHopMs: 100, ackTimeoutMs: 50 },
    services: [
      { name: 'front', serviceTimeMs: 1, workers: 4, calls: [{ to: 'back' }] },
      { name: 'back', serviceTimeMs: 1, workers: 4 },
    ],
    bundles: [
      { name: 'f', services: ['front'], replicas: { a: 1 } },
      { name: 'k', services: ['back'], replicas: calleeReplicas ? { b: calleeReplicas } : { b: 0 } },
    ],
    traffic: [{ entry: 'front', rps: 100, timeBudgetMs: budgetMs }],
  });

  it('a call with the hop reserve or less left is not sent: the callee sees nothing, every request times out fast', () => {
    // Entry deadline 90 ms; a call needs more than 100 ms left: never sent.
    const r = run(chain(90, 1), 1, 20_000);
    expect(r.services.back?.arrivalRps).toBe(0);
    expect(r.entries.front?.timeoutRate).toBe(1);
    expect(r.entries.front?.successRate).toBe(0);
    // It fails when its own work is done, about 1 ms after it arrives.
    expect(r.entries.front?.failureLatencyMs ?? 99).toBeLessThan(10);
  });

  it('with budget to spare the call is sent and succeeds', () => {
    const r = run(chain(1000, 1), 1, 20_000);
    expect(r.entries.front?.successRate).toBe(1);
    expect(r.services.back?.arrivalRps ?? 0).toBeGreaterThan(90);
  });

  it('a call to a service with no live replica fails after the ack timeout (50 ms), not after the budget (10 s)', () => {
    const r = run(chain(10_000, 0), 1, 20_000);
    expect(r.entries.front?.successRate).toBe(0);
    expect(r.entries.front?.timeoutRate).toBe(0);
    const fail = r.entries.front?.failureLatencyMs ?? 0;
    // own time (~1 ms, a little queueing) + 50 ms ack timeout
    expect(fail).toBeGreaterThan(50);
    expect(fail).toBeLessThan(55);
  });
});
