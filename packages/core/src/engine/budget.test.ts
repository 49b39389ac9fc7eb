/**
 * Time budgets in the analytic engine (engine/budget.ts): exact M/M/c+D at an entry, the
 * invariant that a document without a budget gives exactly today's figures, a huge budget ≈ none,
 * and the downstream approximation's error against the DES (core README "Time budgets").
 */
import { describe, expect, it } from 'vitest';
import { createDesRun } from '../des/run.ts';
import { EXAMPLES } from '../examples/index.ts';
import { impatientQueue } from '../queue/impatient.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';

function parse(input: TopologyInput) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.doc;
}

const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('analytic time budgets', () => {
  it('an entry replica is M/M/c+D exactly: timeouts, served sojourn, wasted work (λ 3, μ 1, c 2, D 3, × 5 ms)', () => {
    const doc = parse({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      network: { ...ZERO_NETWORK, timeBudgetHopMs: 0 },
      services: [{ name: 's', serviceTimeMs: 5, workers: 2 }],
      bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
      traffic: [{ entry: 's', rps: 600, timeBudgetMs: 15 }],
      slo: [{ entry: 's', maxTimeoutRate: 0.05 }],
    });
    const q = impatientQueue(3, 2, 1, 3);
    const r = simulate(doc);
    const s = r.services.s;
    expect(s?.method).toBe('mmcd');
    expect(s?.saturated).toBe(false);
    expect(rel(s?.timeoutRate ?? 0, q.abandon + q.timeoutInService)).toBeLessThan(1e-9);
    expect(rel(s?.sojournMs?.mean ?? 0, 5 * (q.servedWq + 1))).toBeLessThan(1e-9);
    expect(rel(s?.wastedWorkRate ?? 0, 0.6 * 5 * q.wastedFinish)).toBeLessThan(1e-9);
    const e = r.entries.s;
    expect(rel(e?.successRate ?? 0, 1 - q.abandon - q.timeoutInService)).toBeLessThan(1e-9);
    expect(rel(e?.timeoutRate ?? 0, q.abandon + q.timeoutInService)).toBeLessThan(1e-9);
    // A replica at ρ 1.5 with a budget: finite latency, no "saturated".
    expect(e?.latencyMs?.p99 ?? 99).toBeLessThanOrEqual(15.5);
    expect(e?.slo?.timeout).toEqual({ limit: 0.05, value: e?.timeoutRate, met: false });
    expect(e?.slo?.met).toBe(false);
    expect(r.warnings.find((w) => w.code === 'timing-out')).toMatchObject({ path: 'services[0]' });
  });

  it('no budget: every figure is exactly today’s, whatever the other budget fields say (bundled examples)', () => {
    for (const example of EXAMPLES) {
      // The examples as they would be without budgets (the Microbus budget example has one).
      const ex = { ...example, doc: { ...example.doc, traffic: (example.doc.traffic ?? []).map(({ timeBudgetMs: _, ...t }) => t) } };
      const base = JSON.stringify(simulate(parse(ex.doc)));
      const dressed: TopologyInput = {
        ...ex.doc,
        network: { ...(ex.doc.network ?? {}), ackTimeoutMs: 100, timeBudgetHopMs: 10 },
        services: (ex.doc.services ?? []).map((s) => ({ ...s, onTimeout: 'stop' as const })),
        traffic: (ex.doc.traffic ?? []).map((t) => ({ ...t, timeBudgetMs: undefined })),
      };
      expect(JSON.stringify(simulate(parse(dressed))), ex.id).toBe(base);
      for (const z of (ex.doc.zones ?? []).slice(0, 1)) {
        const failed = { failZones: [z.name] };
        expect(JSON.stringify(simulate(parse(dressed), failed)), `${ex.id} without ${z.name}`).toBe(JSON.stringify(simulate(parse(ex.doc), failed)));
      }
    }
  });

  it('a budget of an hour ≈ no budget (bundled examples: success, utilization, P99 within 0.1 %)', () => {
    for (const ex of EXAMPLES) {
      const base = simulate(parse(ex.doc));
      const huge = simulate(parse({ ...ex.doc, traffic: (ex.doc.traffic ?? []).map((t) => ({ ...t, timeBudgetMs: 3_600_000 })) }));
      for (const [name, e] of Object.entries(base.entries)) {
        const h = huge.entries[name];
        expect(Math.abs((h?.successRate ?? 0) - e.successRate), `${ex.id} ${name}`).toBeLessThan(1e-6);
        expect(h?.timeoutRate ?? 1).toBeLessThan(1e-6);
        if (e.latencyMs) expect(rel(h?.latencyMs?.p99 ?? 0, e.latencyMs.p99), `${ex.id} ${name} p99`).toBeLessThan(1e-3);
      }
      for (const [name, s] of Object.entries(base.services))
        expect(huge.services[name]?.utilization, `${ex.id} ${name}`).toBeCloseTo(s.utilization, 9);
    }
  });
});

describe('downstream budgets: the mean-deadline approximation against the DES', () => {
  // front (entry, 2 workers) → back (1 worker, the bottleneck at ρ 1.2), 1 ms network, hop reserve 20 ms, budget 60 ms.
  const chain: TopologyInput = {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: { ...ZERO_NETWORK, natsHopMs: 1, timeBudgetHopMs: 20 },
    services: [
      { name: 'front', serviceTimeMs: 5, workers: 2, calls: [{ to: 'back' }] },
      { name: 'back', serviceTimeMs: 10, workers: 1 },
    ],
    bundles: [
      { name: 'f', services: ['front'], replicas: { a: 1 } },
      { name: 'k', services: ['back'], replicas: { a: 1 } },
    ],
    traffic: [{ entry: 'front', rps: 120, timeBudgetMs: 60 }],
  };

  it('entry success and the callee timeout rate within 3 points of the DES, flagged budget-approximation', () => {
    const doc = parse(chain);
    const a = simulate(doc);
    const d = createDesRun({ doc, seed: 9, requests: 200_000 }).runToEnd();
    const errSuccess = Math.abs((a.entries.front?.successRate ?? 0) - (d.entries.front?.successRate ?? 0));
    const errBack = Math.abs((a.services.back?.timeoutRate ?? 0) - (d.services.back?.timeoutRate ?? 0));
    expect(errSuccess).toBeLessThan(0.03);
    expect(errBack).toBeLessThan(0.03);
    const v = a.services.back?.validity;
    expect(Array.isArray(v) && v.some((n) => n.code === 'budget-approximation')).toBe(true);
  });
});
