import { request } from 'node:http';
import type { AppRouter } from '@busboard/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, startTestServer, type TestServer, trpcHttp } from './support/server.ts';

const TOKEN = 'tok-3f9a1c7e52b84d06a9e1-c08d7b5e4a1f';

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
        request({ host: '127.0.0.1', port, path, headers: APP }, (res) => {
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

  it("accepts the token from a live stream's connection parameters (EventSource cannot send headers), and only there", async () => {
    const params = encodeURIComponent(JSON.stringify({ token: TOKEN }));
    const sse = { accept: 'text/event-stream' };
    // Any other GET, even one that asks for an event stream, needs the token in its header.
    expect((await fetch(`${server.url}/trpc/designs.list?connectionParams=${params}`, { headers: APP })).status).toBe(401);
    expect((await fetch(`${server.url}/trpc/designs.list?connectionParams=${params}`, { headers: { ...sse, ...APP } })).status).toBe(401);
    expect((await fetch(`${server.url}/trpc/credentials.list?connectionParams=${params}`, { headers: sse })).status).toBe(403);
    // The live stream takes it (its input names no connection here, so tRPC answers, not the guard).
    const input = encodeURIComponent(JSON.stringify({ connectionId: 'none' }));
    const stream = await fetch(`${server.url}/trpc/live.watch?input=${input}&connectionParams=${params}`, { headers: sse });
    expect(stream.status).not.toBe(401);
    expect(stream.status).not.toBe(403);
    await stream.body?.cancel();
    const wrong = encodeURIComponent(JSON.stringify({ token: `${TOKEN}x` }));
    expect((await fetch(`${server.url}/trpc/live.watch?input=${input}&connectionParams=${wrong}`, { headers: sse })).status).toBe(401);
  });

  it('lets the tRPC client see UNAUTHORIZED for every call of a batch', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc`, headers: APP })] });
    const results = await Promise.allSettled([client.designs.list.query(), client.designs.trash.query()]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(TRPCClientError);
      expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
    const authed = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${TOKEN}`, ...APP } })],
    });
    expect(await authed.designs.list.query()).toEqual([]);
  });
});

describe('wrong tokens are throttled per address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { BUSBOARD_TOKEN: TOKEN } });
  });
  afterAll(async () => server?.close());

  it('answers 429 with Retry-After after 10 wrong tokens, refuses even the right one while it waits, and lets it in afterwards', async () => {
    const wrong = { authorization: `Bearer ${TOKEN}-guess` };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await trpcHttp(server.url, 'designs.list', undefined, 'query', wrong)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([401, 429]);
    const blocked = await fetch(`${server.url}/trpc/designs.list`, { headers: { ...APP, authorization: `Bearer ${TOKEN}` } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(
      /^too many wrong access tokens from 127\.0\.0\.1; try again in \d+ s$/,
    );
    // The pause after the 11th wrong token is 1 s (it doubles with each further one).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await trpcHttp(server.url, 'designs.list', undefined, 'query', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await trpcHttp(server.url, 'designs.list', undefined, 'query', wrong)).status).toBe(401);
  });
});

describe('calls need proof they come from the app, with or without a token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('refuses a GET or POST with neither X-Busboard-Request nor Sec-Fetch-Site same-origin/none, and says what to send', async () => {
    const input = encodeURIComponent(JSON.stringify({ doc: {} }));
    for (const headers of [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/trpc/designs.list`, { headers });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/send the header "X-Busboard-Request: 1"/);
      expect((await fetch(`${server.url}/trpc/simulate.run?input=${input}`, { headers })).status).toBe(403);
      const post = await fetch(`${server.url}/trpc/designs.save`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'x', doc: {} }),
      });
      expect(post.status).toBe(403);
    }
    // A preflight for a cross-site call with our header is refused too (it carries only the header's name).
    const preflight = await fetch(`${server.url}/trpc/designs.save`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-busboard-request', 'sec-fetch-site': 'cross-site' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    for (const headers of [APP, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }]) {
      expect((await fetch(`${server.url}/trpc/designs.list`, { headers })).status).toBe(200);
    }
    expect(await server.store.list()).toEqual([]);
  });

  it('answers deeply nested JSON with 400 and says so, in a body or in a query', async () => {
    const N = 100_000;
    const deep = `${'['.repeat(N)}${']'.repeat(N)}`;
    const checkout = (await import('@busboard/core')).EXAMPLES.find((e) => e.id === 'checkout')?.doc;
    const body = JSON.stringify({ name: 'x', doc: checkout }).replace('"doc":{', `"doc":{"x":${deep},`);
    const res = await fetch(`${server.url}/trpc/designs.save`, { method: 'POST', headers: { 'content-type': 'application/json', ...APP }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^the request's body nests JSON more than 64 levels deep \(at position \d+\); no Busboard document needs that many$/,
    );
    const q = `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`;
    const get = await fetch(`${server.url}/trpc/simulate.run?input=${encodeURIComponent(q)}`, { headers: APP });
    expect(get.status).toBe(400);
    expect(((await get.json()) as { error: { message: string } }).error.message).toMatch(/input parameter nests JSON more than 64 levels/);
    // Brackets inside strings do not count.
    const named = await trpcHttp(server.url, 'designs.save', { name: '['.repeat(150), doc: checkout }, 'mutation');
    expect(named.status).toBe(200);
  });
});
