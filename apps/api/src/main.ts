/** `npm start`: the embedded default (SQLite under DATA_DIR, bundled examples, no NATS needed). */
import { loadConfig } from './config.ts';
import { connectionsFromEnv } from './live/config.ts';
import { LiveRegistry, memoryConnectionStore } from './live/registry.ts';
import { buildServer } from './server.ts';
import { seedExamples } from './storage/seed.ts';
import { openSqliteStore } from './storage/sqlite.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  for (const e of loaded.errors) console.error(`busboard: ${e}`);
  process.exit(2);
}
const { config } = loaded;
const liveEnv = connectionsFromEnv(process.env);
if (!liveEnv.ok) {
  for (const e of liveEnv.errors) console.error(`busboard: ${e}`);
  process.exit(2);
}
const store = openSqliteStore(config.dataDir);
const seeded = seedExamples(store);
const live = new LiveRegistry(memoryConnectionStore(liveEnv.connections));
const app = await buildServer(config, { store, live });

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  store.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await app.listen({ port: config.port, host: config.host });
  if (seeded) app.log.info(`seeded ${seeded} example designs into ${config.dataDir}`);
  console.log(`Busboard is serving http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') console.error(`busboard: port ${config.port} on ${config.host} is in use; set PORT to a free port`);
  else console.error(`busboard: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  store.close();
  process.exit(1);
}
