/**
 * `npm start`: configuration from the environment, the design store (SQLite under DATA_DIR, or
 * PostgreSQL with DATABASE_URL), the credential key, the bundled examples on first start, and
 * a graceful shutdown that lets in-flight saves finish.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { loadConfig, outboundOptions } from './config.ts';
import { connectionsFromEnv } from './live/config.ts';
import { LiveRegistry } from './live/registry.ts';
import { createOutboundPolicy } from './outbound.ts';
import { PrometheusSources, prometheusFromEnv } from './prometheus/source.ts';
import { RehearsalManager } from './rehearse/manager.ts';
import { loadKey } from './secrets/cipher.ts';
import { sealedConnectionStore } from './secrets/connections.ts';
import { createCredentialStore } from './secrets/credentials.ts';
import { buildServer } from './server.ts';
import { openStore } from './storage/open.ts';
import { StoreOpenError } from './storage/open-error.ts';
import { describeDatabaseUrl } from './storage/postgres.ts';
import { startRetention } from './storage/retention.ts';
import { seedExamples } from './storage/seed.ts';

const fail = (message: string, code = 2): never => {
  console.error(`busboard: ${message}`);
  process.exit(code);
};

const loaded = loadConfig();
if (!loaded.ok) {
  for (const e of loaded.errors) console.error(`busboard: ${e}`);
  process.exit(2);
}
const { config, warnings } = loaded;
const liveEnv = connectionsFromEnv(process.env);
if (!liveEnv.ok) {
  for (const e of liveEnv.errors) console.error(`busboard: ${e}`);
  process.exit(2);
}
const prometheusEnv = prometheusFromEnv(process.env);
if (!prometheusEnv.ok) {
  console.error(`busboard: ${prometheusEnv.error}`);
  process.exit(2);
}
try {
  mkdirSync(config.dataDir, { recursive: true });
  accessSync(config.dataDir, constants.W_OK);
} catch (err) {
  fail(
    `DATA_DIR=${config.dataDir} is not a writable directory (${(err as NodeJS.ErrnoException).code}); point DATA_DIR at one Busboard may write to`,
  );
}
const key = loadKey({ secret: config.secret, dataDir: config.dataDir });
if (!key.ok) fail(key.message);

let store: Awaited<ReturnType<typeof openStore>>;
try {
  store = await openStore(config);
} catch (err) {
  if (err instanceof StoreOpenError) fail(err.message, 1);
  throw err;
}
const credentials = createCredentialStore(store.sealed, (key as Extract<typeof key, { ok: true }>).key);
const seeded = await seedExamples(store);
// Connections added on the Live page, with their credentials, sealed in the database.
const connectionProblems: string[] = [];
let reportConnection: (m: string) => void = (m) => {
  connectionProblems.push(m);
};
const connections = await sealedConnectionStore(credentials, liveEnv.connections, (m) => reportConnection(m));
// The hosts and credentials directories the server may use (outbound.ts): by default those configured here.
const outbound = createOutboundPolicy(
  outboundOptions(config, [
    ...liveEnv.connections.flatMap((c) => [...c.servers, ...c.monitorUrls]),
    ...(prometheusEnv.source ? [prometheusEnv.source.url] : []),
  ]),
);
const live = new LiveRegistry(connections, { outbound });
const rehearsals = new RehearsalManager(live, undefined, process.env.BUSBOARD_REHEARSAL_SD_FILE || undefined);
const prometheus = new PrometheusSources(prometheusEnv.source, credentials, outbound);
const prometheusProblem = await prometheus.load();
const app = await buildServer(config, { store, credentials, live, rehearsals, prometheus, outbound });
for (const w of [...warnings, ...connectionProblems, ...(prometheusProblem ? [prometheusProblem] : [])]) app.log.warn(w);
reportConnection = (m) => app.log.warn(m);
const retention = startRetention(store, (n) => app.log.info({ purged: n }, 'purged designs deleted more than 30 days ago'));

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  // Force the exit if something hangs; in-flight saves normally finish within milliseconds.
  setTimeout(() => {
    app.log.error('shutdown took longer than 15 s; exiting');
    process.exit(1);
  }, 15_000).unref();
  retention.stop();
  await rehearsals.stopAll();
  await app.close();
  await connections.flush();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  // A deep accept queue: a thousand browsers (re)opening their live streams at once are not dropped and retried.
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  const storage = config.databaseUrl ? `PostgreSQL at ${describeDatabaseUrl(config.databaseUrl)}` : `SQLite in ${config.dataDir}`;
  app.log.info({ storage, auth: config.token ? 'token' : 'none (loopback only)' }, 'ready');
  if (seeded) app.log.info(`seeded ${seeded} example designs`);
  const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`Busboard is serving http://${shown}:${config.port} (designs in ${storage}${config.token ? '; token required' : ''})`);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  await store.close();
  if (code === 'EADDRINUSE') fail(`port ${config.port} on ${config.host} is in use; set PORT to a free port`, 1);
  else fail(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`, 1);
}
