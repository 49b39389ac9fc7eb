/**
 * The run's controls: one seed one answer however the work is chunked, progress that only
 * moves forward, cancel, the request cap and the stopping rule, and a JSON result with no
 * NaN or Infinity anywhere.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { Rng } from './rng.ts';
import { createDesRun, type DesProgress } from './run.ts';
import { sizeRun } from './sizing.ts';
import { SectionedDistribution } from './stats.ts';

function example(id: string) {
  const parsed = parseTopology(EXAMPLES.find((e) => e.id === id)?.doc);
  if (!parsed.ok) throw new Error('fixture');
  return parsed.doc;
}

/** Every number in a JSON value, with its path. */
function numbers(v: unknown, path = ''): [string, number][] {
  if (typeof v === 'number') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => numbers(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numbers(x, `${path}.${k}`));
  return [];
}

describe('createDesRun', () => {
  it('one seed gives one answer, however the run is chunked; another seed gives another', () => {
    const doc = example('checkout');
    const whole = createDesRun({ doc, seed: 'pinned', requests: 60_000 }).runToEnd();
    const chunked = createDesRun({ doc, seed: 'pinned', requests: 60_000 });
    let steps = 0;
    while (!chunked.step(997)) steps++;
    expect(steps).toBeGreaterThan(100);
    expect(JSON.stringify(chunked.result())).toBe(JSON.stringify(whole));
    const other = createDesRun({ doc, seed: 'other', requests: 60_000 }).runToEnd();
    expect(other.entries['edge.checkout']?.latencyMs?.p99).not.toBe(whole.entries['edge.checkout']?.latencyMs?.p99);
  });

  it('reports progress after each replication, never backwards, ending at 1 with the result', () => {
    const seen: DesProgress[] = [];
    const run = createDesRun({ doc: example('microbus-shop'), seed: 3, requests: 50_000, onProgress: (p) => seen.push(p) });
    const fractions: number[] = [];
    while (!run.step(20_000)) fractions.push(run.progress().fraction);
    expect(seen.length).toBeGreaterThanOrEqual(run.result()?.des.replications ?? 0);
    expect(fractions.length).toBeGreaterThan(5);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
    expect(seen.at(-1)?.done).toBe(true);
    expect(seen.at(-1)?.fraction).toBe(1);
    // The live result appears once two replications exist, with intervals, and updates.
    const live = seen.filter((p) => p.result);
    expect(live.length).toBeGreaterThan(2);
    expect(live[0]?.result?.entries['http.ingress.core']?.latencyMs?.ci?.p99).toHaveLength(2);
  });

  it('cancel ends the run at once with what it has', () => {
    const run = createDesRun({ doc: example('checkout'), seed: 1, requests: 1_000_000 });
    while (run.progress().replications < 3) run.step(50_000);
    run.cancel();
    expect(run.done).toBe(true);
    expect(run.step()).toBe(true);
    const r = run.result();
    expect(r?.des.stoppedBy).toBe('cancelled');
    expect(r?.des.replications).toBe(3);
    expect(r?.des.requests).toBeLessThan(100_000);
  });

  it('cancel mid-replication keeps no trace of the unfinished one', () => {
    const doc = example('checkout');
    const run = createDesRun({ doc, seed: 4, requests: 1_000_000 });
    while (run.progress().replications < 3) run.step(10_000);
    const atThree = JSON.stringify(run.result()?.entries);
    run.step(30_000); // well into the fourth replication
    run.cancel();
    expect(run.result()?.des.replications).toBe(3);
    expect(JSON.stringify(run.result()?.entries)).toBe(atThree);
  });

  it('a time budget (with the clock passed in) ends the run between chunks: stoppedBy "time"', () => {
    let clock = 0;
    const run = createDesRun({ doc: example('checkout'), seed: 1, requests: 100_000_000, precision: 0, timeBudgetMs: 1000, now: () => clock });
    let chunks = 0;
    while (!run.step(20_000)) {
      chunks++;
      clock += 10; // each chunk "takes" 10 ms
      // Progress follows the clock when time is the binding budget.
      if (chunks === 50) expect(run.progress().fraction).toBeCloseTo(0.5, 1);
    }
    const r = run.result();
    expect(r?.des.stoppedBy).toBe('time');
    expect(run.progress().fraction).toBe(1);
    expect(chunks).toBeGreaterThanOrEqual(100);
    expect(chunks).toBeLessThan(200);
    expect(r?.warnings.find((w) => w.code === 'des-not-converged')?.message).toMatch(/the time budget/);
  });

  it('warm-up and replication length follow the slowest queue: ≥ 10 and ≥ 100 relaxation times 1/(cμ(1 − √ρ)²)', () => {
    const parsed = parseTopology({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [
        { name: 'slow', serviceTimeMs: 100, workers: 1 },
        { name: 'quick', serviceTimeMs: 1, workers: 4 },
      ],
      bundles: [
        { name: 's', services: ['slow'], replicas: { a: 1 } },
        { name: 'q', services: ['quick'], replicas: { a: 1 } },
      ],
      traffic: [
        { entry: 'slow', rps: 9 },
        { entry: 'quick', rps: 91 },
      ],
    });
    if (!parsed.ok) throw new Error('fixture');
    const r = createDesRun({ doc: parsed.doc, seed: 1, requests: 100_000_000, precision: 0.2 }).runToEnd();
    // slow: M/M/1 at ρ 0.9, τ = 100 / (1 − √0.9)² ≈ 38,000 ms; 100 requests per second in all.
    const tau = 100 / (1 - Math.sqrt(0.9)) ** 2;
    expect(r.des.relaxationMs).toBeCloseTo(tau, 6);
    expect(r.des.slowestQueue).toBe('slow in a #0 (ρ 0.90)');
    expect(r.des.warmupPerReplication).toBeGreaterThanOrEqual((10 * tau * 100) / 1000);
    expect(r.des.measuredPerReplication).toBeGreaterThanOrEqual((100 * tau * 100) / 1000);
    expect(r.des.shortReplications).toBe(false);
    // A cap too small for that: shorter replications, flagged, never "converged".
    const short = createDesRun({ doc: parsed.doc, seed: 1, requests: 300_000 }).runToEnd();
    expect(short.des.shortReplications).toBe(true);
    expect(short.des.converged).toBe(false);
    expect(short.warnings.find((w) => w.code === 'des-not-converged')?.message).toMatch(/too short for the slowest queue \(slow in a #0/);
  });

  it('sizing: a parallel group sending n calls to one replica counts as bursty arrivals (ca² = n) in the relaxation time', () => {
    const doc = (perRequest: number) => {
      const parsed = parseTopology({
        schema: 'busboard.topology/v3',
        zones: [{ name: 'a', region: 'r' }],
        services: [
          { name: 'front', serviceTimeMs: 0.001, workers: 1000, calls: [{ to: 'back', perRequest, parallelGroup: 'g' }] },
          { name: 'back', serviceTimeMs: 10, workers: 1 },
        ],
        bundles: [
          { name: 'f', services: ['front'], replicas: { a: 1 } },
          { name: 'b', services: ['back'], replicas: { a: 1 } },
        ],
        traffic: [{ entry: 'front', rps: 50 / perRequest }],
      });
      if (!parsed.ok) throw new Error('fixture');
      return createDesRun({ doc: parsed.doc, requests: 1 }).plan;
    };
    const one = sizeRun(doc(1), { cap: 1e9, minReplications: 10 });
    const five = sizeRun(doc(5), { cap: 1e9, minReplications: 10 });
    // Same ρ 0.5; (ca² + cs²)/2 goes from 1 to 3.
    expect(five.relaxationMs / one.relaxationMs).toBeCloseTo(3, 6);
  });

  it('stops at the cap with a warning when the P99 interval is still wider than ±5 %', () => {
    const r = createDesRun({ doc: example('flow8-tier'), seed: 1, requests: 3_000 }).runToEnd();
    expect(r.des.stoppedBy).toBe('cap');
    expect(r.des.requests).toBeLessThanOrEqual(3_300);
    expect(r.des.replications).toBeGreaterThanOrEqual(2);
    expect(r.des.converged).toBe(false);
    expect(r.warnings.find((w) => w.code === 'des-not-converged')?.message).toMatch(/raise --requests/);
  });

  it('stops by the rule once every entry P99 is within ±5 % (99 % confidence)', () => {
    const r = createDesRun({ doc: example('microbus-shop'), seed: 2 }).runToEnd();
    expect(r.des.stoppedBy).toBe('precision');
    expect(r.des.converged).toBe(true);
    const l = r.entries['http.ingress.core']?.latencyMs;
    const [lo, hi] = l?.ci?.p99 ?? [0, 0];
    expect((hi - lo) / 2 / (l?.p99 ?? 1)).toBeLessThanOrEqual(0.05);
    expect(r.des.requests).toBeLessThan(1_000_000);
  });

  it('the result is the engine contract with method "des": finite, non-negative numbers only', () => {
    for (const ex of EXAMPLES) {
      const r = createDesRun({ doc: example(ex.id), seed: 9, requests: 30_000 }).runToEnd();
      expect(r.method).toBe('des');
      for (const [path, v] of numbers(JSON.parse(JSON.stringify(r)))) {
        expect(Number.isFinite(v), `${ex.id} ${path}`).toBe(true);
        expect(v, `${ex.id} ${path}`).toBeGreaterThanOrEqual(0);
      }
      for (const e of Object.values(r.entries)) {
        expect(e.method).toBe('des');
        const ci = e.latencyMs?.ci;
        expect(ci).toBeDefined();
        for (const k of ['mean', 'p50', 'p95', 'p99'] as const) {
          expect(ci?.[k][0]).toBeLessThanOrEqual(e.latencyMs?.[k] as number);
          expect(ci?.[k][1]).toBeGreaterThanOrEqual(e.latencyMs?.[k] as number);
        }
      }
    }
  });
});

describe('sectioning (stats.ts)', () => {
  it('percentiles come from the merged histogram: averaging each section’s own P99 is biased low on small sections', () => {
    // 1,000 sections of 20 Exp(1) samples: the true P99 is ln 100 = 4.605.
    const rng = new Rng(7);
    const d = new SectionedDistribution(1);
    let averaged = 0;
    for (let s = 0; s < 1000; s++) {
      for (let i = 0; i < 20; i++) d.current.add(rng.exp1());
      averaged += (d.current.quantiles([0.99])[0] as number) / 1000;
      d.endReplication();
    }
    const e = d.estimate();
    expect(e?.p99.mean).toBeGreaterThan(4.4);
    expect(e?.p99.mean).toBeLessThan(4.8);
    expect(Math.abs((e?.p99.mean ?? 0) - Math.log(100))).toBeLessThan(e?.p99.halfWidth ?? 0);
    // The average of 20-sample P99s (each about the largest of 20) sits far below, outside the interval.
    expect(averaged).toBeLessThan((e?.p99.mean ?? 0) - (e?.p99.halfWidth ?? 0));
    expect(averaged).toBeLessThan(4.2);
  });

  it('a section spans `group` replications; before two sections the interval is the observed range', () => {
    const d = new SectionedDistribution(3);
    for (let r = 0; r < 5; r++) {
      d.current.add(1 + r);
      d.endReplication();
    }
    expect(d.sectionCount).toBe(1);
    const e = d.estimate();
    expect(e?.samples).toBe(5);
    expect(e?.p99.halfWidth).toBe(Number.POSITIVE_INFINITY);
    expect(e?.range).toEqual([1, 5]);
  });
});
