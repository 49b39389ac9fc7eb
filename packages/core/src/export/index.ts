/**
 * Export: from a design to manifests a cluster accepts. `exportDesign(doc, options)` is pure
 * (document in, files out, plus warnings); the web app's export dialog and
 * `busboard export` both call it. Reached as `@busboard/core/export`, apart from the core's
 * main entry, so the browser loads the Kubernetes schemas only when the dialog opens.
 */
import type { Warning } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { composeFile } from './compose.ts';
import { helmValues } from './helm.ts';
import { IMAGE_TAG } from './images.ts';
import { consumerConfig, consumerFile, streamConfig, streamFile } from './jetstream.ts';
import { bundleManifests } from './k8s-bundles.ts';
import { commonLabels } from './k8s-labels.ts';
import { natsManifests } from './k8s-nats.ts';
import { isDns1123Label } from './names.ts';
import type { ExportPlan } from './plan.ts';
import { planExport } from './plan.ts';
import { readme } from './readme.ts';
import type { ExportFile, ExportFormat, ExportOptions, ExportProblem, ExportResult, KubeObject, Manifest, MicrobusVersion } from './types.ts';
import { validateObject, validateTogether } from './validate.ts';
import { joinDocuments, renderManifest } from './yaml.ts';

export { COMPOSE_NATS_SERVERS, composeFile, composeJetStream, composeLiteral, composeNatsConf } from './compose.ts';
export { HELM_CHART_VERSION, HELM_REPO, helmInstallCommand, helmValues, helmValuesObject } from './helm.ts';
export { bundleImage, IMAGE_TAG, imageParts } from './images.ts';
export {
  type ConsumerConfigJson,
  consumerConfig,
  consumerFile,
  deliverGroup,
  deliverSubject,
  formatBytes,
  type JetStreamPlan,
  type PlacedStream,
  placeReplicas,
  planJetStream,
  quantityBytes,
  type ServerStore,
  type SizeBasis,
  STORE_DIR,
  STORE_HEADROOM,
  type StoreServer,
  type StreamConfigJson,
  type StreamFigures,
  storageQuantity,
  streamConfig,
  streamFile,
  UNBOUNDED_SIZING_DAYS,
} from './jetstream.ts';
export { bundleManifests, cpuQuantity, GRACE_PERIOD_S, memoryQuantity } from './k8s-bundles.ts';
export { exposureManifests } from './k8s-ingress.ts';
export {
  CLUSTER_DOMAIN,
  clusterConf,
  gatewaysInCluster,
  jetstreamConf,
  k8sNatsConf,
  NATS_IMAGE,
  NATS_ZONE_LABEL,
  natsClientUrl,
  natsManifests,
  natsMemory,
  natsZoneUrl,
  PORTS,
  svcHost,
} from './k8s-nats.ts';
export {
  DNS1035_LABEL,
  DNS1123_LABEL,
  fnv1a,
  isDns1035Label,
  isDns1123Label,
  isLabelValue,
  kubeName,
  LABEL_VALUE,
  labelValue,
  MAX_LABEL,
  microbusLocality,
  microbusV1Locality,
  type NameRule,
  Namer,
  sanitize,
  shortHash,
} from './names.ts';
export { LAME_DUCK_DURATION_S, type NatsConfInput, natsConf } from './nats-conf.ts';
export {
  type BundlePlan,
  DEFAULT_WORKING_DIR,
  type DeploymentPlan,
  type ExportPlan,
  type ExposurePlan,
  type HpaPlan,
  INGRESS_PORT,
  type NatsPlan,
  type NatsZonePlan,
  planExport,
} from './plan.ts';
export { attachJetStream, storeServers } from './plan-nats.ts';
export { type ReplicaAdvice, replicaAdvice, TARGET_UTILIZATION } from './recommendation.ts';
export {
  APP_ACCOUNT,
  bundleClientSecret,
  bundleIdentity,
  certificateRecipe,
  ingressTlsSecret,
  MICROBUS_FILES,
  MONITOR_IDENTITY,
  NATS_TLS_DIR,
  natsAccounts,
  natsTlsSecret,
  SECRET_KEYS,
  SYSTEM_ACCOUNT,
  serverCertNames,
  userOf,
} from './security.ts';
export type {
  Cloud,
  ExportFile,
  ExportFormat,
  ExportOptions,
  ExportProblem,
  ExportProfile,
  ExportResult,
  KubeObject,
  Manifest,
  MicrobusVersion,
} from './types.ts';
export { validateObject, validateTogether } from './validate.ts';
export { joinDocuments, renderDocument, renderManifest, toYamlStream } from './yaml.ts';
export { crc32, utf8, type ZipEntry, type ZipTime, zip } from './zip.ts';

export const FORMATS: readonly ExportFormat[] = ['k8s', 'helm', 'compose'];
export const PROFILES = ['quick-start', 'production'] as const;
export const MICROBUS_VERSIONS: readonly MicrobusVersion[] = ['newest', 'v1'];
/** The option names a user can get wrong (the CLI tells them from the document's problems). */
export const OPTION_PATHS = [
  'format',
  'profile',
  'microbus',
  'namespace',
  'cloud',
  'plane',
  'imagePrefix',
  'imageTag',
  'ingressHost',
  'ingressClass',
  'workingDir',
  'policy',
] as const;

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Option mistakes a user can make, each naming the option and how to fix it. */
export function checkOptions(options: ExportOptions): ExportProblem[] {
  const problems: ExportProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (options.format !== undefined && !FORMATS.includes(options.format))
    add('format', `"${options.format}" is not a format; use k8s, helm or compose`);
  if (options.profile !== undefined && !PROFILES.includes(options.profile))
    add('profile', `"${options.profile}" is not a profile; use quick-start or production`);
  if (options.profile === 'production' && options.format === 'compose')
    add('profile', 'compose is for a laptop and has no production profile; use k8s or helm for production');
  if (options.microbus !== undefined && !MICROBUS_VERSIONS.includes(options.microbus))
    add('microbus', `"${options.microbus}" is not a Microbus version; use newest (localities like us-east-1-a) or v1 (a.1.east.us)`);
  if (options.namespace !== undefined && !isDns1123Label(options.namespace))
    add(
      'namespace',
      `"${options.namespace}" is not a Kubernetes namespace name: use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63`,
    );
  if (options.cloud !== undefined && options.cloud !== 'aws' && options.cloud !== 'gcp')
    add('cloud', `"${options.cloud}" is not a cloud; use aws or gcp`);
  if (options.plane !== undefined && !/^[0-9a-zA-Z]+$/.test(options.plane))
    add('plane', `"${options.plane}" is not a Microbus plane: letters and digits only`);
  if (options.imagePrefix !== undefined && /\s/.test(options.imagePrefix))
    add('imagePrefix', `"${options.imagePrefix}" has white space; an image reference cannot`);
  if (options.imageTag !== undefined && !IMAGE_TAG.test(options.imageTag))
    add('imageTag', `"${options.imageTag}" is not an image tag: letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'`);
  if (options.ingressHost !== undefined && !HOST.test(options.ingressHost))
    add('ingressHost', `"${options.ingressHost}" is not a host name: lower-case DNS labels joined by dots, e.g. shop.example.com`);
  if (options.ingressClass !== undefined && !isDns1123Label(options.ingressClass))
    add('ingressClass', `"${options.ingressClass}" is not an IngressClass name: lower-case letters, digits and '-'`);
  if (options.workingDir !== undefined && !/^\/[^\s:]*$/.test(options.workingDir))
    add('workingDir', `"${options.workingDir}" is not an absolute path: give the image's WORKDIR, e.g. /app`);
  return problems;
}

/**
 * The streams and durable consumers as JetStream's JSON, one file each (`nats stream add
 * --config`, `nats consumer add STREAM --config`). An ephemeral consumer gets no file: the
 * service creates it when it starts, and it goes when the service does.
 */
function jetstreamFiles(doc: Topology, nats: ExportPlan['nats'], format: ExportFormat, warnings: Warning[]): ExportFile[] {
  const files: ExportFile[] = [];
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const streams = doc.streams ?? [];
  for (const s of streams) {
    // Clusters joined by gateways: the stream names the cluster that holds it (compose runs one).
    const cluster = format !== 'compose' && nats.length > 1 ? nats.find((n) => (s.cluster ?? nats[0]?.cluster.name) === n.cluster.name) : undefined;
    files.push({ path: streamFile(s), type: 'json', content: json(streamConfig(s, cluster?.name)) });
  }
  for (const [i, c] of (doc.consumers ?? []).entries()) {
    if (!c.durable) {
      warnings.push({
        code: 'ephemeral-consumer',
        path: `consumers[${i}]`,
        message: `consumer ${c.name} of ${c.stream} is ephemeral: no file is written for it; ${c.service} creates it when it starts (JetStream removes it when the service goes)`,
      });
      continue;
    }
    files.push({ path: consumerFile(c), type: 'json', content: json(consumerConfig(c)) });
  }
  return files;
}

export function exportDesign(doc: Topology, options: ExportOptions = {}): ExportResult {
  const optionProblems = checkOptions(options);
  if (optionProblems.length) return { ok: false, problems: optionProblems };
  const format = options.format ?? 'k8s';
  const plan = planExport(doc, options);
  if (plan.problems.length) return { ok: false, problems: plan.problems };
  const warnings: Warning[] = [...plan.warnings];
  const files: ExportFile[] = [];
  const problems: ExportProblem[] = [];
  const objects: KubeObject[] = [];

  const addManifests = (path: string, manifests: Manifest[]) => {
    for (const m of manifests) {
      objects.push(m.object);
      for (const p of validateObject(m.object))
        problems.push({ path: `${path}: ${m.object.kind} ${m.object.metadata.name}`, message: p, internal: true });
    }
    if (manifests.length) files.push({ path, type: 'yaml', content: joinDocuments(manifests.map(renderManifest)) });
  };

  if (format === 'compose') {
    files.push({ path: 'docker-compose.yaml', type: 'yaml', content: composeFile(plan, warnings) });
  } else {
    if (plan.namespace !== 'default')
      addManifests('namespace.yaml', [
        {
          object: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: plan.namespace, labels: commonLabels(plan, plan.namespace, 'namespace', plan.namespace) },
          },
        },
      ]);
    for (const n of plan.nats) {
      if (format === 'helm') {
        const path = `helm/${n.name}-values.yaml`;
        files.push({ path, type: 'values', content: helmValues(plan, n, path) });
      } else addManifests(`nats/${n.name}.yaml`, natsManifests(plan, n));
    }
    if (format === 'helm')
      warnings.push({
        code: 'zone-routing',
        path: 'nats',
        message:
          "the NATS chart runs one StatefulSet per cluster, so replicas reach a server of their own zone through the client Service's trafficDistribution: PreferClose, which needs Kubernetes 1.31 or later (beta, on by default; GA in 1.33) and a service proxy that honours it; older API servers refuse the field. The k8s format needs none of this: it gives each zone its own servers and Service.",
      });
    if (plan.nats.length > 1)
      warnings.push({
        code: 'gateway-addresses',
        path: 'nats',
        message: `gateways between ${plan.nats.map((n) => n.name).join(', ')} use in-cluster DNS names; if the regions run separate Kubernetes clusters, replace them with addresses each region can reach`,
      });
    for (const b of plan.bundles) addManifests(`bundles/${b.name}.yaml`, bundleManifests(plan, b));
    problems.push(...validateTogether(objects).map((p) => ({ ...p, internal: true })));
  }
  if (problems.length) return { ok: false, problems };
  files.push(...jetstreamFiles(doc, plan.nats, format, warnings));
  files.push({ path: 'README.md', type: 'text', content: readme(plan, files, [...plan.designWarnings, ...warnings]) });
  return { ok: true, format, files, designWarnings: plan.designWarnings, warnings };
}
