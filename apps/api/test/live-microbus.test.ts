/**
 * Real Microbus apps of both generations (support/microbus-topology.ts: raw-protocol
 * connections subscribing exactly as the framework's connector code does) on a real cluster,
 * read by the collector through the system account and by `busboard inspect`: services,
 * instances, zones (from localities that cross their servers' zone tags), bundles with their
 * evidence, and no drift against the design that says what runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDrift, type LiveSnapshot, parseTopology } from '@busboard/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Collector } from '../src/live/collector.ts';
import type { LiveConnectionConfig } from '../src/live/config.ts';
import { APP_CASES, type MicrobusTopology, matchingDesign, startMicrobusTopology, zoneOfLocality } from './support/microbus-topology.ts';
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

describe('live: Microbus apps of both generations on a real cluster', () => {
  let topo: MicrobusTopology;
  let snapshot: LiveSnapshot;
  let dir: string;

  beforeAll(async () => {
    topo = await startMicrobusTopology();
    dir = mkdtempSync(join(tmpdir(), 'busboard-mb-'));
    const config: LiveConnectionConfig = {
      id: 'mb',
      origin: 'app',
      name: 'microbus',
      servers: [topo.cluster.servers[0]?.url as string],
      auth: { kind: 'none' },
      systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass },
      monitorUrls: [],
      wsUrls: [],
      pollMs: 1000,
    };
    const collector = new Collector(config);
    try {
      snapshot = (await collector.pollOnce()) as LiveSnapshot;
    } finally {
      await collector.stop();
    }
  }, 60_000);
  afterAll(async () => {
    await topo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds exactly the designed services: no phantom `all`, no reply subjects, no prefixes read as hostnames', () => {
    expect(snapshot.services.map((s) => s.name).sort()).toEqual(APP_CASES.flatMap((c) => [`cart.${c.suffix}`, `pay.${c.suffix}`]).sort());
  });

  it('gives each service its own replicas, ids and generation: a sink is never counted as the source', () => {
    for (const c of APP_CASES) {
      for (const host of [`cart.${c.suffix}`, `pay.${c.suffix}`]) {
        const s = snapshot.services.find((x) => x.name === host);
        const ids = topo.apps.find((a) => a.case === c)?.processes.map((p) => p.ids[host]);
        expect(s?.instances.map((i) => i.id).sort(), host).toEqual([...(ids ?? [])].sort());
        for (const i of s?.instances ?? []) expect(i, host).toMatchObject({ generation: c.generation, queue: 'ok' });
      }
      const pay = snapshot.services.find((x) => x.name === `pay.${c.suffix}`);
      expect(pay?.listensTo).toEqual([`cart.${c.suffix}`]);
      expect(pay?.endpoints.find((e) => e.source)?.name).toBe(`POST :417/on-checkout (event from cart.${c.suffix})`);
    }
  });

  it('takes each replica’s zone from its locality, not from the server it happens to be connected to', () => {
    for (const c of APP_CASES) {
      const cart = snapshot.services.find((x) => x.name === `cart.${c.suffix}`);
      const seen = (cart?.instances ?? []).map((i) => `${i.ip}:${i.zone}:${i.zoneSource}`).sort();
      const expected = c.processes.map((p) => `${p.address}:${zoneOfLocality(p.locality)}:locality`).sort();
      expect(seen, c.suffix).toEqual(expected);
      // And the server each connects to is in another zone on purpose.
      for (const i of cart?.instances ?? []) expect(snapshot.servers.find((s) => s.name === i.server)?.zone).not.toBe(i.zone);
    }
  });

  it('bundles the two services of each app, with one replica per process and the evidence it rests on', () => {
    for (const c of APP_CASES) {
      const b = snapshot.bundles.find((x) => x.services.includes(`cart.${c.suffix}`));
      const replicas: Record<string, number> = {};
      for (const p of c.processes) replicas[zoneOfLocality(p.locality)] = (replicas[zoneOfLocality(p.locality)] ?? 0) + 1;
      expect(b, c.suffix).toMatchObject({ services: [`cart.${c.suffix}`, `pay.${c.suffix}`], replicas, unzoned: 0, evidence: c.evidence });
    }
  });

  it('sees no drift against the design that says what runs', () => {
    const parsed = parseTopology(matchingDesign());
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join());
    expect(computeDrift(parsed.doc, snapshot).map((d) => d.message)).toEqual([]);
  });

  it('busboard inspect --json adds the bundles, and --design adds the drift (empty when what runs matches)', async () => {
    const design = join(dir, 'design.json');
    writeFileSync(design, JSON.stringify(matchingDesign()));
    const url = topo.cluster.servers[0]?.url as string;
    const r = await run(['inspect', '--nats', url, '--user', SYS_USER.user, '--design', design, '--json'], { NATS_PASSWORD: SYS_USER.pass });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['source', 'collectedAt', 'servers', 'queueGroups', 'services', 'bundles', 'drift', 'streams']);
    expect(out.drift).toEqual([]);
    expect(out.bundles).toContainEqual({
      services: ['cart.legacy', 'pay.legacy'],
      replicas: { 'us-east-1b': 1, 'us-east-1c': 1 },
      evidence: 'client-ip',
    });
    expect(out.services.map((s: { name: string }) => s.name)).not.toContain('all');

    // A design that differs: drift entries with kind, message and path.
    const other = matchingDesign();
    const example = other.bundles?.find((b) => b.name === 'example');
    if (example) example.replicas = { 'us-east-1a': 2, 'us-east-1b': 1 };
    writeFileSync(design, JSON.stringify(other));
    const d = await run(['inspect', '--nats', url, '--user', SYS_USER.user, '--design', design, '--json'], { NATS_PASSWORD: SYS_USER.pass });
    expect(d.status, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout).drift).toEqual([
      { kind: 'missing-replicas', message: 'cart.example has 1 of 2 designed replicas in us-east-1a', path: 'bundles[0].replicas["us-east-1a"]' },
      { kind: 'missing-replicas', message: 'pay.example has 1 of 2 designed replicas in us-east-1a', path: 'bundles[0].replicas["us-east-1a"]' },
    ]);
  });
});
