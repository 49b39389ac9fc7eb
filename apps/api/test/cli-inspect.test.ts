/** `busboard inspect` as a user runs it: a child process against a real supercluster. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LiveTopology, startLiveTopology } from './support/live-topology.ts';
import { SYS_USER } from './support/nats-cluster.ts';

// The CLI bundled once per run (support/programs.ts); cli.test.ts also runs bin/busboard.js itself.
const BIN = inject('programs').cli;

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('busboard inspect', () => {
  let topo: LiveTopology;
  beforeAll(async () => {
    topo = await startLiveTopology({ websocket: false });
  }, 60_000);
  afterAll(async () => topo?.close());

  it('prints the issue’s JSON shape through a system user (password from NATS_PASSWORD)', async () => {
    const r = await run(['inspect', '--nats', topo.sc.servers[0]?.url as string, '--user', SYS_USER.user, '--json'], {
      NATS_PASSWORD: SYS_USER.pass,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(SYS_USER.pass);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['source', 'collectedAt', 'servers', 'queueGroups', 'services', 'bundles', 'streams']);
    expect(out.source).toBe('system');
    // JSZ was asked and every server answered JetStream is off: no streams, rather than unknown.
    expect(out.streams).toEqual([]);
    expect(Number.isNaN(Date.parse(out.collectedAt))).toBe(false);
    expect(out.servers).toContainEqual({
      name: 'east-n2',
      cluster: 'east',
      version: '2.9.10',
      zone: 'us-east-1b',
      up: true,
      routes: ['east-n1', 'east-n3'],
      gateways: ['west'],
      connections: expect.any(Number),
    });
    const cart = out.queueGroups.find((g: { subject: string }) => g.subject === 'microbus.safe.443.*.cart_shop._.GET.items');
    expect(cart.members.map((m: { server: string; zone: string }) => `${m.server}@${m.zone}`)).toEqual([
      'east-n1@us-east-1a',
      'east-n2@us-east-1b',
      'east-n3@us-east-1c',
    ]);
    expect(Object.keys(cart.members[0])).toEqual(['server', 'cid', 'zone']);
    // A system user sees micro instances by their $SRV subscriptions (versions need the services' own account).
    const kinds = Object.fromEntries(out.services.map((s: { name: string; kind: string }) => [s.name, s.kind]));
    expect(kinds).toMatchObject({ 'cart.shop': 'microbus', inventory: 'micro', payments: 'micro' });
    expect(out.services.find((s: { name: string }) => s.name === 'inventory').instances).toHaveLength(3);
  });

  it('reads HTTP monitoring with --monitor and prints a readable summary', async () => {
    const r = await run(['inspect', '--monitor', topo.sc.servers.map((s) => s.monitorUrl).join(',')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^source: HTTP monitoring at /);
    expect(r.stdout).toMatch(/east-n1\s+east\s+us-east-1a\s+2\.9\.10\s+up/);
    expect(r.stdout).toMatch(/cart\.shop\s+microbus\s+us-east-1a×1 us-east-1b×1 us-east-1c×1/);
  });

  it('exits 1 saying what to fix when nothing answers, and 2 on bad usage', async () => {
    const dead = await run(['inspect', '--nats', 'nats://127.0.0.1:9', '--json']);
    expect(dead.status).toBe(1);
    expect(dead.stderr).toContain('nothing answers at nats://127.0.0.1:9');
    const usage = await run(['inspect', '--json']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('inspect needs --nats URL');
  });
});
