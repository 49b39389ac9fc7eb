/** Picks the backend from the configuration: PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR. */
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { DesignStore, StoreOptions } from './types.ts';

export async function openStore(config: { dataDir: string; databaseUrl?: string }, options: StoreOptions = {}): Promise<DesignStore> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl, options) : openSqliteStore(config.dataDir, options);
}
