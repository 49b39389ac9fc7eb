/**
 * What every exporter needs to know before writing a line: per bundle, which Deployments
 * (one per zone, or one spread over its zones), their replicas, locality, autoscaler bounds
 * and CPU target from the engine's figures, the NATS servers each Deployment talks to, which
 * bundles are exposed, and the warnings (or, for the production profile, the problems) a
 * user should read. Kubernetes, Helm and compose output are all drawn from it.
 */
import { designWarnings } from '../engine/design-warnings.ts';
import { recommend } from '../engine/recommend/index.ts';
import { simulate } from '../engine/simulate.ts';
import type { SimulationResult, Warning } from '../engine/types.ts';
import type { AutoscaleT } from '../schema/over-time.ts';
import type { BundleT, Topology } from '../schema/topology.ts';
import { cpuTarget } from './cpu-target.ts';
import { exportedAutoscalers, type HpaPlan, hpaDayWarnings, hpaFromAutoscale, suggestedHpa } from './hpa.ts';
import { bundleImage } from './images.ts';
import { isLabelValue, kubeName, labelValue, microbusLocality, microbusV1Locality, Namer } from './names.ts';
import { attachJetStream, type NatsPlan, planNats } from './plan-nats.ts';
import { type ReplicaAdvice, replicaAdvice, TARGET_UTILIZATION } from './recommendation.ts';
import type { Cloud, ExportFormat, ExportOptions, ExportProblem, ExportProfile, MicrobusVersion } from './types.ts';

export type { HpaPlan } from './hpa.ts';
export type { NatsPlan, NatsZonePlan } from './plan-nats.ts';

export interface DeploymentPlan {
  name: string;
  /** The zone it is pinned to, or null for the spread variant. */
  zone: string | null;
  zones: string[];
  region: string;
  replicas: number;
  /** MICROBUS_LOCALITY: a locality in the chosen Microbus's form, or `AWS`/`GCP` for the spread variant. */
  locality: string;
  /** Null when the export writes no autoscaler (`autoscaler: false`): the Deployment then sets `replicas`. */
  hpa: HpaPlan | null;
  /** Busiest-replica CPU at the design's load, for the comment (0..). */
  cpuUtilization: number;
  advice: ReplicaAdvice[];
}

export interface BundlePlan {
  bundle: BundleT;
  index: number;
  /** Base name: ConfigMap, PodDisruptionBudget, container, `app.kubernetes.io/name`. */
  name: string;
  image: string;
  deployments: DeploymentPlan[];
  nats: NatsPlan;
}

/** A bundle where traffic enters (it holds a `traffic[].entry`): a Service, and in production an Ingress. */
export interface ExposurePlan {
  bundle: BundlePlan;
  /** The Service's name (DNS-1035). */
  service: string;
  /** The Ingress's name, or null where none is written. */
  ingress: string | null;
  entries: string[];
}

export interface ExportPlan {
  doc: Topology;
  format: ExportFormat;
  profile: ExportProfile;
  microbus: MicrobusVersion;
  namespace: string;
  plane: string;
  /** `app.kubernetes.io/part-of`. */
  partOf: string;
  cloud: Cloud | null;
  websocket: boolean;
  autoscaler: boolean;
  bundles: BundlePlan[];
  nats: NatsPlan[];
  exposed: ExposurePlan[];
  ingressHost: string | null;
  ingressClass: string | null;
  workingDir: string;
  result: SimulationResult;
  /** The design's warnings, the list Results and the CLI show (`designWarnings`). */
  designWarnings: Warning[];
  /** What the export itself notes (images, zone labels, gateways): not about capacity. */
  warnings: Warning[];
  /** What the production profile cannot do without (an image tag, an ingress host). */
  problems: ExportProblem[];
  /** Object names per kind (one Namer per kind keeps every name in the namespace distinct). */
  names: { configMap: Namer; pdb: Namer; deployment: Namer; service: Namer; ingress: Namer; secret: Namer };
  /** Zone name → the value written in node affinity (the zone itself when it is a valid label value). */
  zoneLabel: Map<string, string>;
}

/** Microbus's HTTP ingress listens on :8080 unless configured otherwise. */
export const INGRESS_PORT = 8080;
export const DEFAULT_WORKING_DIR = '/app';

export function planExport(doc: Topology, options: ExportOptions = {}): ExportPlan {
  const warnings: Warning[] = [];
  const problems: ExportProblem[] = [];
  const result = simulate(doc);
  const format = options.format ?? 'k8s';
  const profile = options.profile ?? 'quick-start';
  const microbus = options.microbus ?? 'newest';
  const autoscaler = options.autoscaler ?? true;
  const autoscales = exportedAutoscalers(doc, options.policy, problems);
  const names = {
    configMap: new Namer(),
    pdb: new Namer(),
    deployment: new Namer(),
    // Services (NATS clusters and their zones, exposed bundles): the name and `-headless` after it, DNS-1035.
    service: new Namer('dns1035', 54, ['', '-headless']),
    ingress: new Namer(),
    secret: new Namer('dns1123', 53),
  };
  const regionOf = new Map(doc.zones.map((z) => [z.name, z.region]));
  const zoneLabel = new Map<string, string>();
  doc.zones.forEach((z, i) => {
    if (isLabelValue(z.name)) zoneLabel.set(z.name, z.name);
    else {
      const v = kubeName([z.name]);
      zoneLabel.set(z.name, v);
      warnings.push({
        code: 'zone-label',
        path: `zones[${i}].name`,
        message: `zone "${z.name}" is not a Kubernetes label value; the manifests pin to nodes labelled topology.kubernetes.io/zone=${v}. Rename the zone to your nodes' zone label.`,
      });
    }
  });

  const nats = planNats(doc, names.service, warnings);
  // Compose runs its own three servers for every region: compose.ts sizes JetStream for them.
  if (format !== 'compose') attachJetStream(doc, nats, result.async?.streams ?? {}, warnings);
  const natsFor = (region: string) => nats.find((n) => n.region === region) ?? (nats[0] as NatsPlan);
  const recommendation = recommend(doc);
  const advice = replicaAdvice(doc, result, recommendation);
  const locality = (zone: string, region: string) => {
    const hyphen = microbusLocality(zone, region);
    return microbus === 'v1' ? microbusV1Locality(hyphen) : hyphen;
  };

  const bundles: BundlePlan[] = doc.bundles.map((bundle, index) => {
    const name = names.configMap.name('bundle', bundle.name);
    names.pdb.name('bundle', bundle.name);
    const zones = doc.zones.map((z) => z.name).filter((z) => (bundle.replicas[z] ?? 0) > 0);
    const counts = zones.map((z) => bundle.replicas[z] ?? 0);
    const regions = [...new Set(zones.map((z) => regionOf.get(z) ?? ''))];
    const image = bundleImage(bundle, index, name, options, warnings, problems);
    if (zones.length === 0)
      warnings.push({
        code: 'no-replicas',
        path: `bundles[${index}].replicas`,
        message: `bundle ${bundle.name} has no replicas in any zone: nothing is deployed for it`,
      });
    const bundleAdvice = advice.filter((a) => a.bundle === bundle.name);

    const even = counts.length > 0 && counts.every((c) => c === counts[0]) && regions.length === 1;
    const spread = options.cloud !== undefined && even && format !== 'compose';
    if (options.cloud && !even && zones.length > 0 && format !== 'compose')
      warnings.push({
        code: 'uneven-spread',
        path: `bundles[${index}].replicas`,
        message: `bundle ${bundle.name} is spread ${counts.join('/')} over ${zones.join(', ')}${regions.length > 1 ? ' across regions' : ''}: kept one Deployment per zone with its own MICROBUS_LOCALITY (a spread constraint would even it out)`,
      });

    const context = { doc, result, bundle, index, autoscaler, warnings, autoscale: autoscales[index] ?? null, policy: options.policy ?? null };
    const deployments: DeploymentPlan[] = spread
      ? [
          deploymentPlan(context, {
            zones,
            zone: null,
            name: names.deployment.name('bundle', bundle.name),
            locality: (options.cloud as Cloud).toUpperCase(),
            region: regions[0] ?? '',
            advice: bundleAdvice,
          }),
        ]
      : zones.map((zone) => {
          const region = regionOf.get(zone) ?? '';
          return deploymentPlan(context, {
            zones: [zone],
            zone,
            name: names.deployment.name('bundle', bundle.name, zone),
            locality: locality(zone, region),
            region,
            advice: bundleAdvice.filter((a) => a.zone === zone),
          });
        });
    const hot = deployments.filter((d) => d.cpuUtilization > 1);
    if (hot.length)
      warnings.push({
        code: 'cpu-over-request',
        path: `bundles[${index}].cpu`,
        message: `bundle ${bundle.name}: at the design's load a replica${hot.some((d) => d.zone) ? ` in ${hot.map((d) => d.zone ?? d.zones.join('/')).join(', ')}` : ''} needs ${Math.round(Math.max(...hot.map((d) => d.cpuUtilization)) * 100)} % of its ${bundle.cpu} core${bundle.cpu === 1 ? '' : 's'}: raise cpu or add replicas${autoscaler ? ' (the autoscaler will scale it up at once)' : ''}`,
      });
    const a = autoscales[index];
    const perZone = deployments.filter((d) => d.zone !== null);
    if (a && autoscaler && perZone.length > 1 && format !== 'compose')
      warnings.push({
        code: 'autoscale-per-zone',
        path: `bundles[${index}].autoscale`,
        message: `bundle ${bundle.name}'s autoscale bounds (min ${a.min}, max ${a.max}) apply to each of its ${perZone.length} zones' Deployments: ${a.min * perZone.length}–${a.max * perZone.length} replicas in total`,
      });
    return { bundle, index, name, image, deployments, nats: natsFor(regions[0] ?? nats[0]?.region ?? '') };
  });

  for (const b of bundles) {
    const foreign = b.deployments.filter((d) => d.region !== b.nats.region);
    if (foreign.length)
      warnings.push({
        code: 'cross-region-bundle',
        path: `bundles[${b.index}].replicas`,
        message: `bundle ${b.bundle.name} runs in several regions; its ConfigMap points at NATS cluster ${b.nats.name}, and each Deployment outside ${b.nats.region} overrides MICROBUS_NATS with its own region's cluster`,
      });
  }

  const exposed = planExposure(doc, bundles, names, options, format, profile, warnings, problems);
  cloudAndImageWarnings(bundles, options, format, warnings);
  if (autoscaler && format !== 'compose' && !problems.some((p) => p.path === 'policy'))
    warnings.push(...hpaDayWarnings(doc, bundles, autoscales, options.policy));

  return {
    doc,
    format,
    profile,
    microbus,
    namespace: options.namespace ?? 'default',
    plane: options.plane ?? 'microbus',
    partOf: labelValue(doc.name, 'busboard'),
    cloud: options.cloud ?? null,
    websocket: options.websocket ?? false,
    autoscaler,
    bundles,
    nats,
    exposed,
    ingressHost: options.ingressHost ?? null,
    ingressClass: options.ingressClass ?? null,
    workingDir: options.workingDir ?? DEFAULT_WORKING_DIR,
    result,
    designWarnings: designWarnings(doc, result, recommendation),
    warnings,
    problems,
    names,
    zoneLabel,
  };
}

/** The bundles holding a traffic entry, busiest first: each gets a Service; the busiest, in production, the Ingress. */
function planExposure(
  doc: Topology,
  bundles: BundlePlan[],
  names: ExportPlan['names'],
  options: ExportOptions,
  format: ExportFormat,
  profile: ExportProfile,
  warnings: Warning[],
  problems: ExportProblem[],
): ExposurePlan[] {
  if (format === 'compose') return [];
  const rps = new Map<BundlePlan, { rps: number; entries: Set<string> }>();
  for (const t of doc.traffic) {
    const b = bundles.find((x) => x.bundle.services.includes(t.entry));
    if (!b?.deployments.length) continue;
    const seen = rps.get(b) ?? { rps: 0, entries: new Set<string>() };
    seen.rps += t.rps;
    seen.entries.add(t.entry);
    rps.set(b, seen);
  }
  const ranked = [...rps].sort((x, y) => y[1].rps - x[1].rps);
  const production = profile === 'production';
  if (production && ranked.length && !options.ingressHost)
    problems.push({
      path: 'ingressHost',
      message: `the production profile exposes bundle ${ranked[0]?.[0].bundle.name} through an Ingress: give the host name it answers for (e.g. shop.example.com)`,
    });
  if (production && ranked.length > 1)
    warnings.push({
      code: 'several-ingress-bundles',
      path: 'traffic',
      message: `traffic enters at ${ranked.length} bundles (${ranked.map(([b]) => b.bundle.name).join(', ')}); the Ingress routes ${options.ingressHost ?? 'its host'} to ${ranked[0]?.[0].bundle.name}, the busiest; the others get a Service only`,
    });
  return ranked.map(([bundle, seen], i) => ({
    bundle,
    service: names.service.name('bundle', bundle.bundle.name),
    ingress: production && i === 0 && options.ingressHost ? names.ingress.name('bundle', bundle.bundle.name) : null,
    entries: [...seen.entries],
  }));
}

function cloudAndImageWarnings(bundles: BundlePlan[], options: ExportOptions, format: ExportFormat, warnings: Warning[]): void {
  if (!bundles.length) return;
  const spread = bundles.filter((b) => b.deployments.some((d) => d.zone === null));
  if (options.cloud && spread.length)
    warnings.push({
      code: 'cloud-metadata',
      path: 'cloud',
      message:
        options.cloud === 'aws'
          ? `MICROBUS_LOCALITY=AWS (bundles ${spread.map((b) => b.bundle.name).join(', ')}): at start-up Microbus asks the EC2 metadata service (169.254.169.254) for its zone with a plain IMDSv1 GET. It fails, and the replica crash-loops, on nodes that require IMDSv2, on Fargate (no metadata service), or where a NetworkPolicy or the hop limit blocks it; export without --cloud to pin each zone's Deployment and write its locality instead.`
          : `MICROBUS_LOCALITY=GCP (bundles ${spread.map((b) => b.bundle.name).join(', ')}): at start-up Microbus asks the metadata server (metadata.google.internal) for its zone. It fails, and the replica crash-loops, where a NetworkPolicy blocks the metadata server; export without --cloud to pin each zone's Deployment and write its locality instead.`,
    });
  if (format !== 'compose' && spread.length)
    warnings.push({
      code: 'zone-routing',
      path: 'cloud',
      message: `spread Deployments (${spread.map((b) => b.bundle.name).join(', ')}) reach a NATS server of their own zone through the client Service's trafficDistribution: PreferClose, which needs Kubernetes 1.31 or later (beta, on by default; GA in 1.33) and a service proxy that honours it; older API servers refuse the field`,
    });
  warnings.push({
    code: 'env-yaml',
    path: 'bundles',
    message:
      "Microbus reads an env.yaml in its working directory (or any directory above it) and lets it override the pod's environment: an image with one baked in ignores the MICROBUS_NATS, MICROBUS_LOCALITY and MICROBUS_PLANE this export sets. Build the images without it.",
  });
}

interface DeploymentContext {
  doc: Topology;
  result: SimulationResult;
  bundle: BundleT;
  index: number;
  autoscaler: boolean;
  warnings: Warning[];
  /** The autoscaler exported (the chosen policy's, or the bundle's own). */
  autoscale: AutoscaleT | null;
  policy: string | null;
}

function deploymentPlan(
  { doc, result, bundle, index, autoscaler, warnings, autoscale: a, policy }: DeploymentContext,
  d: { zones: string[]; zone: string | null; name: string; locality: string; region: string; advice: ReplicaAdvice[] },
): DeploymentPlan {
  const { zones, zone } = d;
  const replicas = zones.reduce((n, z) => n + (bundle.replicas[z] ?? 0), 0);
  const { cpuPercent, cpuUtilization, why: cpuWhy } = cpuTarget(doc, result, bundle, zones);
  let hpa: HpaPlan | null = null;
  if (autoscaler && a) {
    hpa = hpaFromAutoscale(a, zones.length, policy);
    if (replicas < hpa.min || replicas > hpa.max)
      warnings.push({
        code: 'autoscale-range',
        path: `bundles[${index}].autoscale`,
        message: `bundle ${bundle.name} has ${replicas} replica${replicas === 1 ? '' : 's'}${zone ? ` in ${zone}` : ''}, outside its autoscale range ${hpa.min}–${hpa.max}: the autoscaler will move it into range`,
      });
  } else if (autoscaler) {
    hpa = suggestedHpa(replicas, cpuPercent, cpuWhy);
    if (cpuPercent < 30)
      warnings.push({
        code: 'cpu-lagging',
        path: `bundles[${index}]`,
        message: `bundle ${bundle.name}${zone ? ` in ${zone}` : ''}: its busiest service reaches ρ ${TARGET_UTILIZATION} at only ${cpuPercent} % CPU, so CPU is a lagging signal; consider scaling on queue depth or in-flight requests (e.g. KEDA)`,
      });
  }
  return { name: d.name, zone, zones, region: d.region, replicas, locality: d.locality, hpa, cpuUtilization, advice: d.advice };
}
