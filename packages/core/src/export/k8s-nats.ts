/**
 * The NATS cluster for users without Helm: a ConfigMap holding `nats.conf` (routes naming
 * every server), a headless Service that gives each server its DNS name, a client Service,
 * per zone a StatefulSet pinned to the zone and a Service in front of it (what that zone's
 * bundle replicas connect to), and a PodDisruptionBudget. The production profile adds TLS
 * from the cluster's Secret and accounts (see `security.ts`).
 */
import { formatBytes, type JetStreamPlan, STORE_DIR, STORE_HEADROOM } from './jetstream.ts';
import { commonLabels, ZONE_KEY } from './k8s-labels.ts';
import { type NatsConfInput, natsConf } from './nats-conf.ts';
import type { ExportPlan, NatsPlan, NatsZonePlan } from './plan.ts';
import { APP_ACCOUNT, NATS_TLS_DIR, natsAccounts, natsTlsSecret, SECRET_KEYS, SYSTEM_ACCOUNT } from './security.ts';
import type { Manifest } from './types.ts';

export const NATS_IMAGE = 'nats:2.10.24-alpine';
export const PORTS = { client: 4222, cluster: 6222, monitor: 8222, gateway: 7222, websocket: 8080 } as const;
export const CLUSTER_DOMAIN = 'cluster.local';
/** Pods of one zone carry this label, so the zone's Service selects them. */
export const NATS_ZONE_LABEL = 'busboard.dev/nats-zone';
const CONF_DIR = '/etc/nats-config';
/** The persistent volume claim of each server's JetStream store (`js-<pod>`). */
const JS_VOLUME = 'js';

export const svcHost = (plan: ExportPlan, service: string) => `${service}.${plan.namespace}.svc.${CLUSTER_DOMAIN}`;

/** MICROBUS_NATS through the cluster's client Service (any zone; `trafficDistribution: PreferClose`). */
export function natsClientUrl(plan: ExportPlan, n: NatsPlan): string {
  return `nats://${svcHost(plan, n.name)}:${PORTS.client}`;
}

/** MICROBUS_NATS for a replica pinned to `zone`: the Service of that zone's servers, when it has any. */
export function natsZoneUrl(plan: ExportPlan, n: NatsPlan, zone: string): string {
  const set = n.zoneSets.find((z) => z.zone === zone);
  return set ? `nats://${svcHost(plan, set.name)}:${PORTS.client}` : natsClientUrl(plan, n);
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
  jetstream: JetStreamPlan | null = n.jetstream,
): NatsConfInput {
  const any = (port: number) => `0.0.0.0:${port}`;
  const production = plan.profile === 'production' && plan.format !== 'compose';
  return {
    ...(jetstream ? { jetstream: jetstreamConf(jetstream) } : {}),
    header,
    serverName: '$SERVER_NAME',
    listen: any(PORTS.client),
    http: any(PORTS.monitor),
    cluster: { name: n.name, listen: any(PORTS.cluster), routes: addresses.routes },
    ...(addresses.gateways.length ? { gateway: { listen: any(PORTS.gateway), gateways: addresses.gateways } } : {}),
    ...(plan.websocket ? { websocket: { listen: any(PORTS.websocket) } } : {}),
    ...(production
      ? {
          tls: {
            certFile: `${NATS_TLS_DIR}/${SECRET_KEYS.cert}`,
            keyFile: `${NATS_TLS_DIR}/${SECRET_KEYS.key}`,
            caFile: `${NATS_TLS_DIR}/${SECRET_KEYS.ca}`,
          },
          // JetStream is off in an account unless the account enables it.
          accounts: natsAccounts(plan).map((a) => (jetstream && a.name === APP_ACCOUNT ? { ...a, jetstream: true } : a)),
          systemAccount: SYSTEM_ACCOUNT,
        }
      : {}),
  };
}

/** The `jetstream` block: the store on the persistent volume, limits from the plan, and why. */
export function jetstreamConf(j: JetStreamPlan): NonNullable<NatsConfInput['jetstream']> {
  const busiest = [...j.servers].sort((a, b) => b.fileBytes + b.memoryBytes - (a.fileBytes + a.memoryBytes))[0];
  return {
    storeDir: STORE_DIR,
    maxFileStore: j.fileStore,
    maxMemoryStore: j.memoryStore,
    comment: [
      `JetStream for stream${j.streams.length === 1 ? '' : 's'} ${j.streams.map((p) => `${p.stream.name} (R${p.stream.replicas}, ${p.stream.storage})`).join(', ')}.`,
      `Limits: the busiest server's replicas (${busiest ? formatBytes(busiest.fileBytes + busiest.memoryBytes) : '0'}${busiest ? ` on ${busiest.server}` : ''}) × ${STORE_HEADROOM} headroom, rounded up; every server gets the same.`,
    ],
  };
}

/** Container memory: the server's own 512Mi/1Gi plus its memory store (JetStream keeps it in the process). */
export function natsMemory(j: JetStreamPlan | null): { request: string; limit: string } {
  const mem = j?.memoryStore ? Number(j.memoryStore.slice(0, -2)) * (j.memoryStore.endsWith('Gi') ? 1024 : 1) : 0;
  return { request: `${512 + mem}Mi`, limit: mem ? `${1024 + mem}Mi` : '1Gi' };
}

/** Each server's JetStream volume: a claim template in the StatefulSet's spec, and the note above it. */
function storeClaim(js: JetStreamPlan | null, labels: Record<string, string>): { spec: Record<string, unknown>; manifest: Pick<Manifest, 'notes'> } {
  if (!js?.fileStore) return { spec: {}, manifest: {} };
  return {
    spec: {
      volumeClaimTemplates: [
        { metadata: { name: JS_VOLUME, labels }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: js.fileStore } } } },
      ],
    },
    manifest: {
      notes: [
        {
          at: ['spec', 'volumeClaimTemplates'],
          text: `JetStream's files: ${js.fileStore} per server (max_file_store in nats.conf); the cluster's default StorageClass unless you add storageClassName`,
        },
      ],
    },
  };
}

/** Gateways to every other cluster (clusters in different regions join through gateways). */
export function gatewaysInCluster(plan: ExportPlan, n: NatsPlan): { name: string; urls: string[] }[] {
  return plan.nats.filter((o) => o !== n).map((o) => ({ name: o.name, urls: [`${svcHost(plan, `${o.name}-headless`)}:${PORTS.gateway}`] }));
}

/** The StatefulSets of a cluster: one per zone, or one without placement when its region has no zone. */
function serverSets(n: NatsPlan): (NatsZonePlan | { zone: null; name: string; servers: number })[] {
  return n.zoneSets.length ? n.zoneSets : [{ zone: null, name: n.name, servers: n.servers }];
}

export function k8sNatsConf(plan: ExportPlan, n: NatsPlan): string {
  const routes = serverSets(n).flatMap((s) =>
    Array.from({ length: s.servers }, (_, i) => `${s.name}-${i}.${svcHost(plan, `${n.name}-headless`)}:${PORTS.cluster}`),
  );
  return natsConf(
    clusterConf(plan, n, { routes, gateways: gatewaysInCluster(plan, n) }, [
      `NATS cluster ${n.cluster.name} (region ${n.region}): ${n.servers} server${n.servers === 1 ? '' : 's'}, ${n.cluster.serversPerZone} per zone`,
      'SERVER_NAME comes from the pod name; one file serves every server of the cluster.',
    ]),
  );
}

export function natsManifests(plan: ExportPlan, n: NatsPlan): Manifest[] {
  const labels = commonLabels(plan, 'nats', 'nats', n.name);
  const select = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': n.name, 'app.kubernetes.io/component': 'nats' };
  const configName = plan.names.configMap.name('nats', `${n.name}-config`);
  const production = plan.profile === 'production';
  const gateways = plan.nats.length > 1;
  const ports = [
    { name: 'nats', port: PORTS.client },
    { name: 'cluster', port: PORTS.cluster },
    { name: 'monitor', port: PORTS.monitor },
    ...(gateways ? [{ name: 'gateway', port: PORTS.gateway }] : []),
    ...(plan.websocket ? [{ name: 'websocket', port: PORTS.websocket }] : []),
  ];
  const servicePort = (p: { name: string; port: number }) => ({ name: p.name, port: p.port, targetPort: p.name });
  const clientPorts = [
    servicePort({ name: 'nats', port: PORTS.client }),
    ...(plan.websocket ? [servicePort({ name: 'websocket', port: PORTS.websocket })] : []),
  ];
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: plan.namespace, labels: { ...labels, ...extra } });
  // Only spread Deployments (--cloud) connect through the all-zones Service; the field is
  // written for them alone, so clusters older than 1.30 (which refuse it) take the rest.
  const spread = plan.bundles.some((b) => b.deployments.some((d) => d.zone === null && d.region === n.region));
  const js = n.jetstream;
  const memory = natsMemory(js);

  const podSpec = (zone: string | null): Record<string, unknown> => {
    const zoneValues = zone === null ? [] : [plan.zoneLabel.get(zone) ?? zone];
    return {
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
          }
        : {}),
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: select } },
      ],
      containers: [
        {
          name: 'nats',
          image: NATS_IMAGE,
          args: ['--config', `${CONF_DIR}/nats.conf`],
          env: [{ name: 'SERVER_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          ports: ports.map((p) => ({ name: p.name, containerPort: p.port })),
          volumeMounts: [
            { name: 'config', mountPath: CONF_DIR },
            ...(production ? [{ name: 'tls', mountPath: NATS_TLS_DIR, readOnly: true }] : []),
            ...(js?.fileStore ? [{ name: JS_VOLUME, mountPath: STORE_DIR }] : []),
          ],
          resources: { requests: { cpu: '500m', memory: memory.request }, limits: { memory: memory.limit } },
          readinessProbe: { httpGet: { path: '/healthz', port: 'monitor' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'monitor' }, periodSeconds: 30, failureThreshold: 3 },
          lifecycle: { preStop: { exec: { command: ['nats-server', '--signal', 'ldm=1'] } } },
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: configName } },
        ...(production ? [{ name: 'tls', secret: { secretName: natsTlsSecret(plan, n) } }] : []),
      ],
    };
  };

  const out: Manifest[] = [
    {
      comment: [
        `nats.conf for cluster ${n.cluster.name}: routes name each of its ${n.servers} servers`,
        ...(production
          ? [`Production: TLS on every listener from Secret ${natsTlsSecret(plan, n)}; clients admitted by certificate (see README.md)`]
          : []),
      ],
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configName), data: { 'nats.conf': k8sNatsConf(plan, n) } },
    },
    {
      comment: [`Headless Service: a stable DNS name per server (${serverSets(n)[0]?.name}-0.${n.name}-headless…), used by the routes`],
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(`${n.name}-headless`),
        spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: select, ports: ports.map(servicePort) },
      },
    },
    {
      comment: spread
        ? [
            'Client Service over every zone, for the spread Deployments: PreferClose keeps each connection in',
            'the client’s zone where it can (Kubernetes 1.31+; the per-zone Services below need no such support).',
          ]
        : ['Client Service over every zone (replicas pinned to a zone use their zone’s Service below)'],
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(n.name),
        spec: { selector: select, ...(spread ? { trafficDistribution: 'PreferClose' } : {}), ports: clientPorts },
      },
    },
  ];
  for (const s of serverSets(n)) {
    const zoneValue = s.zone === null ? null : (plan.zoneLabel.get(s.zone) ?? s.zone);
    const zoneSelect = zoneValue === null ? select : { ...select, [NATS_ZONE_LABEL]: zoneValue };
    if (s.zone !== null)
      out.push({
        comment: [`Zone ${s.zone}: the Service its bundle replicas connect to, so each talks to a server of its own zone`],
        object: { apiVersion: 'v1', kind: 'Service', metadata: meta(s.name, zoneSelect), spec: { selector: zoneSelect, ports: clientPorts } },
      });
    out.push({
      comment: [
        s.zone === null
          ? `${s.servers} NATS server${s.servers === 1 ? '' : 's'} in region ${n.region}, design limit ${n.cluster.maxMsgsPerSecPerServer.toLocaleString('en-US')} msgs/s each`
          : `${s.servers} NATS server${s.servers === 1 ? '' : 's'} in zone ${s.zone}, design limit ${n.cluster.maxMsgsPerSecPerServer.toLocaleString('en-US')} msgs/s each`,
        'On stop, lame duck mode moves clients to the other servers before the process exits.',
      ],
      object: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta(s.name, zoneValue === null ? {} : { [NATS_ZONE_LABEL]: zoneValue }),
        spec: {
          serviceName: `${n.name}-headless`,
          replicas: s.servers,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: zoneSelect },
          template: { metadata: { labels: { ...labels, ...(zoneValue === null ? {} : { [NATS_ZONE_LABEL]: zoneValue }) } }, spec: podSpec(s.zone) },
          ...storeClaim(js, labels).spec,
        },
      },
      ...storeClaim(js, labels).manifest,
    });
  }
  out.push({
    comment: ['At most one NATS server of the cluster down at a time during voluntary disruptions'],
    object: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(plan.names.pdb.name('nats', n.name)),
      spec: { maxUnavailable: 1, selector: { matchLabels: select } },
    },
  });
  return out;
}
