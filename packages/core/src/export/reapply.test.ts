/**
 * A re-apply during a peak must not scale a bundle down. Modelled with kubectl's own
 * three-way merge (test/support/kubectl-apply.ts): apply the export, let the autoscaler
 * raise the count, apply the same export again, read the count.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { defaultDeployment, threeWayApply } from '../../test/support/kubectl-apply.ts';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { type ExportFormat, exportDesign, type KubeObject, validateTogether } from './index.ts';

type Json = Record<string, unknown>;
const replicasOf = (o: Json) => (o.spec as { replicas?: number }).replicas;

function deployments(id: string, format: ExportFormat, autoscaler = true) {
  const r0 = parseTopology(EXAMPLES.find((e) => e.id === id)?.doc);
  if (!r0.ok) throw new Error('example invalid');
  const r = exportDesign(r0.doc, { format, autoscaler, imagePrefix: 'acme/', imageTag: '1' });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const objects = r.files.filter((f) => f.type === 'yaml').flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as KubeObject));
  return { objects, deployments: objects.filter((o) => o.kind === 'Deployment') as unknown as Json[] };
}

describe('kubectl apply over an autoscaled Deployment', () => {
  for (const id of EXAMPLES.map((e) => e.id))
    for (const format of ['k8s', 'helm'] as const)
      it(`${id} (${format}): no Deployment with an autoscaler sets spec.replicas, so a re-apply keeps the autoscaler's count`, () => {
        const { objects, deployments: ds } = deployments(id, format);
        const scaled = new Set(
          objects
            .filter((o) => o.kind === 'HorizontalPodAutoscaler')
            .map((h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name),
        );
        expect(scaled.size).toBe(ds.length);
        for (const d of ds) {
          expect(replicasOf(d), String((d.metadata as Json).name)).toBeUndefined();
          // First apply, then the autoscaler scales up to 9 for a peak, then the same file again.
          const live = { ...defaultDeployment(threeWayApply(undefined, {}, d)) };
          (live.spec as Json).replicas = 9;
          expect(replicasOf(threeWayApply(d, live, d))).toBe(9);
        }
        expect(validateTogether(objects)).toEqual([]);
      });

  it('the model reproduces the defect: a file that sets replicas resets the peak count on every apply', () => {
    const { deployments: ds } = deployments('checkout', 'k8s');
    const old = structuredClone(ds[0] as Json);
    (old.spec as Json).replicas = 2;
    const live = threeWayApply(undefined, {}, old);
    (live.spec as Json).replicas = 9;
    expect(replicasOf(threeWayApply(old, live, old))).toBe(2);
  });

  it('upgrading from such a file drops the field: the count falls to the default 1 until the autoscaler acts (the README says how to avoid it)', () => {
    const { deployments: ds } = deployments('checkout', 'k8s');
    const now = ds[0] as Json;
    const old = structuredClone(now);
    (old.spec as Json).replicas = 2;
    const live = threeWayApply(undefined, {}, old);
    (live.spec as Json).replicas = 9;
    expect(replicasOf(defaultDeployment(threeWayApply(old, live, now)))).toBe(1);
    // With the annotation cleaned first (kubectl apply edit-last-applied), the count stays.
    expect(replicasOf(threeWayApply(now, live, now))).toBe(9);
  });

  it('validateTogether refuses an autoscaled Deployment that sets replicas', () => {
    const { objects } = deployments('checkout', 'k8s');
    const broken = structuredClone(objects);
    const d = broken.find((o) => o.kind === 'Deployment') as KubeObject;
    (d.spec as Json).replicas = 3;
    expect(validateTogether(broken)).toEqual([
      {
        path: `Deployment ${d.metadata.name}`,
        message: 'sets spec.replicas while an autoscaler scales it: a re-apply would reset the count the autoscaler chose',
      },
    ]);
  });

  it('without an autoscaler: no HPA, and each Deployment sets the design count', () => {
    const { objects, deployments: ds } = deployments('microbus-shop', 'k8s', false);
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const byName = Object.fromEntries(ds.map((d) => [(d.metadata as Json).name, replicasOf(d)]));
    expect(byName['shop-us-east-1c']).toBe(2);
    expect(byName['shop-us-east-1a']).toBe(3);
  });
});
