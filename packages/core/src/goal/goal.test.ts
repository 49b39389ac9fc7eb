/**
 * Goal seek: the frontier is Pareto-optimal among the visited designs and sorted; applyReplicas
 * round-trips; closed forms for the targets and the binding constraint; the evaluation budget.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import { shortfalls } from '../../test/goal-check.ts';
import { EXAMPLES } from '../examples/index.ts';
import type { Topology } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { dominates, sameP99 } from './frontier.ts';
import { applyReplicas, goalSeek } from './seek.ts';
import type { GoalSeekResult } from './types.ts';

function parse(input: unknown): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const replicasOf = (g: GoalSeekResult) => Object.fromEntries(Object.entries(g.bundles).map(([b, x]) => [b, x.replicas]));

describe('the frontier', () => {
  const shop = EXAMPLES.find((e) => e.id === 'checkout');
  const g = goalSeek(parse(shop?.doc));
  it('holds feasible points no visited feasible point beats on both cost and P99, by cost ascending', () => {
    expect(g.frontier.length).toBeGreaterThanOrEqual(2);
    for (const p of g.frontier) {
      expect(p.feasible).toBe(true);
      for (const q of g.visited) if (q.feasible) expect(dominates(q, p)).toBe(false);
    }
    for (let i = 1; i < g.frontier.length; i++) {
      const a = g.frontier[i - 1];
      const b = g.frontier[i];
      expect(b?.costMonthly).toBeGreaterThan(a?.costMonthly ?? 0);
      // Pareto: more money only on the frontier when it buys a real P99 improvement (not a hair).
      expect(b?.p99Ms ?? 0).toBeLessThan(a?.p99Ms ?? 0);
      expect(sameP99(a?.p99Ms ?? null, b?.p99Ms ?? null)).toBe(false);
    }
    expect(g.visited.length).toBeLessThanOrEqual(500);
    expect(g.visited.length).toBeLessThanOrEqual(g.evaluations);
    // The answer is the frontier's cheapest point (cost follows replicas here).
    expect(g.frontier[0]?.totalReplicas).toBe(g.totalReplicas);
  });
});

describe('applyReplicas', () => {
  it('sets the answer and nothing else; seeking again from it keeps it', () => {
    const ex = EXAMPLES.find((e) => e.id === 'checkout');
    if (!ex) throw new Error('no checkout example');
    const g = goalSeek(parse(ex.doc));
    const applied = applyReplicas(ex.doc, replicasOf(g));
    expect({ ...applied, bundles: undefined }).toEqual({ ...ex.doc, bundles: undefined });
    applied.bundles?.forEach((b, i) => {
      expect({ ...b, replicas: undefined }).toEqual({ ...ex.doc.bundles?.[i], replicas: undefined });
      expect(b.replicas).toEqual(g.bundles[b.name]?.replicas);
    });
    const again = goalSeek(parse(applied));
    expect(again.currentReplicas).toBe(g.totalReplicas);
    expect(replicasOf(again)).toEqual(replicasOf(g));
    for (const b of Object.values(again.bundles)) expect(b.current).toEqual(b.replicas);
  });
});

describe('targets and the binding constraint (closed forms)', () => {
  // One M/M/1 service (10 ms) in 3 zones, 300 rps each with locality: ρ per replica = 3/n.
  const single = () =>
    docOf({
      zones: ['a', 'b', 'c'].map((name) => ({ name, region: 'r' })),
      network: FREE_NETWORK,
      services: [{ name: 'api', serviceTimeMs: 10, workers: 1 }],
      bundles: [{ name: 'app', services: ['api'], replicas: { a: 1, b: 1, c: 1 }, cpu: 2 }],
      traffic: [{ entry: 'api', rps: 900 }],
    });

  it('ρ ≤ 0.7: 5 per zone (4 gives ρ 0.75), exact', () => {
    const g = goalSeek(single());
    expect(g.bundles.app?.replicas).toEqual({ a: 5, b: 5, c: 5 });
    expect(g.exact).toBe(true);
    expect(g.bundles.app?.zones.a?.binds).toEqual({ kind: 'rho', detail: '4 in a: ρ of api in a 0.75 > 0.70 in normal operation' });
    expect(g.binding?.kind).toBe('rho');
  });

  it('ρ ≤ 0.9: 4 would do (0.75) but a zone down puts 450 rps on 4 (ρ 1.125): 5, bound by the zone failure', () => {
    const g = goalSeek(single(), { rhoTarget: 0.9 });
    expect(g.bundles.app?.replicas).toEqual({ a: 5, b: 5, c: 5 });
    expect(g.bundles.app?.zones.b?.binds.kind).toBe('zone-down');
    expect(g.bundles.app?.zones.b?.binds.detail).toMatch(/^4 in b: ρ of api in b 1\.1[23] ≥ 1\.00 with a down$/);
  });

  it('without zone failure and ρ ≤ 0.9: 4 per zone', () => {
    const g = goalSeek(single(), { rhoTarget: 0.9, zoneFailure: false });
    expect(g.bundles.app?.replicas).toEqual({ a: 4, b: 4, c: 4 });
    expect(g.feasible).toBe(true);
  });

  it('CPU target: 2 workers on 1 core, CPU per replica = 3/n ≤ 0.5 → 6 per zone, bound by CPU', () => {
    const d = single();
    const svc = d.services[0];
    if (svc) svc.workers = 2;
    const app = d.bundles[0];
    if (app) app.cpu = 1;
    const g = goalSeek(d, { cpuTarget: 0.5 });
    expect(g.bundles.app?.replicas).toEqual({ a: 6, b: 6, c: 6 });
    expect(g.bundles.app?.zones.c?.binds.kind).toBe('cpu');
    expect(g.bundles.app?.zones.c?.binds.detail).toBe('5 in c: CPU of a app replica in c 0.60 > 0.50 in normal operation');
  });

  it('an SLO: p99 ≤ 200 ms with a zone down needs 6 per zone (the recommendation’s closed form), bound by the SLO with a zone down', () => {
    // Each survivor takes 450 rps: p99 = ln(100)/(100 − 450/n) s ≤ 0.2 s needs n ≥ 5.84.
    const d = single();
    d.slo = [{ entry: 'api', p99Ms: 200 }];
    const g = goalSeek(d);
    expect(g.bundles.app?.replicas).toEqual({ a: 6, b: 6, c: 6 });
    expect(g.exact).toBe(true);
    expect(g.bundles.app?.zones.a?.binds.kind).toBe('zone-down');
    expect(g.bundles.app?.zones.a?.binds.detail).toMatch(/^5 in a: with [bc] down: api p99 \d+\.\d ms > 200 ms$/);
  });

  it('an evaluation budget of 1 still gives a design that meets everything, not claimed exact', () => {
    const d = single();
    d.slo = [{ entry: 'api', p99Ms: 200 }];
    const g = goalSeek(d, { maxEvaluations: 1 });
    expect(g.exact).toBe(false);
    expect(g.feasible).toBe(true);
    expect(shortfalls(parse(applyReplicas(d as never, replicasOf(g))))).toEqual([]);
  });

  it('what replicas cannot fix (a saturated shard, a single zone) is reported and the rest still sized', () => {
    const d = docOf({
      zones: ['a', 'b'].map((name) => ({ name, region: 'r' })),
      services: [{ name: 'api', serviceTimeMs: 10, workers: 1, calls: [{ to: 'db:m' }] }],
      databases: [{ name: 'm', shards: [{ name: 's0', vcpu: 1, maxConnections: 100 }], queryTimeMs: 10 }],
      bundles: [{ name: 'app', services: ['api'], replicas: { a: 1, b: 1 } }],
      traffic: [{ entry: 'api', rps: 300 }],
    });
    // 150 rps per zone × 10 ms: ρ ≤ 0.7 needs 3 per zone; the shard runs at ρ 3 whatever the counts.
    const g = goalSeek(d, { zoneFailure: false });
    expect(g.bundles.app?.replicas).toEqual({ a: 3, b: 3 });
    expect(g.feasible).toBe(false);
    expect(g.exact).toBe(true);
    expect(g.reasons).toEqual(['in normal operation: shard m/s0 saturates (ρ 3.00); replicas cannot fix a database — add vCPU or shards']);
  });
});
