import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, startTestServer, type TestServer } from './support/server.ts';

describe('request logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => server?.close());

  it('write one structured line per request, with path, status and time but never the query', async () => {
    const secret = 'nats://admin:hunter2@example:4222';
    const input = encodeURIComponent(JSON.stringify({ id: secret }));
    server.logs.length = 0;
    expect((await fetch(`${server.url}/trpc/designs.get?input=${input}`, { headers: APP })).status).toBe(404);
    expect((await fetch(`${server.url}/no-such-page?token=${encodeURIComponent(secret)}`)).status).toBe(404);
    const lines = server.logs.map((l) => JSON.parse(l) as Record<string, any>);
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done.map((l) => [l.req.method, l.req.path, l.res.statusCode])).toEqual([
      ['GET', '/trpc/designs.get', 404],
      ['GET', '/no-such-page', 404],
    ]);
    for (const l of done) expect(l.responseTime).toBeGreaterThan(0);
    expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    expect(lines.find((l) => /not found/.test(l.msg))?.msg).toBe('Route GET:/no-such-page not found');
    expect(server.logs.join('\n')).not.toMatch(/hunter2|admin%3A/);
  });
});
