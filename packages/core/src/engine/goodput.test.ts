/**
 * The goodput chart's sweep (goodput.ts): one M/M/1 replica (10 ms own time), 50 rps at scale 1.
 * Unbounded, goodput follows offered load up to ρ 1 and is 0 past it (no steady state: the cliff);
 * with a queue limit of 4 the M/M/1/5 closed form holds at every scale: goodput = λ(1 − P_K) → μ.
 */
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { goodputSweep, withoutRetries } from './goodput.ts';

function doc(queueLimit?: number, retries?: number) {
  const input: TopologyInput = {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    services: [{ name: 's', serviceTimeMs: 10, ...(queueLimit === undefined ? {} : { queueLimit }) }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    traffic: [{ entry: 's', rps: 50, ...(retries ? { retries, backoffMs: 10_000 } : {}) }],
  };
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const blocking = (rho: number, K: number) => (Math.abs(rho - 1) < 1e-12 ? 1 / (K + 1) : ((1 - rho) * rho ** K) / (1 - rho ** (K + 1)));

describe('goodput sweep', () => {
  it('unbounded: goodput = offered below ρ 1, 0 past it (the cliff), P99 of M/M/1 = ln(100)/(μ − λ)', () => {
    const sw = goodputSweep(doc(), { scales: [1, 1.6, 2.5] });
    expect(sw.withoutRetries).toBeNull();
    const [a, b, c] = sw.withRetries;
    expect(a?.goodputRps).toBeCloseTo(50, 9);
    // Composed on the lattice: within 0.2 % (engine README).
    expect(Math.abs((a?.p99Ms ?? 0) / (Math.log(100) / (0.1 - 0.05)) - 1)).toBeLessThan(0.002);
    expect(b?.goodputRps).toBeCloseTo(80, 9);
    expect(c?.goodputRps).toBe(0);
    expect(c?.saturated).toBe(true);
    expect(c?.failureRate).toBe(1);
  });

  it('queue limit 4: goodput λ(1 − P_K) at every scale, flat near μ = 100 rps past capacity (shedding)', () => {
    const sw = goodputSweep(doc(4), { scales: [1, 2, 4, 8] });
    for (const p of sw.withRetries) {
      const rho = (50 * p.scale) / 100;
      expect(p.goodputRps).toBeCloseTo(50 * p.scale * (1 - blocking(rho, 5)), 6);
      expect(p.rejectionRate).toBeCloseTo(blocking(rho, 5), 8);
      expect(p.saturated).toBe(false);
    }
    expect(sw.withRetries[3]?.goodputRps).toBeGreaterThan(99);
  });

  it('with retries: two series; the one without retries is the document with every retry removed', () => {
    const d = doc(4, 3);
    const sw = goodputSweep(d, { scales: [1, 2] });
    expect(sw.withoutRetries).not.toBeNull();
    const plain = goodputSweep(withoutRetries(d), { scales: [1, 2] });
    expect(sw.withoutRetries).toEqual(plain.withRetries);
    // Retries raise goodput here (a rejection costs no work) and the attempts per request.
    expect(sw.withRetries[1]?.goodputRps ?? 0).toBeGreaterThan(sw.withoutRetries?.[1]?.goodputRps ?? 0);
    expect(sw.withRetries[1]?.amplification ?? 0).toBeGreaterThan(1.5);
  });

  it('default scales run past the cliff and include the current one', () => {
    const sw = goodputSweep(doc(4), { points: 10 });
    expect(sw.scales).toContain(1);
    expect(Math.max(...sw.scales)).toBeGreaterThanOrEqual(2.5 * 2 - 1e-9);
  });
});
