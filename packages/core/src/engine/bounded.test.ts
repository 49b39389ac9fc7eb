/**
 * Bounded queues in the engine (schema v2 `queueLimit`, issue 17): the M/M/c/K closed forms
 * through the whole engine, rejections thinning the load downstream, success and goodput per
 * entry, and the properties: no limits → every figure as before; a larger limit never rejects more.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { generateDesign } from '../generate/design.ts';
import { migrate } from '../schema/migrations.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

/** One service on 3 replicas × 2 workers, 5 ms exponential, queueLimit N, the given rps, split evenly at random. */
const tier = (
  rps: number,
  queueLimit: number | undefined,
  extra: Partial<TopologyInput['services'] extends (infer S)[] | undefined ? S : never> = {},
) =>
  docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: FREE_NETWORK,
    routing: 'random',
    services: [
      { name: 'api', serviceTimeMs: 5, workers: 2, ...(queueLimit === undefined ? {} : { queueLimit }), calls: [{ to: 'leaf' }], ...extra },
      { name: 'leaf', serviceTimeMs: 1, workers: 4 },
    ],
    bundles: [
      { name: 'front', services: ['api'], replicas: { a: 3 } },
      { name: 'back', services: ['leaf'], replicas: { a: 2 } },
    ],
    traffic: [{ entry: 'api', rps }],
    slo: [{ entry: 'api', p99Ms: 100, maxRejectionRate: 0.01 }],
  });

describe('bounded queues in the engine', () => {
  it('3 replicas × M/M/2/7 at 1,800 rps (ρ 1.5): the M/M/c/K blocking and admitted sojourn, thinned load downstream', () => {
    // Per replica λ = 0.6 per ms, μ = 0.2: the queue/bounded.test.ts case λ 3, μ 1, c 2, N 5 in units of 5 ms.
    const r = simulate(tier(1800, 5));
    const api = r.services.api;
    expect(api?.saturated).toBe(false);
    expect(api?.method).toBe('mmck');
    expect(rel(api?.rejectionRate ?? 0, 0.35042461)).toBeLessThan(1e-6);
    expect(rel(api?.rejectedRps ?? 0, 1800 * 0.35042461)).toBeLessThan(1e-6);
    expect(rel(api?.sojournMs?.mean ?? 0, 5 * 2.7604835)).toBeLessThan(1e-6);
    expect(rel(api?.sojournMs?.p99 ?? 0, 5 * 7.3815354)).toBeLessThan(1e-5);
    expect(api?.replicasDetail.every((x) => rel(x.rejectionRate, 0.35042461) < 1e-6)).toBe(true);
    // Only admitted requests call leaf.
    expect(rel(r.services.leaf?.arrivalRps ?? 0, 1800 * (1 - 0.35042461))).toBeLessThan(1e-7);
    const e = r.entries.api;
    expect(rel(e?.successRate ?? 0, 1 - 0.35042461)).toBeLessThan(1e-7);
    expect(rel(e?.goodputRps ?? 0, 1800 * (1 - 0.35042461))).toBeLessThan(1e-7);
    // "Saturated" no more: a finite latency for the successful requests, and a rejection budget missed.
    expect(e?.latencyMs?.p99).toBeGreaterThan(5 * 7.38);
    expect(e?.latencyMs?.p99).toBeLessThan(60);
    expect(e?.slo?.rejection).toEqual({ limit: 0.01, value: expect.closeTo(0.35042461, 6), met: false });
    expect(e?.slo?.met).toBe(false);
    expect(r.warnings.some((w) => w.code === 'saturated')).toBe(false);
    expect(r.warnings.find((w) => w.code === 'rejecting')).toMatchObject({
      path: 'services[0].queueLimit',
      message: expect.stringContaining('api rejects 35.0 %'),
    });
  });

  it('the same tier unbounded is saturated with no latency (as in v1)', () => {
    const r = simulate(tier(1800, undefined));
    expect(r.services.api?.saturated).toBe(true);
    expect(r.entries.api?.latencyMs).toBeNull();
    expect(r.entries.api?.successRate).toBe(1);
    expect(r.services.api?.rejectionRate).toBe(0);
  });

  it('a rejection downstream fails the entry request: success multiplies along the path', () => {
    const doc = docOf({
      zones: [{ name: 'a', region: 'r' }],
      network: FREE_NETWORK,
      services: [
        { name: 'api', serviceTimeMs: 1, workers: 8, calls: [{ to: 'leaf', perRequest: 2 }] },
        { name: 'leaf', serviceTimeMs: 5, workers: 1, queueLimit: 4 },
      ],
      bundles: [
        { name: 'front', services: ['api'], replicas: { a: 1 } },
        { name: 'back', services: ['leaf'], replicas: { a: 2 } },
      ],
      traffic: [{ entry: 'api', rps: 200 }],
    });
    const r = simulate(doc);
    // leaf: 400 rps over 2 replicas = M/M/1/5 at ρ 1: P_K = 1/6.
    expect(rel(r.services.leaf?.rejectionRate ?? 0, 1 / 6)).toBeLessThan(1e-7);
    // Two calls, each admitted with probability 5/6.
    expect(rel(r.entries.api?.successRate ?? 0, (5 / 6) ** 2)).toBeLessThan(1e-7);
    expect(r.entries.api?.latencyMs).not.toBeNull();
  });

  it('a v1 document and its v2 migration give the same figures', () => {
    const v2 = generateDesign({ services: 40, seed: 3 });
    const v1 = { ...v2, schema: 'busboard.topology/v1' };
    const m = migrate(v1 as Record<string, unknown>);
    expect(m.ok).toBe(true);
    const a = parseTopology(v1);
    const b = parseTopology(v2);
    if (!a.ok || !b.ok) throw new Error('invalid');
    expect(simulate(a.doc)).toEqual(simulate(b.doc));
  });

  it('with no queue limit nothing is rejected; a limit no request reaches changes no figure beyond the lattice', () => {
    for (const seed of [1, 2, 3]) {
      const doc = generateDesign({ services: 30, seed });
      const p = parseTopology(doc);
      if (!p.ok) throw new Error('invalid');
      const r = simulate(p.doc);
      for (const s of Object.values(r.services)) expect([s.rejectedRps, s.rejectionRate]).toEqual([0, 0]);
      for (const e of Object.values(r.entries)) {
        expect(e.successRate).toBe(e.latencyMs || e.reason?.includes('saturated') ? 1 : e.successRate);
        expect(e.goodputRps).toBe(e.rps * e.successRate);
      }
      const huge = parseTopology({ ...doc, services: (doc.services ?? []).map((s) => ({ ...s, queueLimit: 20_000 })) });
      if (!huge.ok) throw new Error('invalid');
      const h = simulate(huge.doc);
      for (const [name, e] of Object.entries(r.entries)) {
        const b = h.entries[name];
        if (!e.latencyMs || !b?.latencyMs) continue;
        expect(b.successRate).toBeGreaterThan(1 - 1e-12);
        expect(rel(b.latencyMs.mean, e.latencyMs.mean)).toBeLessThan(0.01);
        expect(rel(b.latencyMs.p99, e.latencyMs.p99)).toBeLessThan(0.02);
      }
    }
  });

  it('a larger queueLimit never raises the rejection rate of a service whose arrivals it does not change (the entries)', () => {
    // Downstream, a larger limit upstream admits more and so loads the callees more: end-to-end success is not monotone in the limits.
    for (const seed of [4, 5]) {
      const doc = generateDesign({ services: 30, seed });
      const entries = new Set((doc.traffic ?? []).map((t) => t.entry));
      let prev: ReturnType<typeof simulate> | null = null;
      for (const limit of [0, 1, 3, 10, 40]) {
        const p = parseTopology({ ...doc, services: (doc.services ?? []).map((s) => ({ ...s, queueLimit: limit })) });
        if (!p.ok) throw new Error('invalid');
        const r = simulate(p.doc, { scale: 3 });
        if (prev) {
          for (const name of entries)
            expect(r.services[name]?.rejectionRate).toBeLessThanOrEqual((prev.services[name]?.rejectionRate ?? 1) * (1 + 1e-12) + 1e-300);
        }
        for (const s of Object.values(r.services)) expect(s.saturated).toBe(false);
        prev = r;
      }
    }
  });

  it('cv ≠ 1 with several workers is M/PH/c/K: flagged where the phase type stands in for the gamma (cv 2), not where it is the gamma (cv 0.5: Erlang-4)', () => {
    const codes = (cv: number) => {
      const r = simulate(tier(1200, 5, { serviceTimeCv: cv }));
      expect(r.services.api?.method).toBe('mphck');
      expect(r.entries.api?.latencyMs).not.toBeNull();
      const v = r.services.api?.validity;
      return v === 'ok' || v === undefined ? [] : v.map((n) => n.code);
    };
    expect(codes(2)).toContain('bounded-approximation');
    expect(codes(0.5)).not.toContain('bounded-approximation');
  });

  it('one worker, cv ≠ 1 is the exact M/G/1/K: not flagged as an approximation', () => {
    const r = simulate(tier(600, 5, { serviceTimeCv: 0.5, workers: 1 }));
    expect(r.services.api?.method).toBe('mg1k');
    expect(r.services.api?.validity).toBe('ok');
  });
});
