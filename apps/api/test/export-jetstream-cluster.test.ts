/**
 * The JetStream export end to end on real parts: the orders example (plus a push consumer and a
 * memory stream) exported for Kubernetes; its nats.conf, addresses moved to 127.0.0.1 and each
 * server's store to a temporary directory, starts three real nats-server 2.9.10 processes that
 * form a JetStream cluster with the exported limits. The exported stream and consumer JSON,
 * sent unchanged as the body of JetStream's own API requests (what `nats stream add --config`
 * sends), creates them: the R3 stream on three servers, the consumers with their ack wait and
 * ack-pending limit; messages published are counted as pending, and one is pulled and acked.
 * The production profile's cluster (TLS everywhere, certificates from the README's recipe)
 * lets a bundle's certificate, of the application account, create the stream and publish to it.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTopology, simulate, type TopologyInput } from '@busboard/core';
import { certificateRecipe, exportDesign, planExport, quantityBytes } from '@busboard/core/export';
import { connect, createInbox, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ordersEvents } from '../../../packages/core/src/examples/orders-events.ts';
import { checkConf, type RunningServer, startServer, stopAll, waitForMesh } from '../../../packages/core/test/support/nats-servers.ts';
import { freePort } from './support/nats-cluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'bb-jetstream-'));
const servers: RunningServer[] = [];
let nc: NatsConnection | null = null;
afterAll(async () => {
  await nc?.close();
  stopAll(servers);
  rmSync(dir, { recursive: true, force: true });
});

interface ApiReply {
  error?: { code: number; description: string };
  [k: string]: unknown;
}

async function api(subject: string, body: unknown = ''): Promise<ApiReply> {
  if (!nc) throw new Error('not connected');
  const m = await nc.request(subject, typeof body === 'string' ? body : JSON.stringify(body), { timeout: 5000 });
  return m.json() as ApiReply;
}

/**
 * Starts the exported nats.conf as three real servers: addresses moved to 127.0.0.1 with free
 * ports, each server's store to a directory of its own, certificate paths to `certs` (production).
 */
async function startCluster(conf: string, docs: { kind: string; metadata: { name: string } }[], tag: string, certs?: string) {
  const pods = docs.filter((d) => d.kind === 'StatefulSet').map((s) => `${s.metadata.name}-0`);
  const ports = await Promise.all(pods.map(async () => ({ client: await freePort(), cluster: await freePort(), http: await freePort() })));
  const started: RunningServer[] = [];
  for (const [i, pod] of pods.entries()) {
    const p = ports[i] as (typeof ports)[number];
    const store = join(dir, tag, pod);
    mkdirSync(store, { recursive: true });
    let mine = conf
      .replace('"/data/jetstream"', JSON.stringify(store))
      .replace('"0.0.0.0:4222"', `"127.0.0.1:${p.client}"`)
      .replace('"0.0.0.0:8222"', `"127.0.0.1:${p.http}"`)
      .replace('"0.0.0.0:6222"', `"127.0.0.1:${p.cluster}"`);
    if (certs)
      mine = mine
        .replaceAll('/etc/nats-tls/tls.crt', join(certs, 'nats.crt'))
        .replaceAll('/etc/nats-tls/tls.key', join(certs, 'nats.key'))
        .replaceAll('/etc/nats-tls/ca.crt', join(certs, 'ca.crt'));
    pods.forEach((other, j) => {
      mine = mine.replace(new RegExp(`${other}\\.nats-headless\\.[a-z0-9-]+\\.svc\\.cluster\\.local:6222`), `127.0.0.1:${ports[j]?.cluster}`);
    });
    const path = join(dir, tag, `${pod}.conf`);
    writeFileSync(path, mine);
    const t = checkConf(path, { SERVER_NAME: pod });
    expect(t.status, t.stderr).toBe(0);
    started.push(startServer(path, p.http, { SERVER_NAME: pod }));
  }
  servers.push(...started);
  const { full } = await waitForMesh(started);
  expect(full, started.map((s) => s.log()).join('\n')).toBe(true);
  return { pods, ports, started };
}

/**
 * Waits until the JetStream meta group has a leader that sees every other server as a current
 * peer (before that, an R3 stream is refused: "no suitable peers for placement"), and the API answers.
 */
async function waitForJetStream(cluster: readonly RunningServer[]): Promise<void> {
  type Jsz = { meta_cluster?: { leader?: string; replicas?: { name: string; current: boolean }[] } };
  const deadline = Date.now() + 30_000;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    const jsz = await Promise.all(
      cluster.map((s) =>
        fetch(`http://127.0.0.1:${s.http}/jsz`)
          .then((r) => r.json() as Promise<Jsz>)
          .catch(() => ({}) as Jsz),
      ),
    );
    ready = jsz.some((j) => (j.meta_cluster?.replicas ?? []).filter((r) => r.current).length === cluster.length - 1);
    if (!ready) await new Promise((res) => setTimeout(res, 200));
  }
  expect(ready, 'the JetStream meta group did not form').toBe(true);
  let info: ApiReply = {};
  for (let i = 0; i < 100; i++) {
    info = await api('$JS.API.INFO').catch(() => ({ error: { code: 0, description: 'no reply' } }));
    if (!info.error) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  expect(info.error).toBeUndefined();
}

describe('JetStream export on a real 3-server cluster', () => {
  it('the exported conf runs JetStream with its limits; the exported JSON creates the stream and consumers', async () => {
    const input = structuredClone(ordersEvents) as TopologyInput;
    input.streams = [...(input.streams ?? []), { name: 'HOT', subjects: ['hot.>'], storage: 'memory', maxAgeSeconds: 60 }];
    input.consumers = [
      ...(input.consumers ?? []),
      {
        name: 'audit',
        stream: 'ORDERS',
        service: 'email.example',
        mode: 'push',
        filterSubject: 'orders.created',
        ackWaitMs: 5000,
        maxAckPending: 64,
      },
    ];
    const parsed = parseTopology(input);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const r = exportDesign(parsed.doc, { format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const file = (path: string) => r.files.find((f) => f.path === path)?.content ?? '';
    const docs = parseAllDocuments(file('nats/nats.yaml')).map((d) => d.toJS());
    const conf = docs.find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    const fileStore = /max_file_store: (\S+)/.exec(conf)?.[1] as string;
    const memoryStore = /max_memory_store: (\S+)/.exec(conf)?.[1] as string;
    // ORDERS: the engine's steady size of one replica (7 days at 400 msgs/s) × 1.5, in whole Gi;
    // HOT: nothing is published to it, so the smallest memory store, 64Mi.
    const steady = simulate(parsed.doc).async?.streams.ORDERS?.steadyBytes as number;
    expect([fileStore, memoryStore]).toEqual([`${Math.ceil((steady * 1.5) / 2 ** 30)}Gi`, '64Mi']);

    const { pods, ports, started } = await startCluster(conf, docs, 'quick');

    // Each server runs JetStream with the exported limits (/jsz reports them in bytes).
    for (const s of started) {
      const jsz = (await (await fetch(`http://127.0.0.1:${s.http}/jsz`)).json()) as { config: { max_storage: number; max_memory: number } };
      expect([jsz.config.max_storage, jsz.config.max_memory]).toEqual([quantityBytes(fileStore), quantityBytes(memoryStore)]);
    }

    nc = await connect({ servers: `127.0.0.1:${ports[0]?.client}`, reconnect: false });
    await waitForJetStream(started);

    const streamJson = file('jetstream/ORDERS/stream.json');
    const created = await api('$JS.API.STREAM.CREATE.ORDERS', streamJson);
    expect(created.error).toBeUndefined();
    const config = created.config as Record<string, unknown>;
    expect([config.num_replicas, config.max_age, config.storage, config.subjects]).toEqual([3, 7 * 86_400 * 1e9, 'file', ['orders.>']]);
    // The same file again: JetStream accepts an identical config and changes nothing.
    expect((await api('$JS.API.STREAM.CREATE.ORDERS', streamJson)).error).toBeUndefined();
    expect((await api('$JS.API.STREAM.CREATE.HOT', file('jetstream/HOT/stream.json'))).error).toBeUndefined();

    for (const name of ['fulfil', 'audit']) {
      const c = JSON.parse(file(`jetstream/ORDERS/${name}.consumer.json`));
      const made = await api(`$JS.API.CONSUMER.DURABLE.CREATE.ORDERS.${name}`, { stream_name: 'ORDERS', config: c });
      expect(made.error, JSON.stringify(made.error)).toBeUndefined();
      const got = (made.config as Record<string, unknown>) ?? {};
      expect([got.durable_name, got.ack_policy, got.ack_wait, got.max_ack_pending, got.deliver_group ?? null]).toEqual([
        name,
        'explicit',
        name === 'fulfil' ? 30e9 : 5e9,
        name === 'fulfil' ? 1000 : 64,
        name === 'audit' ? 'audit' : null,
      ]);
    }

    for (let i = 0; i < 5; i++) {
      const ack = (await nc.request('orders.created', JSON.stringify({ order: i }), { timeout: 5000 })).json() as ApiReply;
      expect(ack.error).toBeUndefined();
    }
    // Three replicas, each on a different server (leader + two followers).
    const streamInfo = await api('$JS.API.STREAM.INFO.ORDERS');
    const cluster = streamInfo.cluster as { leader: string; replicas: { name: string }[] };
    expect(new Set([cluster.leader, ...cluster.replicas.map((x) => x.name)])).toEqual(new Set(pods));
    expect((streamInfo.state as { messages: number }).messages).toBe(5);
    expect(((await api('$JS.API.CONSUMER.INFO.ORDERS.fulfil')) as { num_pending?: number }).num_pending).toBe(5);

    // A worker's pull: one message, acked.
    const inbox = createInbox();
    const one = new Promise<{ data: string; reply: string }>((resolve) => {
      nc?.subscribe(inbox, { max: 1, callback: (_e, m) => resolve({ data: m.string(), reply: m.reply ?? '' }) });
    });
    nc.publish('$JS.API.CONSUMER.MSG.NEXT.ORDERS.fulfil', JSON.stringify({ batch: 1, expires: 2e9 }), { reply: inbox });
    const got = await one;
    expect(JSON.parse(got.data)).toEqual({ order: 0 });
    nc.publish(got.reply, '+ACK');
    await nc.flush();
    let after: { num_pending?: number; num_ack_pending?: number; delivered?: { consumer_seq: number } } = {};
    for (let i = 0; i < 20; i++) {
      after = (await api('$JS.API.CONSUMER.INFO.ORDERS.fulfil')) as typeof after;
      if (after.num_ack_pending === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect([after.num_pending, after.num_ack_pending, after.delivered?.consumer_seq]).toEqual([4, 0, 1]);
  }, 60_000);

  it('production: JetStream in the application account; a bundle’s certificate creates the stream, as the README says', async () => {
    await nc?.close();
    nc = null;
    const parsed = parseTopology(ordersEvents);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const options = {
      profile: 'production',
      namespace: 'shop',
      imagePrefix: 'ghcr.io/acme/',
      imageTag: '1.0',
      ingressHost: 'shop.example.com',
    } as const;
    const r = exportDesign(parsed.doc, { ...options, format: 'k8s' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const file = (path: string) => r.files.find((f) => f.path === path)?.content ?? '';
    const readme = file('README.md');
    expect(readme).toContain('JetStream is enabled for account APP');
    // The certificates from the README's recipe, the server's also naming 127.0.0.1 for the test.
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    for (const c of certificateRecipe(planExport(parsed.doc, options)).filter((l) => l.startsWith('openssl') || l.startsWith('printf')))
      execSync(c.startsWith("printf 'subjectAltName=") ? c.replace('subjectAltName=', 'subjectAltName=IP:127.0.0.1,DNS:localhost,') : c, {
        cwd: certs,
        stdio: 'pipe',
      });
    const docs = parseAllDocuments(file('nats/nats.yaml')).map((d) => d.toJS());
    const conf = docs.find((d) => d.kind === 'ConfigMap').data['nats.conf'] as string;
    const { ports, started } = await startCluster(conf, docs, 'production', certs);
    const tls = { caFile: join(certs, 'ca.crt'), certFile: join(certs, 'client-orders.crt'), keyFile: join(certs, 'client-orders.key') };
    nc = await connect({ servers: `127.0.0.1:${ports[1]?.client}`, tls, reconnect: false });
    await waitForJetStream(started);
    const created = await api('$JS.API.STREAM.CREATE.ORDERS', file('jetstream/ORDERS/stream.json'));
    expect(created.error, JSON.stringify(created.error)).toBeUndefined();
    const made = await api('$JS.API.CONSUMER.DURABLE.CREATE.ORDERS.fulfil', {
      stream_name: 'ORDERS',
      config: JSON.parse(file('jetstream/ORDERS/fulfil.consumer.json')),
    });
    expect(made.error, JSON.stringify(made.error)).toBeUndefined();
    const ack = (await nc.request('orders.created', '{}', { timeout: 5000 })).json() as ApiReply & { stream?: string };
    expect(ack.stream).toBe('ORDERS');
  }, 60_000);
});
