/**
 * The entry point of every rehearsal process (a bundle replica, the databases or the load
 * generator): forked by the orchestrator, told its role over IPC, and gone when the
 * orchestrator disconnects.
 */
import { createServer, type Server } from 'node:http';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Clock } from './clock.ts';
import { Databases } from './database.ts';
import { GENERATOR_HOST, LoadGenerator } from './generator.ts';
import { microbusMetrics } from './metrics.ts';
import type { FromChild, ToChild } from './protocol.ts';
import { BundleReplica } from './replica.ts';

const send = (m: FromChild) => process.send?.(m);

let replica: BundleReplica | null = null;
let databases: Databases | null = null;
let generator: LoadGenerator | null = null;
let metricsServer: Server | null = null;
const connections: NatsConnection[] = [];

async function open(url: string, name: string | null): Promise<NatsConnection> {
  const nc = await connect({ servers: url, ...(name ? { name } : {}), reconnect: false, noEcho: true });
  connections.push(nc);
  return nc;
}

async function init(m: Extract<ToChild, { type: 'init' }>): Promise<void> {
  const { plan, role, servers } = m;
  const clock = new Clock();
  if (role.kind === 'replica') {
    const spec = plan.replicas.find((r) => r.id === role.replicaId);
    if (!spec) throw new Error(`no replica ${role.replicaId} in the plan`);
    const url = servers[spec.server];
    if (!url) throw new Error(`no server ${spec.server}`);
    // Microbus pools one connection per process when its services share credentials; its name lists them.
    const nc = await open(
      url,
      Object.entries(spec.ids)
        .map(([host, id]) => `${id}.${host}`)
        .join(','),
    );
    const registry = microbusMetrics();
    replica = new BundleReplica(plan, spec, nc, clock, registry, m.seed);
    const started = Date.now();
    metricsServer = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      replica?.recordUptime((Date.now() - started) / 1000);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(registry.text());
    });
    const port = await new Promise<number>((resolve, reject) => {
      metricsServer?.once('error', reject);
      metricsServer?.listen(0, '127.0.0.1', () => {
        const a = metricsServer?.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
    await nc.flush();
    send({ type: 'ready', metricsPort: port });
    return;
  }
  if (role.kind === 'database') {
    const server = plan.servers[0];
    const url = server ? servers[server.name] : undefined;
    if (!server || !url) throw new Error('no NATS server for the databases');
    const nc = await open(url, 'databases.busboard');
    databases = new Databases(plan, nc, clock, server.zone, m.seed);
    await nc.flush();
    send({ type: 'ready', metricsPort: null });
    return;
  }
  const byZone = new Map<string, NatsConnection>();
  for (const zone of new Set(plan.sources.map((s) => s.zone))) {
    const server = plan.servers.find((s) => s.zone === zone);
    const url = server ? servers[server.name] : undefined;
    if (!url) continue;
    byZone.set(zone, await open(url, `${GENERATOR_HOST}.${zone}`));
  }
  // Distinct instance ids per zone: answers come back on `<plane>.reply…<id>`, queue group = id.
  const zones = [...byZone.keys()];
  generator = new LoadGenerator(plan, byZone, clock, (zone) => `loadgen${String(zones.indexOf(zone)).padStart(3, '0')}`, m.seed);
  for (const nc of byZone.values()) await nc.flush();
  send({ type: 'ready', metricsPort: null });
}

async function shutdown(): Promise<void> {
  generator?.close();
  replica?.close();
  metricsServer?.close();
  await Promise.allSettled(connections.map((nc) => nc.close()));
  process.exit(0);
}

process.on('message', (m: ToChild) => {
  switch (m.type) {
    case 'init':
      init(m).catch((err: Error) => send({ type: 'error', message: err.message }));
      break;
    case 'start':
      generator?.start();
      break;
    case 'quiet':
      generator?.stop();
      break;
    case 'reset':
      replica?.reset();
      databases?.reset();
      generator?.reset();
      break;
    case 'tick':
      if (replica) send({ type: 'tick', replica: replica.tick() });
      if (generator) send({ type: 'tick', entries: generator.tick() });
      break;
    case 'report':
      if (replica) send({ type: 'report', replica: replica.report() });
      else if (databases) send({ type: 'report', database: databases.report() });
      else if (generator) send({ type: 'report', generator: generator.report() });
      break;
    case 'stop':
      void shutdown();
      break;
  }
});
// The orchestrator went away (crashed, killed): nothing is left to serve.
process.on('disconnect', () => void shutdown());
