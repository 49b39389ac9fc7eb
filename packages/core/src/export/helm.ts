/**
 * Values for the official NATS Helm chart (nats-io/k8s), pinned to the chart version they
 * were checked against: servers per zone, cluster routes (the chart writes one per server),
 * gateways between regions, monitoring, WebSocket when enabled, and for the production
 * profile TLS and accounts. `fullnameOverride` pins the names the bundles' MICROBUS_NATS
 * uses. The chart runs one StatefulSet per cluster, so replicas reach a server of their zone
 * through the client Service's `trafficDistribution: PreferClose` (Kubernetes 1.31+).
 */
import { ZONE_KEY } from './k8s-labels.ts';
import { gatewaysInCluster, natsMemory, PORTS } from './k8s-nats.ts';
import type { ExportPlan, NatsPlan } from './plan.ts';
import { APP_ACCOUNT, natsAccounts, natsTlsSecret, SECRET_KEYS, SYSTEM_ACCOUNT } from './security.ts';
import { renderDocument } from './yaml.ts';

export const HELM_REPO = 'https://nats-io.github.io/k8s/helm/charts/';
/** The chart version these values were written for (keys checked against its values.yaml). */
export const HELM_CHART_VERSION = '2.14.2';

export function helmInstallCommand(plan: ExportPlan, n: NatsPlan, file: string): string {
  return `helm upgrade --install ${n.name} nats/nats --version ${HELM_CHART_VERSION} --namespace ${plan.namespace} --create-namespace -f ${file}`;
}

/** The values as data (what `helmValues` writes), for tests and tools. */
export function helmValuesObject(plan: ExportPlan, n: NatsPlan): Record<string, unknown> {
  const zoneValues = n.zones.map((z) => plan.zoneLabel.get(z) ?? z);
  const gateways = gatewaysInCluster(plan, n);
  const production = plan.profile === 'production';
  const secretName = natsTlsSecret(plan, n);
  const js = n.jetstream;
  const memory = natsMemory(js);
  const tls = (check: 'verify' | 'verify_and_map') =>
    production ? { tls: { enabled: true, secretName, cert: SECRET_KEYS.cert, key: SECRET_KEYS.key, merge: { [check]: true } } } : {};
  return {
    fullnameOverride: n.name,
    namespaceOverride: plan.namespace,
    ...(production ? { tlsCA: { enabled: true, secretName, key: SECRET_KEYS.ca } } : {}),
    config: {
      cluster: { enabled: true, replicas: n.servers, merge: { name: n.name }, ...tls('verify') },
      ...(production ? { nats: tls('verify_and_map') } : {}),
      monitor: { enabled: true, port: PORTS.monitor },
      ...(gateways.length
        ? {
            gateway: {
              enabled: true,
              port: PORTS.gateway,
              merge: { name: n.name, gateways: gateways.map((g) => ({ name: g.name, url: `${production ? 'tls' : 'nats'}://${g.urls[0]}` })) },
              ...tls('verify'),
            },
          }
        : {}),
      ...(plan.websocket ? { websocket: { enabled: true, port: PORTS.websocket, ...tls('verify_and_map') } } : {}),
      // max_file_store defaults to the volume's size in the chart; max_memory_store is 0 unless enabled.
      ...(js
        ? {
            jetstream: {
              enabled: true,
              fileStore: js.fileStore ? { enabled: true, pvc: { enabled: true, size: js.fileStore } } : { enabled: false },
              memoryStore: js.memoryStore ? { enabled: true, maxSize: js.memoryStore } : { enabled: false },
            },
          }
        : {}),
      ...(production
        ? {
            merge: {
              accounts: Object.fromEntries(
                natsAccounts(plan).map((a) => [
                  a.name,
                  { ...(js && a.name === APP_ACCOUNT ? { jetstream: 'enabled' } : {}), users: a.users.map((user) => ({ user })) },
                ]),
              ),
              system_account: SYSTEM_ACCOUNT,
            },
          }
        : {}),
    },
    container: {
      merge: { resources: { requests: { cpu: '500m', memory: memory.request }, limits: { memory: memory.limit } } },
    },
    service: { merge: { spec: { trafficDistribution: 'PreferClose' } } },
    // nats-box has no client certificate to present in production.
    ...(production ? { natsBox: { enabled: false } } : {}),
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
}

export function helmValues(plan: ExportPlan, n: NatsPlan, file: string): string {
  const js = n.jetstream;
  return renderDocument(helmValuesObject(plan, n), [
    `Values for the official NATS chart ${HELM_CHART_VERSION}: cluster ${n.cluster.name} in region ${n.region},`,
    `${n.servers} server${n.servers === 1 ? '' : 's'} (${n.cluster.serversPerZone} per zone over ${n.zones.join(', ') || 'no zone'}).`,
    ...(js
      ? [
          `JetStream: ${[js.fileStore ? `${js.fileStore} volume per server` : '', js.memoryStore ? `${js.memoryStore} memory store` : ''].filter(Boolean).join(', ')} for ${js.streams.map((p) => p.stream.name).join(', ')} (README.md: how they were sized).`,
        ]
      : []),
    'Replicas reach a server of their own zone through trafficDistribution: PreferClose (Kubernetes 1.31+).',
    `  helm repo add nats ${HELM_REPO}`,
    `  ${helmInstallCommand(plan, n, file)}`,
  ]);
}
