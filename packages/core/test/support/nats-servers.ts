/**
 * Real nats-server processes for the export's tests: start a set from config files, wait for
 * their routes, and read whether they form a full mesh (every server routed to every other,
 * by server id from /varz and /routez), then stop them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';

/**
 * A free TCP port below Linux's ephemeral range (32768–60999): a port the kernel hands out
 * for `listen(0)` can be taken by an outgoing connection before the server binds it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (port === 4222 || taken.has(port)) continue;
    if (await canListen(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port found in 20000–32767');
}

const taken = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** `nats-server -t`: the config parses and every file it names exists. */
export function checkConf(file: string, env: Record<string, string> = {}) {
  return spawnSync(NATS_SERVER, ['-t', '-c', file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
}

export interface RunningServer {
  http: number;
  child: ChildProcess;
  log: () => string;
}

/** Starts a server with only `env` in its environment (as a container would have). */
export function startServer(file: string, http: number, env: Record<string, string>): RunningServer {
  const child = spawn(NATS_SERVER, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  return { http, child, log: () => out };
}

export function stopAll(servers: readonly RunningServer[]): void {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
}

interface Varz {
  server_id: string;
  server_name: string;
  routes: number;
  cluster: { name: string };
}

async function json<T>(url: string): Promise<T | null> {
  try {
    const r = await fetch(url);
    return r.ok ? ((await r.json()) as T) : null;
  } catch {
    return null;
  }
}

/**
 * Waits (up to `timeoutMs`, generous for a loaded machine) until every server routes to
 * every other one; returns each server's name, cluster and the ids its routes reach.
 */
export async function waitForMesh(servers: readonly RunningServer[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const varz = await Promise.all(servers.map((s) => json<Varz>(`http://127.0.0.1:${s.http}/varz`)));
    const routez = await Promise.all(servers.map((s) => json<{ routes: { remote_id: string }[] | null }>(`http://127.0.0.1:${s.http}/routez`)));
    const mesh = servers.map((_, i) => ({
      name: varz[i]?.server_name ?? '',
      cluster: varz[i]?.cluster.name ?? '',
      id: varz[i]?.server_id ?? '',
      peers: [...new Set((routez[i]?.routes ?? []).map((r) => r.remote_id))].sort(),
    }));
    const ids = mesh.map((m) => m.id);
    const full = mesh.every((m, i) => m.id && JSON.stringify(m.peers) === JSON.stringify(ids.filter((_, j) => j !== i).sort()));
    if (full || Date.now() > deadline || servers.some((s) => s.child.exitCode !== null)) return { full, mesh };
    await new Promise((r) => setTimeout(r, 150));
  }
}
