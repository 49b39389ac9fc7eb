/**
 * The run's controls: one seed one answer however the work is chunked, progress that only
 * moves forward, cancel, the request cap and the stopping rule, and a JSON result with no
 * NaN or Infinity anywhere.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { createDesRun, type DesProgress } from './run.ts';

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
