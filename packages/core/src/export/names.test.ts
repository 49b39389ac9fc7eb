import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseTopology } from '../schema/validate.ts';
import { exportDesign } from './index.ts';
import { isDns1035Label, isDns1123Label, kubeName, labelValue, microbusLocality, microbusV1Locality, Namer } from './names.ts';
import { validateObject } from './validate.ts';

describe('names', () => {
  it('keeps valid names, cleans the rest, and hashes only what must be cut or would start wrongly', () => {
    expect(kubeName(['shop', 'us-east-1a'])).toBe('shop-us-east-1a');
    expect(kubeName(['My Bundle.v2'])).toBe('my-bundle-v2');
    expect(kubeName(['x'.repeat(80)])).toMatch(/^x{56}-[0-9a-z]{6}$/);
    expect(kubeName(['x'.repeat(80)])).toBe(kubeName(['x'.repeat(80)]));
    expect(kubeName(['9lives'], 'dns1035')).toMatch(/^x-9lives-[0-9a-z]{6}$/);
  });

  it('label values read like the design: no hash suffix', () => {
    expect(labelValue('Microbus shop')).toBe('microbus-shop');
    expect(labelValue('Checkout')).toBe('Checkout');
    expect(labelValue('')).toBe('busboard');
    expect(labelValue('Ünïcode Design: v2.0 (test)')).toBe('unicode-design-v2-0-test');
  });

  it('names that clean to the same spelling stay apart: the later one is hashed', () => {
    const namer = new Namer();
    expect(namer.name('s', 'My Shop')).toBe('my-shop');
    expect(namer.name('s', 'my.shop')).toMatch(/^my-shop-[0-9a-z]{6}$/);
  });

  it('never makes two keys share a name, and every name is valid (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 90 }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom('dns1123', 'dns1035'),
        (raws, rule) => {
          const namer = new Namer(rule as 'dns1123' | 'dns1035');
          const names = raws.map((r) => namer.name('s', r));
          expect(new Set(names).size).toBe(raws.length);
          for (const n of names) expect(rule === 'dns1035' ? isDns1035Label(n) : isDns1123Label(n)).toBe(true);
        },
      ),
      { seed: 20261123, numRuns: 300 },
    );
  });

  it('a forced clash (a name that spells another’s hashed form) still ends distinct', () => {
    const namer = new Namer();
    const hashed = namer.name('s', 'My Shop');
    expect(namer.name('s', hashed)).not.toBe(hashed);
  });

  it('Microbus localities: the form Microbus derives from the cloud, broadest part first', () => {
    expect(microbusLocality('us-east-1a', 'us-east-1')).toBe('us-east-1-a');
    expect(microbusLocality('us-east1-b', 'us-east1')).toBe('us-east-1-b');
    expect(microbusLocality('Zone A', 'Lab')).toBe('lab-zone-a');
  });

  it('Microbus v1.x localities: dotted, most specific part first (what v1.x derives from us-east-1b)', () => {
    expect(microbusV1Locality(microbusLocality('us-east-1b', 'us-east-1'))).toBe('b.1.east.us');
    expect(microbusV1Locality(microbusLocality('us-east1-b', 'us-east1'))).toBe('b.1.east.us');
  });

  it('validation catches what kubernetes-models and the naming rules refuse', () => {
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'My Deployment', labels: { 'app.kubernetes.io/name': 'has space' } },
      spec: { replicas: 'three', selector: {}, template: { spec: { containers: [{ name: 'C', resources: { requests: { cpu: 'lots' } } }] } } },
    };
    const problems = validateObject(bad as never).join('\n');
    expect(problems).toContain('data/spec/replicas must be integer');
    expect(problems).toContain('format "quantity"');
    expect(problems).toContain('metadata.name "My Deployment" is not a DNS-1123 label');
    expect(problems).toContain('"has space" is not a label value');
    expect(problems).toContain('containers[0].name "C" is not a DNS-1123 label');
  });
});

describe('awkward design names come out valid and distinct', () => {
  const long = `${'a'.repeat(40)}.${'b'.repeat(39)}`; // an 80-character hostname
  const input = {
    schema: 'busboard.topology/v3',
    name: 'Ünïcode Design: v2.0 (test)',
    zones: [
      { name: 'Zone A', region: 'Lab East' },
      { name: 'zone.b', region: 'Lab East' },
    ],
    nats: [{ name: 'Main NATS', region: 'Lab East' }],
    services: [
      { name: long, serviceTimeMs: 1 },
      { name: `${long}x`, serviceTimeMs: 1 },
      { name: 'my-service', serviceTimeMs: 1 }, // service names are hostnames; these three still clean to one Kubernetes name
      { name: 'my.service', serviceTimeMs: 1 },
      { name: 'my--service', serviceTimeMs: 1 },
    ],
    bundles: [
      { name: long, services: [long], replicas: { 'Zone A': 1, 'zone.b': 2 } },
      { name: `${long}x`, services: [`${long}x`], replicas: { 'Zone A': 1, 'zone.b': 1 } },
      { name: 'My Bundle', services: ['my-service'], replicas: { 'Zone A': 1 } },
      { name: 'my.bundle', services: ['my.service'], replicas: { 'zone.b': 1 } },
      { name: 'MY_BUNDLE', services: ['my--service'], replicas: { 'Zone A': 3 } },
      { name: 'nats', services: [], replicas: { 'Zone A': 1 } },
    ],
    traffic: [{ entry: 'my-service', rps: 10 }],
  };

  for (const format of ['k8s', 'helm', 'compose'] as const) {
    it(`${format}: every object valid, names distinct per kind, one Deployment per bundle and zone`, () => {
      const r0 = parseTopology(input);
      if (!r0.ok) throw new Error(JSON.stringify(r0.problems));
      const r = exportDesign(r0.doc, { format });
      if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
      expect(new Set(r.files.map((f) => f.path)).size).toBe(r.files.length);
      if (format === 'compose') {
        const compose = parseAllDocuments(r.files[0]!.content)[0]!.toJS();
        const names = Object.keys(compose.services);
        expect(names.filter((n) => !['nats-1', 'nats-2', 'nats-3'].includes(n))).toHaveLength(3 + 2 + 1 + 1 + 3 + 1);
        for (const n of names) expect(isDns1123Label(n), n).toBe(true);
        return;
      }
      const objs = r.files.filter((f) => f.type === 'yaml').flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
      for (const o of objs) expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
      const byKind = new Map<string, string[]>();
      for (const o of objs) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o.metadata.name]);
      for (const [kind, names] of byKind) expect(new Set(names).size, kind).toBe(names.length);
      const deployments = objs.filter((o) => o.kind === 'Deployment');
      expect(deployments).toHaveLength(2 + 2 + 1 + 1 + 1 + 1);
      for (const d of deployments) expect(d.metadata.name.length).toBeLessThanOrEqual(63);
      // Zones that are not label values are pinned by a cleaned name, and the user is told.
      expect(r.warnings.filter((w) => w.code === 'zone-label').map((w) => w.path)).toEqual(['zones[0].name']);
    });
  }
});
