/**
 * Every Kubernetes object is checked before it is offered: against the API's schema with
 * kubernetes-models (offline, precompiled validators: no `eval`, no Node APIs, so it runs in
 * the browser too), and against the naming rules the schema does not carry.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { isDns1035Label, isDns1123Label, isLabelValue } from './names.ts';
import type { KubeObject } from './types.ts';

interface Validatable {
  validate(): void;
}
type Model = new (data: never) => Validatable;

const MODELS: Record<string, Model> = {
  'apps/v1/Deployment': Deployment as unknown as Model,
  'apps/v1/StatefulSet': StatefulSet as unknown as Model,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as Model,
  'networking.k8s.io/v1/Ingress': Ingress as unknown as Model,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as Model,
  'v1/ConfigMap': ConfigMap as unknown as Model,
  'v1/Namespace': Namespace as unknown as Model,
  'v1/Service': Service as unknown as Model,
};

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Problems with one object (empty when Kubernetes would accept it). */
export function validateObject(o: KubeObject): string[] {
  const problems: string[] = [];
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!model) return [`no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new model(o as never).validate();
  } catch (err) {
    problems.push((err as Error).message);
  }
  const name = o.metadata?.name ?? '';
  if (o.kind === 'Service' ? !isDns1035Label(name) : !isDns1123Label(name))
    problems.push(`metadata.name "${name}" is not a DNS-${o.kind === 'Service' ? '1035' : '1123'} label`);
  if (o.metadata?.namespace !== undefined && !isDns1123Label(o.metadata.namespace))
    problems.push(`metadata.namespace "${o.metadata.namespace}" is not a DNS-1123 label`);
  const labelSets: [string, Record<string, string> | undefined][] = [['metadata.labels', o.metadata?.labels]];
  const spec = o.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string }[] } } } | undefined;
  labelSets.push(['spec.template.metadata.labels', spec?.template?.metadata?.labels]);
  for (const [where, labels] of labelSets)
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!LABEL_KEY.test(k) || (k.split('/').at(-1) ?? '').length > 63) problems.push(`${where}: "${k}" is not a label key`);
      if (!isLabelValue(v)) problems.push(`${where}.${k}: "${v}" is not a label value`);
    }
  for (const [i, c] of (spec?.template?.spec?.containers ?? []).entries())
    if (!isDns1123Label(c.name)) problems.push(`spec.template.spec.containers[${i}].name "${c.name}" is not a DNS-1123 label`);
  return problems;
}

/**
 * Rules across objects: an autoscaled Deployment must not set `spec.replicas` (every
 * `kubectl apply` would reset the autoscaler's count to it), and every autoscaler must
 * target a Deployment of the export.
 */
export function validateTogether(objects: readonly KubeObject[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const deployments = new Map(objects.filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o]));
  for (const h of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = (h.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    const d = target?.kind === 'Deployment' ? deployments.get(target.name ?? '') : undefined;
    if (!d) {
      problems.push({
        path: `HorizontalPodAutoscaler ${h.metadata.name}`,
        message: `targets ${target?.kind} ${target?.name}, which the export does not hold`,
      });
      continue;
    }
    if ((d.spec as { replicas?: unknown } | undefined)?.replicas !== undefined)
      problems.push({
        path: `Deployment ${d.metadata.name}`,
        message: 'sets spec.replicas while an autoscaler scales it: a re-apply would reset the count the autoscaler chose',
      });
  }
  return problems;
}
