import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../examples/index.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { type ExportFormat, type ExportOptions, exportDesign, type KubeObject, validateObject } from './index.ts';

function parsed(input: TopologyInput): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

/** Every Kubernetes object in the export, read back from the YAML text (as kubectl would). */
function objects(doc: Topology, options: ExportOptions = {}): KubeObject[] {
  const r = exportDesign(doc, options);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  const out: KubeObject[] = [];
  for (const f of r.files.filter((f) => f.type === 'yaml')) {
    for (const d of parseAllDocuments(f.content)) {
      expect(d.errors, f.path).toEqual([]);
      out.push(d.toJS() as KubeObject);
    }
  }
  return out;
}

const affinityZones = (o: any): string[] =>
  o.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values;
const env = (o: any) => Object.fromEntries(o.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

describe('Kubernetes export of every example', () => {
  for (const ex of EXAMPLES) {
    for (const format of ['k8s', 'helm'] as ExportFormat[]) {
      it(`${ex.id} (${format}): every document parses and validates; replicas per bundle and zone equal the design; every zone targeted; HPA bounds`, () => {
        const doc = parsed(ex.doc);
        const objs = objects(doc, { format, namespace: 'shop-prod', imagePrefix: 'ghcr.io/acme/' });
        for (const o of objs) expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
        const deployments = objs.filter((o) => o.kind === 'Deployment');
        const hpas = objs.filter((o) => o.kind === 'HorizontalPodAutoscaler');
        const targeted = new Set<string>();
        for (const b of doc.bundles) {
          for (const [zone, n] of Object.entries(b.replicas)) {
            const mine = deployments.filter((d) => d.metadata.annotations?.['busboard.dev/bundle'] === b.name && affinityZones(d).includes(zone));
            if (n === 0) {
              expect(mine).toHaveLength(0);
              continue;
            }
            expect(mine, `${b.name} in ${zone}`).toHaveLength(1);
            const d = mine[0] as any;
            // The autoscaler owns the count: no spec.replicas for kubectl apply to reset.
            expect(d.spec.replicas).toBeUndefined();
            expect(affinityZones(d)).toEqual([zone]);
            expect(env(d).MICROBUS_LOCALITY).toMatch(/^[a-z0-9-]+$/);
            expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
            expect(d.spec.template.spec.containers[0].readinessProbe).toBeUndefined();
            expect(d.spec.template.spec.containers[0].image).toBe(b.image ?? `ghcr.io/acme/${b.name}`);
            // Each replica connects to its own zone's NATS servers (k8s), or the cluster's client Service (helm).
            expect(env(d).MICROBUS_NATS).toBe(format === 'k8s' ? `nats://nats-${zone}.shop-prod.svc.cluster.local:4222` : undefined);
            targeted.add(zone);
            const hpa = hpas.find((h) => h.metadata.name === d.metadata.name) as any;
            expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
            if (b.autoscale) {
              expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([b.autoscale.min, b.autoscale.max]);
              expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(Math.round(b.autoscale.targetUtilization * 100));
            } else expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([n, 2 * n]);
            expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
            expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
          }
          const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === b.name) as any;
          expect(cm.data).toEqual({
            MICROBUS_NATS: 'nats://nats.shop-prod.svc.cluster.local:4222',
            MICROBUS_PLANE: 'microbus',
            MICROBUS_DEPLOYMENT: 'PROD',
          });
          expect(objs.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.labels?.['app.kubernetes.io/name'] === b.name)).toHaveLength(1);
        }
        const used = doc.zones.filter((z) => doc.bundles.some((b) => (b.replicas[z.name] ?? 0) > 0)).map((z) => z.name);
        expect([...targeted].sort()).toEqual(used.sort());
        expect(hpas).toHaveLength(deployments.length);
        expect(objs.find((o) => o.kind === 'Namespace')?.metadata.name).toBe('shop-prod');
        if (format === 'k8s') {
          // One StatefulSet per zone, pinned to it, behind that zone's own Service.
          const nats = doc.nats[0];
          const natsZones = doc.zones.filter((z) => z.region === nats?.region).map((z) => z.name);
          const sets = objs.filter((o) => o.kind === 'StatefulSet') as any[];
          expect(sets.map((x) => x.metadata.name)).toEqual(natsZones.map((z) => `nats-${z}`));
          const conf = (objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config') as any).data['nats.conf'] as string;
          for (const [k, sts] of sets.entries()) {
            expect(sts.spec.replicas).toBe(nats?.serversPerZone ?? 1);
            expect(affinityZones(sts)).toEqual([natsZones[k]]);
            for (let i = 0; i < sts.spec.replicas; i++)
              expect(conf).toContain(`nats-route://${sts.metadata.name}-${i}.nats-headless.shop-prod.svc.cluster.local:6222`);
            const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === sts.metadata.name) as any;
            expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
            expect(sts.spec.template.metadata.labels).toMatchObject(sts.spec.selector.matchLabels);
          }
          expect(objs.find((o) => o.kind === 'Service' && o.metadata.name === 'nats-headless')?.spec).toMatchObject({ clusterIP: 'None' });
          // No spread Deployment: no trafficDistribution, so clusters that do not know the field accept the files.
          expect((objs.find((o) => o.kind === 'Service' && o.metadata.name === 'nats') as any).spec.trafficDistribution).toBeUndefined();
        }
      });
    }
  }

  it('helm values: servers per zone, routes by the chart, monitoring, websocket when asked', () => {
    const doc = parsed(EXAMPLES[0]!.doc);
    const r = exportDesign(doc, { format: 'helm', websocket: true });
    if (!r.ok) throw new Error('refused');
    const values = parseAllDocuments(r.files.find((f) => f.path === 'helm/nats-values.yaml')!.content)[0]!.toJS();
    expect(values.fullnameOverride).toBe('nats');
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.monitor).toEqual({ enabled: true, port: 8222 });
    expect(values.config.websocket).toEqual({ enabled: true, port: 8080 });
    expect(values.config.gateway).toBeUndefined();
    expect(values.podTemplate.topologySpreadConstraints['topology.kubernetes.io/zone']).toEqual({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' });
  });

  it('two regions: one cluster each, joined by gateways that name each other', () => {
    const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')!.doc);
    input.zones = [...input.zones, { name: 'eu-west-1a', region: 'eu-west-1' }];
    input.nats = [...(input.nats ?? []), { name: 'nats-eu', region: 'eu-west-1', serversPerZone: 2 }];
    input.bundles![0]!.replicas['eu-west-1a'] = 2;
    const doc = parsed(input);
    const objs = objects(doc);
    const confs = objs
      .filter((o) => o.kind === 'ConfigMap' && String(o.metadata.name).endsWith('-config'))
      .map((o: any) => o.data['nats.conf'] as string);
    expect(confs).toHaveLength(2);
    expect(confs[0]).toMatch(/gateways: \[\n {4}\{ name: "nats-eu", urls: \["nats:\/\/nats-eu-headless\.default\.svc\.cluster\.local:7222"\] \}/);
    expect(confs[1]).toContain('{ name: "nats", urls: ["nats://nats-headless.default.svc.cluster.local:7222"] }');
    expect((objs.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'nats-eu-eu-west-1a') as any).spec.replicas).toBe(2);
    const euEdge = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'edge-eu-west-1a') as any;
    expect(env(euEdge).MICROBUS_NATS).toBe('nats://nats-eu-eu-west-1a.default.svc.cluster.local:4222');
    const r = exportDesign(doc);
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['gateway-addresses', 'cross-region-bundle']));
  });
});

describe('--cloud: one spread Deployment where the spread is even', () => {
  it('spreads an even bundle with MICROBUS_LOCALITY=AWS and keeps an uneven one per zone, saying why', () => {
    const doc = parsed(EXAMPLES.find((e) => e.id === 'microbus-shop')!.doc);
    const r = exportDesign(doc, { cloud: 'aws' });
    if (!r.ok) throw new Error('refused');
    const objs = objects(doc, { cloud: 'aws' });
    const ingress = objs.filter((o) => o.kind === 'Deployment' && o.metadata.annotations?.['busboard.dev/bundle'] === 'ingress') as any[];
    expect(ingress).toHaveLength(1);
    expect(ingress[0].spec.replicas).toBeUndefined();
    expect(env(ingress[0]).MICROBUS_LOCALITY).toBe('AWS');
    expect(ingress[0].spec.template.spec.topologySpreadConstraints[0]).toMatchObject({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
    });
    expect(affinityZones(ingress[0]).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    // The spread Deployment uses the all-zones Service, which keeps connections in the zone.
    expect(env(ingress[0]).MICROBUS_NATS).toBeUndefined();
    expect((objs.find((o) => o.kind === 'Service' && o.metadata.name === 'nats') as any).spec.trafficDistribution).toBe('PreferClose');
    const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'ingress') as any;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([6, 12]);
    // The shop bundle runs 3/3/2: a spread constraint would even it out, so it stays per zone.
    const shop = objs.filter((o) => o.kind === 'Deployment' && o.metadata.annotations?.['busboard.dev/bundle'] === 'shop') as any[];
    const min = (d: any) => (objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === d.metadata.name) as any).spec.minReplicas;
    expect(shop.map((d) => [affinityZones(d)[0], min(d)])).toEqual([
      ['us-east-1a', 3],
      ['us-east-1b', 3],
      ['us-east-1c', 2],
    ]);
    expect(r.warnings.find((w) => w.code === 'uneven-spread')?.path).toBe('bundles[1].replicas');
  });

  it('gcp: spread autoscale bounds are per zone times the zones', () => {
    const doc = parsed(EXAMPLES.find((e) => e.id === 'flow8-tier')!.doc);
    const objs = objects(doc, { cloud: 'gcp' });
    const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'flow8') as any;
    expect(env(d).MICROBUS_LOCALITY).toBe('GCP');
    const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'flow8') as any;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([6, 18]);
  });
});

/** One service, one replica in one zone: ρ = λ·s/c and CPU = λ·s/cpu, by hand. */
function single(rps: number, cpu: number): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    name: 'single',
    zones: [{ name: 'z1', region: 'r1' }],
    services: [{ name: 'work.example', serviceTimeMs: 10, workers: 1 }],
    bundles: [{ name: 'work', services: ['work.example'], replicas: { z1: 1 }, cpu, memoryMiB: 128 }],
    traffic: [{ entry: 'work.example', rps }],
  };
}

describe('the engine’s figures in the export', () => {
  it('CPU target: the CPU at which the busiest service reaches ρ 0.7', () => {
    // 50 req/s × 10 ms on 1 worker: ρ 0.5; on 2 cores CPU is 25 %: ρ 0.7 comes at CPU 35 %.
    const two = objects(parsed(single(50, 2))).find((o) => o.kind === 'HorizontalPodAutoscaler') as any;
    expect(two.spec.metrics[0].resource.target.averageUtilization).toBe(35);
    // On 4 cores CPU is 12.5 %: ρ 0.7 at 17.5 % → 18, and CPU is flagged as a lagging signal.
    const four = parsed(single(50, 4));
    expect((objects(four).find((o) => o.kind === 'HorizontalPodAutoscaler') as any).spec.metrics[0].resource.target.averageUtilization).toBe(18);
    const r = exportDesign(four);
    expect(r.ok && r.warnings.find((w) => w.code === 'cpu-lagging')?.path).toBe('bundles[0]');
    // Half a core: CPU (100 %) fills before the worker (ρ 0.5), so CPU itself is aimed at 70 %.
    expect(
      (objects(parsed(single(50, 0.5))).find((o) => o.kind === 'HorizontalPodAutoscaler') as any).spec.metrics[0].resource.target.averageUtilization,
    ).toBe(70);
  });

  it('warns, in the result and in the YAML, where the design has fewer replicas than the engine recommends', () => {
    const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')!.doc);
    // 600 rps: the shop's lone replica in us-west-2a takes all 600 (pricing alone needs 5).
    input.traffic = [{ entry: 'edge.checkout', rps: 600 }];
    input.bundles![1]!.replicas = { 'us-west-2a': 1, 'us-west-2b': 0, 'us-west-2c': 0 };
    const r = exportDesign(parsed(input));
    if (!r.ok) throw new Error('refused');
    const below = r.designWarnings.filter((w) => w.code === 'below-recommendation' && w.path.startsWith('bundles[1].'));
    // The recommendation keeps to the zones a bundle already uses: only us-west-2a is named.
    expect(below.map((w) => w.path)).toEqual(['bundles[1].replicas["us-west-2a"]']);
    expect(below[0]!.message).toMatch(/^bundle shop has 1 replica in us-west-2a; the engine recommends \d+/);
    const recommended = Number(/the engine recommends (\d+)/.exec(below[0]!.message)?.[1]);
    expect(recommended).toBeGreaterThan(1);
    const yaml = r.files.find((f) => f.path === 'bundles/shop.yaml')!.content;
    expect(yaml).toMatch(/# WARNING: the design has 1 replica .*the engine recommends \d+/);
  });

  it('no such warning where the design has plenty', () => {
    const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')!.doc);
    input.traffic = [{ entry: 'edge.checkout', rps: 1 }];
    input.slo = [];
    for (const b of input.bundles!) b.replicas = { 'us-west-2a': 5, 'us-west-2b': 5, 'us-west-2c': 5 };
    const r = exportDesign(parsed(input));
    expect(r.ok && [...r.designWarnings, ...r.warnings].filter((w) => w.code === 'below-recommendation')).toEqual([]);
  });
});

describe('options', () => {
  it('refuses a bad namespace, cloud or plane, naming the option and the fix', () => {
    const doc = parsed(EXAMPLES[0]!.doc);
    const r = exportDesign(doc, { namespace: 'My NS', cloud: 'azure' as never, plane: 'my plane' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['namespace', 'cloud', 'plane']);
    expect(r.problems[0]!.message).toContain('lower-case letters');
  });

  it('warns when a bundle has no image and no prefix was given', () => {
    const r = exportDesign(parsed(EXAMPLES[0]!.doc));
    expect(r.ok && r.warnings.filter((w) => w.code === 'no-image').map((w) => w.path)).toEqual([
      'bundles[0].image',
      'bundles[1].image',
      'bundles[2].image',
    ]);
  });
});

describe('CPU beyond the request', () => {
  it('warns where a replica needs more CPU than it asks for at the design’s load', () => {
    // 150 req/s × 10 ms = 1.5 cores of work on a 1-core replica (3 workers keep ρ at 0.5).
    const input = single(150, 1);
    input.services![0]!.workers = 3;
    const r = exportDesign(parsed(input));
    if (!r.ok) throw new Error('refused');
    expect(r.warnings.find((w) => w.code === 'cpu-over-request')?.message).toContain('needs 150 % of its 1 core');
    expect(r.files.find((f) => f.path === 'bundles/work.yaml')?.content).toContain('150 % of 1 core (WARNING: more than its request)');
  });
});

describe('designs that leave things out', () => {
  it('no NATS cluster in the design: one is exported for the region, and the user is told', () => {
    const input = single(10, 1);
    const r = exportDesign(parsed(input));
    if (!r.ok) throw new Error('refused');
    expect(r.warnings.find((w) => w.code === 'no-nats')?.message).toContain('exported "nats" with one server per zone');
    const sts = objects(parsed(input)).find((o) => o.kind === 'StatefulSet') as any;
    expect([sts.metadata.name, sts.spec.replicas]).toEqual(['nats-z1', 1]);
  });

  it('replicas outside the autoscale range: the HPA keeps the range and the export says it will move them', () => {
    const input = single(10, 1);
    input.bundles![0]!.autoscale = { min: 2, max: 4, targetUtilization: 0.5 };
    const r = exportDesign(parsed(input));
    expect(r.ok && r.warnings.find((w) => w.code === 'autoscale-range')?.message).toBe(
      'bundle work has 1 replica in z1, outside its autoscale range 2–4: the autoscaler will move it into range',
    );
    const hpa = objects(parsed(input)).find((o) => o.kind === 'HorizontalPodAutoscaler') as any;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization]).toEqual([2, 4, 50]);
  });
});
