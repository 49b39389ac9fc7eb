import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { generateDesign } from '../generate/design.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';
import type { SimulationResult } from './types.ts';

const parse = (input: TopologyInput) => {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** M/M/c/K from its birth–death chain (independent of queue/bounded.ts): blocking and mean wait of admitted requests. */
function mmck(lambda: number, mu: number, c: number, K: number): { block: number; Wq: number } {
  const p: number[] = [1];
  for (let n = 1; n <= K; n++) p.push(((p[n - 1] as number) * lambda) / (Math.min(n, c) * mu));
  const sum = p.reduce((a, b) => a + b, 0);
  const pi = p.map((x) => x / sum);
  const block = pi[K] as number;
  const Lq = pi.reduce((a, x, n) => a + x * Math.max(0, n - c), 0);
  return { block, Wq: Lq / (lambda * (1 - block)) };
}

/** Drop the per-class additions so a class-aware result can be compared with a class-blind one. */
function withoutClasses(r: SimulationResult): SimulationResult {
  const c = structuredClone(r);
  for (const s of Object.values(c.services)) {
    delete s.classes;
    delete s.classMethod;
  }
  for (const e of Object.values(c.entries)) delete e.classes;
  return c;
}

describe('traffic classes (engine/traffic-classes.ts)', () => {
  it('Nimbus: tenant A past its capacity is rejected with 429 at the exact M/M/4/24 rate; tenant B keeps its P99 SLO', () => {
    const ex = EXAMPLES.find((e) => e.id === 'nimbus');
    const r = simulate(parse(ex?.doc as TopologyInput));
    const fn = r.services['functions.nimbus'];
    expect(fn?.classMethod).toBe('partitioned');
    // Each tenant: 4 workers, 20 waiting, own time 8 ms (μ 0.125 per ms); A 0.6, B 0.25 per ms.
    const a = mmck(0.6, 0.125, 4, 24);
    const b = mmck(0.25, 0.125, 4, 24);
    expect(a.block).toBeGreaterThan(0.15);
    expect(rel(fn?.classes?.tenantA?.rejectionRate as number, a.block)).toBeLessThan(1e-9);
    expect(rel(fn?.classes?.tenantB?.rejectionRate as number, b.block)).toBeLessThan(1e-6);
    expect(rel(fn?.classes?.tenantA?.meanWaitMs as number, a.Wq)).toBeLessThan(1e-9);
    expect(rel(fn?.classes?.tenantB?.meanWaitMs as number, b.Wq)).toBeLessThan(1e-9);
    const entry = r.entries['transport.nimbus'];
    const A = entry?.classes?.tenantA;
    const B = entry?.classes?.tenantB;
    expect(1 - (A?.successRate as number)).toBeCloseTo(a.block, 9);
    expect(A?.goodputRps).toBeCloseTo(600 * (1 - a.block), 6);
    expect(B?.slo?.met).toBe(true);
    expect(B?.latencyMs?.p99).toBeLessThan(40);
    // The entry's own figures are the two tenants together.
    expect(entry?.successRate).toBeCloseTo((600 * (1 - a.block) + 250 * (1 - b.block)) / 850, 9);
    expect(fn?.validity).toBe('ok');
  });

  it('without the admission rows, tenant B shares the overflowing line and misses its P99', () => {
    const ex = structuredClone(EXAMPLES.find((e) => e.id === 'nimbus')?.doc) as any;
    delete ex.services[1].admission;
    const r = simulate(parse(ex));
    const B = r.entries['transport.nimbus']?.classes?.tenantB;
    expect(B?.slo?.met).toBe(false);
    expect(r.services['functions.nimbus']?.classMethod).toBe('shared');
  });

  it.each(EXAMPLES.filter((e) => !e.doc.classes).map((e) => [e.id, e.doc] as const))(
    '%s: an explicit single default class changes no figure',
    (_id, doc) => {
      const plain = simulate(parse(doc));
      const explicit = simulate(parse({ ...doc, classes: [{ name: 'default' }] }));
      expect(plain.entries[Object.keys(plain.entries)[0] as string]?.classes).toBeUndefined();
      expect(withoutClasses(explicit)).toEqual(plain);
      for (const e of Object.values(explicit.entries)) {
        const d = e.classes?.default;
        expect(d?.successRate).toBe(e.successRate);
        expect(d?.latencyMs).toEqual(e.latencyMs);
      }
    },
  );

  it.each([1, 2, 3, 4, 5])('generated design (seed %i, 40 services, some with queue limits): an explicit default class changes no figure', (seed) => {
    const doc = generateDesign({ services: 40, seed }) as any;
    // Bounded lines on every third service, so admission and rejection take part too.
    doc.services.forEach((s: any, i: number) => {
      if (i % 3 === 0) s.queueLimit = 2 + (i % 5);
    });
    for (const scale of [1, 2.5]) {
      const plain = simulate(parse(doc), { scale });
      const explicit = simulate(parse({ ...doc, classes: [{ name: 'default' }] }), { scale });
      expect(withoutClasses(explicit)).toEqual(plain);
    }
  });

  it('non-preemptive priority M/M/c: per-class mean waits are Cobham’s closed form', () => {
    // One replica, 2 workers, 10 ms: high 60 rps, low 80 rps (ρ 0.7). C(2, 1.4) = 0.576471,
    // R = C/(cμ) = 2.882353 ms; W_high = R/0.7 = 4.117647 ms, W_low = R/(0.7·0.3) = 13.72549 ms.
    const doc = parse({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      classes: [{ name: 'high', priority: 1 }, { name: 'low' }],
      services: [{ name: 'svc.example', serviceTimeMs: 10, workers: 2 }],
      bundles: [{ name: 'b', services: ['svc.example'], replicas: { a: 1 } }],
      traffic: [
        { entry: 'svc.example', rps: 60, class: 'high' },
        { entry: 'svc.example', rps: 80, class: 'low' },
      ],
    });
    const r = simulate(doc);
    const s = r.services['svc.example'];
    expect(s?.classMethod).toBe('priority');
    expect(rel(s?.classes?.high?.meanWaitMs as number, 4.117647)).toBeLessThan(1e-5);
    expect(rel(s?.classes?.low?.meanWaitMs as number, 13.72549)).toBeLessThan(1e-5);
    // The classes together are still the M/M/2 (priority moves waits between classes, not their sum).
    const mean = (60 * (4.117647 + 10) + 80 * (13.72549 + 10)) / 140;
    expect(rel(r.entries['svc.example']?.latencyMs?.mean as number, mean)).toBeLessThan(0.005);
  });

  it('priority past saturation: the high class keeps a finite latency, the low class has none', () => {
    const doc = parse({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      classes: [{ name: 'high', priority: 1 }, { name: 'low' }],
      services: [{ name: 'svc.example', serviceTimeMs: 10, workers: 2 }],
      bundles: [{ name: 'b', services: ['svc.example'], replicas: { a: 1 } }],
      traffic: [
        { entry: 'svc.example', rps: 100, class: 'high' },
        { entry: 'svc.example', rps: 150, class: 'low' },
      ],
      slo: [{ entry: 'svc.example', class: 'high', p99Ms: 100 }],
    });
    const r = simulate(doc);
    const e = r.entries['svc.example'];
    // Workers never idle: R = 1/(cμ) = 5 ms; W_high = 5/(1 − 0.5) = 10 ms.
    expect(r.services['svc.example']?.classes?.high?.meanWaitMs).toBeCloseTo(10, 9);
    expect(e?.classes?.high?.latencyMs).not.toBeNull();
    expect(e?.classes?.high?.slo?.met).toBe(true);
    expect(e?.classes?.low?.latencyMs).toBeNull();
  });
});
