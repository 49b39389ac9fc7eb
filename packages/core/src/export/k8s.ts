/**
 * Kubernetes manifests from a design: one Deployment per bundle per zone, pinned to its zone
 * and told its locality (the export issue refines the full shape).
 */
import { stringify } from 'yaml';
import type { Topology } from '../schema/topology.ts';

/** DNS-1123 label: lower case alphanumerics and '-', at most 63 characters. */
export function dns1123(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return s || 'x';
}

export interface ExportOptions {
  namespace?: string;
  imagePrefix?: string;
}

export function buildDeployments(doc: Topology, options: ExportOptions = {}): Record<string, unknown>[] {
  const namespace = options.namespace ?? 'default';
  const out: Record<string, unknown>[] = [];
  for (const bundle of doc.bundles) {
    for (const [zone, replicas] of Object.entries(bundle.replicas)) {
      if (replicas <= 0) continue;
      const name = dns1123(`${bundle.name}-${zone}`);
      const labels = {
        'app.kubernetes.io/name': dns1123(bundle.name),
        'app.kubernetes.io/part-of': dns1123(doc.name || 'busboard'),
        'topology.kubernetes.io/zone': zone,
      };
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels },
        spec: {
          replicas,
          selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'topology.kubernetes.io/zone': zone } },
          template: {
            metadata: { labels },
            spec: {
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }],
                  },
                },
              },
              terminationGracePeriodSeconds: 30,
              containers: [
                {
                  name: dns1123(bundle.name),
                  image: bundle.image ?? `${options.imagePrefix ?? ''}${dns1123(bundle.name)}:latest`,
                  env: [{ name: 'MICROBUS_LOCALITY', value: zone }],
                  resources: {
                    requests: { cpu: String(bundle.cpu), memory: `${bundle.memoryMiB}Mi` },
                    limits: { memory: `${bundle.memoryMiB}Mi` },
                  },
                },
              ],
            },
          },
        },
      });
    }
  }
  return out;
}

/** One multi-document YAML stream. */
export function toMultiDocYaml(objects: Record<string, unknown>[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
