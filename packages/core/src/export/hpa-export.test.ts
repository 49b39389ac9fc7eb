import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkout } from '../examples/checkout.ts';
import { ScalingBehavior } from '../schema/over-time.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { hpaSpec } from '../timeline/hpa.ts';
import { autoscalersFor } from '../timeline/run.ts';
import { type ExportOptions, exportDesign, type KubeObject, validateObject } from './index.ts';

function parsed(input: TopologyInput): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

function exported(doc: Topology, options: ExportOptions = {}) {
  const r = exportDesign(doc, options);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  const objects: KubeObject[] = [];
  for (const f of r.files.filter((f) => f.type === 'yaml')) for (const d of parseAllDocuments(f.content)) objects.push(d.toJS() as KubeObject);
  return { r, objects, hpas: objects.filter((o) => o.kind === 'HorizontalPodAutoscaler') as any[] };
}

/** The HPA object read back as the timeline's spec (the document's fields, Kubernetes' defaults filled in). */
function asSimulated(hpa: any) {
  const behavior = ScalingBehavior.parse(hpa.spec.behavior);
  return hpaSpec({ min: hpa.spec.minReplicas, max: hpa.spec.maxReplicas, behavior });
}

describe('the exported HPAs are the simulated ones (issue 19)', () => {
  const doc = parsed(checkout);
  const shopHpas = (hpas: any[]) => hpas.filter((h) => h.metadata.labels['app.kubernetes.io/name'] === 'shop');

  it('--policy in-flight: one HPA per zone Deployment of shop, CPU 70 % and 0.85 in flight per pod, behavior and bounds as simulated; valid autoscaling/v2', () => {
    const { r, objects, hpas } = exported(doc, { policy: 'in-flight' });
    for (const o of objects) expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    const shop = shopHpas(hpas);
    const shopIndex = doc.bundles.findIndex((b) => b.name === 'shop');
    const zones = Object.entries(doc.bundles[shopIndex]?.replicas ?? {}).filter(([, n]) => n > 0);
    expect(shop).toHaveLength(zones.length);
    const picked = autoscalersFor(doc, 'in-flight');
    if (!picked.ok) throw new Error('policy');
    const auto = picked.autoscalers[shopIndex];
    if (!auto) throw new Error('no autoscale');
    const simulated = hpaSpec(auto);
    for (const h of shop) {
      expect(h.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'busboard_in_flight_requests' }, target: { type: 'AverageValue', averageValue: '850m' } } },
      ]);
      expect([h.spec.minReplicas, h.spec.maxReplicas]).toEqual([1, 10]);
      const back = asSimulated(h);
      expect(back.scaleUp).toEqual(simulated.scaleUp);
      expect(back.scaleDown).toEqual(simulated.scaleDown);
      // Kubernetes' defaults, written out: up max(4 pods, 100 %) per 15 s, down 100 % per 15 s after 300 s.
      expect(h.spec.behavior.scaleUp.policies).toEqual([
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ]);
      expect(h.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    }
    expect(r.warnings.find((w) => w.code === 'hpa-day-slo')).toBeUndefined();
    const yaml = r.files.find((f) => f.path === 'bundles/shop.yaml')?.content ?? '';
    expect(yaml).toContain('Microbus exposes no in-flight gauge');
    expect(yaml).toContain('rate(microbus_server_request_duration_seconds_sum[1m])');
  });

  it('--policy cpu: the simulated day misses the P95 at the 07:00 rush, and the export says when and by how much', () => {
    const { r, hpas } = exported(doc, { policy: 'cpu' });
    for (const h of shopHpas(hpas)) expect(h.spec.metrics).toHaveLength(1);
    expect(r.warnings.find((w) => w.code === 'hpa-day-slo')?.message).toBe(
      'with autoscale policy "cpu", the simulated day (busboard timeline --policy cpu, pointwise-stationary) misses edge.checkout P95 300 ms at 07:03 (321 ms): 1 minute over SLO',
    );
  });

  it('an unknown policy is a problem naming the ones there are', () => {
    const r = exportDesign(doc, { policy: 'gpu' });
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'policy', message: 'no policy "gpu"; the document has "cpu", "in-flight"' }]);
  });

  it("the document's own behavior, queue depth and sync period are written as given", () => {
    const input: TopologyInput = {
      schema: 'busboard.topology/v3',
      name: 'single',
      zones: [
        { name: 'z1', region: 'r1' },
        { name: 'z2', region: 'r1' },
      ],
      services: [{ name: 'work.example', serviceTimeMs: 10, workers: 4 }],
      bundles: [
        {
          name: 'work',
          services: ['work.example'],
          replicas: { z1: 2, z2: 2 },
          cpu: 1,
          memoryMiB: 128,
          autoscale: {
            min: 2,
            max: 6,
            targetUtilization: 0.6,
            metric: 'queueDepth',
            target: 3,
            syncPeriodSeconds: 30,
            behavior: {
              scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
              scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 120 }] },
            },
          },
        },
      ],
      traffic: [{ entry: 'work.example', rps: 100 }],
    };
    const { hpas, objects, r } = exported(parsed(input));
    for (const o of objects) expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    expect(hpas).toHaveLength(2);
    for (const h of hpas) {
      expect(h.spec.metrics[1]).toEqual({
        type: 'Pods',
        pods: { metric: { name: 'busboard_queue_depth' }, target: { type: 'AverageValue', averageValue: '3' } },
      });
      expect(h.spec.behavior).toEqual({
        scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 120 }] },
      });
    }
    const yaml = r.files.find((f) => f.path === 'bundles/work.yaml')?.content ?? '';
    expect(yaml).toContain('with a 30 s sync period');
    expect(yaml).toContain('Microbus exposes no queue-depth gauge');
    // No profile: a steady day, nothing to simulate, no day warning.
    expect(r.warnings.find((w) => w.code === 'hpa-day-slo')).toBeUndefined();
  });
});
