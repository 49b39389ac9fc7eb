/**
 * The PostgreSQL store's own schema migrations, recorded in `busboard_schema`. Several API
 * processes may start at once against one database: an advisory lock lets one migrate while
 * the others wait, then find nothing left to do. Append only.
 */
import type pg from 'pg';

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: designs with history, the trash, sealed credentials (the SQLite store's schema 2).
  `CREATE TABLE designs (
     id text PRIMARY KEY,
     name text NOT NULL,
     revision integer NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     updated_by text NOT NULL,
     deleted_at timestamptz,
     deleted_by text
   );
   CREATE INDEX designs_by_update ON designs (updated_at DESC) WHERE deleted_at IS NULL;
   CREATE TABLE revisions (
     design_id text NOT NULL REFERENCES designs (id) ON DELETE CASCADE,
     revision integer NOT NULL,
     name text NOT NULL,
     doc text NOT NULL,
     author text NOT NULL,
     message text NOT NULL,
     autosave boolean NOT NULL,
     saves integer NOT NULL,
     started_at timestamptz NOT NULL,
     created_at timestamptz NOT NULL,
     folded_from integer,
     PRIMARY KEY (design_id, revision)
   );
   CREATE TABLE sealed_records (
     name text PRIMARY KEY,
     key_id text NOT NULL,
     sealed bytea NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE TABLE markers (key text PRIMARY KEY, at timestamptz NOT NULL);`,
  // 2: documents compressed with lz4 (about 6× less CPU than the default pglz for similar size),
  // where the server has it; without it the column keeps the default.
  `DO $$ BEGIN
     ALTER TABLE revisions ALTER COLUMN doc SET COMPRESSION lz4;
   EXCEPTION WHEN OTHERS THEN NULL;
   END $$;`,
];

/** 'busb' as a 32-bit integer: the advisory lock key that serialises migrations. */
const MIGRATION_LOCK = 0x62757362;

export type MigrationOutcome = { ok: true; from: number; to: number } | { ok: false; message: string };

export async function migratePostgres(client: pg.ClientBase, where: string): Promise<MigrationOutcome> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS busboard_schema (version integer NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM busboard_schema')).rows;
    const from = rows[0]?.version ?? 0;
    if (from > POSTGRES_MIGRATIONS.length) {
      await client.query('ROLLBACK');
      return {
        ok: false,
        message: `${where} has Busboard schema version ${from}, written by a newer Busboard (this one knows up to ${POSTGRES_MIGRATIONS.length}); upgrade Busboard`,
      };
    }
    for (let v = from; v < POSTGRES_MIGRATIONS.length; v++) await client.query(POSTGRES_MIGRATIONS[v] as string);
    if (rows.length === 0) await client.query('INSERT INTO busboard_schema (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
    else await client.query('UPDATE busboard_schema SET version = $1', [POSTGRES_MIGRATIONS.length]);
    await client.query('COMMIT');
    return { ok: true, from, to: POSTGRES_MIGRATIONS.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
