/**
 * The NATS cluster for users without Helm: a ConfigMap holding `nats.conf` (routes naming
 * every server), a headless Service that gives each server its DNS name, a client Service,
 * a StatefulSet spread over the region's zones, and a PodDisruptionBudget.
 */
import { commonLabels, ZONE_KEY } from './k8s-bundles.ts';
import { type NatsConfInput, natsConf } from './nats-conf.ts';
import type { ExportPlan, NatsPlan } from './plan.ts';
import type { Manifest } from './types.ts';

export const NATS_IMAGE = 'nats:2.10.24-alpine';
export const PORTS = { client: 4222, cluster: 6222, monitor: 8222, gateway: 7222, websocket: 8080 } as const;
export const CLUSTER_DOMAIN = 'cluster.local';
const CONF_DIR = '/etc/nats-config';

const svcHost = (plan: ExportPlan, service: string) => `${service}.${plan.namespace}.svc.${CLUSTER_DOMAIN}`;

/** MICROBUS_NATS for bundles in this cluster's region: the client Service. */
export function natsClientUrl(plan: ExportPlan, n: NatsPlan): string {
  return `nats://${svcHost(plan, n.name)}:${PORTS.client}`;
}

/**
 * The settings of a cluster's `nats.conf` apart from addresses, shared by the Kubernetes and
 * compose exports so the two differ only where they must.
 */
export function clusterConf(
  plan: ExportPlan,
  n: NatsPlan,
  addresses: { routes: string[]; gateways: { name: string; urls: string[] }[] },
  header: string[],
): NatsConfInput {
  const any = (port: number) => `0.0.0.0:${port}`;
  return {
    header,
    serverName: '$SERVER_NAME',
    listen: any(PORTS.client),
    http: any(PORTS.monitor),
    cluster: { name: n.name, listen: any(PORTS.cluster), routes: addresses.routes },
    ...(addresses.gateways.length ? { gateway: { listen: any(PORTS.gateway), gateways: addresses.gateways } } : {}),
    ...(plan.websocket ? { websocket: { listen: any(PORTS.websocket) } } : {}),
  };
}

/** Gateways to every other cluster (clusters in different regions join through gateways). */
export function gatewaysInCluster(plan: ExportPlan, n: NatsPlan): { name: string; urls: string[] }[] {
  return plan.nats.filter((o) => o !== n).map((o) => ({ name: o.name, urls: [`${svcHost(plan, `${o.name}-headless`)}:${PORTS.gateway}`] }));
}

export function k8sNatsConf(plan: ExportPlan, n: NatsPlan): string {
  const routes = Array.from({ length: n.servers }, (_, i) => `${n.name}-${i}.${svcHost(plan, `${n.name}-headless`)}:${PORTS.cluster}`);
  return natsConf(
    clusterConf(plan, n, { routes, gateways: gatewaysInCluster(plan, n) }, [
      `NATS cluster ${n.cluster.name} (region ${n.region}): ${n.servers} server${n.servers === 1 ? '' : 's'}, ${n.cluster.serversPerZone} per zone`,
      'SERVER_NAME comes from the pod name; one file serves every server of the StatefulSet.',
    ]),
  );
}

export function natsManifests(plan: ExportPlan, n: NatsPlan): Manifest[] {
  const labels = commonLabels(plan, 'nats', 'nats', n.name);
  const select = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': n.name, 'app.kubernetes.io/component': 'nats' };
  const configName = plan.names.configMap.name('nats', `${n.name}-config`);
  const gateways = plan.nats.length > 1;
  const ports = [
    { name: 'nats', port: PORTS.client },
    { name: 'cluster', port: PORTS.cluster },
    { name: 'monitor', port: PORTS.monitor },
    ...(gateways ? [{ name: 'gateway', port: PORTS.gateway }] : []),
    ...(plan.websocket ? [{ name: 'websocket', port: PORTS.websocket }] : []),
  ];
  const servicePort = (p: { name: string; port: number }) => ({ name: p.name, port: p.port, targetPort: p.name });
  const zoneValues = n.zones.map((z) => plan.zoneLabel.get(z) ?? z);
  const podSpec: Record<string, unknown> = {
    terminationGracePeriodSeconds: 60,
    ...(zoneValues.length
      ? {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: zoneValues }] }],
              },
            },
          },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: select } },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: select } },
          ],
        }
      : {}),
    containers: [
      {
        name: 'nats',
        image: NATS_IMAGE,
        args: ['--config', `${CONF_DIR}/nats.conf`],
        env: [{ name: 'SERVER_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        ports: ports.map((p) => ({ name: p.name, containerPort: p.port })),
        volumeMounts: [{ name: 'config', mountPath: CONF_DIR }],
        resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'monitor' }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'monitor' }, periodSeconds: 30, failureThreshold: 3 },
        lifecycle: { preStop: { exec: { command: ['nats-server', '--signal', 'ldm=1'] } } },
      },
    ],
    volumes: [{ name: 'config', configMap: { name: configName } }],
  };
  const meta = (name: string) => ({ name, namespace: plan.namespace, labels });
  return [
    {
      comment: [`nats.conf for cluster ${n.cluster.name}: routes name each of its ${n.servers} servers`],
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configName), data: { 'nats.conf': k8sNatsConf(plan, n) } },
    },
    {
      comment: ['Headless Service: a stable DNS name per server (nats-0.nats-headless…), used by the routes'],
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(`${n.name}-headless`),
        spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: select, ports: ports.map(servicePort) },
      },
    },
    {
      comment: ['Client Service: what MICROBUS_NATS points at'],
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(n.name),
        spec: {
          selector: select,
          ports: [
            servicePort({ name: 'nats', port: PORTS.client }),
            ...(plan.websocket ? [servicePort({ name: 'websocket', port: PORTS.websocket })] : []),
          ],
        },
      },
    },
    {
      comment: [
        `${n.servers} NATS server${n.servers === 1 ? '' : 's'} (${n.cluster.serversPerZone} per zone in ${n.zones.join(', ') || n.region}), design limit ${n.cluster.maxMsgsPerSecPerServer.toLocaleString('en-US')} msgs/s each`,
        'On stop, lame duck mode moves clients to the other servers before the process exits.',
      ],
      object: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta(n.name),
        spec: {
          serviceName: `${n.name}-headless`,
          replicas: n.servers,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: select },
          template: { metadata: { labels }, spec: podSpec },
        },
      },
    },
    {
      comment: ['At most one NATS server down at a time during voluntary disruptions'],
      object: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(plan.names.pdb.name('nats', n.name)),
        spec: { maxUnavailable: 1, selector: { matchLabels: select } },
      },
    },
  ];
}
