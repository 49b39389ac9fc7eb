/**
 * The nats.conf builder against real nats-server processes: three servers on 127.0.0.1 with
 * free ports form a cluster from the routes it writes; the exported Kubernetes and compose
 * files pass `nats-server -t` and differ from each other only in addresses.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { exportDesign } from './index.ts';
import { natsConf } from './nats-conf.ts';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';
const dir = mkdtempSync(join(tmpdir(), 'busboard-natsconf-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function check(file: string, env: Record<string, string> = {}) {
  return spawnSync(NATS_SERVER, ['-t', '-c', file], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('nats.conf', () => {
  it('three servers on 127.0.0.1 with free ports form a cluster from the routes the builder writes', async () => {
    const servers = [];
    for (let i = 1; i <= 3; i++) servers.push({ name: `bb-${i}`, client: await freePort(), cluster: await freePort(), http: await freePort() });
    const routes = servers.map((s) => `127.0.0.1:${s.cluster}`);
    for (const s of servers) {
      const file = join(dir, `${s.name}.conf`);
      writeFileSync(
        file,
        natsConf({
          serverName: s.name,
          listen: `127.0.0.1:${s.client}`,
          http: `127.0.0.1:${s.http}`,
          cluster: { name: 'busboard-test', listen: `127.0.0.1:${s.cluster}`, routes },
        }),
      );
      const t = check(file);
      expect(t.status, t.stderr).toBe(0);
      const child = spawn(NATS_SERVER, ['-c', file], { stdio: 'ignore' });
      children.push(child);
    }
    const deadline = Date.now() + 15_000;
    let varz: { server_name: string; routes: number; cluster: { name: string } }[] = [];
    for (;;) {
      varz = await Promise.all(
        servers.map(async (s) => {
          try {
            return (await (await fetch(`http://127.0.0.1:${s.http}/varz`)).json()) as (typeof varz)[number];
          } catch {
            return { server_name: '', routes: -1, cluster: { name: '' } };
          }
        }),
      );
      if (varz.every((v) => v.routes === 2) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(varz.map((v) => [v.server_name, v.routes, v.cluster.name])).toEqual(servers.map((s) => [s.name, 2, 'busboard-test']));
    // Each server's routes reach the other two (its route to itself is dropped).
    for (const s of servers) {
      const routez = (await (await fetch(`http://127.0.0.1:${s.http}/routez`)).json()) as { num_routes: number };
      expect(routez.num_routes).toBe(2);
    }
  });

  it('the Kubernetes and compose files pass nats-server -t and differ only in addresses', () => {
    const r0 = parseTopology(EXAMPLES[0]!.doc);
    if (!r0.ok) throw new Error('example invalid');
    const k8s = exportDesign(r0.doc, { format: 'k8s', websocket: true });
    const compose = exportDesign(r0.doc, { format: 'compose', websocket: true });
    if (!k8s.ok || !compose.ok) throw new Error('refused');
    const k8sConf = parseAllDocuments(k8s.files.find((f) => f.path === 'nats/nats.yaml')!.content)
      .map((d) => d.toJS())
      .find((o) => o.kind === 'ConfigMap').data['nats.conf'] as string;
    // Compose reads `$$` as a literal `$`.
    const composeConf = (parseAllDocuments(compose.files[0]!.content)[0]!.toJS().configs['nats-conf'].content as string).replaceAll('$$', '$');
    for (const [name, conf] of [
      ['k8s', k8sConf],
      ['compose', composeConf],
    ] as const) {
      const file = join(dir, `${name}.conf`);
      writeFileSync(file, conf);
      const t = check(file, { SERVER_NAME: `${name}-0` });
      expect(t.status, t.stderr).toBe(0);
    }
    const normalize = (conf: string) =>
      conf
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n')
        .replace(/nats-route:\/\/[^"]+/g, 'nats-route://ADDRESS');
    expect(normalize(k8sConf)).toBe(normalize(composeConf));
    expect(k8sConf).not.toBe(composeConf);
    expect(k8sConf).toContain('nats-route://nats-us-east-1c-0.nats-headless.default.svc.cluster.local:6222');
    expect(composeConf).toContain('nats-route://nats-3:6222');
  });
});
