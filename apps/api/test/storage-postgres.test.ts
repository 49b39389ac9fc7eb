import { openPostgresStore } from '../src/storage/postgres.ts';
import { storageSuite } from './storage/suite.ts';
import { freshDatabase, type TestDatabase } from './support/postgres.ts';

const databases = new Map<string, TestDatabase>();

storageSuite({
  name: 'PostgreSQL',
  async create() {
    const db = await freshDatabase();
    databases.set(db.url, db);
    return db.url;
  },
  open: (url, now) => openPostgresStore(url, { now, poolSize: 4 }),
  destroy: async (url) => databases.get(url)?.drop(),
});
