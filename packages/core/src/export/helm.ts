/**
 * Values for the official NATS Helm chart (nats-io/k8s, chart 1.x): servers per zone,
 * cluster routes (the chart writes one per server), gateways between regions, monitoring,
 * WebSocket when enabled. `fullnameOverride` pins the names the bundles' MICROBUS_NATS uses.
 */
import { ZONE_KEY } from './k8s-bundles.ts';
import { gatewaysInCluster, PORTS } from './k8s-nats.ts';
import type { ExportPlan, NatsPlan } from './plan.ts';
import { renderDocument } from './yaml.ts';

export const HELM_REPO = 'https://nats-io.github.io/k8s/helm/charts/';

export function helmInstallCommand(plan: ExportPlan, n: NatsPlan, file: string): string {
  return `helm upgrade --install ${n.name} nats/nats --namespace ${plan.namespace} --create-namespace -f ${file}`;
}

export function helmValues(plan: ExportPlan, n: NatsPlan, file: string): string {
  const zoneValues = n.zones.map((z) => plan.zoneLabel.get(z) ?? z);
  const gateways = gatewaysInCluster(plan, n);
  const values = {
    fullnameOverride: n.name,
    namespaceOverride: plan.namespace,
    config: {
      cluster: { enabled: true, replicas: n.servers, merge: { name: n.name } },
      monitor: { enabled: true, port: PORTS.monitor },
      ...(gateways.length
        ? {
            gateway: {
              enabled: true,
              port: PORTS.gateway,
              merge: { name: n.name, gateways: gateways.map((g) => ({ name: g.name, url: `nats://${g.urls[0]}` })) },
            },
          }
        : {}),
      ...(plan.websocket ? { websocket: { enabled: true, port: PORTS.websocket } } : {}),
    },
    container: {
      merge: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    },
    ...(zoneValues.length
      ? {
          podTemplate: {
            topologySpreadConstraints: { [ZONE_KEY]: { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' } },
            merge: {
              spec: {
                affinity: {
                  nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: zoneValues }] }],
                    },
                  },
                },
              },
            },
          },
        }
      : {}),
  };
  return renderDocument(values, [
    `Values for the official NATS chart: cluster ${n.cluster.name} in region ${n.region},`,
    `${n.servers} server${n.servers === 1 ? '' : 's'} (${n.cluster.serversPerZone} per zone over ${n.zones.join(', ') || 'no zone'}).`,
    `  helm repo add nats ${HELM_REPO}`,
    `  ${helmInstallCommand(plan, n, file)}`,
  ]);
}
