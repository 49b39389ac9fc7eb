/** Sealed records (encrypted NATS credentials) in PostgreSQL. */
import type pg from 'pg';
import type { SealedRecord, SealedTable } from './types.ts';

interface PgSealedRow {
  name: string;
  key_id: string;
  sealed: Buffer;
  created_at: Date;
  updated_at: Date;
}

const dates = (r: Pick<PgSealedRow, 'created_at' | 'updated_at'>) => ({
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function postgresSealed(pool: pg.Pool, now: () => Date): SealedTable {
  return {
    async put(name, keyId, sealed) {
      await pool.query(
        `INSERT INTO sealed_records (name, key_id, sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at`,
        [name, keyId, sealed, now()],
      );
    },
    async get(name) {
      const r = (await pool.query<PgSealedRow>('SELECT name, key_id, sealed, created_at, updated_at FROM sealed_records WHERE name = $1', [name]))
        .rows[0];
      return r && ({ name: r.name, keyId: r.key_id, sealed: r.sealed, ...dates(r) } satisfies SealedRecord);
    },
    async list() {
      const rows = (await pool.query<Omit<PgSealedRow, 'sealed'>>('SELECT name, key_id, created_at, updated_at FROM sealed_records ORDER BY name'))
        .rows;
      return rows.map((r) => ({ name: r.name, keyId: r.key_id, ...dates(r) }));
    },
    async remove(name) {
      return ((await pool.query('DELETE FROM sealed_records WHERE name = $1', [name])).rowCount ?? 0) > 0;
    },
  };
}
