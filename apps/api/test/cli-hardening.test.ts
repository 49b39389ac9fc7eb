import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, type TopologyInput, toYaml } from '@busboard/core';
import { describe, expect, inject, it, vi } from 'vitest';

/** Issue 21 and issue 12 item 7 through the real CLI: bad input is refused with its path, one line each, no stack trace. */
// The CLI bundled once per run (support/programs.ts); cli.test.ts also runs bin/busboard.js itself.
const BIN = inject('programs').cli;
// Each case spawns the CLI two or three times; on a loaded 2-core machine a spawn can take 15 s.
vi.setConfig({ testTimeout: 180_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
const shop = () => structuredClone(EXAMPLES.find((e) => e.id === 'microbus-shop')?.doc) as Record<string, any>;

function write(text: string, name = 'design.yaml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bb-cli-hard-')), name);
  writeFileSync(file, text);
  return file;
}
const design = (doc: unknown) => write(toYaml(doc as TopologyInput));
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('red-team documents (issue 21)', () => {
  const cases: [string, (d: Record<string, any>) => void, string][] = [
    ['serviceTimeCv 1e300', (d) => (d.services[0].serviceTimeCv = 1e300), 'services[0].serviceTimeCv: at most 10:'],
    ['replicas 1e9', (d) => (d.bundles[0].replicas['us-east-1a'] = 1e9), 'bundles[0].replicas["us-east-1a"]: at most 1,000 per zone:'],
    ['nats.serversPerZone 1e9', (d) => (d.nats[0].serversPerZone = 1e9), 'nats[0].serversPerZone: at most 64:'],
    ['workers 1e9', (d) => (d.services[0].workers = 1e9), 'services[0].workers: at most 10,000:'],
  ];
  for (const [i, [what, edit, message]] of cases.entries())
    it(`${what}: refused with its path, exit 2, at once`, () => {
      const d = shop();
      edit(d);
      const file = design(d);
      // Every command loads designs the same way (load.ts): check for each, simulate and recommend for one each.
      for (const command of ['check', ...(i === 0 ? ['simulate'] : i === 1 ? ['recommend'] : [])]) {
        const started = performance.now();
        const r = run(command, file);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toContain(message);
        noStack(r.stderr);
        expect(performance.now() - started).toBeLessThan(60_000);
      }
    });

  it('--des --requests past the cap is refused with a clear message', () => {
    const r = run('simulate', 'example:checkout', '--des', '--requests', '1000000000');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--requests 1000000000: at most 100,000,000');
  });

  it('--max-seconds stops a run that takes longer, with exit code 3 and a message', () => {
    const r = run('simulate', 'example:microbus-shop', '--des', '--requests', '100000000', '--precision', '0', '--max-seconds', '2');
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain('busboard simulate: stopped after 2 s (--max-seconds 2)');
    expect(r.stdout).toBe('');
  });

  it('--max-seconds must be a positive number', () => {
    const r = run('check', 'example:checkout', '--max-seconds', 'soon');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--max-seconds must be a number of seconds above 0, got "soon"');
  });

  it('a YAML alias bomb is one line of error, exit 2, no stack trace', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, next] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h'],
      ['h', 'i'],
    ])
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const file = write(`${lines.join('\n')}\n`);
    for (const command of ['check', 'simulate']) {
      const r = run(command, file);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `${file}: 1 problem\n  the YAML expands its aliases (*name) past the limit; a topology document needs few aliases, if any: write the values out\n`,
      );
    }
  });
});

describe('unknown fields (issue 12, item 7)', () => {
  const withQueueLimit = () => {
    const d = shop();
    d.services[0].maxQueue = 200;
    return design(d);
  };

  it('are refused with their path by check, simulate and export', () => {
    const file = withQueueLimit();
    for (const args of [['check'], ['export', '--format', 'compose']]) {
      const r = run(args[0] as string, file, ...args.slice(1));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('services[0].maxQueue: unknown field: not part of busboard.topology/v3');
      expect(r.stderr).toContain('--drop-unknown');
    }
  });

  it('--drop-unknown drops them and lists each one on stderr', () => {
    const r = run('simulate', withQueueLimit(), '--drop-unknown', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('dropped 1 unknown field (--drop-unknown):\n  services[0].maxQueue\n');
    expect(JSON.parse(r.stdout).services['http.ingress.core']).toBeDefined();
  });
});

describe('names (issue 21, item 5)', () => {
  /** One service at ρ 0.9 with a P99 it cannot meet: check must exit 1 whatever the service is called. */
  const design1 = (name: string) => ({
    schema: 'busboard.topology/v3',
    zones: [{ name: 'constructor', region: 'toString' }],
    services: [{ name, serviceTimeMs: 9, workers: 1 }],
    bundles: [{ name: 'hasOwnProperty', services: [name], replicas: { constructor: 1 } }],
    traffic: [{ entry: name, rps: 100 }],
    slo: [{ entry: name, p99Ms: 20 }],
  });

  it('check fails the same for a service named "constructor" as for "api"', () => {
    for (const name of ['api', 'constructor']) {
      const r = run('check', design(design1(name)), '--json');
      expect(r.status, `${name}: ${r.stderr}`).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.checks).toHaveLength(1);
      expect(out.checks[0]).toMatchObject({ entry: name, percentile: 'p99', met: false });
    }
  });

  it('"__proto__" and other non-hostnames are refused with the rule', () => {
    const r = run('check', design(design1('__proto__')));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('services[0].name: "__proto__" is reserved; choose another name');
    expect(r.stderr).toContain('is not a valid service name: a service name is a hostname');
  });
});
