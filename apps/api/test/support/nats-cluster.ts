/**
 * Starts real nats-server processes for tests: a cluster of N servers on free ports, each
 * with HTTP monitoring, routes to every other server, and an optional system account.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface NatsServerHandle {
  name: string;
  clientPort: number;
  clusterPort: number;
  httpPort: number;
  url: string;
  monitorUrl: string;
  process: ChildProcess | null;
  configFile: string;
}

export interface NatsCluster {
  name: string;
  servers: NatsServerHandle[];
  dir: string;
  stop(server: NatsServerHandle): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  size?: number;
  name?: string;
  /** Extra config appended to every server's file (accounts, gateways…). */
  extraConfig?: (server: { name: string; index: number }) => string;
  /** Zone tag per server, `az:<zone>` in server_tags. */
  zones?: string[];
}

export async function startCluster(options: ClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const name = options.name ?? `c${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), `busboard-nats-${name}-`));
  const servers: NatsServerHandle[] = [];
  for (let i = 0; i < size; i++) {
    const [clientPort, clusterPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    servers.push({
      name: `${name}-n${i + 1}`,
      clientPort,
      clusterPort,
      httpPort,
      url: `nats://127.0.0.1:${clientPort}`,
      monitorUrl: `http://127.0.0.1:${httpPort}`,
      process: null,
      configFile: join(dir, `n${i + 1}.conf`),
    });
  }
  servers.forEach((s, i) => {
    const routes = servers.filter((o) => o !== s).map((o) => `nats-route://127.0.0.1:${o.clusterPort}`);
    const zone = options.zones?.[i];
    const conf = [
      `server_name: ${s.name}`,
      `listen: 127.0.0.1:${s.clientPort}`,
      `http: 127.0.0.1:${s.httpPort}`,
      zone ? `server_tags: ["az:${zone}"]` : '',
      `cluster { name: ${name}, listen: 127.0.0.1:${s.clusterPort}, routes: [${routes.join(', ')}] }`,
      options.extraConfig?.({ name: s.name, index: i }) ?? '',
    ].join('\n');
    writeFileSync(s.configFile, conf);
  });
  for (const s of servers) s.process = spawnServer(s.configFile);
  const cluster: NatsCluster = {
    name,
    servers,
    dir,
    async stop(server) {
      const p = server.process;
      server.process = null;
      if (p && p.exitCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGKILL');
        await exited;
      }
    },
    async close() {
      await Promise.all(servers.map((s) => cluster.stop(s)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForRoutes(servers, size - 1);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

function spawnServer(configFile: string): ChildProcess {
  const child = spawn(NATS_SERVER, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  child.on('error', (err) => {
    throw new Error(`cannot start ${NATS_SERVER}: ${err.message}. Install it: apt-get install -y nats-server`);
  });
  return child;
}

async function waitForRoutes(servers: NatsServerHandle[], routes: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(
      servers.map(async (s) => {
        try {
          const res = await fetch(`${s.monitorUrl}/varz`, { signal: AbortSignal.timeout(1000) });
          return Number(((await res.json()) as { routes?: number }).routes ?? 0);
        } catch {
          return -1;
        }
      }),
    );
    if (counts.every((c) => c >= routes)) return;
    if (Date.now() > deadline) throw new Error(`nats cluster did not form within ${timeoutMs} ms (routes per server: ${counts.join(', ')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
