/** "Import from cluster" and "calibrate" on the recorded live system. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../schema/validate.ts';
import { calibrate } from './calibrate.ts';
import { draftDesign, regionOfZone } from './draft.ts';
import { SHOP_DESIGN } from './fixtures/shop-design.ts';
import type { RawCollection } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';

const polls = (JSON.parse(readFileSync(new URL('./fixtures/system-2.9.10.json', import.meta.url), 'utf8')) as { polls: RawCollection[] }).polls;
const first = buildSnapshot(polls[0] as RawCollection);
const second = buildSnapshot(polls[1] as RawCollection, first);

describe('import from cluster', () => {
  const { doc, notes } = draftDesign(second, { name: 'Imported shop' });
  const parsed = parseTopology(doc);

  it('drafts a valid design', () => {
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    expect(doc.name).toBe('Imported shop');
  });

  it('takes zones with their regions, and a NATS cluster per live cluster', () => {
    expect(doc.zones).toEqual([
      { name: 'us-east-1a', region: 'us-east-1' },
      { name: 'us-east-1b', region: 'us-east-1' },
      { name: 'us-east-1c', region: 'us-east-1' },
      { name: 'us-west-2a', region: 'us-west-2' },
    ]);
    expect(doc.nats).toEqual([
      { name: 'east', region: 'us-east-1', serversPerZone: 1 },
      { name: 'west', region: 'us-west-2', serversPerZone: 1 },
    ]);
  });

  it('bundles services that share a connection, with one replica per connection and zone', () => {
    const shop = doc.bundles?.find((b) => b.services.includes('cart.shop'));
    expect(shop).toMatchObject({
      name: 'shop',
      services: ['cart.shop', 'pricing.shop'],
      replicas: { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 },
    });
    const inventory = doc.bundles?.find((b) => b.services.includes('inventory'));
    expect(inventory?.services).toEqual(['inventory']);
    expect(inventory?.replicas).toEqual({ 'us-east-1a': 1, 'us-east-1c': 1, 'us-west-2a': 1 });
    expect(new Set(doc.bundles?.map((b) => b.name)).size).toBe(doc.bundles?.length);
  });

  it('does not bundle processes that merely share one address: the test workers all run on 127.0.0.1', () => {
    expect(second.bundles.map((b) => `${b.services.join('+')}:${b.evidence}`)).toEqual([
      'audit.shop:connection',
      'cart.shop+pricing.shop:connection',
      'inventory:connection',
      'payments:connection',
      'search.shop:connection',
    ]);
  });

  it('uses measured processing time where there is one, and says what it could not know', () => {
    const inv = doc.services?.find((s) => s.name === 'inventory');
    expect(inv?.serviceTimeMs).toBeGreaterThan(1.9);
    expect(inv?.endpoints).toEqual(['inventory.stock']);
    expect(doc.services?.find((s) => s.name === 'cart.shop')?.serviceTimeMs).toBe(1);
    expect(notes.join('\n')).toMatch(/placeholders \(1 ms\)/);
    expect(notes.join('\n')).toMatch(/Calls between services and incoming traffic are not visible/);
  });

  it('reads regions from zone names', () => {
    expect(regionOfZone('us-east-1a')).toBe('us-east-1');
    expect(regionOfZone('us-central1-b')).toBe('us-central1');
    expect(regionOfZone('eu-west-3-c')).toBe('eu-west-3');
    expect(regionOfZone('rack7')).toBeNull();
  });
});

describe('calibrate', () => {
  it('copies the measured entry rate into the traffic and leaf service times into the services', () => {
    // Two polls make one measurement: allow it here (the window rules are tested below).
    const { doc, changes, skipped, command } = calibrate(SHOP_DESIGN, second, { minSamples: 1 });
    const cart = second.services.find((s) => s.name === 'cart.shop');
    const inv = second.services.find((s) => s.name === 'inventory');
    expect(changes.map((c) => c.path)).toEqual(['traffic[0].rps', 'services[2].serviceTimeMs']);
    // cart.shop has no designed callers: all of its measured rate enters from outside.
    expect(doc.traffic?.[0]?.rps).toBeCloseTo(cart?.requestRate as number, 2);
    expect(doc.services?.[2]?.serviceTimeMs).toBeCloseTo(inv?.avgProcessingMs as number, 2);
    expect(skipped).toContain('cart.shop: calls others, so its processing time includes downstream waits');
    expect(skipped).toContain('pricing.shop: no processing time measured (Microbus exposes none on the bus)');
    // One command: one undo step.
    expect(command).toMatchObject({
      type: 'batch',
      commands: [
        { type: 'setTraffic', index: 0 },
        { type: 'setService', name: 'inventory' },
      ],
    });
    expect(skipped).toContain('orders.shop: not seen live');
    // The original is untouched and the result is a valid design.
    expect(SHOP_DESIGN.traffic?.[0]?.rps).toBe(60);
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('changes no traffic when no rate has been measured yet', () => {
    const { changes, skipped } = calibrate(SHOP_DESIGN, first);
    expect(changes.some((c) => c.path.startsWith('traffic'))).toBe(false);
    expect(skipped).toContain('traffic to cart.shop: no measured rate yet (wait for a second poll)');
  });
});
