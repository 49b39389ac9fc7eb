/**
 * The live collector against real clusters: east (3 servers, system account) + west joined
 * by a gateway, Microbus bundles and micro services placed on purpose
 * (support/live-topology.ts). Everything goes through the real HTTP API: tRPC queries and the
 * server-sent-event stream the browser uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOP_DESIGN } from '../../../packages/core/src/live/fixtures/shop-design.ts';
import { Collector } from '../src/live/collector.ts';
import type { LiveConnectionConfig } from '../src/live/config.ts';
import type { LiveUpdateView } from '../src/routers/live.ts';
import { type LiveTopology, startLiveTopology } from './support/live-topology.ts';
import { type NatsCluster, SYS_USER, startCluster } from './support/nats-cluster.ts';
import { startTestServer, type TestServer, trpcHttp } from './support/server.ts';

const POLL_MS = 1000;

/** Reads the `live.watch` subscription over SSE, as `httpSubscriptionLink` does in the browser. */
async function* watch(url: string, connectionId: string, signal: AbortSignal): AsyncGenerator<LiveUpdateView> {
  const res = await fetch(`${url}/trpc/live.watch?input=${encodeURIComponent(JSON.stringify({ connectionId }))}`, {
    headers: { accept: 'text/event-stream', 'x-busboard-request': '1' },
    signal,
  });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      const isMessage = !/^event:\s*(ping|connected|return|serialized-error)/m.test(event);
      if (data && isMessage) yield JSON.parse(data) as LiveUpdateView;
      end = buffer.indexOf('\n\n');
    }
  }
}

async function addConnection(server: TestServer, connection: object): Promise<string> {
  const res = await trpcHttp(server.url, 'live.addConnection', { connection }, 'mutation');
  const data = res.body.result?.data as { ok: boolean; connection?: { id: string }; problems?: { path: string; message: string }[] };
  if (!data.ok) throw new Error(`addConnection refused: ${data.problems?.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return data.connection?.id as string;
}

async function snapshotOf(server: TestServer, connectionId: string): Promise<LiveUpdateView> {
  const res = await trpcHttp(server.url, 'live.snapshot', { connectionId });
  if (!res.body.result) throw new Error(res.body.error?.message);
  return res.body.result.data as LiveUpdateView;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('live: a real supercluster through the API', () => {
  let topo: LiveTopology;
  let server: TestServer;
  let systemId: string;

  beforeAll(async () => {
    [topo, server] = await Promise.all([startLiveTopology(), startTestServer()]);
    await topo.traffic(10);
    const [e1] = topo.sc.servers;
    systemId = await addConnection(server, {
      name: 'test supercluster',
      servers: [e1?.url],
      systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass },
      wsUrls: [e1?.wsUrl],
      pollMs: POLL_MS,
    });
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await topo?.close();
  });

  it('collects through the system account and shows servers, routes, gateways and zones', async () => {
    const view = await until('a snapshot with four servers', async () => {
      const v = await snapshotOf(server, systemId);
      return (v.snapshot?.servers.length ?? 0) >= 4 && v;
    });
    const s = view.snapshot;
    if (!s) throw new Error('no snapshot');
    expect(view.status).toMatchObject({ state: 'ok', source: 'system' });
    expect(s.sourceDetail).toContain('$SYS.REQ.SERVER.PING');
    expect(s.servers.map((x) => `${x.name}@${x.zone}`)).toEqual([
      'east-n1@us-east-1a',
      'east-n2@us-east-1b',
      'east-n3@us-east-1c',
      'west-n1@us-west-2a',
    ]);
    expect(s.routes.map((r) => `${r.a}–${r.b}`)).toEqual(['east-n1–east-n2', 'east-n1–east-n3', 'east-n2–east-n3']);
    expect(s.gateways.filter((g) => g.cluster === 'east').map((g) => `${g.server}→${g.remoteServer}`)).toEqual([
      'east-n1→west-n1',
      'east-n2→west-n1',
      'east-n3→west-n1',
    ]);
    expect(s.zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-west-2a']);
  });

  it('finds queue-group members per server and zone, and services of both kinds', async () => {
    const s = (await snapshotOf(server, systemId)).snapshot;
    if (!s) throw new Error('no snapshot');
    const cart = s.queueGroups.find((g) => g.subject === 'microbus.safe.443.*.cart_shop._.GET.items');
    expect(cart?.members.map((m) => `${m.server}@${m.zone}`).sort()).toEqual(['east-n1@us-east-1a', 'east-n2@us-east-1b', 'east-n3@us-east-1c']);
    const services = Object.fromEntries(s.services.map((x) => [x.name, x]));
    expect(Object.keys(services).sort()).toEqual(['audit.shop', 'cart.shop', 'inventory', 'payments', 'pricing.shop', 'search.shop']);
    expect(services['cart.shop']?.kind).toBe('microbus');
    expect(services['cart.shop']?.instances.map((i) => i.zone).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(services.inventory?.kind).toBe('micro');
    expect(services.inventory?.versions).toEqual(['1.0.0', '1.1.0']);
    expect(services.inventory?.instances.map((i) => `${i.server}@${i.zone}`).sort()).toEqual([
      'east-n1@us-east-1a',
      'east-n3@us-east-1c',
      'west-n1@us-west-2a',
    ]);
    expect(services.payments?.instances[0]?.zone).toBe('us-west-2a');
  });

  it('measures probe latencies per service and per server', async () => {
    const s = await until('probe histograms', async () => {
      const v = (await snapshotOf(server, systemId)).snapshot;
      return (v?.services.find((x) => x.name === 'inventory')?.probe?.count ?? 0) >= 6 && v;
    });
    const probe = s.services.find((x) => x.name === 'inventory')?.probe;
    // Loopback: well under 100 ms, but never zero.
    expect(probe?.p50Ms).toBeGreaterThan(0);
    expect(probe?.p99Ms).toBeLessThan(100);
    expect(probe?.p50Ms).toBeLessThanOrEqual(probe?.p99Ms as number);
    expect(Object.keys(s.serverProbes).sort()).toEqual(['east-n1', 'east-n2', 'east-n3', 'west-n1']);
  });

  it('pages connections with a filter and sorts subscriptions', async () => {
    const res = await trpcHttp(server.url, 'live.connectionsPage', { connectionId: systemId, filter: 'cart_shop', sort: 'server', limit: 2 });
    const page = res.body.result?.data as { matched: number; rows: Array<{ server: string; name: string }> };
    expect(page.matched).toBe(3);
    expect(page.rows.map((r) => r.name)).toEqual(['shop-1', 'shop-2']);
    const subs = await trpcHttp(server.url, 'live.subscriptionsPage', { connectionId: systemId, filter: 'inventory.stock', queuedOnly: true });
    expect((subs.body.result?.data as { matched: number } | undefined)?.matched).toBe(3);
  });

  it('never sends credentials to the browser, and allows only the configured WebSocket origin in the CSP', async () => {
    const list = await trpcHttp(server.url, 'live.connections', undefined);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(SYS_USER.pass);
    expect(text).toContain(`user ${SYS_USER.user}`);
    const snap = JSON.stringify(await snapshotOf(server, systemId));
    expect(snap).not.toContain(SYS_USER.pass);
    const page = await fetch(`${server.url}/healthz`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${topo.sc.servers[0]?.wsPort};`);
  });

  it('imports the cluster as a new design: bundles from shared connections, replicas per zone', async () => {
    const res = await trpcHttp(server.url, 'live.importDesign', { connectionId: systemId, name: 'From the cluster' }, 'mutation');
    const data = res.body.result?.data as { ok: boolean; id: string; notes: string[]; bundles: number };
    expect(data.ok).toBe(true);
    const got = await server.store.get(data.id);
    const rec = got.ok ? got.design : undefined;
    expect(rec?.name).toBe('From the cluster');
    expect(rec?.message).toBe('imported from a live cluster');
    const shop = rec?.doc.bundles?.find((b) => b.services.includes('cart.shop'));
    expect(shop).toMatchObject({ services: ['cart.shop', 'pricing.shop'], replicas: { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 } });
    expect(data.notes.join(' ')).toContain('Calibrate');
  });

  it('previews a calibration of a saved design from measured rates, refusing to lower traffic from too few polls', async () => {
    const saved = await server.store.save({ name: 'Shop', doc: SHOP_DESIGN, author: 'test' });
    if (!saved.ok) throw new Error('not saved');
    type Preview = {
      ok: boolean;
      revision: number;
      changes: Array<{ path: string; from: number; to: number; reason: string }>;
      refused: Array<{ path: string; reason: string }>;
      skipped: string[];
      window: { polls: number; failures: string[] };
    };
    const preview = async () =>
      (await trpcHttp(server.url, 'live.calibration', { connectionId: systemId, designId: saved.id })).body.result?.data as Preview;
    const stop = topo.steady(40);
    try {
      // Wait for a snapshot whose interval saw the steady traffic.
      await until('a measured rate at cart.shop', async () => {
        const v = (await snapshotOf(server, systemId)).snapshot;
        return (v?.services.find((x) => x.name === 'cart.shop')?.requestRate ?? 0) > 10 && v;
      });
      const early = await preview();
      if (early.window.polls < 5) {
        expect(early.changes.some((c) => c.path === 'traffic[0].rps')).toBe(false);
        expect(early.refused.find((c) => c.path === 'traffic[0].rps')?.reason).toContain('not lowered from fewer than 5 polls');
      }
      const data = await until('five polls of measurements', async () => {
        const p = await preview();
        return p.window.polls >= 5 && p.changes.some((c) => c.path === 'traffic[0].rps') && p;
      });
      expect(data).toMatchObject({ ok: true, revision: 1 });
      const traffic = data.changes.find((c) => c.path === 'traffic[0].rps');
      // 40 requests a second were sent; a loaded machine delivers somewhat fewer, never more than ~50.
      expect(traffic?.from).toBe(60);
      expect(traffic?.to).toBeGreaterThan(10);
      expect(traffic?.to).toBeLessThan(55);
      expect(traffic?.reason).toMatch(/req\/s measured at cart\.shop, mean of \d+ polls/);
      const serviceTime = data.changes.find((c) => c.path === 'services[2].serviceTimeMs')?.to ?? 0;
      expect(serviceTime).toBeGreaterThan(1.9); // the inventory workers hold each request 2 ms
      expect(data.skipped).toContain('cart.shop: calls others, so its processing time includes downstream waits');
      // A preview writes nothing.
      const after = await server.store.get(saved.id);
      expect(after.ok && after.design.revision).toBe(1);
    } finally {
      stop();
    }
  }, 30_000);

  it('streams snapshots; a killed server shows down within two poll intervals while the others keep updating', async () => {
    const abort = new AbortController();
    const stream = watch(server.url, systemId, abort.signal);
    try {
      // Pick an east server that neither our connection (east-n1) nor west's gateway uses.
      const first = ((await stream.next()).value as LiveUpdateView | undefined)?.snapshot;
      const westTarget = first?.gateways.find((g) => g.server === 'west-n1')?.remoteServer;
      const victim = topo.sc.servers.find((x) => x.cluster === 'east' && x.name !== 'east-n1' && x.name !== westTarget);
      if (!victim) throw new Error('no server to kill');
      await topo.sc.stop(victim);
      const killedAt = Date.now();
      let downAt = 0;
      const after: LiveUpdateView[] = [];
      for await (const u of stream) {
        const v = u.snapshot?.servers.find((x) => x.name === victim.name);
        if (!downAt && v && !v.up) downAt = Date.now();
        if (downAt) after.push(u);
        if (after.length >= 3 || Date.now() - killedAt > 10_000) break;
      }
      expect(downAt, `${victim.name} never showed down`).toBeGreaterThan(0);
      expect(downAt - killedAt).toBeLessThanOrEqual(2 * POLL_MS);
      const down = after[0]?.snapshot?.servers.find((x) => x.name === victim.name);
      expect(down).toMatchObject({ up: false, cluster: 'east' });
      expect(after[0]?.status.message).toContain(`1 of 4 servers down: ${victim.name}`);
      // The other servers keep answering: newer lastSeen on every update, rates present.
      const seen = after.map((u) => u.snapshot?.servers.find((x) => x.name === 'west-n1')?.lastSeen ?? 0);
      expect(seen[2]).toBeGreaterThan(seen[1] as number);
      expect(seen[1]).toBeGreaterThan(seen[0] as number);
      for (const name of ['east-n1', 'west-n1']) expect(after[2]?.snapshot?.servers.find((x) => x.name === name)).toMatchObject({ up: true });
      expect(after[2]?.snapshot?.servers.find((x) => x.name === 'east-n1')?.msgRate).not.toBeNull();
      await topo.sc.start(victim);
    } finally {
      abort.abort();
    }
  });
});

describe('live: choosing the source', () => {
  let topo: LiveTopology;
  let server: TestServer;
  beforeAll(async () => {
    [topo, server] = await Promise.all([startLiveTopology({ websocket: false }), startTestServer()]);
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await topo?.close();
  });

  it('falls back to HTTP monitoring without a system user, and says so', async () => {
    const id = await addConnection(server, {
      name: 'http',
      servers: [topo.sc.servers[0]?.url],
      monitorUrls: topo.sc.servers.map((s) => s.monitorUrl),
      pollMs: 500,
    });
    const view = await until('a monitor snapshot', async () => {
      const v = await snapshotOf(server, id);
      return (v.snapshot?.servers.length ?? 0) === 4 && v;
    });
    expect(view.status.source).toBe('monitor');
    expect(view.snapshot?.sourceDetail).toMatch(/^HTTP monitoring at http:\/\/127\.0\.0\.1:/);
    expect(view.snapshot?.routes).toHaveLength(3);
    expect(view.snapshot?.services.find((s) => s.name === 'inventory')?.instances).toHaveLength(3);
  });

  it('falls back to the account-scoped CONNZ as an ordinary user, and says what it cannot see', async () => {
    const id = await addConnection(server, { name: 'account', servers: [topo.sc.servers[1]?.url], pollMs: 500 });
    const view = await until('an account snapshot', async () => {
      const v = await snapshotOf(server, id);
      return (v.snapshot?.servers.length ?? 0) === 4 && v;
    });
    expect(view.status.source).toBe('account');
    expect(view.snapshot?.sourceDetail).toContain('routes and gateways need a system user or monitoring URLs');
    expect(view.snapshot?.routes).toEqual([]);
    expect(view.snapshot?.services.find((s) => s.name === 'cart.shop')?.instances).toHaveLength(3);
  });

  it('shows an unreachable monitoring URL as down at once and backs off, while the rest are read', async () => {
    const dead = 'http://127.0.0.1:9'; // discard port: nothing listens there
    const id = await addConnection(server, { name: 'half', monitorUrls: [topo.sc.servers[0]?.monitorUrl, dead], pollMs: 500 });
    const v = await until('two polls', async () => {
      const x = await snapshotOf(server, id);
      return x.status.polls >= 2 && x;
    });
    const down = v.snapshot?.servers.find((s) => s.url === dead);
    expect(down).toMatchObject({ up: false });
    expect(down?.error).toMatch(/connection refused|asking again in \d+ s/);
    expect(v.snapshot?.servers.find((s) => s.name === 'east-n1')?.up).toBe(true);
  });

  it('refuses a connection with neither NATS nor monitoring URLs, naming the field', async () => {
    const res = await trpcHttp(server.url, 'live.addConnection', { connection: { name: 'nothing' } }, 'mutation');
    expect(res.body.result?.data).toEqual({
      ok: false,
      problems: [{ path: 'servers', message: 'give NATS URLs (servers) or monitoring URLs (monitorUrls), or both' }],
    });
  });
});

describe('live: credentials', () => {
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startCluster({ size: 1, name: 'tok', extraConfig: () => 'authorization { token: "t0k-secret" }' });
  });
  afterAll(async () => cluster?.close());

  const config = (token: string): LiveConnectionConfig => ({
    id: 't',
    origin: 'app',
    name: 'token',
    servers: [cluster.servers[0]?.url as string],
    auth: { kind: 'token', token },
    monitorUrls: [],
    wsUrls: [],
    pollMs: 1000,
  });

  it('connects with a token', async () => {
    const c = new Collector(config('t0k-secret'));
    try {
      const s = await c.pollOnce();
      expect(c.status.state).toBe('ok');
      expect(s?.servers.map((x) => x.name)).toEqual(['tok-n1']);
    } finally {
      await c.stop();
    }
  });

  it('says the credentials were refused, without repeating them', async () => {
    const c = new Collector(config('not-the-token'));
    try {
      expect(await c.pollOnce()).toBeNull();
      expect(c.status.state).toBe('error');
      expect(c.status.message).toMatch(/refused the credentials \(Authorization Violation\); check the user, password, token or creds file/);
      expect(c.status.message).not.toContain('not-the-token');
    } finally {
      await c.stop();
    }
  });

  it('says which creds file it cannot read', async () => {
    const c = new Collector({ ...config(''), auth: { kind: 'creds', credsFile: '/nonexistent/user.creds' } });
    try {
      await c.pollOnce();
      expect(c.status.message).toBe('cannot read the creds file /nonexistent/user.creds: ENOENT');
    } finally {
      await c.stop();
    }
  });
});
