import { request } from 'node:http';
import type { AppRouter } from '@busboard/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, trpcHttp } from './support/server.ts';

const TOKEN = 'tok-3f9a1c7e52b84d06a9e1';

describe('access token (BUSBOARD_TOKEN)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { BUSBOARD_TOKEN: TOKEN } });
  });
  afterAll(async () => server?.close());

  it('answers 401 to a call without the token, or with a wrong one, and says what is missing', async () => {
    const none = await trpcHttp(server.url, 'designs.list', undefined);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ message: expect.stringContaining('needs an access token'), data: { code: 'UNAUTHORIZED' } });
    const wrong = await trpcHttp(server.url, 'designs.list', undefined, 'query', { authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.message).toBe('the access token is wrong');
    const save = await trpcHttp(server.url, 'designs.save', { name: 'x', doc: {} }, 'mutation');
    expect(save.status).toBe(401);
    expect(await server.store.list()).toEqual([]);
  });

  it('guards every spelling of a tRPC path (percent-encoded, dot segments), not just the literal /trpc prefix', async () => {
    const port = new URL(server.url).port;
    for (const path of ['/%74rpc/designs.list', '/trpc/../trpc/designs.list', '/%2574rpc/designs.list', '/trpc%2Fdesigns.list']) {
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect([401, 404], path).toContain(status);
    }
  });

  it('serves calls with the token, and leaves /healthz, /readyz and the web app open', async () => {
    const ok = await trpcHttp(server.url, 'designs.list', undefined, 'query', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it("accepts the token from an event stream's connection parameters (EventSource cannot send headers), and only there", async () => {
    const params = encodeURIComponent(JSON.stringify({ token: TOKEN }));
    const url = `${server.url}/trpc/designs.list?connectionParams=${params}`;
    expect((await fetch(url)).status).toBe(401);
    const stream = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).not.toBe(401);
    await stream.body?.cancel();
    const wrong = encodeURIComponent(JSON.stringify({ token: `${TOKEN}x` }));
    expect((await fetch(`${server.url}/trpc/designs.list?connectionParams=${wrong}`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
  });

  it('lets the tRPC client see UNAUTHORIZED for every call of a batch', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
    const results = await Promise.allSettled([client.designs.list.query(), client.designs.trash.query()]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(TRPCClientError);
      expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
    const authed = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${TOKEN}` } })],
    });
    expect(await authed.designs.list.query()).toEqual([]);
  });
});
