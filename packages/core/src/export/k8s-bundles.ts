/**
 * Kubernetes objects for one bundle (Microbus conventions, see the Microbus seed): a
 * ConfigMap with the Microbus environment, a Deployment per zone pinned by node affinity and
 * told its MICROBUS_LOCALITY and its zone's NATS servers (or one spread Deployment with
 * `--cloud`), an autoscaler per Deployment, a PodDisruptionBudget, and where traffic enters,
 * a Service (and in production an Ingress, see `k8s-ingress.ts`).
 *
 * A Deployment with an autoscaler has no `spec.replicas`: `kubectl apply` would reset the
 * count the autoscaler chose to the file's (Kubernetes' own advice when moving to an HPA).
 */
import { hpaComment, hpaMetricsAndBehavior } from './hpa.ts';
import { exposureManifests } from './k8s-ingress.ts';
import { bundleSelector, commonLabels, ZONE_KEY } from './k8s-labels.ts';
import { natsClientUrl, natsZoneUrl } from './k8s-nats.ts';
import { type BundlePlan, type DeploymentPlan, type ExportPlan, type HpaPlan, INGRESS_PORT } from './plan.ts';
import { bundleClientSecret, MICROBUS_FILES } from './security.ts';
import type { KubeObject, Manifest } from './types.ts';

/** Above Microbus's 24 s shutdown budget: pending requests drain before the kill. */
export const GRACE_PERIOD_S = 30;

/** `2` → `"2"`, `0.5` → `"500m"`: Kubernetes CPU quantities. */
export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.max(1, Math.round(cores * 1000))}m`;
}

export function memoryQuantity(mib: number): string {
  return `${Math.ceil(mib)}Mi`;
}

export function bundleManifests(plan: ExportPlan, b: BundlePlan): Manifest[] {
  const out: Manifest[] = [configMap(plan, b)];
  for (const d of b.deployments) {
    out.push(deployment(plan, b, d));
    if (d.hpa) out.push(autoscaler(plan, b, d, d.hpa));
  }
  if (b.deployments.length) out.push(disruptionBudget(plan, b));
  const exposure = plan.exposed.find((e) => e.bundle === b);
  if (exposure) out.push(...exposureManifests(plan, exposure));
  return out;
}

function meta(plan: ExportPlan, name: string, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject['metadata'] {
  return { name, namespace: plan.namespace, labels, ...(annotations ? { annotations } : {}) };
}

function configMap(plan: ExportPlan, b: BundlePlan): Manifest {
  return {
    comment: [`Microbus environment for bundle ${b.bundle.name} (read by every replica at start)`],
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(plan, b.name, commonLabels(plan, b.name, 'bundle', b.name)),
      data: {
        MICROBUS_NATS: natsClientUrl(plan, b.nats),
        MICROBUS_PLANE: plan.plane,
        MICROBUS_DEPLOYMENT: 'PROD',
      },
    },
  };
}

function selector(b: BundlePlan, d: DeploymentPlan): Record<string, string> {
  return { 'app.kubernetes.io/name': b.name, 'app.kubernetes.io/instance': d.name, 'app.kubernetes.io/component': 'bundle' };
}

function deployment(plan: ExportPlan, b: BundlePlan, d: DeploymentPlan): Manifest {
  const labels = commonLabels(plan, b.name, 'bundle', d.name);
  const zoneValues = d.zones.map((z) => plan.zoneLabel.get(z) ?? z);
  const env: { name: string; value: string }[] = [{ name: 'MICROBUS_LOCALITY', value: d.locality }];
  // The ConfigMap names the bundle's home cluster (any zone); a Deployment pinned to a zone
  // talks to that zone's servers, and one in another region to its own region's cluster.
  const local = plan.nats.find((n) => n.region === d.region) ?? b.nats;
  const url = d.zone !== null && plan.format === 'k8s' ? natsZoneUrl(plan, local, d.zone) : natsClientUrl(plan, local);
  if (url !== natsClientUrl(plan, b.nats)) env.push({ name: 'MICROBUS_NATS', value: url });
  const spec: Record<string, unknown> = {
    terminationGracePeriodSeconds: GRACE_PERIOD_S,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: zoneValues }] }],
        },
      },
    },
  };
  if (d.zone === null)
    spec.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector(b, d) } },
    ];
  const production = plan.profile === 'production';
  const exposed = plan.exposed.some((e) => e.bundle === b);
  spec.containers = [
    {
      name: b.name,
      image: b.image,
      envFrom: [{ configMapRef: { name: b.name } }],
      env,
      ...(exposed ? { ports: [{ name: 'http', containerPort: INGRESS_PORT }] } : {}),
      resources: {
        requests: { cpu: cpuQuantity(b.bundle.cpu), memory: memoryQuantity(b.bundle.memoryMiB) },
        limits: { memory: memoryQuantity(b.bundle.memoryMiB) },
      },
      // Microbus reads ca.pem, cert.pem and key.pem from its working directory: one file each,
      // so the image's own files there stay (a Secret mounted as a directory would hide them).
      ...(production
        ? {
            volumeMounts: MICROBUS_FILES.map((f) => ({
              name: 'nats-client',
              mountPath: `${plan.workingDir.replace(/\/+$/, '')}/${f.file}`,
              subPath: f.key,
              readOnly: true,
            })),
          }
        : {}),
    },
  ];
  if (production) spec.volumes = [{ name: 'nats-client', secret: { secretName: bundleClientSecret(plan, b) } }];
  const services = b.bundle.services;
  const comment = [
    d.zone === null
      ? `Bundle ${b.bundle.name}: ${d.replicas} replicas spread evenly over ${d.zones.join(', ')}; Microbus reads each replica's zone from the cloud (MICROBUS_LOCALITY=${d.locality})`
      : `Bundle ${b.bundle.name} in zone ${d.zone}: ${d.replicas} replica${d.replicas === 1 ? '' : 's'} as designed, pinned to the zone, locality ${d.locality}`,
    `Services: ${services.length ? services.join(', ') : '(none)'}`,
    d.hpa
      ? `Replicas: set by its HorizontalPodAutoscaler (${d.hpa.min}–${d.hpa.max}); no spec.replicas here, so a re-apply never resets them`
      : `Replicas: ${d.replicas}, fixed (exported without an autoscaler)`,
    `CPU per replica at the design's load: ${(d.cpuUtilization * 100).toFixed(0)} % of ${cpuQuantity(b.bundle.cpu)} core${b.bundle.cpu === 1 ? '' : 's'}${d.cpuUtilization > 1 ? ' (WARNING: more than its request)' : ''}`,
    ...d.advice.map(
      (a) =>
        `WARNING: the design has ${a.design} replica${a.design === 1 ? '' : 's'} in ${a.zone}; the engine recommends ${a.recommended} there for ${a.reason}`,
    ),
  ];
  return {
    comment,
    notes: [
      {
        at: ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'],
        text: `${GRACE_PERIOD_S} s: above Microbus's 24 s shutdown budget, so pending requests finish`,
      },
      {
        at: ['spec', 'template', 'spec', 'containers', 0, 'resources'],
        text: 'No CPU limit: throttling would add latency the model does not expect; memory is capped at the request.',
      },
      {
        at: ['spec', 'template', 'spec', 'containers', 0, 'env'],
        text: 'No HTTP probes: a Microbus app serves none by default (its health checks travel over NATS). If your image serves one, add e.g. readinessProbe: {httpGet: {path: /healthz, port: 8080}}',
      },
    ],
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(plan, d.name, labels, {
        'busboard.dev/bundle': b.bundle.name,
        'busboard.dev/zones': d.zones.join(','),
        'busboard.dev/services': services.join(','),
      }),
      spec: {
        ...(d.hpa ? {} : { replicas: d.replicas }),
        selector: { matchLabels: selector(b, d) },
        template: { metadata: { labels }, spec },
      },
    },
  };
}

function autoscaler(plan: ExportPlan, b: BundlePlan, d: DeploymentPlan, hpa: HpaPlan): Manifest {
  const { metrics, behavior } = hpaMetricsAndBehavior(hpa);
  return {
    comment: [
      `Autoscaler for ${d.name}: ${hpa.why}`,
      ...(d.zone ? [`Its bounds are for zone ${d.zone} alone.`] : []),
      ...hpaComment(hpa, plan.microbus),
    ],
    notes: [
      {
        at: ['spec', 'behavior'],
        text: hpa.simulated
          ? "The design's behavior, Kubernetes' defaults written out where it gives none."
          : 'Scale up fast, down slowly: a pod you did not need costs cents, a pod you removed too soon costs an outage.',
      },
    ],
    object: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(plan, d.name, commonLabels(plan, b.name, 'bundle', d.name)),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name },
        minReplicas: hpa.min,
        maxReplicas: hpa.max,
        metrics,
        behavior,
      },
    },
  };
}

function disruptionBudget(plan: ExportPlan, b: BundlePlan): Manifest {
  const name = plan.names.pdb.name('bundle', b.bundle.name);
  return {
    comment: [`At most one replica of bundle ${b.bundle.name} (any zone) down at a time during voluntary disruptions (node drains, upgrades)`],
    object: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(plan, name, commonLabels(plan, b.name, 'bundle', b.name)),
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: bundleSelector(plan, b) },
      },
    },
  };
}
