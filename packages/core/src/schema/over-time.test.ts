import { describe, expect, it } from 'vitest';
import { checkout } from '../examples/checkout.ts';
import type { TopologyInput } from './topology.ts';
import { checkTopology, parseTopology } from './validate.ts';

const base = (): TopologyInput => structuredClone(checkout);
const paths = (doc: unknown) => checkTopology(doc).map((p) => `${p.path}: ${p.message}`);

describe('schema v3 over time: profiles, HPA behavior, start-up, timeline events', () => {
  it('reads every new field, and a document without them is unchanged', () => {
    const d = base();
    d.traffic![0]!.profile = { shape: 'diurnal', peakAt: 840, trough: 0.3, days: 2, growthPerMonth: 0.05 };
    d.bundles![1]!.autoscale = {
      min: 2,
      max: 10,
      targetUtilization: 0.7,
      metric: 'inFlight',
      target: 4,
      behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    };
    d.bundles![1]!.startup = { delaySeconds: 45, warmupSeconds: 60, warmupFactor: 2 };
    d.autoscalePolicies = [{ name: 'cpu-only', bundles: { shop: { min: 2, max: 10, targetUtilization: 0.6 } } }];
    d.timeline = [
      { atMinute: 840, failZone: 'us-west-2a' },
      { atMinute: 900, restoreZone: 'us-west-2a' },
    ];
    expect(paths(d)).toEqual([]);
    const r = parseTopology(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.traffic[0]?.profile).toEqual({ shape: 'diurnal', peakAt: 840, trough: 0.3, days: 2, growthPerMonth: 0.05 });
    expect(r.doc.bundles[1]?.autoscale?.behavior?.scaleDown?.policies?.[0]).toEqual({ type: 'Pods', value: 1, periodSeconds: 60 });
    const plain = base();
    delete plain.traffic![0]!.profile;
    delete plain.autoscalePolicies;
    delete plain.bundles![1]!.startup;
    const parsed = parseTopology(plain);
    expect(parsed.ok && parsed.doc.timeline === undefined && parsed.doc.traffic[0]?.profile === undefined).toBe(true);
  });

  it('refuses an autoscaler whose metric and target disagree, with what to write', () => {
    const d = base();
    d.bundles![0]!.autoscale = { min: 1, max: 5, targetUtilization: 0.7, metric: 'queueDepth' };
    d.bundles![1]!.autoscale = { min: 6, max: 5, targetUtilization: 0.7, target: 3 };
    expect(paths(d)).toEqual([
      'bundles[0].autoscale.target: metric "queueDepth" needs a target: the average per replica the autoscaler keeps (e.g. 4 requests)',
      'bundles[1].autoscale.min: must not exceed max (5)',
      'bundles[1].autoscale.target: only with metric inFlight or queueDepth (the CPU target is targetUtilization): set metric or remove target',
    ]);
  });

  it('refuses Kubernetes values Kubernetes refuses, and an unknown shape', () => {
    const d = base();
    d.bundles![0]!.autoscale = {
      min: 1,
      max: 5,
      targetUtilization: 0.7,
      behavior: { scaleUp: { stabilizationWindowSeconds: 7200, policies: [] } },
    };
    d.traffic![0]!.profile = { shape: 'sawtooth' } as never;
    const p = paths(d);
    expect(p).toEqual(
      expect.arrayContaining([
        "bundles[0].autoscale.behavior.scaleUp.stabilizationWindowSeconds: at most 3600 (Kubernetes' own limit: one hour)",
        'bundles[0].autoscale.behavior.scaleUp.policies: at least one policy (Kubernetes discards rules without one)',
      ]),
    );
    expect(p.some((x) => x.startsWith('traffic[0].profile.shape'))).toBe(true);
  });

  it("requires a shape's own fields and refuses the others", () => {
    const d = base();
    d.traffic![0]!.profile = { shape: 'diurnal', peakAt: 840, before: 1 };
    expect(paths(d)).toEqual([
      'traffic[0].profile.trough: a diurnal profile needs peakAt, trough: add trough',
      'traffic[0].profile.before: a diurnal profile does not read before (it reads peakAt, trough): remove it',
    ]);
  });

  it('refuses timeline events and policies that name nothing, and backward ramps', () => {
    const d = base();
    d.timeline = [{ atMinute: 10, failZone: 'mars-1a' }, { atMinute: 20 }, { atMinute: 30, failZone: 'us-west-2a', restoreZone: 'us-west-2b' }];
    d.autoscalePolicies = [
      { name: 'p', bundles: { nope: { min: 1, max: 2, targetUtilization: 0.5 } } },
      { name: 'p', bundles: {} },
    ];
    d.traffic![0]!.profile = { shape: 'ramp', startMinute: 600, endMinute: 540, from: 1, to: 2 };
    expect(paths(d)).toEqual([
      'traffic[0].profile.endMinute: the ramp ends (540) before it starts (600): swap them, or swap from and to',
      'autoscalePolicies[0].bundles.nope: no bundle "nope"',
      'autoscalePolicies[1].name: duplicate policy "p" (also autoscalePolicies[0])',
      'timeline[0].failZone: no zone "mars-1a"',
      'timeline[1]: an event either fails a zone or restores one: give exactly one of failZone and restoreZone',
      'timeline[2]: an event either fails a zone or restores one: give exactly one of failZone and restoreZone',
    ]);
  });
});
