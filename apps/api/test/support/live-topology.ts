/**
 * The live system the integration tests, the Playwright journey and the fixture recorder
 * share: cluster `east` (3 servers, zones us-east-1a/b/c, system account) joined by a gateway
 * to cluster `west` (1 server, us-west-2a), with WebSocket ports, and workers on purpose:
 *
 * - Microbus bundle `shop` (services cart.shop, pricing.shop on one connection): replicas on
 *   east-n1 (locality us-east-1-a), east-n2 (locality us-east-1-b), east-n3 (no locality:
 *   its zone comes from the server tag, us-east-1c).
 * - Microbus `search.shop` on east-n2 whose queue group is `search` (not its hostname) and
 *   `audit.shop` on east-n3 subscribed without a queue group: drift the tests look for.
 * - micro service `inventory`: v1.0.0 on east-n1 (metadata zone us-east-1a) and east-n3 (no
 *   metadata), v1.1.0 on west-n1 (versions differ); 2 ms of work per request.
 * - micro service `payments` v2.0.0 on west-n1 (metadata zone us-west-2a).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import { APP_USER, type NatsCluster, type Supercluster, startCluster, startSupercluster } from './nats-cluster.ts';
import { drive, microbusSubjectOf, startMicrobusBundle, startMicroService, type Worker } from './workers.ts';

export interface LiveTopology {
  sc: Supercluster;
  /** A leaf server attached to east-n1 in the APP account (with `leaf: true`). */
  leaf: NatsCluster | null;
  workers: Worker[];
  client: NatsConnection;
  /** Sends some traffic to every service so rates and processing times are non-zero. */
  traffic(perService?: number): Promise<void>;
  /** Keeps sending `perSecond` requests a second to cart.shop and to inventory until stopped. */
  steady(perSecond?: number): () => void;
  close(): Promise<void>;
}

export const EAST_ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
export const WEST_ZONES = ['us-west-2a'];

export async function startLiveTopology(options: { websocket?: boolean; leaf?: boolean } = {}): Promise<LiveTopology> {
  const sc = await startSupercluster(
    [
      { name: 'east', size: 3, zones: EAST_ZONES },
      { name: 'west', size: 1, zones: WEST_ZONES },
    ],
    { websocket: options.websocket ?? true, leafnodes: options.leaf ?? false },
  );
  const [e1, e2, e3, w1] = sc.servers as [(typeof sc.servers)[0], (typeof sc.servers)[0], (typeof sc.servers)[0], (typeof sc.servers)[0]];
  const workers: Worker[] = [];
  let leaf: NatsCluster | null = null;
  try {
    if (options.leaf) {
      const remote = `nats://${APP_USER.user}:${APP_USER.pass}@127.0.0.1:${e1.leafPort}`;
      leaf = await startCluster({ size: 1, name: 'edge', extraConfig: () => `leafnodes { remotes: [{url: "${remote}"}] }` });
    }
    const shopServices = (locality?: string) => [
      { host: 'cart.shop', ...(locality ? { locality } : {}), endpoints: [{ path: '/items' }, { method: 'POST', path: '/add' }] },
      { host: 'pricing.shop', ...(locality ? { locality } : {}), endpoints: [{ path: '/quote' }] },
    ];
    workers.push(await startMicrobusBundle(e1.url, 'shop-1', shopServices('us-east-1-a')));
    workers.push(await startMicrobusBundle(e2.url, 'shop-2', shopServices('us-east-1-b')));
    workers.push(await startMicrobusBundle(e3.url, 'shop-3', shopServices()));
    workers.push(
      await startMicrobusBundle(e2.url, 'search-1', [
        { host: 'search.shop', locality: 'us-east-1-b', queueGroup: 'search', endpoints: [{ path: '/find' }] },
      ]),
    );
    workers.push(
      await startMicrobusBundle(e3.url, 'audit-1', [{ host: 'audit.shop', noQueue: true, endpoints: [{ method: 'POST', path: '/record' }] }]),
    );
    const inventory = { name: 'inventory', endpoints: [{ name: 'stock', subject: 'inventory.stock' }], workMs: 2 };
    workers.push(await startMicroService({ ...inventory, url: e1.url, version: '1.0.0', metadata: { zone: 'us-east-1a' } }));
    workers.push(await startMicroService({ ...inventory, url: e3.url, version: '1.0.0' }));
    workers.push(await startMicroService({ ...inventory, url: w1.url, version: '1.1.0' }));
    workers.push(
      await startMicroService({
        name: 'payments',
        url: w1.url,
        version: '2.0.0',
        metadata: { zone: 'us-west-2a' },
        endpoints: [{ name: 'charge', subject: 'payments.charge' }],
      }),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop()));
    await leaf?.close();
    await sc.close();
    throw err;
  }
  const client = await connect({ servers: e1.url, name: 'traffic' });
  return {
    sc,
    leaf,
    workers,
    client,
    async traffic(n = 20) {
      await Promise.all([
        drive(client, microbusSubjectOf('cart.shop', '_', 'GET', 443, '/items'), n),
        drive(client, microbusSubjectOf('pricing.shop', '_', 'GET', 443, '/quote'), n),
        drive(client, 'inventory.stock', n),
        drive(client, 'payments.charge', n),
      ]);
    },
    steady(perSecond = 40) {
      const cart = microbusSubjectOf('cart.shop', '_', 'GET', 443, '/items');
      const timer = setInterval(() => {
        for (let i = 0; i < perSecond / 10; i++) {
          for (const subject of [cart, 'inventory.stock']) client.request(subject, 'x', { timeout: 2000 }).catch(() => {});
        }
      }, 100);
      return () => clearInterval(timer);
    },
    async close() {
      await client.close().catch(() => {});
      await Promise.all(workers.map((w) => w.stop().catch(() => {})));
      await leaf?.close();
      await sc.close();
    },
  };
}
