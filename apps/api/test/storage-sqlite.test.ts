import { rmSync } from 'node:fs';
import { openSqliteStore } from '../src/storage/sqlite.ts';
import { storageSuite } from './storage/suite.ts';
import { tempDir } from './support/server.ts';

storageSuite({
  name: 'SQLite',
  create: async () => tempDir('busboard-sqlite-'),
  open: async (dir, now) => openSqliteStore(dir, { now }),
  destroy: async (dir) => rmSync(dir, { recursive: true, force: true }),
});
