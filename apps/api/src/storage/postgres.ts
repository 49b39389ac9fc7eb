/**
 * PostgreSQL design store (`DATABASE_URL=postgres://…`): the same contract as the SQLite
 * store, for several API processes serving the same designs behind a load balancer. Reads are
 * in postgres-reads.ts, writes in postgres-writes.ts (a save on a named revision is one
 * compare-and-set statement; other writes lock their design's row, so nothing is overwritten
 * silently), sealed records in postgres-sealed.ts, the schema in postgres-schema.ts.
 */
import pg from 'pg';
import { StoreOpenError } from './open-error.ts';
import { postgresReads } from './postgres-reads.ts';
import { migratePostgres } from './postgres-schema.ts';
import { postgresSealed } from './postgres-sealed.ts';
import { postgresWrites } from './postgres-writes.ts';
import { RevisionCache } from './revision-cache.ts';
import type { DesignStore, StoreOptions, StoreResult } from './types.ts';

/** `postgres://user:***@host:5432/db`: a URL fit for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** A pool on a database migrated to this Busboard's schema; a StoreOpenError that says what to do otherwise. */
async function connect(connectionString: string, poolSize: number): Promise<pg.Pool> {
  const where = describeDatabaseUrl(connectionString);
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (a database restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      const migrated = await migratePostgres(client, where);
      if (!migrated.ok) throw new StoreOpenError(migrated.message);
    } finally {
      client.release();
    }
    return pool;
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof StoreOpenError) throw err;
    throw new StoreOpenError(`cannot open PostgreSQL at ${where}: ${(err as Error).message}; start PostgreSQL or fix DATABASE_URL`);
  }
}

export async function openPostgresStore(connectionString: string, options: StoreOptions & { poolSize?: number } = {}): Promise<DesignStore> {
  const now = options.now ?? (() => new Date());
  const pool = await connect(connectionString, options.poolSize ?? 10);
  const writes = postgresWrites(pool, now);

  let closed = false;
  const inflight = new Set<Promise<unknown>>();
  /** Writes are tracked so that `close()` lets them finish (graceful shutdown); refused once closing. */
  const write = <T>(p: () => Promise<StoreResult<T>>): Promise<StoreResult<T>> => {
    if (closed) return Promise.resolve({ ok: false, reason: 'closing' });
    const running = p();
    inflight.add(running);
    void running.finally(() => inflight.delete(running)).catch(() => {});
    return running;
  };

  return {
    backend: 'postgres',
    ...postgresReads(pool, new RevisionCache()),
    sealed: postgresSealed(pool, now),
    save: (input) => write(() => writes.save(input)),
    restore: (input) => write(() => writes.restore(input)),
    delete: (id, author) => write(() => writes.delete(id, author)),
    undelete: (id) => write(() => writes.undelete(id)),
    purgeDeleted: writes.purgeDeleted,
    claimOnce: writes.claimOnce,
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inflight]);
      await pool.end();
    },
  };
}
