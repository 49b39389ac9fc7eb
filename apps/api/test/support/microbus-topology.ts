/**
 * Real Microbus apps of both generations on a real cluster, for the live tests, the fixture
 * recorder and the Playwright journeys. Cluster `east`: 3 servers tagged `az:us-east-1a/b/c`,
 * a system account, and users `cart`/`pay` in APP for per-service credentials. Four apps, each
 * two services (the payment service listens to the cart's `:417/on-checkout` event), two
 * processes each, every process from its own loopback address, and each process's locality
 * crossing the zone tag of the server it connects to:
 *
 * | app | generation | connections | processes (address, locality → server) | bundle evidence |
 * |---|---|---|---|---|
 * | `*.example` | newest | one pooled per process | 127.0.0.2 us-east-1-a → n2, 127.0.0.3 us-east-1-b → n1 | connection |
 * | `*.creds` | newest | one per service (per-service users) | 127.0.0.4 us-east-1-c → n1, 127.0.0.5 us-east-1-a → n3 | client-ip |
 * | `*.legacy` | v1.x | one per service, named `<id>.<host>` | 127.0.0.6 b.1.east.us → n3, 127.0.0.7 c.1.east.us → n2 | client-ip |
 * | `*.shared` | v1.x | one per service | both on 127.0.0.8 (1-a → n2, 1-b → n3), started 1.5 s apart | ids |
 */
import { type MicrobusGeneration, type MicrobusRoute, microbusRequestSubject, type TopologyInput } from '@busboard/core';
import { type MicrobusApp, startMicrobusApp } from './microbus-app.ts';
import { type NatsCluster, type NatsServerHandle, startCluster } from './nats-cluster.ts';
import { RawNatsClient } from './raw-nats.ts';

export const MB_ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
export const CART_USER = { user: 'cart', pass: 'cart-secret' };
export const PAY_USER = { user: 'pay', pass: 'pay-secret' };

export interface AppCase {
  suffix: string;
  generation: MicrobusGeneration;
  perServiceCreds: boolean;
  processes: Array<{ address: string; locality: string; server: number }>;
  /** Wait this long before starting the second process (ms). */
  stagger?: number;
  evidence: 'connection' | 'client-ip' | 'ids';
}

export const APP_CASES: AppCase[] = [
  {
    suffix: 'example',
    generation: 'newest',
    perServiceCreds: false,
    processes: [
      { address: '127.0.0.2', locality: 'us-east-1-a', server: 1 },
      { address: '127.0.0.3', locality: 'us-east-1-b', server: 0 },
    ],
    evidence: 'connection',
  },
  {
    suffix: 'creds',
    generation: 'newest',
    perServiceCreds: true,
    processes: [
      { address: '127.0.0.4', locality: 'us-east-1-c', server: 0 },
      { address: '127.0.0.5', locality: 'us-east-1-a', server: 2 },
    ],
    evidence: 'client-ip',
  },
  {
    suffix: 'legacy',
    generation: 'v1',
    perServiceCreds: false,
    processes: [
      { address: '127.0.0.6', locality: 'us-east-1-b', server: 2 },
      { address: '127.0.0.7', locality: 'us-east-1-c', server: 1 },
    ],
    evidence: 'client-ip',
  },
  {
    suffix: 'shared',
    generation: 'v1',
    perServiceCreds: false,
    processes: [
      { address: '127.0.0.8', locality: 'us-east-1-a', server: 1 },
      { address: '127.0.0.8', locality: 'us-east-1-b', server: 2 },
    ],
    stagger: 1500,
    evidence: 'ids',
  },
];

/** The routes of an app: the cart serves items and checkout; the payment service charges and listens to checkouts. */
export function appRoutes(suffix: string): { cart: MicrobusRoute[]; pay: MicrobusRoute[] } {
  return {
    cart: [{ path: '/items' }, { method: 'POST', path: '/checkout' }],
    pay: [
      { method: 'POST', path: '/charge' },
      { host: `cart.${suffix}`, port: 417, method: 'POST', path: '/on-checkout' },
    ],
  };
}

/** Zone of a hyphen-form locality, as the design spells it (`us-east-1-a` → `us-east-1a`). */
export function zoneOfLocality(locality: string): string {
  return locality.replace(/-([a-z])$/, '$1');
}

/** The design that says exactly what runs: the event drawn as a call cart → pay. */
export function matchingDesign(cases: readonly AppCase[] = APP_CASES): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    name: 'Microbus apps (live test)',
    zones: MB_ZONES.map((name) => ({ name, region: 'us-east-1' })),
    nats: [{ name: 'east', region: 'us-east-1', serversPerZone: 1 }],
    services: cases.flatMap((c) => [
      { name: `cart.${c.suffix}`, serviceTimeMs: 4, workers: 4, calls: [{ to: `pay.${c.suffix}` }] },
      { name: `pay.${c.suffix}`, serviceTimeMs: 6, workers: 4 },
    ]),
    bundles: cases.map((c) => {
      const replicas: Record<string, number> = {};
      for (const p of c.processes) replicas[zoneOfLocality(p.locality)] = (replicas[zoneOfLocality(p.locality)] ?? 0) + 1;
      return { name: c.suffix, services: [`cart.${c.suffix}`, `pay.${c.suffix}`], replicas };
    }),
    traffic: cases.map((c) => ({ entry: `cart.${c.suffix}`, rps: 900 })),
  };
}

export interface MicrobusTopology {
  cluster: NatsCluster;
  apps: Array<{ case: AppCase; processes: MicrobusApp[] }>;
  /** Keeps sending `perSecond` requests a second to every cart's `GET /items` until stopped. */
  steady(perSecond?: number): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function startMicrobusApps(
  cluster: NatsCluster,
  cases: readonly AppCase[] = APP_CASES,
  options: { failoverTo?: (s: NatsServerHandle[], index: number) => string[] } = {},
): Promise<MicrobusTopology['apps']> {
  const apps: MicrobusTopology['apps'] = [];
  for (const c of cases) {
    const processes: MicrobusApp[] = [];
    apps.push({ case: c, processes });
    for (const [i, p] of c.processes.entries()) {
      if (i > 0 && c.stagger) await new Promise((r) => setTimeout(r, c.stagger));
      const own = cluster.servers[p.server] as NatsServerHandle;
      const servers = options.failoverTo?.(cluster.servers, p.server) ?? [own.url, ...cluster.servers.filter((s) => s !== own).map((s) => s.url)];
      const routes = appRoutes(c.suffix);
      processes.push(
        await startMicrobusApp({
          generation: c.generation,
          servers,
          localAddress: p.address,
          locality: p.locality,
          services: [
            { hostname: `cart.${c.suffix}`, routes: routes.cart, ...(c.perServiceCreds ? CART_USER : {}) },
            { hostname: `pay.${c.suffix}`, routes: routes.pay, ...(c.perServiceCreds ? PAY_USER : {}) },
          ],
        }),
      );
    }
  }
  return apps;
}

export async function startMicrobusTopology(cases: readonly AppCase[] = APP_CASES): Promise<MicrobusTopology> {
  const cluster = await startCluster({ name: 'east', size: 3, zones: MB_ZONES, accounts: true, appUsers: [CART_USER, PAY_USER] });
  let apps: MicrobusTopology['apps'] = [];
  try {
    apps = await startMicrobusApps(cluster, cases);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return {
    cluster,
    apps,
    async steady(perSecond = 40) {
      const client = await RawNatsClient.connect({ servers: cluster.servers.map((s) => s.url), name: 'traffic', reconnect: true });
      client.subscribe('_INBOX.traffic.*');
      let n = 0;
      const timer = setInterval(() => {
        for (const c of cases) {
          const subject = microbusRequestSubject({ generation: c.generation, host: `cart.${c.suffix}`, path: '/items', from: 'traffic.test' });
          for (let i = 0; i < perSecond / 10; i++) client.publish(subject, 'x', `_INBOX.traffic.${n++}`);
        }
      }, 100);
      return async () => {
        clearInterval(timer);
        await client.close();
      };
    },
    async close() {
      await Promise.all(apps.flatMap((a) => a.processes.map((p) => p.stop())));
      await cluster.close();
    },
  };
}
