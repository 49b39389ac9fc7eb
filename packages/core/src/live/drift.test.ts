/**
 * Drift between the shop design and the recorded live system: every difference caused on
 * purpose (fixtures/shop-design.ts) is found once, with a path into the document, and
 * nothing else is reported.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { parseTopology } from '../schema/validate.ts';
import { computeDrift } from './drift.ts';
import { SHOP_DESIGN } from './fixtures/shop-design.ts';
import { endpointMatches, subjectMatches } from './match.ts';
import { liveOverlay } from './overlay.ts';
import type { RawCollection } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';
import type { LiveSnapshot } from './types.ts';

const polls = (JSON.parse(readFileSync(new URL('./fixtures/system-2.9.10.json', import.meta.url), 'utf8')) as { polls: RawCollection[] }).polls;
const first = buildSnapshot(polls[0] as RawCollection);
const second = buildSnapshot(polls[1] as RawCollection, first);
const afterKill = buildSnapshot(polls[2] as RawCollection, second);
const parsed = parseTopology(SHOP_DESIGN);
if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
const doc = parsed.doc;

const summary = (s: LiveSnapshot) => computeDrift(doc, s).map((d) => `${d.severity} ${d.kind} ${d.service}`);

describe('drift between a design and a live system', () => {
  it('finds exactly the differences made on purpose, errors first', () => {
    expect(summary(second)).toEqual([
      'error missing-replicas audit.shop',
      'error no-queue-group audit.shop',
      'error missing-replicas cart.shop',
      'error service-not-seen orders.shop',
      'error missing-replicas pricing.shop',
      'error missing-replicas search.shop',
      'error queue-group-mismatch search.shop',
      'warning extra-replicas inventory',
      'warning version-mismatch inventory',
      'warning unknown-service payments',
    ]);
  });

  it('says how many replicas, in which zone, and where in the document', () => {
    const drift = computeDrift(doc, second);
    expect(drift.find((d) => d.kind === 'missing-replicas' && d.service === 'cart.shop')).toMatchObject({
      bundle: 'shop',
      zone: 'us-east-1b',
      designed: 2,
      live: 1,
      path: 'bundles[0].replicas["us-east-1b"]',
      message: 'cart.shop has 1 of 2 designed replicas in us-east-1b',
      fix: { type: 'setReplicas', bundle: 'shop', zone: 'us-east-1b', replicas: 1 },
      held: null,
    });
    expect(drift.find((d) => d.kind === 'extra-replicas')).toMatchObject({
      service: 'inventory',
      zone: 'us-west-2a',
      designed: 0,
      live: 1,
      path: 'zones',
    });
  });

  it('explains the queue-group problems: a wrong group name is fan-out waiting to happen; no group is fan-out now', () => {
    const drift = computeDrift(doc, second);
    const mismatch = drift.find((d) => d.kind === 'queue-group-mismatch');
    expect(mismatch).toMatchObject({ group: 'search', expected: 'search.shop', path: 'services[3].name' });
    if (mismatch?.kind !== 'queue-group-mismatch') throw new Error('no mismatch');
    // The `_` slot and every loc- prefix the replica subscribes to, in one entry.
    expect(mismatch.subjects).toContain('microbus.safe.443.*.search_shop._.GET.find');
    expect(mismatch.subjects.length).toBe(5);
    const bare = drift.find((d) => d.kind === 'no-queue-group');
    expect(bare).toMatchObject({ service: 'audit.shop', subjects: ['microbus.safe.443.*.audit_shop._.POST.record'], servers: ['east-n3'] });
    expect(bare?.message).toContain('every replica gets every request');
    // Control subjects (:888) of every Microbus service have no queue group by design: not drift.
    expect(drift.some((d) => d.kind === 'no-queue-group' && d.subjects.some((s) => s.includes('.888.')))).toBe(false);
  });

  it('reports versions with their counts', () => {
    expect(computeDrift(doc, second).find((d) => d.kind === 'version-mismatch')).toMatchObject({
      versions: { '1.0.0': 2, '1.1.0': 1 },
      message: 'inventory runs 2 versions: 1.0.0 ×2, 1.1.0 ×1',
    });
  });

  it('does not count subscribers outside the service’s queue group as replicas, and offers no count for them', () => {
    const drift = computeDrift(doc, second);
    for (const service of ['audit.shop', 'search.shop']) {
      const d = drift.find((x) => x.kind === 'missing-replicas' && x.service === service);
      expect(d).toMatchObject({ live: 0, designed: 1, fix: null });
      expect(d?.held).toContain(`once it joins "${service}"`);
    }
    expect(drift.find((x) => x.service === 'search.shop' && x.kind === 'missing-replicas')?.message).toBe(
      'search.shop has 0 of 1 designed replicas in us-east-1b (1 more subscriber in another queue group: not a replica until it joins "search.shop")',
    );
  });

  it('holds every count while a server is down, and says which', () => {
    const drift = computeDrift(doc, afterKill);
    expect(drift[0]).toMatchObject({ kind: 'server-down', severity: 'error', cluster: 'east' });
    const down = drift[0]?.kind === 'server-down' ? drift[0].server : '';
    const cart = drift.find((d) => d.kind === 'missing-replicas' && d.service === 'cart.shop');
    expect(cart?.fix).toBeNull();
    expect(cart?.message).toContain(`while ${down}`);
    expect(cart?.held).toContain(`${down} is down`);
    expect(drift.every((d) => d.fix === null)).toBe(true);
  });

  it('sees no replica drift when the design says what runs', () => {
    const fixed = structuredClone(SHOP_DESIGN);
    fixed.zones?.push({ name: 'us-west-2a', region: 'us-west-2' });
    const shop = fixed.bundles?.find((b) => b.name === 'shop');
    if (shop) shop.replicas['us-east-1b'] = 1;
    const inv = fixed.bundles?.find((b) => b.name === 'inventory');
    if (inv) inv.replicas['us-west-2a'] = 1;
    const p = parseTopology(fixed);
    if (!p.ok) throw new Error('invalid');
    // Only the two services whose subscribers are outside their queue group still differ.
    const replicas = computeDrift(p.doc, second).filter((d) => d.kind === 'missing-replicas' || d.kind === 'extra-replicas');
    expect(replicas.map((d) => d.service)).toEqual(['audit.shop', 'search.shop']);
  });
});

describe('matching designed endpoints to live subjects', () => {
  it('matches NATS wildcards', () => {
    expect(subjectMatches('orders.*', 'orders.create')).toBe(true);
    expect(subjectMatches('orders.>', 'orders.create.v2')).toBe(true);
    expect(subjectMatches('orders.>', 'orders')).toBe(false);
    expect(subjectMatches('orders.*', 'orders.create.v2')).toBe(false);
  });

  it('matches Microbus paths with optional method and port', () => {
    const s = 'microbus.safe.443.*.cart_shop._.POST.add.item%2ejson';
    expect(endpointMatches('/add/item.json', s)).toBe(true);
    expect(endpointMatches('POST:443/add/item.json', s)).toBe(true);
    expect(endpointMatches('GET /add/item.json', s)).toBe(false);
    expect(endpointMatches(':8080/add/item.json', s)).toBe(false);
  });

  it('matches a renamed service by its designed endpoints', () => {
    const renamed = structuredClone(SHOP_DESIGN);
    const inv = renamed.services?.find((x) => x.name === 'inventory');
    if (inv) inv.name = 'stock-keeper';
    const b = renamed.bundles?.find((x) => x.name === 'inventory');
    if (b) b.services = ['stock-keeper'];
    const cart = renamed.services?.find((x) => x.name === 'cart.shop');
    if (cart)
      cart.calls = [
        { to: 'pricing.shop', perRequest: 1 },
        { to: 'stock-keeper', perRequest: 1 },
      ];
    const p = parseTopology(renamed);
    if (!p.ok) throw new Error(p.problems.map((x) => x.message).join());
    const drift = computeDrift(p.doc, second);
    expect(drift.some((d) => d.kind === 'service-not-seen' && d.service === 'stock-keeper')).toBe(false);
    expect(drift.some((d) => d.kind === 'unknown-service' && d.service === 'inventory')).toBe(false);
  });
});

describe('the design overlay', () => {
  it('puts live replicas, rates and measured latency beside the design’s', () => {
    const result = simulate(doc, { skipEndToEnd: true });
    const overlay = liveOverlay(doc, second, result);
    const cart = overlay.services.find((s) => s.service === 'cart.shop');
    expect(cart?.zones).toEqual([
      { zone: 'us-east-1a', designed: 1, live: 1 },
      { zone: 'us-east-1b', designed: 2, live: 1 },
      { zone: 'us-east-1c', designed: 1, live: 1 },
    ]);
    expect(cart?.designedRps).toBeCloseTo(60, 6);
    expect(cart?.liveRps).toBeGreaterThan(0);
    const inv = overlay.services.find((s) => s.service === 'inventory');
    expect(inv?.measuredMs).toBeGreaterThan(1.9);
    expect(inv?.designedServiceMs).toBe(3);
    expect(inv?.probeP50Ms).toBeGreaterThan(0);
    expect(inv?.driftCount).toBe(2);
    expect(overlay.extraZones).toEqual(['us-west-2a']);
    expect(overlay.services.find((s) => s.service === 'orders.shop')).toMatchObject({
      live: null,
      zones: [{ zone: 'us-east-1a', designed: 1, live: 0 }],
    });
  });
});
