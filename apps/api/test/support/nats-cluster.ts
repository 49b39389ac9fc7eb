/**
 * Starts real nats-server processes for tests: a cluster of N servers on free ports, each
 * with HTTP monitoring, routes to every other server, and an optional system account.
 *
 * `startSupercluster` starts several such clusters joined by gateways, with accounts
 * (`SYS` as the system account, `APP` for ordinary clients, anonymous clients land in APP),
 * WebSocket ports and leaf-node ports on demand.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? 'nats-server';

/**
 * A free TCP port below Linux's ephemeral range (32768–60999): a port the kernel hands out
 * for `listen(0)` can be taken by any outgoing connection before the server binds it, which
 * made clusters fail to start now and then. Ports are tried at random from 20000–32767.
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

/** Ports this process handed out already (two servers of one test never get the same one). */
const taken = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
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
  /** The cluster this server belongs to. */
  cluster?: string;
  /** Its `az:` zone tag, when one was given. */
  zone?: string;
  gatewayPort?: number;
  /** WebSocket port (`ws://127.0.0.1:<port>`), when websockets were asked for. */
  wsPort?: number;
  wsUrl?: string;
  leafPort?: number;
}

export interface NatsCluster {
  name: string;
  servers: NatsServerHandle[];
  dir: string;
  stop(server: NatsServerHandle): Promise<void>;
  /** Starts a stopped server again with the same configuration and ports. */
  start(server: NatsServerHandle): Promise<void>;
  close(): Promise<void>;
}

/** Users of the accounts block (`accounts: true`). */
export const SYS_USER = { user: 'sys', pass: 'sys-secret' } as const;
export const APP_USER = { user: 'app', pass: 'app-secret' } as const;

export interface ClusterOptions {
  size?: number;
  name?: string;
  /** Extra config appended to every server's file (accounts, gateways…). */
  extraConfig?: (server: { name: string; index: number }) => string;
  /** Zone tag per server, `az:<zone>` in server_tags. */
  zones?: string[];
  /** Accounts SYS (system account, user `sys`) and APP (user `app`; anonymous clients land here). */
  accounts?: boolean;
  /** A WebSocket listener (no TLS) on every server. */
  websocket?: boolean;
  /** A leaf-node listener on every server. */
  leafnodes?: boolean;
  /** More users of the APP account (with `accounts`): per-service credentials. */
  appUsers?: Array<{ user: string; pass: string }>;
  /** JetStream on every server (`jetstream { store_dir }` in the cluster's temporary directory; with `accounts`, APP gets it). */
  jetstream?: boolean;
}

interface Allocated {
  name: string;
  options: ClusterOptions;
  servers: NatsServerHandle[];
}

async function allocate(options: ClusterOptions, withGateway: boolean, dir: string): Promise<Allocated> {
  const size = options.size ?? 3;
  const name = options.name ?? `c${Math.random().toString(36).slice(2, 8)}`;
  const servers: NatsServerHandle[] = [];
  for (let i = 0; i < size; i++) {
    const [clientPort, clusterPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const handle: NatsServerHandle = {
      name: `${name}-n${i + 1}`,
      clientPort,
      clusterPort,
      httpPort,
      url: `nats://127.0.0.1:${clientPort}`,
      monitorUrl: `http://127.0.0.1:${httpPort}`,
      process: null,
      configFile: join(dir, `${name}-n${i + 1}.conf`),
      cluster: name,
    };
    const zone = options.zones?.[i];
    if (zone) handle.zone = zone;
    if (withGateway) handle.gatewayPort = await freePort();
    if (options.websocket) {
      handle.wsPort = await freePort();
      handle.wsUrl = `ws://127.0.0.1:${handle.wsPort}`;
    }
    if (options.leafnodes) handle.leafPort = await freePort();
    servers.push(handle);
  }
  return { name, options, servers };
}

function accountsBlock(appUsers: ReadonlyArray<{ user: string; pass: string }> = [], jetstream = false): string {
  const app = [APP_USER, ...appUsers].map((u) => `{user: ${u.user}, password: ${u.pass}}`).join(', ');
  return [
    'accounts {',
    `  SYS: { users: [{user: ${SYS_USER.user}, password: ${SYS_USER.pass}}] }`,
    `  APP: { users: [${app}]${jetstream ? ', jetstream: enabled' : ''} }`,
    '}',
    'system_account: SYS',
    'no_auth_user: app',
  ].join('\n');
}

function writeConfigs(all: Allocated[], dir: string): void {
  for (const c of all) {
    c.servers.forEach((s, i) => {
      const routes = c.servers.filter((o) => o !== s).map((o) => `nats-route://127.0.0.1:${o.clusterPort}`);
      const gateways = all
        .filter((o) => o !== c)
        .map((o) => `{name: ${o.name}, urls: [${o.servers.map((g) => `nats://127.0.0.1:${g.gatewayPort}`).join(', ')}]}`);
      const conf = [
        `server_name: ${s.name}`,
        `listen: 127.0.0.1:${s.clientPort}`,
        `http: 127.0.0.1:${s.httpPort}`,
        s.zone ? `server_tags: ["az:${s.zone}"]` : '',
        `cluster { name: ${c.name}, listen: 127.0.0.1:${s.clusterPort}, routes: [${routes.join(', ')}] }`,
        s.gatewayPort ? `gateway { name: ${c.name}, listen: 127.0.0.1:${s.gatewayPort}, gateways: [${gateways.join(', ')}] }` : '',
        s.wsPort ? `websocket { listen: "127.0.0.1:${s.wsPort}", no_tls: true }` : '',
        s.leafPort ? `leafnodes { listen: 127.0.0.1:${s.leafPort} }` : '',
        c.options.jetstream ? `jetstream { store_dir: "${join(dir, `${s.name}-js`)}" }` : '',
        c.options.accounts ? accountsBlock(c.options.appUsers, c.options.jetstream) : '',
        c.options.extraConfig?.({ name: s.name, index: i }) ?? '',
      ].join('\n');
      writeFileSync(s.configFile, conf);
    });
  }
}

function makeCluster(a: Allocated, dir: string, ownsDir: boolean): NatsCluster {
  const cluster: NatsCluster = {
    name: a.name,
    servers: a.servers,
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
    async start(server) {
      if (server.process) return;
      server.process = spawnServer(server.configFile);
      await waitForMonitor(server);
    },
    async close() {
      await Promise.all(a.servers.map((s) => cluster.stop(s)));
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export async function startCluster(options: ClusterOptions = {}): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), `busboard-nats-${options.name ?? 'c'}-`));
  const allocated = await allocate(options, false, dir);
  writeConfigs([allocated], dir);
  const cluster = makeCluster(allocated, dir, true);
  for (const s of allocated.servers) s.process = spawnServer(s.configFile);
  try {
    await waitForRoutes(allocated.servers, allocated.servers.length - 1);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

export interface Supercluster {
  clusters: NatsCluster[];
  /** Every server of every cluster, in order. */
  servers: NatsServerHandle[];
  dir: string;
  stop(server: NatsServerHandle): Promise<void>;
  start(server: NatsServerHandle): Promise<void>;
  close(): Promise<void>;
}

/**
 * Several clusters joined by gateways (each server's gateway lists every server of the other
 * clusters). `accounts` defaults to true here, so `$SYS.REQ.SERVER.PING` reaches every server.
 */
export async function startSupercluster(
  clusters: ClusterOptions[],
  common: Omit<ClusterOptions, 'size' | 'name' | 'zones'> = {},
): Promise<Supercluster> {
  const dir = mkdtempSync(join(tmpdir(), 'busboard-nats-super-'));
  const allocated: Allocated[] = [];
  for (const c of clusters) allocated.push(await allocate({ accounts: true, ...common, ...c }, clusters.length > 1, dir));
  writeConfigs(allocated, dir);
  const made = allocated.map((a) => makeCluster(a, dir, false));
  const servers = allocated.flatMap((a) => a.servers);
  const owner = (s: NatsServerHandle) => made.find((c) => c.servers.includes(s));
  const sc: Supercluster = {
    clusters: made,
    servers,
    dir,
    async stop(server) {
      await owner(server)?.stop(server);
    },
    async start(server) {
      await owner(server)?.start(server);
    },
    async close() {
      await Promise.all(made.map((c) => c.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const s of servers) s.process = spawnServer(s.configFile);
  try {
    await Promise.all(allocated.map((a) => waitForRoutes(a.servers, a.servers.length - 1)));
    if (allocated.length > 1) await waitForGateways(servers, allocated.length - 1);
  } catch (err) {
    await sc.close();
    throw err;
  }
  return sc;
}

function spawnServer(configFile: string): ChildProcess {
  const child = spawn(NATS_SERVER, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  child.on('error', (err) => {
    throw new Error(`cannot start ${NATS_SERVER}: ${err.message}. Install it: apt-get install -y nats-server`);
  });
  return child;
}

async function getJson(url: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function waitFor(what: string, check: () => Promise<string | null>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = await check();
    if (problem === null) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms (${problem})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForMonitor(server: NatsServerHandle): Promise<void> {
  await waitFor(`nats server ${server.name} did not answer`, async () => ((await getJson(`${server.monitorUrl}/varz`)) ? null : 'no /varz'));
}

async function waitForRoutes(servers: NatsServerHandle[], routes: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    'nats cluster did not form',
    async () => {
      const counts = await Promise.all(servers.map(async (s) => Number((await getJson(`${s.monitorUrl}/varz`))?.routes ?? -1)));
      return counts.every((c) => c >= routes) ? null : `routes per server: ${counts.join(', ')}`;
    },
    timeoutMs,
  );
}

async function waitForGateways(servers: NatsServerHandle[], gateways: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    'nats gateways did not connect',
    async () => {
      const counts = await Promise.all(
        servers.map(async (s) => {
          const gz = await getJson(`${s.monitorUrl}/gatewayz`);
          // Every server has an outbound gateway per remote cluster; inbound ones land on just some servers.
          return Object.keys((gz?.outbound_gateways as object | undefined) ?? {}).length;
        }),
      );
      return counts.every((c) => c >= gateways) ? null : `gateways per server: ${counts.join(', ')}`;
    },
    timeoutMs,
  );
}
