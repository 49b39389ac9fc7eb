/**
 * Secrets never in URLs, and outbound requests on an allow-list:
 * - a monitoring URL with credentials (`http://user:pass@host:port`) works against a real
 *   nats-server whose monitoring port sits behind HTTP basic auth (a small proxy here, since
 *   nats-server has no auth on monitoring): the proxy sees an Authorization header, and the
 *   password is in no answer, stream, log line or database file, and survives a restart sealed;
 * - the hosts the server may contact and the directories it may read credentials files from
 *   are configuration, refused with the field and the variable to change.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type NatsCluster, startCluster } from './support/nats-cluster.ts';
import { startServerProcess } from './support/process.ts';
import { APP, dataOf, startTestServer, type TestServer, tempDir, trpcHttp } from './support/server.ts';

const PASSWORD = 'mon-Pa55-x7Qz2Lk9';
const EXPECTED = `Basic ${Buffer.from(`mon:${PASSWORD}`).toString('base64')}`;

/** An HTTP proxy in front of a nats-server monitoring port that answers 401 without the right basic auth. */
async function basicAuthProxy(target: string): Promise<{ url: string; authorized: number; refused: number; close(): Promise<void> }> {
  const port = await freePort();
  const counts = { authorized: 0, refused: 0 };
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== EXPECTED) {
      counts.refused++;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="nats"' }).end();
      return;
    }
    counts.authorized++;
    const t = new URL(target);
    request({ host: t.hostname, port: t.port, path: req.url, method: 'GET' }, (up) => {
      res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/json' });
      up.pipe(res);
    })
      .on('error', () => res.writeHead(502).end())
      .end();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `127.0.0.1:${port}`,
    get authorized() {
      return counts.authorized;
    },
    get refused() {
      return counts.refused;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The first few events of a live stream, as text. */
async function streamText(url: string, connectionId: string): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${url}/trpc/live.watch?input=${encodeURIComponent(JSON.stringify({ connectionId }))}`, {
    headers: { accept: 'text/event-stream', ...APP },
    signal: abort.signal,
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  const deadline = Date.now() + 8000;
  while (!text.includes('"state":"ok"') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  return text;
}

describe('credentials in a monitoring URL (real nats-server behind basic auth)', () => {
  let cluster: NatsCluster;
  let proxy: Awaited<ReturnType<typeof basicAuthProxy>>;
  beforeAll(async () => {
    cluster = await startCluster({ size: 1 });
    proxy = await basicAuthProxy(cluster.servers[0]?.monitorUrl as string);
  });
  afterAll(async () => {
    await proxy?.close();
    await cluster?.close();
  });

  it('are split off, sent as an Authorization header, never shown back, and kept sealed across a restart', async () => {
    const dataDir = tempDir('busboard-mon-');
    let server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const answers: string[] = [];
    try {
      const withCreds = `http://mon:${PASSWORD}@${proxy.url}`;
      const shown = `http://${proxy.url}`;
      // live.servers: asked with the header, answered with the URL as it is shown.
      const servers = await trpcHttp(server.url, 'live.servers', { monitorUrls: [withCreds] });
      answers.push(servers.text);
      expect(dataOf<{ url: string; up: boolean; name: string }[]>(servers)).toEqual([
        expect.objectContaining({ url: shown, up: true, name: cluster.servers[0]?.name }),
      ]);

      const added = await trpcHttp(
        server.url,
        'live.addConnection',
        { connection: { name: 'behind auth', monitorUrls: [withCreds], pollMs: 500 } },
        'mutation',
      );
      answers.push(added.text);
      const { connection } = dataOf<{ connection: { id: string; monitorUrls: string[]; monitorAuth: Record<string, string> } }>(added);
      expect(connection.monitorUrls).toEqual([shown]);
      expect(connection.monitorAuth).toEqual({ [shown]: 'user mon' });

      const snap = await trpcHttp(server.url, 'live.snapshot', { connectionId: connection.id });
      answers.push(snap.text);
      const view = dataOf<{ status: { state: string; source: string; sourceDetail: string }; snapshot: { servers: { up: boolean }[] } }>(snap);
      expect(view.status).toMatchObject({ state: 'ok', source: 'monitor' });
      expect(view.status.sourceDetail).toContain(shown);
      expect(view.snapshot.servers.some((s) => s.up)).toBe(true);
      answers.push(await streamText(server.url, connection.id));
      answers.push((await trpcHttp(server.url, 'live.connections', undefined)).text);
      expect(proxy.authorized).toBeGreaterThan(2);
      expect(proxy.refused).toBe(0);

      // After a restart the connection still works: its credentials came back from the sealed store.
      expect(await server.kill('SIGTERM')).toBe(0);
      answers.push(server.output());
      for (const f of readdirSync(dataDir).filter((f) => f.startsWith('busboard.sqlite'))) {
        expect(readFileSync(join(dataDir, f)).includes(PASSWORD), f).toBe(false);
      }
      const before = proxy.authorized;
      server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      const again = await trpcHttp(server.url, 'live.snapshot', { connectionId: connection.id });
      answers.push(again.text);
      expect(dataOf<{ status: { state: string } }>(again).status.state).toBe('ok');
      expect(proxy.authorized).toBeGreaterThan(before);
    } finally {
      await server.kill('SIGTERM');
      answers.push(server.output());
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(answers.join('\n').length).toBeGreaterThan(1000);
    for (const a of answers) {
      expect(a).not.toContain(PASSWORD);
      expect(a).not.toContain(encodeURIComponent(PASSWORD));
    }
    // Two server processes start and stop in this test: slow on a busy machine.
  }, 120_000);
});

describe('outbound allow-list', () => {
  let server: TestServer;
  let credsDir: string;
  beforeAll(async () => {
    credsDir = tempDir('busboard-creds-');
    mkdirSync(join(credsDir, 'allowed'));
    writeFileSync(join(credsDir, 'allowed', 'app.creds'), 'not really creds');
    symlinkSync('/etc/passwd', join(credsDir, 'allowed', 'sneaky.creds'));
    server = await startTestServer({
      env: { BUSBOARD_OUTBOUND_HOSTS: 'nats.internal, *.example.com, 10.0.0.5:8222', BUSBOARD_CREDENTIALS_DIRS: join(credsDir, 'allowed') },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(credsDir, { recursive: true, force: true });
  });

  it('refuses monitoring URLs on hosts not listed (loopback and link-local included), naming the field and the variable', async () => {
    for (const url of ['http://127.0.0.1:8222', 'http://169.254.169.254/latest', 'http://10.0.0.5:9999', 'evil.test:8222']) {
      const res = await trpcHttp(server.url, 'live.servers', { monitorUrls: ['http://nats.internal:8222', url] });
      expect(res.status, url).toBe(400);
      expect(res.body.error?.message).toMatch(
        /^monitorUrls\[1\]: Busboard may not contact .+; the hosts it may contact are nats\.internal, \*\.example\.com, 10\.0\.0\.5:8222 \(add it to BUSBOARD_OUTBOUND_HOSTS\)$/,
      );
      expect(res.body.error?.data.problems?.[0]?.path).toBe('monitorUrls[1]');
    }
  });

  it('refuses connections to hosts not listed and credentials files outside the credentials directories, symbolic links included', async () => {
    const add = async (connection: unknown) =>
      dataOf<{ ok: boolean; problems?: { path: string; message: string }[] }>(
        await trpcHttp(server.url, 'live.addConnection', { connection }, 'mutation'),
      );
    expect(await add({ name: 'x', servers: ['nats://evil.test:4222'] })).toEqual({
      ok: false,
      problems: [{ path: 'servers[0]', message: expect.stringMatching(/^Busboard may not contact evil\.test:4222; .*BUSBOARD_OUTBOUND_HOSTS/) }],
    });
    const bad = await add({
      name: 'x',
      servers: ['nats://nats.internal:4222'],
      auth: { kind: 'creds', credsFile: '/etc/passwd' },
      systemAuth: { kind: 'creds', credsFile: join(credsDir, 'allowed', 'sneaky.creds') },
      tlsCaFile: join(credsDir, 'other.pem'),
    });
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([
      {
        path: 'tlsCaFile',
        message: expect.stringMatching(
          /^Busboard may not read .*other\.pem; it reads credentials files only from .*allowed \(put the file there, or add its directory to BUSBOARD_CREDENTIALS_DIRS\)$/,
        ),
      },
      { path: 'auth.credsFile', message: expect.stringMatching(/^Busboard may not read \/etc\/passwd;/) },
      { path: 'systemAuth.credsFile', message: expect.stringMatching(/^Busboard may not read .*sneaky\.creds;/) },
    ]);
    const good = await add({
      name: 'ok',
      servers: ['nats://nats.internal:4222', 'tls://a.b.example.com:4222'],
      monitorUrls: ['http://10.0.0.5:8222'],
      auth: { kind: 'creds', credsFile: join(credsDir, 'allowed', 'app.creds') },
    });
    expect(good.ok).toBe(true);
  });

  it('does not poll a connection saved before the allow-list refused it, and says why', async () => {
    server.live.store.put({
      id: 'old',
      origin: 'app',
      name: 'old',
      servers: [],
      auth: { kind: 'none' },
      monitorUrls: ['http://169.254.169.254'],
      wsUrls: [],
      pollMs: 1000,
    });
    const snap = dataOf<{ status: { state: string; message: string } }>(await trpcHttp(server.url, 'live.snapshot', { connectionId: 'old' }));
    expect(snap.status).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/^monitorUrls\[0\]: Busboard may not contact 169\.254\.169\.254:80;/),
    });
  });
});

describe('outbound allow-list by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('on loopback allows loopback and nothing else, and reads credentials only from DATA_DIR/credentials', async () => {
    const local = await trpcHttp(server.url, 'live.servers', { monitorUrls: ['http://127.0.0.1:1', 'localhost:2'], timeoutMs: 200 });
    expect(local.status).toBe(200);
    const far = await trpcHttp(server.url, 'live.servers', { monitorUrls: ['http://192.0.2.7:8222'] });
    expect(far.status).toBe(400);
    expect(far.body.error?.message).toMatch(/the hosts it may contact are loopback \(add it to BUSBOARD_OUTBOUND_HOSTS\)$/);
    const creds = await trpcHttp(
      server.url,
      'live.addConnection',
      { connection: { name: 'x', servers: ['nats://127.0.0.1:4222'], auth: { kind: 'creds', credsFile: '/root/.ssh/id_rsa' } } },
      'mutation',
    );
    expect(dataOf<{ problems: { path: string; message: string }[] }>(creds).problems).toEqual([
      {
        path: 'auth.credsFile',
        message: `Busboard may not read /root/.ssh/id_rsa; it reads credentials files only from ${join(server.dataDir, 'credentials')} (put the file there, or add its directory to BUSBOARD_CREDENTIALS_DIRS)`,
      },
    ]);
  });
});
