import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, toYaml } from '@busboard/core';
import { validateObject } from '@busboard/core/export';
import { describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The CLI bundled once per run (support/programs.ts); cli.test.ts also runs bin/busboard.js itself.
const BIN = inject('programs').cli;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('busboard export', () => {
  it('prints one multi-document YAML of valid objects on stdout, warnings on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-export-'));
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, toYaml(EXAMPLES.find((e) => e.id === 'microbus-shop')!.doc));
    const r = run('export', file, '--namespace', 'shop', '--image-prefix', 'ghcr.io/acme/');
    expect(r.status, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    const kinds = docs.map((d) => d.kind);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(9);
    expect(kinds).toEqual(
      expect.arrayContaining(['Namespace', 'StatefulSet', 'Service', 'ConfigMap', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']),
    );
    for (const d of docs) expect(validateObject(d), `${d.kind} ${d.metadata.name}`).toEqual([]);
    // The autoscaler owns the count (no spec.replicas); its floor is the design's 2.
    expect(docs.find((d) => d.metadata.name === 'shop-us-east-1c' && d.kind === 'Deployment').spec.replicas).toBeUndefined();
    expect(docs.find((d) => d.metadata.name === 'shop-us-east-1c' && d.kind === 'HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
    expect(docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/acme\//);
    expect(r.stderr).not.toContain('no image');
  });

  it('--out DIR writes the files; --format helm gives the chart values; --cloud aws spreads even bundles', () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-export-out-'));
    const r = run('export', 'example:checkout', '--format', 'helm', '--out', out, '--cloud', 'aws');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).sort()).toEqual(['README.md', 'bundles', 'helm']);
    expect(readdirSync(join(out, 'bundles')).sort()).toEqual(['edge.yaml', 'payments.yaml', 'shop.yaml']);
    const values = parseAllDocuments(readFileSync(join(out, 'helm', 'nats-values.yaml'), 'utf8'))[0]!.toJS();
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    const shop = parseAllDocuments(readFileSync(join(out, 'bundles', 'shop.yaml'), 'utf8')).map((d) => d.toJS());
    const deployments = shop.filter((d) => d.kind === 'Deployment');
    expect(deployments).toHaveLength(1);
    expect(shop.find((d) => d.kind === 'HorizontalPodAutoscaler').spec.minReplicas).toBe(6);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('helm upgrade --install nats nats/nats --version 2.14.2');
  });

  it('--format helm on stdout: Kubernetes objects only, ready for kubectl apply -f -; the values need --out', () => {
    const r = run('export', 'example:checkout', '--format', 'helm', '--image-prefix', 'ghcr.io/acme/', '--image-tag', '1.0');
    expect(r.status, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      expect(typeof d.apiVersion, JSON.stringify(d).slice(0, 80)).toBe('string');
      expect(validateObject(d), `${d.kind} ${d.metadata.name}`).toEqual([]);
    }
    expect(r.stdout).not.toContain('fullnameOverride');
    expect(r.stderr).toContain('helm/nats-values.yaml (Helm chart values) are not in the stream on stdout');
  });

  it('--no-autoscaler: fixed replicas, no autoscalers; --microbus v1: dotted localities', () => {
    const r = run('export', 'example:microbus-shop', '--no-autoscaler', '--microbus', 'v1');
    expect(r.status, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const d = docs.find((x) => x.kind === 'Deployment' && x.metadata.name === 'shop-us-east-1c');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].env).toContainEqual({ name: 'MICROBUS_LOCALITY', value: 'c.1.east.us' });
  });

  it('--profile production: refuses what it cannot do without (exit 2), then writes TLS, accounts and an Ingress', () => {
    const bad = run('export', 'example:checkout', '--profile', 'production');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bundles[0].image: bundle edge has no image; the production profile needs one');
    expect(bad.stderr).toContain('ingressHost: the production profile exposes bundle edge through an Ingress');
    const ok = run(
      'export',
      'example:checkout',
      '--profile',
      'production',
      '--image-prefix',
      'ghcr.io/acme/',
      '--image-tag',
      '2.0.1',
      '--ingress-host',
      'shop.example.com',
      '--ingress-class',
      'nginx',
      '--workdir',
      '/srv',
    );
    expect(ok.status, ok.stderr).toBe(0);
    const docs = parseAllDocuments(ok.stdout).map((d) => d.toJS());
    for (const d of docs) expect(validateObject(d), `${d.kind} ${d.metadata.name}`).toEqual([]);
    expect(docs.find((d) => d.kind === 'Ingress').spec.rules[0].host).toBe('shop.example.com');
    const edge = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'edge-us-west-2a');
    expect(edge.spec.template.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([
      '/srv/ca.pem',
      '/srv/cert.pem',
      '/srv/key.pem',
    ]);
    expect(docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'nats-config').data['nats.conf']).toContain('verify_and_map: true');
  });

  it('--policy NAME writes that autoscale policy as the timeline simulates it, and warns when its day misses the SLO', () => {
    const cpu = run('export', 'example:checkout', '--policy', 'cpu');
    expect(cpu.status, cpu.stderr).toBe(0);
    expect(cpu.stderr).toContain('misses edge.checkout P95 300 ms at 07:03 (321 ms)');
    const inFlight = run('export', 'example:checkout', '--policy', 'in-flight');
    expect(inFlight.status, inFlight.stderr).toBe(0);
    expect(inFlight.stderr).not.toContain('misses edge.checkout');
    const hpas = parseAllDocuments(inFlight.stdout)
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'HorizontalPodAutoscaler' && d.metadata.labels['app.kubernetes.io/name'] === 'shop');
    expect(hpas.map((h) => h.spec.metrics[1]?.pods.metric.name)).toEqual(hpas.map(() => 'busboard_in_flight_requests'));
    const bad = run('export', 'example:checkout', '--policy', 'gpu');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('policy: no policy "gpu"; the document has "cpu", "in-flight"');
  });

  it('compose for a laptop', () => {
    const r = run('export', 'example:flow8-tier', '--format', 'compose');
    expect(r.status, r.stderr).toBe(0);
    const compose = parseAllDocuments(r.stdout)[0]!.toJS();
    expect(Object.keys(compose.services)).toHaveLength(3 + 3 + 6);
  });

  it('exits 2 naming the fix for a bad option or a bad document', () => {
    const ns = run('export', 'example:checkout', '--namespace', 'My NS');
    expect(ns.status).toBe(2);
    expect(ns.stdout).toBe('');
    expect(ns.stderr).toContain('namespace: "My NS" is not a Kubernetes namespace name');
    const fmt = run('export', 'example:checkout', '--format', 'terraform');
    expect(fmt.status).toBe(2);
    expect(fmt.stderr).toContain('--format terraform: use k8s, helm or compose');
    const missing = run('export', 'example:nope');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no example "nope"');
  });
});
