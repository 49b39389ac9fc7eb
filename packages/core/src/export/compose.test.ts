import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { consumerFile, exportDesign, streamFile, toYamlStream } from './index.ts';
import { zip } from './zip.ts';

describe('docker-compose export', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id}: a 3-node NATS cluster with routes, one container per replica with its zone's locality and server`, () => {
      const r0 = parseTopology(ex.doc);
      if (!r0.ok) throw new Error('example invalid');
      const doc = r0.doc;
      const r = exportDesign(doc, { format: 'compose', imagePrefix: 'acme/' });
      if (!r.ok) throw new Error('refused');
      // A design with streams adds their JSON (jetstream.test.ts checks it).
      const jetstream = [...(doc.streams ?? []).map(streamFile), ...(doc.consumers ?? []).filter((c) => c.durable).map(consumerFile)];
      expect(r.files.map((f) => f.path)).toEqual(['docker-compose.yaml', ...jetstream, 'README.md']);
      const compose = parseAllDocuments(r.files[0]!.content)[0]!.toJS();
      const nats = ['nats-1', 'nats-2', 'nats-3'].map((n) => compose.services[n]);
      for (const [i, s] of nats.entries()) {
        expect(s.environment.SERVER_NAME).toBe(`nats-${i + 1}`);
        expect(s.configs).toEqual([{ source: 'nats-conf', target: '/etc/nats/nats.conf' }]);
      }
      const conf = compose.configs['nats-conf'].content as string;
      for (const n of ['nats-1', 'nats-2', 'nats-3']) expect(conf).toContain(`"nats-route://${n}:6222"`);
      const bundles = Object.entries(compose.services).filter(([n]) => !n.startsWith('nats-')) as [string, any][];
      for (const b of doc.bundles) {
        for (const z of doc.zones) {
          const mine = bundles.filter(([, s]) => s.labels['busboard.dev/bundle'] === b.name && s.labels['busboard.dev/zone'] === z.name);
          expect(mine, `${b.name} in ${z.name}`).toHaveLength(b.replicas[z.name] ?? 0);
          for (const [, s] of mine) {
            expect(s.image).toBe(b.image ?? `acme/${b.name}`);
            expect(s.restart).toBe('unless-stopped');
            expect(s.environment.MICROBUS_LOCALITY).toBe(`${z.region}-${z.name.slice(z.region.length)}`);
            // The zone's own server: zone k → nats-(k mod 3 + 1).
            expect(s.environment.MICROBUS_NATS).toBe(`nats://nats-${(doc.zones.indexOf(z) % 3) + 1}:4222`);
            expect(Object.keys(s.depends_on)).toEqual(['nats-1', 'nats-2', 'nats-3']);
          }
        }
      }
    });
  }
});

describe('what leaves the export', () => {
  it('the YAML stream holds every YAML file, each introduced by its path', () => {
    const r0 = parseTopology(EXAMPLES[2]!.doc);
    if (!r0.ok) throw new Error('example invalid');
    const r = exportDesign(r0.doc);
    if (!r.ok) throw new Error('refused');
    const stream = toYamlStream(r.files);
    const docs = parseAllDocuments(stream);
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    expect(docs.filter((d) => d.toJS()?.kind === 'Deployment')).toHaveLength(9);
    for (const f of r.files.filter((f) => f.type === 'yaml')) expect(stream).toContain(`# Source: ${f.path}\n`);
    expect(stream).not.toContain('# Source: README.md');
  });

  it('the zip opens with unzip and Python’s zipfile, every file intact (UTF-8 names and text)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-zip-'));
    const entries = [
      { path: 'bundles/shop.yaml', content: 'kind: Deployment\n' },
      { path: 'README.md', content: '# Ünïcode — ✓ 😀\n' },
      { path: 'empty.txt', content: '' },
    ];
    const file = join(dir, 'x.zip');
    writeFileSync(file, zip(entries, { year: 2026, month: 11, day: 23, hours: 1, minutes: 2, seconds: 4 }));
    const test = spawnSync('python3', ['-m', 'zipfile', '-t', file], { encoding: 'utf8' });
    expect(test.status, test.stderr).toBe(0);
    const out = join(dir, 'out');
    const ex = spawnSync('python3', ['-m', 'zipfile', '-e', file, out], { encoding: 'utf8' });
    expect(ex.status, ex.stderr).toBe(0);
    for (const e of entries) expect(readFileSync(join(out, e.path), 'utf8')).toBe(e.content);
    const listing = spawnSync(
      'python3',
      ['-c', `import zipfile;print([i.date_time for i in zipfile.ZipFile(${JSON.stringify(file)}).infolist()][0])`],
      { encoding: 'utf8' },
    );
    expect(listing.stdout.trim()).toBe('(2026, 11, 23, 1, 2, 4)');
    const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    if (unzip.error === undefined) expect(unzip.stdout).toContain('No errors detected');
  });
});

describe('compose and the Microbus version', () => {
  it('v1.x localities are dotted, most specific part first', () => {
    const r0 = parseTopology(EXAMPLES[0]!.doc);
    if (!r0.ok) throw new Error('example invalid');
    const r = exportDesign(r0.doc, { format: 'compose', microbus: 'v1' });
    if (!r.ok) throw new Error('refused');
    const compose = parseAllDocuments(r.files[0]!.content)[0]!.toJS();
    const localities = new Set(Object.values(compose.services as Record<string, any>).map((s) => s.environment.MICROBUS_LOCALITY));
    expect([...localities].filter(Boolean).sort()).toEqual(['a.1.east.us', 'b.1.east.us', 'c.1.east.us']);
  });

  it('compose has no production profile, and says what to use', () => {
    const r0 = parseTopology(EXAMPLES[0]!.doc);
    if (!r0.ok) throw new Error('example invalid');
    const r = exportDesign(r0.doc, { format: 'compose', profile: 'production' });
    expect(r.ok === false && r.problems).toEqual([
      { path: 'profile', message: 'compose is for a laptop and has no production profile; use k8s or helm for production' },
    ]);
  });
});
