/**
 * Connections added on the Live page keep their credentials encrypted in the database: they
 * survive a restart, the database files never hold the password, and the browser sees none of it.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './support/process.ts';
import { dataOf, tempDir, trpcHttp } from './support/server.ts';

const PASSWORD = 'sys-pass-Q7v2LmX9rT4wZk';

describe('Live-page connections at rest (real server process, SQLite)', () => {
  it('survive a restart, sealed: no password in the database files or in any answer', async () => {
    const dataDir = tempDir('busboard-conn-');
    let server = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const added = await trpcHttp(
        server.url,
        'live.addConnection',
        {
          connection: {
            name: 'prod east',
            servers: ['nats://127.0.0.1:1'],
            auth: { kind: 'user', user: 'app', password: PASSWORD },
            systemAuth: { kind: 'user', user: 'sys', password: PASSWORD },
          },
        },
        'mutation',
      );
      expect(added.text).not.toContain(PASSWORD);
      const { connection } = dataOf<{ connection: { id: string } }>(added);
      // Stored names are kept out of the credentials list, and cannot be written through it.
      expect(dataOf<unknown[]>(await trpcHttp(server.url, 'credentials.list', undefined))).toEqual([]);
      const hijack = await trpcHttp(server.url, 'credentials.save', { name: `live-connection:${connection.id}`, secret: '{}' }, 'mutation');
      expect(hijack.status).toBe(400);

      expect(await server.kill('SIGTERM')).toBe(0);
      for (const f of readdirSync(dataDir).filter((f) => f.startsWith('busboard.sqlite'))) {
        expect(readFileSync(join(dataDir, f)).includes(PASSWORD), f).toBe(false);
      }

      server = await startServerProcess({ DATA_DIR: dataDir });
      const listed = await trpcHttp(server.url, 'live.connections', undefined);
      expect(listed.text).not.toContain(PASSWORD);
      expect(dataOf<{ id: string; name: string; auth: string; systemAuth: string }[]>(listed)).toEqual([
        expect.objectContaining({
          id: connection.id,
          name: 'prod east',
          auth: expect.stringContaining('app'),
          systemAuth: expect.stringContaining('sys'),
        }),
      ]);

      // Removed, it stays removed.
      expect((await trpcHttp(server.url, 'live.removeConnection', { id: connection.id }, 'mutation')).status).toBe(200);
      expect(await server.kill('SIGTERM')).toBe(0);
      server = await startServerProcess({ DATA_DIR: dataDir });
      expect(dataOf<unknown[]>(await trpcHttp(server.url, 'live.connections', undefined))).toEqual([]);
    } finally {
      await server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
