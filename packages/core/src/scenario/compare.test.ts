import { describe, expect, it } from 'vitest';
import { designCost } from '../cost/cost.ts';
import { simulate } from '../engine/simulate.ts';
import type { SimulationResult } from '../engine/types.ts';
import { EXAMPLES, getExample } from '../examples/index.ts';
import type { ScenarioT } from '../schema/scenarios.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { scenarioWarnings } from './check.ts';
import { compareScenarios } from './compare.ts';
import { resolveScenario } from './resolve.ts';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Checkout with a variant that moves cart.checkout into its own bundle, and a what-if with a zone down and 1.5× traffic. */
function checkout(): TopologyInput {
  const doc = copy(getExample('checkout')?.doc) as TopologyInput;
  const shop = doc.bundles?.find((b) => b.name === 'shop');
  if (!shop) throw new Error('checkout has a shop bundle');
  const own: ScenarioT = {
    name: 'own-bundle-cart',
    description: 'cart.checkout in its own bundle',
    changes: [
      { op: 'replace', path: '/bundles/shop/services', value: shop.services.filter((s) => s !== 'cart.checkout') },
      {
        op: 'add',
        path: '/bundles/cart',
        value: { name: 'cart', services: ['cart.checkout'], replicas: { 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 1 }, cpu: 1, memoryMiB: 256 },
      },
    ],
  };
  const down: ScenarioT = {
    name: 'zone-down',
    changes: [{ op: 'replace', path: '/bundles/shop/replicas/us-west-2a', value: 3 }],
    whatIf: { scale: 1.5, failZones: ['us-west-2b'] },
  };
  return { ...doc, scenarios: [own, down] };
}

/** simulate + designCost of one scenario alone: what every figure of its column must equal. */
function alone(input: TopologyInput, name: string) {
  const r = resolveScenario(input, name);
  if (!r.doc) throw new Error(`${name} resolves`);
  const result = simulate(r.doc, r.options);
  return { doc: r.doc, result, cost: designCost(r.doc, result) };
}

describe('compareScenarios', () => {
  it('fills every column with the figures of simulate and designCost of that scenario alone', () => {
    const input = checkout();
    const names = ['base', 'own-bundle-cart', 'zone-down'];
    const cmp = compareScenarios(input, names);
    expect(cmp.columns.map((c) => c.name)).toEqual(names);
    for (const col of cmp.columns) {
      const { doc, result, cost } = alone(input, col.name);
      expect(col.problems).toEqual([]);
      expect(col.conflicts).toEqual([]);
      expect(col.result).toEqual(result);
      expect(col.costMonthly).toBe(cost.totals.total);
      expect(col.headroom).toBe(result.headroom);
      expect(col.bottleneck).toBe(result.bottleneck);
      expect(col.brokerMessagesPerSecond).toBeCloseTo(
        result.brokers.reduce((s, b) => s + b.msgsPerSec, 0),
        9,
      );
      expect(col.crossZoneBytesPerSecond).toBeCloseTo(result.crossZoneRps * (cost.prices.requestBytes + cost.prices.responseBytes), 6);
      const e = result.entries['edge.checkout'];
      const f = col.entries['edge.checkout'];
      expect(f?.p50Ms).toBe(e?.latencyMs?.p50 ?? null);
      expect(f?.p95Ms).toBe(e?.latencyMs?.p95 ?? null);
      expect(f?.p99Ms).toBe(e?.latencyMs?.p99 ?? null);
      expect(f?.slo).toEqual({ p95Ms: 300 });
      expect(f?.meetsSlo).toBe(e?.slo?.met);
      expect(f?.rejectionRate).toBeNull(); // checkout bounds no queue
      for (const b of doc.bundles) {
        const got = col.bundles[b.name];
        const live = result.bundles[b.name];
        // Replicas by hand: the document's, none in a failed zone.
        const want = Object.fromEntries(Object.entries(b.replicas).map(([z, n]) => [z, col.whatIf.failZones?.includes(z) ? 0 : n]));
        expect(got?.replicas).toEqual(want);
        expect(got?.totalReplicas).toBe(Object.values(want).reduce((s, n) => s + n, 0));
        expect(got?.totalReplicas).toBe(live?.replicas);
        expect(got?.cpuRequested).toBe((got?.totalReplicas ?? 0) * b.cpu);
        // Busy cores by hand: mean CPU utilization × live replicas × cores.
        expect(got?.cpuBusy).toBeCloseTo((live?.meanCpuUtilization ?? 0) * (live?.replicas ?? 0) * b.cpu, 9);
        expect(got?.costMonthly).toBe(cost.byBundle[b.name]);
      }
    }
    const own = cmp.columns[1];
    expect(Object.keys(own?.bundles ?? {})).toContain('cart');
    expect(own?.bundles.shop?.totalReplicas).toBe(6);
    expect(cmp.columns[2]?.bundles.shop?.replicas).toEqual({ 'us-west-2a': 3, 'us-west-2b': 0, 'us-west-2c': 2 });
  });

  it('flags rows whose figures differ and leaves equal ones alone', () => {
    const cmp = compareScenarios(checkout(), ['base', 'own-bundle-cart']);
    const byKey = new Map(cmp.rows.map((r) => [r.key, r]));
    // The new bundle costs more: cost differs; cart's bundle is null in the base.
    expect(byKey.get('design:costMonthly')?.differs).toBe(true);
    expect(byKey.get('design:costMonthly')?.better).toBe('lower');
    expect(byKey.get('bundle:cart:totalReplicas')?.values).toEqual([null, 3]);
    expect(byKey.get('bundle:cart:totalReplicas')?.differs).toBe(true);
    // Nothing about edge or payments changes.
    expect(byKey.get('bundle:edge:totalReplicas')?.differs).toBe(false);
    expect(byKey.get('bundle:payments:costMonthly')?.differs).toBe(false);
    expect(byKey.get('entry:edge.checkout:slo:p95Ms')).toMatchObject({ values: [300, 300], differs: false });
    // The same scenario twice differs nowhere.
    const same = compareScenarios(checkout(), ['base', 'base']);
    expect(same.rows.filter((r) => r.differs)).toEqual([]);
    for (const r of cmp.rows) expect(r.values).toHaveLength(2);
    const keys = cmp.rows.map((r) => r.key);
    for (const k of [
      'design:headroom',
      'design:bottleneck',
      'design:crossZoneBytesPerSecond',
      'design:brokerMessagesPerSecond',
      'entry:edge.checkout:p99Ms',
    ])
      expect(keys).toContain(k);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts DES figures beside the analytic ones when a run is given', () => {
    const input = checkout();
    const base = alone(input, 'base').result;
    const des = copy(base) as SimulationResult;
    const l = des.entries['edge.checkout']?.latencyMs;
    if (!l) throw new Error('edge has a latency');
    l.p99 *= 1.1;
    l.ci = { mean: [1, 2], p50: [l.p50 - 1, l.p50 + 1], p95: [l.p95 - 1, l.p95 + 1], p99: [l.p99 - 1, l.p99 + 1] };
    const cmp = compareScenarios(input, ['base', 'own-bundle-cart'], { des: { base: des } });
    expect(cmp.columns[0]?.entries['edge.checkout']?.des).toEqual({
      p50Ms: l.p50,
      p95Ms: l.p95,
      p99Ms: l.p99,
      ci: { p50Ms: l.ci.p50, p95Ms: l.ci.p95, p99Ms: l.ci.p99 },
    });
    expect(cmp.columns[1]?.entries['edge.checkout']?.des).toBeUndefined();
    const row = cmp.rows.find((r) => r.key === 'entry:edge.checkout:des:p99Ms');
    expect(row?.values).toEqual([l.p99, null]);
  });

  it('counts streams’ and core-NATS events’ cross-zone bytes, and rejection where queues are bounded', () => {
    for (const ex of EXAMPLES) {
      const input = ex.doc as TopologyInput;
      const cmp = compareScenarios(input, ['base']);
      const col = cmp.columns[0];
      const { doc, result, cost } = alone(input, 'base');
      const streams = Object.values(result.async?.streams ?? {}).reduce((s, st) => s + st.crossZoneBytesPerSec, 0);
      const events = (result.async?.subscriptions ?? []).reduce((s, sub) => s + sub.crossZoneBytesPerSec + sub.crossRegionBytesPerSec, 0);
      const calls = result.crossZoneRps * (cost.prices.requestBytes + cost.prices.responseBytes);
      expect(col?.crossZoneBytesPerSecond).toBeCloseTo(calls + streams + events, 6);
      const bounded = doc.services.some((s) => s.queueLimit !== undefined || s.maxInFlight !== undefined);
      for (const [name, e] of Object.entries(result.entries)) {
        expect(col?.entries[name]?.rejectionRate).toBe(bounded ? 1 - e.successRate : null);
        expect(col?.entries[name]?.timeoutRate).toBe(e.timeoutRate ?? null);
      }
    }
  });

  it('resolves every example’s scenarios cleanly (flow8-tier moves sessions into its own bundle)', () => {
    const flow8 = getExample('flow8-tier')?.doc as TopologyInput;
    expect(flow8.scenarios?.map((s) => s.name)).toEqual(['own-bundle-sessions']);
    for (const ex of EXAMPLES) expect(scenarioWarnings(ex.doc as TopologyInput), ex.id).toEqual([]);
    const cmp = compareScenarios(flow8, ['base', 'own-bundle-sessions']);
    const own = cmp.columns[1];
    expect(own?.bundles.sessions?.totalReplicas).toBe(3);
    expect(own?.result?.services['sessions.flow8']?.bundle).toBe('sessions');
    expect(own?.costMonthly).toBe(alone(flow8, 'own-bundle-sessions').cost.totals.total);
  });

  it('gives a column with problems and no figures when the changes leave an invalid document', () => {
    const input = checkout();
    input.scenarios = [{ name: 'broken', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: -1 }] }];
    const cmp = compareScenarios(input, ['base', 'broken']);
    expect(cmp.columns[1]?.problems.length).toBeGreaterThan(0);
    expect(cmp.columns[1]?.result).toBeNull();
    expect(cmp.rows.find((r) => r.key === 'design:costMonthly')?.values[1]).toBeNull();
    expect(() => compareScenarios(input, ['base', 'nope'])).toThrow(/no scenario "nope": the design has base, broken/);
    expect(() => compareScenarios(input, ['base'], { preset: 'ibm' })).toThrow(/aws-us-east-1/);
  });
});
