/** The SQLite file and its WAL and shared-memory files are private to the server's user (0600). */
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { startTestServer, tempDir, trpcHttp } from './support/server.ts';

const modeOf = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('SQLite files', () => {
  it('are created 0600 (database, WAL and shared memory), whatever the umask', async () => {
    const old = process.umask(0o022);
    const server = await startTestServer();
    try {
      const saved = await trpcHttp(server.url, 'designs.save', { name: 'x', doc: EXAMPLES[0]?.doc }, 'mutation');
      expect(saved.status).toBe(200);
      const file = join(server.dataDir, 'busboard.sqlite');
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      process.umask(old);
      await server.close();
    }
  });

  it('tightens a world-readable file left by an older version when it opens it', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir });
    await first.close(true);
    const file = join(dataDir, 'busboard.sqlite');
    chmodSync(file, 0o644);
    const second = await startTestServer({ dataDir });
    try {
      expect(modeOf(file)).toBe('600');
    } finally {
      await second.close();
    }
  });
});
