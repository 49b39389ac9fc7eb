import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { checkout } from '../examples/checkout.ts';
import { microbusShop } from '../examples/microbus-shop.ts';
import { parseTopology } from '../schema/validate.ts';
import { rehearsalErrors, relativeError, targetSummary } from './compare.ts';
import { emptyHistogram, histogramQuantile, mergeHistograms, recordSample, scaleHistogram } from './histogram.ts';
import { rehearsalPlan } from './plan.ts';
import type { GeneratorReport, ReplicaReport } from './reports.ts';
import { summarize } from './summarize.ts';

const parsed = (input: unknown) => {
  const p = parseTopology(input);
  if (!p.ok) throw new Error(p.problems[0]?.message);
  return p.doc;
};

describe('rehearsal plan', () => {
  it('shapes NATS like the design and starts one process per bundle replica', () => {
    const r = rehearsalPlan(parsed(checkout), { seed: 3 });
    if (!r.ok) throw new Error('plan refused');
    const plan = r.plan;
    expect(plan.servers.map((s) => s.zone)).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(plan.clusters).toEqual([{ name: 'nats', region: 'us-west-2' }]);
    expect(plan.replicas).toHaveLength(12); // 3 edge + 6 shop + 3 payments
    const ids = plan.replicas.flatMap((x) => Object.values(x.ids));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{10}$/);
    expect(plan.zones[0]).toMatchObject({ locality: 'us-west-2-a', regionLocality: 'us-west-2' });
    // Ingress even over the entry bundle's zones.
    expect(plan.sources.map((s) => s.rps)).toEqual([100, 100, 100]);
    // cart: a parallel group (pricing ∥ inventory, both in its bundle) then payment (another bundle).
    const cart = plan.services['cart.checkout'];
    expect(cart?.steps.map((s) => [s.parallel, s.calls.map((c) => `${c.target}:${c.sameBundle}`)])).toEqual([
      [true, ['pricing.checkout:true', 'inventory.checkout:true']],
      [false, ['payment.checkout:false']],
    ]);
    expect(plan.services['payment.checkout']?.steps[0]?.calls[0]).toMatchObject({ kind: 'ext', target: 'processor', whole: 1, frac: 0 });
  });

  it('fails a zone: no servers or replicas there, its ingress moved to the others', () => {
    const r = rehearsalPlan(parsed(checkout), { failZones: ['us-west-2c'], scale: 2 });
    if (!r.ok) throw new Error('plan refused');
    expect(r.plan.servers.map((s) => s.zone)).toEqual(['us-west-2a', 'us-west-2b']);
    expect(r.plan.replicas.some((x) => x.zone === 'us-west-2c')).toBe(false);
    expect(r.plan.sources.map((s) => s.rps)).toEqual([300, 300]);
  });

  it('refuses what it cannot run, naming the path', () => {
    const doc = parsed({ ...microbusShop, nats: [] });
    const r = rehearsalPlan(doc, { failZones: ['nowhere'], dilation: 0 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['failZones', 'dilation', 'zones[0].region']);
    expect(r.problems[2]?.message).toContain('add one to nats[]');
  });

  it('keeps partial perRequest as whole + chance, and Che hit rates for caches', () => {
    const r = rehearsalPlan(parsed(microbusShop));
    if (!r.ok) throw new Error('plan refused');
    const web = r.plan.services['web.example'];
    expect(web?.steps[1]?.calls[0]).toMatchObject({ target: 'cart.example', whole: 0, frac: 0.3 });
    const predicted = simulate(parsed(microbusShop));
    expect(r.plan.services['catalog.example']?.hitRate).toBeCloseTo(predicted.services['catalog.example']?.cacheHitRate ?? -1, 6);
    expect(r.plan.services['web.example']?.endpoints.map((e) => e.path)).toEqual(['/', '/product', '/cart']);
  });
});

describe('latency histograms', () => {
  it('gives quantiles to within a bin (1 %), merges and rescales', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    for (let i = 1; i <= 1000; i++) recordSample(i % 2 ? a : b, i / 10);
    const m = mergeHistograms([a, b]);
    expect(m.count).toBe(1000);
    expect(histogramQuantile(m, 0.5)).toBeCloseTo(50, -0.3);
    expect(Math.abs((histogramQuantile(m, 0.99) as number) / 99 - 1)).toBeLessThan(0.01);
    const s = scaleHistogram(m, 10);
    expect(Math.abs((histogramQuantile(s, 0.99) as number) / 9.9 - 1)).toBeLessThan(0.015);
    expect(s.sum).toBeCloseTo(m.sum / 10, 6);
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
  });
});

describe('measured against predicted', () => {
  const doc = parsed(checkout);
  const planned = rehearsalPlan(doc);
  if (!planned.ok) throw new Error('plan refused');
  const plan = planned.plan;
  const k = plan.dilation;
  const hist = (ms: number, n: number) => {
    const h = emptyHistogram();
    for (let i = 0; i < n; i++) recordSample(h, ms);
    return h;
  };
  // Reports as the processes send them: real (dilated) ms over a 60 s window.
  const windowMs = 60_000;
  const replicas: ReplicaReport[] = plan.replicas.map((r) => ({
    id: r.id,
    bundle: r.bundle,
    zone: r.zone,
    windowMs,
    services: Object.fromEntries(
      (plan.bundles.find((b) => b.name === r.bundle)?.services ?? []).map((s) => {
        const perReplica = plan.replicas.filter((x) => x.bundle === r.bundle).length;
        const arrivals = (300 / k / perReplica) * 60; // 300 rps design time, spread evenly
        const own = (plan.services[s]?.serviceTimeMs ?? 0) * k;
        return [
          s,
          {
            arrivals,
            busyMs: arrivals * own,
            ownTargetMs: arrivals * own,
            own: hist(own, arrivals),
            sojourn: hist(own * 1.5, arrivals),
            handler: hist(own * 2, arrivals),
          },
        ];
      }),
    ),
    hops: { calls: 0, targetMs: 0, actualMs: 0, requestLeg: emptyHistogram(), answerLeg: emptyHistogram() },
    timers: { count: 0, lateMs: 0, lateSqMs: 0 },
    cpuMs: 600,
    msgsIn: 100,
    msgsOut: 100,
  }));
  const generator: GeneratorReport = {
    windowMs,
    entries: {
      'edge.checkout': {
        sent: 1800,
        answered: 1800,
        failed: 0,
        latency: hist(1500, 1800),
        roundTrip: hist(1501, 1800),
        zones: { 'us-west-2a': 600 },
      },
    },
    timers: { count: 10, lateMs: 5, lateSqMs: 5 },
    cpuMs: 600,
    msgsIn: 0,
    msgsOut: 0,
  };

  it('reports in design time: rates × K, times ÷ K, ρ as measured', () => {
    const { measured, overhead } = summarize(plan, { replicas, generator, database: null });
    expect(measured.entries['edge.checkout']?.rps).toBeCloseTo(300, 6);
    expect(measured.entries['edge.checkout']?.latencyMs?.p50).toBeCloseTo(150, 0);
    expect(measured.services['pricing.checkout']?.utilization).toBeCloseTo(0.4, 6);
    expect(measured.services['pricing.checkout']?.ownTimeMs?.mean).toBeCloseTo(8, 6);
    expect(measured.services['pricing.checkout']?.zones['us-west-2a']).toMatchObject({ replicas: 2 });
    expect(overhead.timerLateMs.mean).toBeCloseTo(0.5 / k, 6);
    expect(overhead.cpuCores.total).toBeCloseTo((600 * 13) / 60_000, 6);
  });

  it('errors are (predicted − measured) / measured; the target holds figures only where ρ ≤ 0.8', () => {
    const { measured } = summarize(plan, { replicas, generator, database: null });
    const predicted = simulate(doc);
    const errors = rehearsalErrors(predicted, measured);
    expect(errors.services['pricing.checkout']?.utilization).toBeCloseTo(0, 6);
    expect(errors.entries['edge.checkout']?.p50).toBeCloseTo(((predicted.entries['edge.checkout']?.latencyMs?.p50 ?? 0) - 150) / 150, 2);
    expect(relativeError(110, 100)).toBeCloseTo(0.1, 12);
    expect(relativeError(1, 0)).toBeNull();
    const calls = Object.fromEntries(doc.services.map((s) => [s.name, s.calls.map((c) => c.to)]));
    const target = targetSummary(predicted, measured, calls);
    expect(target.checks.every((c) => c.held)).toBe(true);
    const strict = targetSummary(predicted, measured, calls, { maxRho: 0.3 });
    const pricing = strict.checks.find((c) => c.figure === 'services.pricing.checkout.utilization');
    expect(pricing).toMatchObject({ held: false, ok: true });
    expect(pricing?.reason).toContain('pricing.checkout predicted above ρ 0.3');
  });
});
