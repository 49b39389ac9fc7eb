/**
 * `buildSnapshot` from replies recorded off real nats-server 2.9.10 clusters
 * (scripts/record-live-fixtures.ts): cluster east (3 servers, us-east-1a/b/c) + west
 * (us-west-2a) joined by a gateway, a leaf server on east-n1, Microbus bundles and micro
 * services placed on purpose (see apps/api/test/support/live-topology.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawCollection } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';
import type { LiveSnapshot } from './types.ts';

function polls(name: string): RawCollection[] {
  return (JSON.parse(readFileSync(new URL(`./fixtures/${name}-2.9.10.json`, import.meta.url), 'utf8')) as { polls: RawCollection[] }).polls;
}

function chain(collections: RawCollection[]): LiveSnapshot[] {
  const out: LiveSnapshot[] = [];
  for (const c of collections) out.push(buildSnapshot(c, out.at(-1) ?? null));
  return out;
}

const service = (s: LiveSnapshot, name: string) => s.services.find((x) => x.name === name);
const group = (s: LiveSnapshot, subject: string) => s.queueGroups.filter((g) => g.subject === subject);
const serverZones = (s: LiveSnapshot) => Object.fromEntries(s.servers.map((x) => [x.name, x.zone]));

describe('live snapshot from the system account ($SYS.REQ.SERVER.PING.*)', () => {
  const [first, second, afterKill] = chain(polls('system')) as [LiveSnapshot, LiveSnapshot, LiveSnapshot];

  it('lists every server of both clusters with its cluster, version and zone tag', () => {
    expect(first.source).toBe('system');
    expect(first.servers.map((s) => `${s.cluster}/${s.name}`)).toEqual(['east/east-n1', 'east/east-n2', 'east/east-n3', 'west/west-n1']);
    expect(serverZones(first)).toEqual({ 'east-n1': 'us-east-1a', 'east-n2': 'us-east-1b', 'east-n3': 'us-east-1c', 'west-n1': 'us-west-2a' });
    for (const s of first.servers) expect(s).toMatchObject({ up: true, version: '2.9.10' });
    expect(first.zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-west-2a']);
  });

  it('names route peers (from STATSZ, as 2.9.10 routez has no names) and draws one edge per pair', () => {
    expect(first.routes.map((r) => `${r.a}–${r.b}`)).toEqual(['east-n1–east-n2', 'east-n1–east-n3', 'east-n2–east-n3']);
    for (const r of first.routes) expect(r.rttMs).toBeGreaterThan(0);
    expect(first.servers.find((s) => s.name === 'east-n2')?.routes).toEqual(['east-n1', 'east-n3']);
    expect(first.servers.find((s) => s.name === 'west-n1')?.routes).toEqual([]);
  });

  it('shows the gateway from every east server to west and back, with the remote server named', () => {
    const links = first.gateways.map((g) => `${g.server}→${g.remoteCluster}`);
    expect(links).toEqual(['east-n1→west', 'east-n2→west', 'east-n3→west', 'west-n1→east']);
    for (const g of first.gateways.filter((x) => x.cluster === 'east')) expect(g.remoteServer).toBe('west-n1');
    expect(first.gateways.find((g) => g.server === 'west-n1')?.remoteServer).toMatch(/^east-n[123]$/);
  });

  it('shows the leaf server attached to east-n1 in the APP account', () => {
    expect(first.leafNodes).toHaveLength(1);
    expect(first.leafNodes[0]).toMatchObject({ server: 'east-n1', account: 'APP' });
    expect(first.leafNodes[0]?.rttMs).toBeGreaterThan(0);
  });

  it('groups queue subscribers per subject with their server and zone', () => {
    const cart = group(first, 'microbus.safe.443.*.cart_shop._.GET.items');
    expect(cart).toHaveLength(1);
    expect(cart[0]?.group).toBe('cart.shop');
    expect(cart[0]?.service).toBe('cart.shop');
    expect(cart[0]?.members.map((m) => `${m.server}@${m.zone}`).sort()).toEqual(['east-n1@us-east-1a', 'east-n2@us-east-1b', 'east-n3@us-east-1c']);
    const inventory = group(first, 'inventory.stock');
    expect(inventory[0]?.group).toBe('q');
    expect(inventory[0]?.members.map((m) => `${m.server}@${m.zone}`).sort()).toEqual([
      'east-n1@us-east-1a',
      'east-n3@us-east-1c',
      'west-n1@us-west-2a',
    ]);
  });

  it('recognises Microbus services from subjects, one instance per replica, zones from loc- slots before server tags', () => {
    const cart = service(first, 'cart.shop');
    expect(cart?.kind).toBe('microbus');
    expect(cart?.instances.map((i) => `${i.server}:${i.zone}:${i.zoneSource}`).sort()).toEqual([
      'east-n1:us-east-1a:locality',
      'east-n2:us-east-1b:locality',
      'east-n3:us-east-1c:server-tag',
    ]);
    // cart.shop and pricing.shop share each bundle replica's connection.
    const pricing = service(first, 'pricing.shop');
    expect(new Set(pricing?.instances.map((i) => i.connection))).toEqual(new Set(cart?.instances.map((i) => i.connection)));
    expect(cart?.endpoints.map((e) => e.name)).toEqual(['GET :443/items', 'POST :443/add']);
    expect(service(first, 'search.shop')?.endpoints[0]?.queueGroup).toBe('search');
    expect(service(first, 'audit.shop')?.endpoints[0]?.queueGroup).toBeNull();
  });

  it('reads micro services from $SRV replies: versions, zones from metadata before server tags, processing time', () => {
    const inv = service(first, 'inventory');
    expect(inv?.kind).toBe('micro');
    expect(inv?.versions).toEqual(['1.0.0', '1.1.0']);
    expect(inv?.instances.map((i) => `${i.server}:${i.zone}:${i.zoneSource}:${i.version}`).sort()).toEqual([
      'east-n1:us-east-1a:metadata:1.0.0',
      'east-n3:us-east-1c:server-tag:1.0.0',
      'west-n1:us-west-2a:server-tag:1.1.0',
    ]);
    // The workers hold each request for 2 ms; STATS reports it in nanoseconds.
    expect(inv?.avgProcessingMs).toBeGreaterThan(1.9);
    expect(inv?.avgProcessingMs).toBeLessThan(20);
    expect(service(first, 'payments')?.instances[0]).toMatchObject({
      server: 'west-n1',
      zone: 'us-west-2a',
      zoneSource: 'metadata',
      version: '2.0.0',
    });
  });

  it('has probe histograms per service and per server', () => {
    const probe = service(first, 'inventory')?.probe;
    expect(probe?.count).toBeGreaterThanOrEqual(3);
    expect(probe?.p50Ms).toBeGreaterThan(0);
    expect(probe?.counts.reduce((a, b) => a + b, 0)).toBe(probe?.count);
    expect(Object.keys(first.serverProbes).sort()).toEqual(['east-n1', 'east-n2', 'east-n3', 'west-n1']);
  });

  it('has no rates on the first poll and rates from counter deltas on the second', () => {
    expect(first.intervalMs).toBeNull();
    expect(first.servers.every((s) => s.msgRate === null)).toBe(true);
    expect(second.intervalMs).toBeGreaterThan(0);
    for (const s of second.servers) expect(s.msgRate).toBeGreaterThan(0);
    // 20 requests each went to cart.shop and inventory between the polls.
    const interval = (second.intervalMs as number) / 1000;
    expect((service(second, 'cart.shop')?.requestRate ?? 0) * interval).toBeCloseTo(20, 0);
    expect((service(second, 'inventory')?.requestRate ?? 0) * interval).toBeCloseTo(20, 0);
    expect(second.routes.some((r) => (r.msgRate ?? 0) > 0)).toBe(true);
  });

  it('shows a killed server as down, keeps what was known of it, and keeps updating the others', () => {
    const down = afterKill.servers.filter((s) => !s.up);
    expect(down).toHaveLength(1);
    const victim = down[0];
    expect(victim).toMatchObject({ cluster: 'east', error: 'did not answer this poll', msgRate: null });
    expect(victim?.zone).toMatch(/^us-east-1[bc]$/);
    expect(victim?.lastSeen).toBe(second.collectedAt);
    const others = afterKill.servers.filter((s) => s.up);
    expect(others.map((s) => s.name)).toHaveLength(3);
    for (const s of others) expect(s.lastSeen).toBe(afterKill.collectedAt);
    expect(afterKill.routes.some((r) => r.a === victim?.name || r.b === victim?.name)).toBe(false);
    expect(afterKill.totals).toMatchObject({ servers: 4, serversUp: 3 });
  });
});

describe('live snapshot as an ordinary account user ($SYS.REQ.ACCOUNT.PING.CONNZ)', () => {
  const [first, second] = chain(polls('account')) as [LiveSnapshot, LiveSnapshot];

  it('sees every server that holds the account, the leaf server included, but no routes or gateways', () => {
    expect(first.source).toBe('account');
    expect(first.servers.map((s) => s.name)).toEqual(['east-n1', 'east-n2', 'east-n3', 'edge-n1', 'west-n1']);
    expect(first.routes).toEqual([]);
    expect(first.gateways).toEqual([]);
  });

  it('still finds the services, queue groups and zones', () => {
    expect(service(first, 'cart.shop')?.instances).toHaveLength(3);
    expect(service(first, 'inventory')?.versions).toEqual(['1.0.0', '1.1.0']);
    expect(group(first, 'inventory.stock')[0]?.members).toHaveLength(3);
    expect(second.connections.every((c) => c.account === null || c.account === 'APP')).toBe(true);
  });
});

describe('live snapshot from HTTP monitoring', () => {
  const [first, second] = chain(polls('monitor')) as [LiveSnapshot, LiveSnapshot];

  it('names route peers from the other servers’ /varz ids (2.9.10 /routez carries none)', () => {
    expect(first.source).toBe('monitor');
    expect(first.routes.map((r) => `${r.a}–${r.b}`)).toEqual(['east-n1–east-n2', 'east-n1–east-n3', 'east-n2–east-n3']);
    expect(first.servers.every((s) => s.url?.startsWith('http://127.0.0.1:'))).toBe(true);
  });

  it('reads connections of every account with their subscriptions, and RTTs', () => {
    expect(second.connections.length).toBeGreaterThanOrEqual(9);
    const withRtt = second.connections.filter((c) => c.rttMs !== null);
    expect(withRtt.length).toBeGreaterThan(0);
    expect(service(second, 'cart.shop')?.instances).toHaveLength(3);
  });
});
