/**
 * Retries (schema v2, engine/retries.ts) against closed forms solved here apart from the engine:
 * one M/M/1/K replica, client retries at the entry, blocking P_K = (1 − ρ)ρ^K / (1 − ρ^{K+1}).
 * - A long backoff (10 s ≫ the queue's memory): retries are independent fresh arrivals, so
 *   p = P_K(λ0 (1 + p + … + p^r) / μ), solved by bisection; success 1 − p^{r+1}.
 * - No backoff and no network: a retry finds the queue exactly as full as the attempt it follows,
 *   so every retry of a rejected request is rejected too: P = P_K(ρ0), offered λ0(1 + r·P),
 *   success 1 − P, and the share of attempts rejected (1 + r)P / (1 + rP).
 */
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

function doc(input: TopologyInput) {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

/** One replica, own time 10 ms, line of `queueLimit`; client retries at the entry. */
export function single(rps: number, retry: { retries?: number; backoffMs?: number } = {}, queueLimit = 4): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: ZERO_NETWORK,
    services: [{ name: 's', serviceTimeMs: 10, queueLimit }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    traffic: [{ entry: 's', rps, ...retry }],
  };
}

const blocking = (rho: number, K: number) => (Math.abs(rho - 1) < 1e-12 ? 1 / (K + 1) : ((1 - rho) * rho ** K) / (1 - rho ** (K + 1)));
const geo = (p: number, r: number) => Array.from({ length: r + 1 }, (_, k) => p ** k).reduce((a, b) => a + b, 0);

/** The least fixed point of p = P_K(ρ0·A(p)) by bisection on p − P_K (increasing from p = 0 where it is ≤ 0). */
function fixedPoint(rho0: number, K: number, r: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid - blocking(rho0 * geo(mid, r), K) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('retries: the load ↔ rejection fixed point (M/M/1/5, client retries)', () => {
  for (const [rps, r] of [
    [80, 3],
    [100, 2],
    [150, 3],
    [50, 1],
  ] as const) {
    it(`λ0 ${rps} rps, μ 100, K 5, ${r} retries`, () => {
      const p = fixedPoint(rps / 100, 5, r);
      const res = simulate(doc(single(rps, { retries: r, backoffMs: 10_000 })));
      const s = res.services.s;
      const e = res.entries.s;
      expect(s?.rejectionRate).toBeCloseTo(p, 6);
      expect(s?.arrivalRps).toBeCloseTo(rps * geo(p, r), 4);
      expect(s?.retryAmplification).toBeCloseTo(geo(p, r), 6);
      expect(e?.successRate).toBeCloseTo(1 - p ** (r + 1), 6);
      expect(e?.goodputRps).toBeCloseTo(rps * (1 - p ** (r + 1)), 4);
    });
  }

  it('two traffic items, one retrying (10 s backoff): p = P_K((λ1 + λ2·Σp^k)/μ), success (λ1(1 − p) + λ2(1 − p⁴)) / (λ1 + λ2)', () => {
    const input = single(40, { retries: 3, backoffMs: 10_000 });
    input.traffic = [{ entry: 's', rps: 40 }, ...(input.traffic ?? [])];
    const res = simulate(doc(input));
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (mid - blocking((40 + 40 * geo(mid, 3)) / 100, 5) < 0) lo = mid;
      else hi = mid;
    }
    const p = lo;
    expect(res.services.s?.arrivalRps).toBeCloseTo(40 + 40 * geo(p, 3), 4);
    expect(res.entries.s?.successRate).toBeCloseTo((40 * (1 - p) + 40 * (1 - p ** 4)) / 80, 6);
    // The latency mixes the plain item's successes with the retrying one's (10 s backoffs for some).
    expect(res.entries.s?.latencyMs?.p99).toBeGreaterThan(100);
  });

  it('values: λ0 80, K 5, 3 retries → p 0.136330, offered 92.60 rps, success 0.999655', () => {
    const p = fixedPoint(0.8, 5, 3);
    expect(p).toBeCloseTo(0.13633, 5);
    expect(80 * geo(p, 3)).toBeCloseTo(92.596, 2);
  });

  it('no backoff, no network: a retry meets the same full queue (P 0.0888195, offered 101.317, success 0.911180)', () => {
    const P = blocking(0.8, 5);
    expect(P).toBeCloseTo(0.0888195, 6);
    const res = simulate(doc(single(80, { retries: 3, backoffMs: 0 })));
    expect(res.services.s?.arrivalRps).toBeCloseTo(80 * (1 + 3 * P), 4);
    expect(res.entries.s?.successRate).toBeCloseTo(1 - P, 6);
    expect(res.services.s?.rejectionRate).toBeCloseTo((4 * P) / (1 + 3 * P), 6);
  });

  it('backoff: the latency of successes is the geometric mixture of k backoffs after k rejections', () => {
    const input = (backoffMs: number) => single(80, { retries: 3, backoffMs });
    const slow = simulate(doc(input(10_000))).entries.s;
    const p = fixedPoint(0.8, 5, 3);
    // The admitted sojourn is M/M/1/5's at the rate it really admits; the extra is Σ_k p^k(1 − p)·(10 s·(2^k − 1)) / (1 − p^4).
    const extra = [1, 2, 3].reduce((n, k) => n + p ** k * (1 - p) * 10_000 * (2 ** k - 1), 0) / (1 - p ** 4);
    const base = simulate(doc(single(80 * geo(p, 3)))).services.s?.sojournMs?.mean ?? 0;
    expect(slow?.latencyMs?.mean ?? 0).toBeCloseTo(base + extra, -1);
  });

  it('retries without a queue limit change nothing (nothing fails), but the figures appear', () => {
    // (the single() helper's default is a line of 4: drop it for this case)
    const a = simulate(doc(single(80, {}, 4)));
    const input = single(80, { retries: 3 });
    (input.services as { queueLimit?: number }[])[0] = { ...(input.services?.[0] as object), queueLimit: undefined } as never;
    const b = simulate(doc(input));
    expect(b.services.s?.retryAmplification).toBe(1);
    expect(b.entries.s?.successRate).toBe(1);
    expect(a.services.s?.retryAmplification).toBeUndefined();
  });

  it('warns of a retry storm with the path of the retrying traffic item', () => {
    const res = simulate(doc(single(150, { retries: 3 })));
    const storm = res.warnings.find((w) => w.code === 'retry-storm');
    expect(storm?.path).toBe('traffic[0].retries');
  });

  it('rejections alone are not metastable: a rejected attempt costs no work, so the least and greatest fixed points meet', () => {
    // A scan of ρ0 0.5…0.95, K 20…100, r 3…10 with the closed form finds one root each (the carried load is ρ0(1 − p^{r+1}) < 1);
    // timeouts, whose failed attempts do hold workers, are where a second one appears.
    const res = simulate(doc(single(95, { retries: 8 }, 60)));
    expect(res.services.s?.rejectionRate).toBeLessThan(0.03);
    expect(res.warnings.some((w) => w.code === 'retry-metastable')).toBe(false);
    expect(res.warnings.some((w) => w.code === 'retry-unconverged')).toBe(false);
  });
});

describe('retries: schema', () => {
  it('refuses backoff without retries and retries on a database call, naming the path', () => {
    const r = parseTopology({
      ...single(10),
      services: [
        {
          name: 's',
          serviceTimeMs: 10,
          calls: [
            { to: 'db:d', retries: 2 },
            { to: 's2', backoffMs: 5 },
          ],
        },
        { name: 's2', serviceTimeMs: 1 },
      ],
      bundles: [{ name: 'b', services: ['s', 's2'], replicas: { a: 1 } }],
      databases: [{ name: 'd', shards: [{ name: 'x', vcpu: 1, maxConnections: 10 }], queryTimeMs: 1 }],
    });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toContain('services[0].calls[0].retries');
    expect(paths).toContain('services[0].calls[1].backoffMs');
  });

  it('refuses more than 10 retries and a multiplier below 1', () => {
    const r = parseTopology(single(10, { retries: 11, backoffMultiplier: 0.5 } as never));
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toContain('traffic[0].retries');
    expect(paths).toContain('traffic[0].backoffMultiplier');
  });
});
