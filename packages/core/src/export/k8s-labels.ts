/**
 * The labels and selectors every Kubernetes object of an export shares (the recommended
 * `app.kubernetes.io/*` labels), and the zone label nodes carry. Kept apart so bundles, NATS
 * and ingress objects read them without importing each other.
 */
import type { BundlePlan, ExportPlan } from './plan.ts';

/** The well-known node label of a node's zone (Kubernetes' `topology.kubernetes.io/zone`). */
export const ZONE_KEY = 'topology.kubernetes.io/zone';

export function commonLabels(plan: ExportPlan, name: string, component: string, instance: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': plan.partOf,
    'app.kubernetes.io/managed-by': 'busboard',
  };
}

/** Every pod of the bundle, whatever its zone (the PodDisruptionBudget's and the Service's selector). */
export function bundleSelector(plan: ExportPlan, b: BundlePlan): Record<string, string> {
  return { 'app.kubernetes.io/name': b.name, 'app.kubernetes.io/component': 'bundle', 'app.kubernetes.io/part-of': plan.partOf };
}
