/**
 * The comparison table's words and tones, against figures worked out by hand; and a kept DES
 * run goes stale once its scenario changes.
 */
import { EXAMPLES, parseTopology, resolveScenario, type ScenarioRow, type Topology, type TopologyInput } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { compareCell, formatDelta, formatValue, sectionOf } from './compareModel.ts';
import { runFor, type ScenarioDesRun, scenarioHash } from './desRuns.ts';
import { variantInput } from './variants.ts';

const row = (values: ScenarioRow['values'], better: ScenarioRow['better'], unit = 'ms', differs = true): ScenarioRow => ({
  key: 'design:x',
  label: 'x',
  unit,
  values,
  differs,
  better,
});

describe('comparison cells', () => {
  it('writes each unit as the table shows it', () => {
    expect(formatValue(634.62915, 'USD/month')).toBe('$634.63');
    expect(formatValue(341.26, 'ms')).toBe('341.3 ms');
    expect(formatValue(1.8234, '×')).toBe('1.82×');
    expect(formatValue(0.0123, 'fraction')).toBe('1.23 %');
    expect(formatValue(2500, 'B/s')).toBe('2.5 kB/s');
    expect(formatValue(null, 'ms')).toBe('—');
    expect(formatValue(true, '')).toBe('yes');
    expect(formatDelta(70.731525, 'USD/month')).toBe('+$70.73');
    expect(formatDelta(-0.9, 'vCPU')).toBe('−0.90 vCPU');
  });

  it('tones: lower cost is better, higher headroom is better, no direction is a change', () => {
    expect(compareCell(row([634.63, 705.36], 'lower', 'USD/month'), 1)).toEqual({ tone: 'worse', delta: 705.36 - 634.63 });
    expect(compareCell(row([1.82, 2.11], 'higher', '×'), 1).tone).toBe('better');
    expect(compareCell(row([6.6, 5.7], null, 'vCPU'), 1).tone).toBe('changed');
    expect(compareCell(row(['a', 'b'], null, ''), 1)).toEqual({ tone: 'changed', delta: null });
    // The first column is the reference; a row core calls equal, or a figure one side lacks, is no difference.
    expect(compareCell(row([1, 2], 'lower'), 0).tone).toBe('same');
    expect(compareCell(row([1, 2], 'lower', 'ms', false), 1).tone).toBe('same');
    expect(compareCell(row([null, 342.5], 'lower'), 1).tone).toBe('same');
  });

  it('sections by row key', () => {
    expect(sectionOf('design:costMonthly')).toBe('Design');
    expect(sectionOf('entry:edge.checkout:p99Ms')).toBe('Entry edge.checkout');
    expect(sectionOf('bundle:shop:totalReplicas')).toBe('Bundle shop');
  });
});

describe('DES runs kept per scenario', () => {
  const parsed = parseTopology(EXAMPLES.find((e) => e.id === 'checkout')?.doc);
  if (!parsed.ok) throw new Error('checkout does not parse');
  const doc: Topology = parsed.doc;

  it('a run is stale once the scenario or its what-if changes', () => {
    const hash = scenarioHash(doc, { failZones: ['b', 'a'] });
    expect(scenarioHash(doc, { scale: 1, failZones: ['a', 'b'] })).toBe(hash);
    const run: ScenarioDesRun = { name: 'v', hash, status: 'done', fraction: 1, result: null, error: null, elapsedMs: 1 };
    expect(runFor({ v: run }, 'v', hash)?.stale).toBe(false);
    const edited = { ...doc, services: doc.services.map((s) => (s.name === 'cart.checkout' ? { ...s, serviceTimeMs: s.serviceTimeMs + 1 } : s)) };
    expect(runFor({ v: run }, 'v', scenarioHash(edited, { failZones: ['a', 'b'] }))?.stale).toBe(true);
    expect(runFor({ v: run }, 'v', scenarioHash(doc, { scale: 2, failZones: ['a', 'b'] }))?.stale).toBe(true);
    expect(runFor({ v: run }, 'w', hash)).toBeNull();
  });

  it("a variant's burst or outage is part of what runs: a run without it is stale, an empty one is no change", () => {
    const plain = scenarioHash(doc, { failZones: ['a'] });
    expect(scenarioHash(doc, { failZones: ['a'], async: {} })).toBe(plain);
    expect(scenarioHash(doc, { failZones: ['a'], async: { eventBurst: 0 } })).toBe(plain);
    const burst = scenarioHash(doc, { failZones: ['a'], async: { eventBurst: 5000 } });
    expect(burst).not.toBe(plain);
    expect(scenarioHash(doc, { failZones: ['a'], async: { eventBurst: 6000 } })).not.toBe(burst);
    expect(scenarioHash(doc, { failZones: ['a'], async: { consumerOutageSeconds: 30 } })).not.toBe(plain);
    // What compare passes for a variant: resolveScenario's options carry the what-if's burst and outage.
    const design = {
      ...(EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput),
      scenarios: [{ name: 'v', changes: [], whatIf: { eventBurst: 5000, consumerOutageSeconds: 30 } }],
    };
    expect(resolveScenario(design, 'v').options.async).toEqual({ eventBurst: 5000, consumerOutageSeconds: 30 });
  });

  it('a run from the Simulate (DES) panel matches the comparison column of the same scenario', () => {
    const design = {
      ...(EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput),
      scenarios: [
        { name: 'v', changes: [{ op: 'replace' as const, path: '/bundles/payments/cpu', value: 2 }], whatIf: { failZones: ['us-west-2a'] } },
      ],
    };
    // What the canvas holds (the editor's parsed document) against what compare resolves.
    const onCanvas = (name: string) => {
      const p = parseTopology(variantInput(design, name));
      if (!p.ok) throw new Error('does not parse');
      return p.doc;
    };
    const resolved = (name: string) => resolveScenario(design, name).doc as Topology;
    expect(scenarioHash(onCanvas('base'), {})).toBe(scenarioHash(resolved('base'), {}));
    expect(scenarioHash(onCanvas('v'), { failZones: ['us-west-2a'] })).toBe(scenarioHash(resolved('v'), { failZones: ['us-west-2a'] }));
    expect(scenarioHash(onCanvas('v'), {})).not.toBe(scenarioHash(resolved('base'), {}));
  });
});
