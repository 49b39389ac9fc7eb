/**
 * The recommendation's rejection target (schema v2 `slo[].maxRejectionRate`, or the option
 * `maxRejectionRate`), checked against the M/M/1/5 closed form P_K = (1 − ρ)ρ^5 / (1 − ρ^6).
 * One service, 10 ms, queueLimit 4, 120 rps over zones a and b (random split per replica).
 * Phase 1 needs 2 replicas per zone (one zone carries 120 rps below ρ 1). With a zone down:
 *   2 replicas: ρ 0.6, P_K 0.03262 (> 1 %); 3 replicas: ρ 0.4, P_K 0.00617 (≤ 1 %).
 */
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../../schema/topology.ts';
import { parseTopology } from '../../schema/validate.ts';
import { recommend } from './index.ts';

function doc(slo: { maxRejectionRate?: number } | null, retry: { retries?: number; backoffMs?: number } = {}) {
  const input: TopologyInput = {
    schema: 'busboard.topology/v3',
    zones: [
      { name: 'a', region: 'r' },
      { name: 'b', region: 'r' },
    ],
    services: [{ name: 's', serviceTimeMs: 10, queueLimit: 4 }],
    bundles: [{ name: 'b', services: ['s'], replicas: { a: 1, b: 1 } }],
    traffic: [{ entry: 's', rps: 120, ...retry }],
    // Only the rejection budget: a 10 s backoff puts the retried requests' latency far past any P99.
    slo: slo ? [{ entry: 's', ...slo }] : [],
  };
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const blocking = (rho: number) => ((1 - rho) * rho ** 5) / (1 - rho ** 6);

describe('recommendation: rejection budget at peak', () => {
  it('closed forms: P_K(0.6) 0.03262, P_K(0.4) 0.00617', () => {
    expect(blocking(0.6)).toBeCloseTo(0.032624, 5);
    expect(blocking(0.4)).toBeCloseTo(0.006169, 5);
  });

  it('without a budget: 2 per zone (phase 1)', () => {
    expect(recommend(doc(null)).bundles.b?.replicas).toEqual({ a: 2, b: 2 });
  });

  it('slo maxRejectionRate 0.01: 3 per zone, so a zone down still rejects ≤ 1 %', () => {
    const r = recommend(doc({ maxRejectionRate: 0.01 }));
    expect(r.bundles.b?.replicas).toEqual({ a: 3, b: 3 });
    expect(r.meetsSlo && r.survivesZoneFailure).toBe(true);
  });

  it('the option maxRejectionRate does the same for every entry; the tighter of the two wins', () => {
    expect(recommend(doc(null), { maxRejectionRate: 0.01 }).bundles.b?.replicas).toEqual({ a: 3, b: 3 });
    expect(recommend(doc({ maxRejectionRate: 0.5 }), { maxRejectionRate: 0.01 }).bundles.b?.replicas).toEqual({ a: 3, b: 3 });
    // At peak: twice the traffic needs more.
    const peak = recommend(doc(null), { maxRejectionRate: 0.01, scale: 2 }).bundles.b?.replicas;
    expect((peak?.a ?? 0) + (peak?.b ?? 0)).toBeGreaterThan(6);
  });

  it('retries count: two client retries (long backoff) make 2 per zone enough (failure ≈ p³ ≈ 5e-5)', () => {
    expect(recommend(doc({ maxRejectionRate: 0.01 }, { retries: 2, backoffMs: 10_000 })).bundles.b?.replicas).toEqual({ a: 2, b: 2 });
  });

  it('an unreachable budget says why', () => {
    const r = recommend(doc({ maxRejectionRate: 0 }));
    expect(r.reasons.some((x) => x.includes('maxRejectionRate'))).toBe(true);
  });
});
