/**
 * The rehearsal's NATS: real nats-server processes shaped like the design — each zone's servers
 * tagged `az:<zone>`, routed into one cluster per region, clusters joined by gateways — on free
 * loopback ports, with HTTP monitoring (so the Live page can read them), in a temporary
 * directory removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RehearsalPlan } from '@busboard/core';

export interface RunningServer {
  name: string;
  cluster: string;
  zone: string;
  url: string;
  monitorUrl: string;
  process: ChildProcess;
}

export interface RunningCluster {
  servers: RunningServer[];
  dir: string;
  close(): Promise<void>;
}

/** The nats-server binary: `NATS_SERVER_BIN` when set (and only it), else on PATH, else Debian's /usr/sbin; null when none. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env.NATS_SERVER_BIN
    ? [env.NATS_SERVER_BIN]
    : [...(env.PATH ?? '').split(delimiter).map((d) => join(d, 'nats-server')), '/usr/sbin/nats-server'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not this one
    }
  }
  return null;
}

export const NATS_MISSING =
  'nats-server is not installed: rehearsal runs real NATS servers. On Debian: apt-get install -y nats-server (or set NATS_SERVER_BIN to its path)';

const taken = new Set<number>();

/** A free port below Linux's ephemeral range, so no outgoing connection takes it before the server binds. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (port === 4222 || taken.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port found in 20000–32767');
}

async function getJson(url: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function startCluster(plan: RehearsalPlan, bin: string, signal?: AbortSignal): Promise<RunningCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'busboard-rehearsal-'));
  const ports = new Map<string, { client: number; route: number; http: number; gateway: number }>();
  for (const s of plan.servers)
    ports.set(s.name, { client: await freePort(), route: await freePort(), http: await freePort(), gateway: await freePort() });
  const port = (name: string) => ports.get(name) as { client: number; route: number; http: number; gateway: number };
  const multi = plan.clusters.length > 1;
  const running: RunningServer[] = [];
  const close = async () => {
    await Promise.all(
      running.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.process.exitCode !== null || s.process.signalCode !== null) return resolve();
            s.process.once('exit', () => resolve());
            s.process.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const s of plan.servers) {
      const p = port(s.name);
      const peers = plan.servers.filter((o) => o.cluster === s.cluster && o.name !== s.name);
      const gateways = plan.clusters
        .filter((c) => c.name !== s.cluster)
        .map((c) => {
          const urls = plan.servers.filter((o) => o.cluster === c.name).map((o) => `nats://127.0.0.1:${port(o.name).gateway}`);
          return `{name: "${c.name}", urls: [${urls.map((u) => `"${u}"`).join(', ')}]}`;
        });
      const conf = [
        `server_name: "${s.name}"`,
        `listen: 127.0.0.1:${p.client}`,
        `http: 127.0.0.1:${p.http}`,
        `server_tags: ["az:${s.zone}"]`,
        `cluster { name: "${s.cluster}", listen: 127.0.0.1:${p.route}, routes: [${peers.map((o) => `"nats-route://127.0.0.1:${port(o.name).route}"`).join(', ')}] }`,
        multi ? `gateway { name: "${s.cluster}", listen: 127.0.0.1:${p.gateway}, gateways: [${gateways.join(', ')}] }` : '',
      ].join('\n');
      const file = join(dir, `${s.name}.conf`);
      writeFileSync(file, conf);
      const child = spawn(bin, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.resume();
      child.on('error', () => undefined); // reported by the readiness wait
      running.push({
        name: s.name,
        cluster: s.cluster,
        zone: s.zone,
        url: `nats://127.0.0.1:${p.client}`,
        monitorUrl: `http://127.0.0.1:${p.http}`,
        process: child,
      });
    }
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (signal?.aborted) throw new Error('stopped');
      const states = await Promise.all(
        running.map(async (s) => {
          const varz = await getJson(`${s.monitorUrl}/varz`);
          if (!varz) return `${s.name}: no answer`;
          const peers = plan.servers.filter((o) => o.cluster === s.cluster).length - 1;
          if (Number(varz.routes ?? 0) < peers) return `${s.name}: ${varz.routes ?? 0}/${peers} routes`;
          if (multi) {
            const gz = await getJson(`${s.monitorUrl}/gatewayz`);
            const n = Object.keys((gz?.outbound_gateways as object | undefined) ?? {}).length;
            if (n < plan.clusters.length - 1) return `${s.name}: ${n}/${plan.clusters.length - 1} gateways`;
          }
          return null;
        }),
      );
      const waiting = states.filter((x) => x !== null);
      if (waiting.length === 0) break;
      if (Date.now() > deadline) throw new Error(`the rehearsal's NATS servers did not come up within 20 s (${waiting.join('; ')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { servers: running, dir, close };
}
