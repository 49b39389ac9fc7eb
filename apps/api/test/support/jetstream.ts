/**
 * JetStream on real nats-servers for tests: a cluster with JetStream on every server (system
 * account SYS, APP with JetStream), and streams and consumers made with `@nats-io/jetstream`
 * with lag produced on purpose:
 *
 * - `ORDERS` (R3 when the cluster has 3 servers, file storage, `orders.>`): `ORDERS_PUBLISHED`
 *   messages on `orders.created`;
 *   - `fulfil` (durable pull, max_ack_pending 20, ack_wait 30 s, filter `orders.created`):
 *     `FULFIL_ACKED` fetched and acked, then 20 more fetched and never acked, so it sits at
 *     its max_ack_pending with `ORDERS_PUBLISHED − FULFIL_ACKED − 20` still pending;
 *   - `retry` (durable pull, ack_wait 1 s): `RETRY_FETCHED` fetched and not acked, fetched
 *     again after ack_wait, so each was redelivered once;
 *   - `audit` (durable push, deliver subject `audit.deliver`, nobody bound): all pending.
 * - `CLICKS` (R1, memory, `clicks.*`): `CLICKS_PUBLISHED` messages, no consumers.
 */
import { AckPolicy, jetstreamManager, jetstream as jsClient, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { APP_USER, type ClusterOptions, type NatsCluster, startCluster } from './nats-cluster.ts';

export const ORDERS_PUBLISHED = 120;
export const FULFIL_ACKED = 30;
export const FULFIL_MAX_ACK_PENDING = 20;
export const RETRY_FETCHED = 5;
export const CLICKS_PUBLISHED = 40;

export async function startJetStreamCluster(options: ClusterOptions = {}): Promise<NatsCluster> {
  const cluster = await startCluster({ size: 3, accounts: true, jetstream: true, ...options });
  try {
    await waitForJetStream(cluster);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

/** JetStream answers account info once the meta group has a leader (a few seconds after a cluster forms). */
async function waitForJetStream(cluster: NatsCluster, timeoutMs = 20_000): Promise<void> {
  const nc = await appConnection(cluster);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2000 });
        await jsm.getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`JetStream did not become ready within ${timeoutMs} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await nc.close();
  }
}

export function appConnection(cluster: NatsCluster): Promise<NatsConnection> {
  return connect({ servers: cluster.servers.map((s) => s.url), user: APP_USER.user, pass: APP_USER.pass });
}

/** Creates ORDERS and CLICKS with their consumers and lag (see the module comment). */
export async function makeStreams(nc: NatsConnection, ordersReplicas: number): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: 5000 });
  await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: ordersReplicas, storage: StorageType.File });
  await jsm.streams.add({ name: 'CLICKS', subjects: ['clicks.*'], num_replicas: 1, storage: StorageType.Memory });
  await jsm.consumers.add('ORDERS', {
    durable_name: 'fulfil',
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: FULFIL_MAX_ACK_PENDING,
    ack_wait: nanos(30_000),
    filter_subject: 'orders.created',
  });
  await jsm.consumers.add('ORDERS', { durable_name: 'retry', ack_policy: AckPolicy.Explicit, ack_wait: nanos(1000) });
  await jsm.consumers.add('ORDERS', { durable_name: 'audit', ack_policy: AckPolicy.Explicit, deliver_subject: 'audit.deliver' });
  await publish(nc, 'orders.created', ORDERS_PUBLISHED);
  await publish(nc, 'clicks.home', CLICKS_PUBLISHED);
  const js = jsClient(nc);
  const fulfil = await js.consumers.get('ORDERS', 'fulfil');
  await take(fulfil, FULFIL_ACKED, true);
  await take(fulfil, FULFIL_MAX_ACK_PENDING, false);
  const retry = await js.consumers.get('ORDERS', 'retry');
  await take(retry, RETRY_FETCHED, false);
  await new Promise((r) => setTimeout(r, 1300));
  await take(retry, RETRY_FETCHED, false);
}

export async function publish(nc: NatsConnection, subject: string, n: number): Promise<void> {
  const js = jsClient(nc);
  for (let i = 0; i < n; i++) await js.publish(subject, JSON.stringify({ i }));
}

type Consumer = Awaited<ReturnType<ReturnType<typeof jsClient>['consumers']['get']>>;

async function take(c: Consumer, n: number, ack: boolean): Promise<void> {
  let got = 0;
  while (got < n) {
    const batch = await c.fetch({ max_messages: n - got, expires: 2000 });
    let inBatch = 0;
    for await (const m of batch) {
      if (ack) await m.ackAck();
      inBatch++;
    }
    if (inBatch === 0) throw new Error(`fetched ${got} of ${n} messages: the consumer ran dry`);
    got += inBatch;
  }
}
