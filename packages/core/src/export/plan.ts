/**
 * What every exporter needs to know before writing a line: per bundle, which Deployments
 * (one per zone, or one spread over its zones), their replicas, locality, autoscaler bounds
 * and CPU target from the engine's figures, the NATS cluster each bundle talks to, and the
 * warnings a user should read. Kubernetes, Helm and compose output are all drawn from it.
 */
import { simulate } from '../engine/simulate.ts';
import type { SimulationResult, Warning } from '../engine/types.ts';
import type { BundleT, NatsClusterT, Topology } from '../schema/topology.ts';
import { isLabelValue, kubeName, labelValue, microbusLocality, Namer, sanitize } from './names.ts';
import { type ReplicaAdvice, replicaAdvice, TARGET_UTILIZATION } from './recommendation.ts';
import type { Cloud, ExportOptions } from './types.ts';

export interface HpaPlan {
  min: number;
  max: number;
  cpuPercent: number;
  /** Where the numbers come from, written into the YAML as a comment. */
  why: string;
}

export interface DeploymentPlan {
  name: string;
  /** The zone it is pinned to, or null for the spread variant. */
  zone: string | null;
  zones: string[];
  region: string;
  replicas: number;
  /** MICROBUS_LOCALITY: a locality, or `AWS`/`GCP` for the spread variant. */
  locality: string;
  hpa: HpaPlan;
  /** Busiest-replica CPU at the design's load, for the comment (0..). */
  cpuUtilization: number;
  advice: ReplicaAdvice[];
}

export interface NatsPlan {
  cluster: NatsClusterT;
  /** DNS-1035 name of the client Service and the StatefulSet (`nats`); the headless Service adds `-headless`. */
  name: string;
  region: string;
  zones: string[];
  servers: number;
  /** True when the design named no cluster for this region and the export made one up. */
  synthesized: boolean;
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

export interface ExportPlan {
  doc: Topology;
  namespace: string;
  plane: string;
  /** `app.kubernetes.io/part-of`. */
  partOf: string;
  cloud: Cloud | null;
  websocket: boolean;
  bundles: BundlePlan[];
  nats: NatsPlan[];
  result: SimulationResult;
  warnings: Warning[];
  /** Object names per kind (one Namer per kind keeps every name in the namespace distinct). */
  names: { configMap: Namer; pdb: Namer; deployment: Namer; service: Namer };
  /** Zone name → the value written in node affinity (the zone itself when it is a valid label value). */
  zoneLabel: Map<string, string>;
}

export function planExport(doc: Topology, options: ExportOptions = {}): ExportPlan {
  const warnings: Warning[] = [];
  const result = simulate(doc);
  const names = {
    configMap: new Namer(),
    pdb: new Namer(),
    deployment: new Namer(),
    // NATS clusters: the client Service, and `-headless` after it, both DNS-1035 labels.
    service: new Namer('dns1035', 54, ['', '-headless']),
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

  const nats = planNats(doc, names, warnings);
  const natsFor = (region: string) => nats.find((n) => n.region === region) ?? (nats[0] as NatsPlan);
  const advice = replicaAdvice(doc, result);

  const bundles: BundlePlan[] = doc.bundles.map((bundle, index) => {
    const name = names.configMap.name('bundle', bundle.name);
    names.pdb.name('bundle', bundle.name);
    const zones = doc.zones.map((z) => z.name).filter((z) => (bundle.replicas[z] ?? 0) > 0);
    const counts = zones.map((z) => bundle.replicas[z] ?? 0);
    const regions = [...new Set(zones.map((z) => regionOf.get(z) ?? ''))];
    const image = bundle.image ?? `${options.imagePrefix ?? ''}${name}`;
    // With a prefix the user chose the images; without one, a bare name would pull from Docker Hub.
    if (!bundle.image && !options.imagePrefix)
      warnings.push({
        code: 'no-image',
        path: `bundles[${index}].image`,
        message: `bundle ${bundle.name} has no image; using "${image}". Set its image in the design or pass an image prefix (e.g. ghcr.io/acme/).`,
      });
    if (zones.length === 0)
      warnings.push({
        code: 'no-replicas',
        path: `bundles[${index}].replicas`,
        message: `bundle ${bundle.name} has no replicas in any zone: nothing is deployed for it`,
      });
    const bundleAdvice = advice.filter((a) => a.bundle === bundle.name);
    for (const a of bundleAdvice)
      warnings.push({
        code: 'below-recommendation',
        path: a.zone ? `bundles[${index}].replicas[${JSON.stringify(a.zone)}]` : `bundles[${index}].replicas`,
        message: `bundle ${bundle.name} has ${a.design} replica${a.design === 1 ? '' : 's'}${a.zone ? ` in ${a.zone}` : ''}; the engine recommends ${a.recommended}${a.reason ? ` (${a.reason})` : ''}`,
      });

    const even = counts.length > 0 && counts.every((c) => c === counts[0]) && regions.length === 1;
    const spread = options.cloud && even;
    if (options.cloud && !even && zones.length > 0)
      warnings.push({
        code: 'uneven-spread',
        path: `bundles[${index}].replicas`,
        message: `bundle ${bundle.name} is spread ${counts.join('/')} over ${zones.join(', ')}${regions.length > 1 ? ' across regions' : ''}: kept one Deployment per zone with its own MICROBUS_LOCALITY (a spread constraint would even it out)`,
      });

    const deployments: DeploymentPlan[] = spread
      ? [
          deploymentPlan(
            doc,
            result,
            bundle,
            index,
            zones,
            null,
            names.deployment.name('bundle', bundle.name),
            (options.cloud as Cloud).toUpperCase(),
            regions[0] ?? '',
            bundleAdvice,
            warnings,
          ),
        ]
      : zones.map((zone) => {
          const region = regionOf.get(zone) ?? '';
          return deploymentPlan(
            doc,
            result,
            bundle,
            index,
            [zone],
            zone,
            names.deployment.name('bundle', bundle.name, zone),
            microbusLocality(zone, region),
            region,
            bundleAdvice.filter((a) => a.zone === null || a.zone === zone),
            warnings,
          );
        });
    const hot = deployments.filter((d) => d.cpuUtilization > 1);
    if (hot.length)
      warnings.push({
        code: 'cpu-over-request',
        path: `bundles[${index}].cpu`,
        message: `bundle ${bundle.name}: at the design's load a replica${hot.some((d) => d.zone) ? ` in ${hot.map((d) => d.zone ?? d.zones.join('/')).join(', ')}` : ''} needs ${Math.round(Math.max(...hot.map((d) => d.cpuUtilization)) * 100)} % of its ${bundle.cpu} core${bundle.cpu === 1 ? '' : 's'}: raise cpu or add replicas (the autoscaler will scale it up at once)`,
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

  return {
    doc,
    namespace: options.namespace ?? 'default',
    plane: options.plane ?? 'microbus',
    partOf: labelValue(doc.name, 'busboard'),
    cloud: options.cloud ?? null,
    websocket: options.websocket ?? false,
    bundles,
    nats,
    result,
    warnings,
    names,
    zoneLabel,
  };
}

function deploymentPlan(
  doc: Topology,
  result: SimulationResult,
  bundle: BundleT,
  index: number,
  zones: string[],
  zone: string | null,
  name: string,
  locality: string,
  region: string,
  advice: ReplicaAdvice[],
  warnings: Warning[],
): DeploymentPlan {
  const replicas = zones.reduce((n, z) => n + (bundle.replicas[z] ?? 0), 0);
  const { cpuPercent, cpuUtilization, why: cpuWhy } = cpuTarget(doc, result, bundle, zones);
  let hpa: HpaPlan;
  const a = bundle.autoscale;
  if (a) {
    const k = zones.length;
    hpa = {
      min: a.min * k,
      max: Math.max(a.max * k, a.min * k),
      cpuPercent: Math.max(1, Math.round(a.targetUtilization * 100)),
      why: `from the design's autoscale (min ${a.min}, max ${a.max} per zone${k > 1 ? `, × ${k} zones` : ''}, target ${Math.round(a.targetUtilization * 100)} %)`,
    };
    if (replicas < hpa.min || replicas > hpa.max)
      warnings.push({
        code: 'autoscale-range',
        path: `bundles[${index}].autoscale`,
        message: `bundle ${bundle.name} has ${replicas} replica${replicas === 1 ? '' : 's'}${zone ? ` in ${zone}` : ''}, outside its autoscale range ${hpa.min}–${hpa.max}: the autoscaler will move it into range`,
      });
  } else {
    hpa = { min: replicas, max: replicas * 2, cpuPercent, why: `min = the design's ${replicas}, max = twice that; ${cpuWhy}` };
    if (cpuPercent < 30)
      warnings.push({
        code: 'cpu-lagging',
        path: `bundles[${index}]`,
        message: `bundle ${bundle.name}${zone ? ` in ${zone}` : ''}: its busiest service reaches ρ ${TARGET_UTILIZATION} at only ${cpuPercent} % CPU, so CPU is a lagging signal; consider scaling on queue depth or in-flight requests (e.g. KEDA)`,
      });
  }
  return { name, zone, zones, region, replicas, locality, hpa, cpuUtilization, advice };
}

/**
 * The CPU utilization (of the request) at which the bundle's busiest service reaches the
 * engine's target ρ, at the design's mix of load: CPU per replica = Σ ρ_s·workers_s / cpu
 * (ρ·workers is the service's busy time per second), and both grow in proportion to traffic.
 * When the CPU would pass 100 % first, CPU is the constraint and the target is the same ρ.
 */
function cpuTarget(
  doc: Topology,
  result: SimulationResult,
  bundle: BundleT,
  zones: string[],
): { cpuPercent: number; cpuUtilization: number; why: string } {
  let busy = 0;
  let rhoMax = 0;
  let busiest = '';
  for (const name of bundle.services) {
    const svc = doc.services.find((s) => s.name === name);
    const r = result.services[name];
    if (!svc || !r) continue;
    const mine = r.replicasDetail.filter((d) => d.bundle === bundle.name && zones.includes(d.zone));
    const rho = mine.length ? mine.reduce((n, d) => n + d.utilization, 0) / mine.length : 0;
    busy += rho * svc.workers;
    if (rho > rhoMax) {
      rhoMax = rho;
      busiest = name;
    }
  }
  const cpu = busy / bundle.cpu;
  const target = Math.round(TARGET_UTILIZATION * 100);
  if (rhoMax <= 0 || !Number.isFinite(cpu))
    return {
      cpuPercent: target,
      cpuUtilization: 0,
      why: `CPU target ${target} % (no traffic reaches it in the design; the engine's target utilization)`,
    };
  const ratio = cpu / rhoMax;
  if (ratio >= 1)
    return {
      cpuPercent: target,
      cpuUtilization: cpu,
      why: `CPU target ${target} %: CPU (${pct(cpu)} at the design's load) fills before ${busiest}'s workers do (ρ ${rhoMax.toPrecision(2)}), so CPU is aimed at the engine's ρ ${TARGET_UTILIZATION}`,
    };
  const cpuPercent = Math.max(1, Math.round(target * ratio));
  return {
    cpuPercent,
    cpuUtilization: cpu,
    why: `CPU target ${cpuPercent} %: at the design's load CPU is ${pct(cpu)} while ${busiest} is at ρ ${rhoMax.toPrecision(2)}; ${busiest} reaches the engine's ρ ${TARGET_UTILIZATION} when CPU reaches ${cpuPercent} %`,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
}

function planNats(doc: Topology, names: ExportPlan['names'], warnings: Warning[]): NatsPlan[] {
  const regions = [...new Set(doc.zones.map((z) => z.region))];
  const clusters: { cluster: NatsClusterT; synthesized: boolean }[] = doc.nats.map((cluster) => ({ cluster, synthesized: false }));
  for (const region of regions) {
    if (clusters.some((c) => c.cluster.region === region)) continue;
    const name = regions.length > 1 ? `nats-${sanitize(region) || 'region'}` : 'nats';
    clusters.push({ cluster: { name, region, serversPerZone: 1, maxMsgsPerSecPerServer: 1_000_000 }, synthesized: true });
    warnings.push({
      code: 'no-nats',
      path: 'nats',
      message: `the design has no NATS cluster in region ${region}; exported "${name}" with one server per zone`,
    });
  }
  return clusters.map(({ cluster, synthesized }, i) => {
    const name = names.service.name('nats', cluster.name);
    const zones = doc.zones.filter((z) => z.region === cluster.region).map((z) => z.name);
    if (!zones.length && !synthesized)
      warnings.push({
        code: 'nats-region',
        path: `nats[${i}].region`,
        message: `NATS cluster ${cluster.name} is in region ${cluster.region}, where the design has no zone; exported ${cluster.serversPerZone} server${cluster.serversPerZone === 1 ? '' : 's'} without zone placement`,
      });
    return {
      cluster,
      name,
      region: cluster.region,
      zones,
      servers: cluster.serversPerZone * Math.max(1, zones.length),
      synthesized,
    };
  });
}
