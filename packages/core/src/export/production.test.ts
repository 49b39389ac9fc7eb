/**
 * The production profile: every object valid against the Kubernetes schemas, NATS with TLS
 * and accounts passing `nats-server -t` with certificates made by the README's own openssl
 * recipe, bundles reading their certificate files where Microbus looks, the ingress bundle
 * published, images pinned, and every missing input refused with the option to set.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkConf } from '../../test/support/nats-servers.ts';
import { EXAMPLES } from '../examples/index.ts';
import { ordersEvents } from '../examples/orders-events.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import {
  certificateRecipe,
  type ExportOptions,
  exportDesign,
  HELM_CHART_VERSION,
  helmValuesObject,
  type KubeObject,
  planExport,
  validateObject,
  validateTogether,
} from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'busboard-production-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCTION: ExportOptions = {
  profile: 'production',
  namespace: 'shop',
  imagePrefix: 'ghcr.io/acme/',
  imageTag: '1.4.2',
  ingressHost: 'shop.example.com',
  ingressClass: 'nginx',
};

function parsed(input: TopologyInput | undefined): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
const example = (id: string) => parsed(EXAMPLES.find((e) => e.id === id)?.doc);

function exported(doc: Topology, options: ExportOptions) {
  const r = exportDesign(doc, options);
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  const objects = r.files.filter((f) => f.type === 'yaml').flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as KubeObject));
  return { ...r, objects };
}

describe('production profile: Kubernetes', () => {
  for (const ex of EXAMPLES)
    it(`${ex.id}: valid objects, NATS with TLS and accounts, certificate files where Microbus reads them, an Ingress`, () => {
      const doc = parsed(ex.doc);
      const { objects, files } = exported(doc, PRODUCTION);
      for (const o of objects) expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
      expect(validateTogether(objects)).toEqual([]);

      const conf = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config') as any).data['nats.conf'] as string;
      expect(conf).toMatch(
        /^tls \{\n {2}cert_file: "\/etc\/nats-tls\/tls\.crt"\n {2}key_file: "\/etc\/nats-tls\/tls\.key"\n {2}ca_file: "\/etc\/nats-tls\/ca\.crt"\n {2}verify_and_map: true/m,
      );
      for (const b of doc.bundles) expect(conf).toContain(`{ user: "CN=${b.name}" }`);
      expect(conf).toContain('SYS: { users: [ { user: "CN=busboard-monitor" } ] }');
      expect(conf).toContain('system_account: SYS');
      const sets = objects.filter((o) => o.kind === 'StatefulSet') as any[];
      for (const s of sets) {
        expect(s.spec.template.spec.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'nats-tls' } });
        expect(s.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/nats-tls', readOnly: true });
      }

      for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) {
        const bundle = d.metadata.annotations['busboard.dev/bundle'];
        const pod = d.spec.template.spec;
        expect(pod.volumes).toEqual([{ name: 'nats-client', secret: { secretName: `${bundle}-nats-client` } }]);
        expect(pod.containers[0].volumeMounts).toEqual([
          { name: 'nats-client', mountPath: '/app/ca.pem', subPath: 'ca.crt', readOnly: true },
          { name: 'nats-client', mountPath: '/app/cert.pem', subPath: 'tls.crt', readOnly: true },
          { name: 'nats-client', mountPath: '/app/key.pem', subPath: 'tls.key', readOnly: true },
        ]);
        expect(pod.containers[0].image).toBe(`ghcr.io/acme/${bundle}:1.4.2`);
      }

      const entry = doc.bundles.find((b) => b.services.includes(doc.traffic[0]?.entry ?? ''));
      const ingress = objects.find((o) => o.kind === 'Ingress') as any;
      expect(ingress.spec).toEqual({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['shop.example.com'], secretName: `${entry?.name}-ingress-tls` }],
        rules: [
          {
            host: 'shop.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: entry?.name, port: { name: 'http' } } } }] },
          },
        ],
      });
      const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === entry?.name) as any;
      expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http' }]);
      const entryPods = objects.filter((o) => o.kind === 'Deployment' && o.metadata.annotations?.['busboard.dev/bundle'] === entry?.name) as any[];
      for (const d of entryPods) {
        expect(d.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
        expect(d.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080 }]);
      }
      const readme = files.find((f) => f.path === 'README.md')?.content ?? '';
      expect(readme).toContain('kubectl -n shop create secret generic nats-tls --from-file=tls.crt=nats.crt');
    });

  it('the nats.conf passes nats-server -t with certificates made by the README recipe', () => {
    const doc = example('microbus-shop');
    const plan = planExport(doc, PRODUCTION);
    const certs = join(dir, 'certs');
    execSync(`mkdir -p ${certs}`);
    for (const line of certificateRecipe(plan))
      if (line.startsWith('openssl') || line.startsWith('printf')) execSync(line, { cwd: certs, stdio: 'pipe' });
    for (const websocket of [false, true]) {
      const r = exported(doc, { ...PRODUCTION, websocket });
      const conf = (r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config') as any).data['nats.conf'] as string;
      // The Secret's files, where the pod mounts them, are the recipe's files here.
      const local = conf
        .replaceAll('/etc/nats-tls/tls.crt', join(certs, 'nats.crt'))
        .replaceAll('/etc/nats-tls/tls.key', join(certs, 'nats.key'))
        .replaceAll('/etc/nats-tls/ca.crt', join(certs, 'ca.crt'));
      const file = join(dir, `production-${websocket}.conf`);
      writeFileSync(file, local);
      const t = checkConf(file, { SERVER_NAME: 'nats-us-east-1a-0' });
      expect(t.status, `${t.stderr}\n${local}`).toBe(0);
    }
    // The server certificate names every Service the bundles and routes dial.
    const san = execSync(`openssl x509 -in ${join(certs, 'nats.crt')} -noout -ext subjectAltName,extendedKeyUsage`, { encoding: 'utf8' });
    for (const name of ['nats.shop.svc.cluster.local', 'nats-us-east-1a.shop.svc.cluster.local', '*.nats-headless.shop.svc.cluster.local'])
      expect(san).toContain(`DNS:${name}`);
    expect(san).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(readFileSync(join(certs, 'client-shop.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('two regions: gateways run TLS too, and the conf passes -t', () => {
    const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc) as TopologyInput;
    input.zones = [...(input.zones ?? []), { name: 'eu-west-1a', region: 'eu-west-1' }];
    input.nats = [...(input.nats ?? []), { name: 'nats-eu', region: 'eu-west-1', serversPerZone: 1 }];
    const r = exported(parsed(input), PRODUCTION);
    const conf = (r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-eu-config') as any).data['nats.conf'] as string;
    expect(conf).toMatch(/gateway \{\n {2}name: "nats-eu"\n {2}listen: "0\.0\.0\.0:7222"\n {2}tls \{/);
  });
});

describe('production profile: what it refuses', () => {
  it('an image without a tag, a latest tag, or no image at all; and no ingress host', () => {
    const doc = example('checkout');
    const r = exportDesign(doc, { profile: 'production' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['bundles[0].image', 'bundles[1].image', 'bundles[2].image', 'ingressHost']);
    expect(r.problems[0]?.message).toContain('the production profile needs one');
    expect(r.problems[3]?.message).toContain('give the host name it answers for');

    const bare = exportDesign(doc, { ...PRODUCTION, imageTag: undefined });
    expect(bare.ok === false && bare.problems[0]?.message).toContain('has no tag: it pulls :latest');
    const latest = exportDesign(doc, { ...PRODUCTION, imageTag: 'latest' });
    expect(latest.ok === false && latest.problems[0]?.message).toContain('is tagged latest, which moves');
    const digest = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc) as TopologyInput;
    for (const b of digest.bundles ?? []) b.image = `ghcr.io/acme/${b.name}@sha256:${'a'.repeat(64)}`;
    expect(exportDesign(parsed(digest), { ...PRODUCTION, imagePrefix: undefined, imageTag: undefined }).ok).toBe(true);
  });

  it('option mistakes name the option and the fix', () => {
    const r = exportDesign(example('checkout'), {
      profile: 'staging' as never,
      microbus: 'v2' as never,
      imageTag: '-x',
      ingressHost: 'Shop Example',
      workingDir: 'app',
    });
    expect(r.ok === false && r.problems.map((p) => p.path)).toEqual(['profile', 'microbus', 'imageTag', 'ingressHost', 'workingDir']);
  });
});

describe('quick-start keeps working without secrets, and says what production would fix', () => {
  it('a Service for the ingress bundle, no Ingress, no TLS; warnings for bare images', () => {
    const { objects, warnings } = exported(example('checkout'), { imagePrefix: 'ghcr.io/acme/' });
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'edge')).toBeTruthy();
    const conf = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config') as any).data['nats.conf'] as string;
    expect(conf).not.toContain('tls {');
    expect(warnings.filter((w) => w.code === 'image-tag').map((w) => w.path)).toEqual(['bundles[0].image', 'bundles[1].image', 'bundles[2].image']);
    expect(warnings.find((w) => w.code === 'env-yaml')?.message).toContain('env.yaml');
  });

  it('--cloud aws says what the metadata lookup needs and which Kubernetes the zone routing needs', () => {
    const r = exportDesign(example('microbus-shop'), { cloud: 'aws' });
    if (!r.ok) throw new Error('refused');
    expect(r.warnings.find((w) => w.code === 'cloud-metadata')?.message).toMatch(/IMDSv2.*Fargate.*NetworkPolicy/);
    expect(r.warnings.find((w) => w.code === 'zone-routing')?.message).toContain('Kubernetes 1.31 or later');
  });

  it('autoscale bounds per zone are said aloud', () => {
    const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc) as TopologyInput;
    const b = input.bundles?.[0];
    if (b) b.autoscale = { min: 2, max: 5, targetUtilization: 0.6 };
    const r = exportDesign(parsed(input));
    expect(r.ok && r.warnings.find((w) => w.code === 'autoscale-per-zone')?.message).toBe(
      "bundle edge's autoscale bounds (min 2, max 5) apply to each of its 3 zones' Deployments: 6–15 replicas in total",
    );
  });

  it('Microbus v1.x: each Deployment gets the dotted locality', () => {
    const { objects } = exported(example('microbus-shop'), { microbus: 'v1' });
    const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'shop-us-east-1c') as any;
    expect(d.spec.template.spec.containers[0].env).toContainEqual({ name: 'MICROBUS_LOCALITY', value: 'c.1.east.us' });
  });
});

describe('Helm: values the pinned chart documents', () => {
  const documented = readFileSync(new URL('../../test/fixtures/nats-chart-values-keys.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/ {2}#.*$/, ''));
  const exact = new Set(documented.filter((l) => !l.endsWith(' {}')));
  const open = documented.filter((l) => l.endsWith(' {}')).map((l) => l.slice(0, -3));

  function leaves(v: unknown, path: string[] = []): string[] {
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
    return [path.join('.')];
  }

  for (const profile of ['quick-start', 'production'] as const)
    it(`${profile}: every key is one chart ${HELM_CHART_VERSION} documents (or sits inside a map it documents as open)`, () => {
      const input = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc) as TopologyInput;
      input.zones = [...(input.zones ?? []), { name: 'eu-west-1a', region: 'eu-west-1' }];
      const options: ExportOptions = { ...(profile === 'production' ? PRODUCTION : {}), format: 'helm', websocket: true };
      const plan = planExport(parsed(input), options);
      for (const n of plan.nats)
        for (const key of leaves(helmValuesObject(plan, n))) expect(exact.has(key) || open.some((o) => key.startsWith(`${o}.`)), key).toBe(true);
      const r = exportDesign(parsed(input), options);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(r.files.find((f) => f.path === 'README.md')?.content).toContain(`nats/nats --version ${HELM_CHART_VERSION}`);
      expect(r.files.filter((f) => f.path.startsWith('helm/')).every((f) => f.type === 'values')).toBe(true);
    });

  for (const profile of ['quick-start', 'production'] as const)
    it(`${profile} with JetStream (streams on file and in memory): every key is one the chart documents`, () => {
      const input = structuredClone(ordersEvents) as TopologyInput;
      input.streams = [...(input.streams ?? []), { name: 'HOT', subjects: ['hot.>'], storage: 'memory', maxAgeSeconds: 60 }];
      const options: ExportOptions = { ...(profile === 'production' ? PRODUCTION : {}), format: 'helm' };
      const plan = planExport(parsed(input), options);
      const keys = plan.nats.flatMap((n) => leaves(helmValuesObject(plan, n)));
      expect(keys).toContain('config.jetstream.fileStore.pvc.size');
      expect(keys).toContain('config.jetstream.memoryStore.maxSize');
      for (const key of keys) expect(exact.has(key) || open.some((o) => key.startsWith(`${o}.`)), key).toBe(true);
    });
});
