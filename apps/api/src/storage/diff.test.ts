import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { diffDesigns } from './diff.ts';

const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput;

describe('diffDesigns', () => {
  it('finds nothing between a design and its copy with keys in another order', () => {
    const shuffled = JSON.parse(JSON.stringify(checkout, Object.keys(checkout).reverse()));
    expect(diffDesigns(checkout, structuredClone(checkout)).same).toBe(true);
    expect(diffDesigns(checkout, { ...shuffled, ...checkout }).same).toBe(true);
  });

  it('names services, bundles and zones added, removed and changed, and replica counts per zone', () => {
    const after = structuredClone(checkout);
    after.services = after.services!.filter((s) => s.name !== 'auth.checkout');
    after.services.push({ name: 'fraud.checkout', serviceTimeMs: 2 });
    after.services.find((s) => s.name === 'cart.checkout')!.serviceTimeMs = 7;
    after.zones = [...after.zones, { name: 'us-west-2d', region: 'us-west-2' }];
    const shop = after.bundles!.find((b) => b.name === 'shop')!;
    shop.replicas = { 'us-west-2a': 4, 'us-west-2b': 2, 'us-west-2d': 1 };
    shop.cpu = 4;
    after.bundles = after.bundles!.filter((b) => b.name !== 'edge');
    after.bundles.push({ name: 'fraud', services: ['fraud.checkout'], replicas: { 'us-west-2a': 1 } });
    after.routing = 'random';
    after.layout = { 'cart.checkout': { x: 1, y: 2 } };

    const d = diffDesigns(checkout, after);
    expect(d.services).toEqual({
      added: ['fraud.checkout'],
      removed: ['auth.checkout'],
      changed: [{ name: 'cart.checkout', fields: ['serviceTimeMs'] }],
    });
    expect(d.bundles).toEqual({ added: ['fraud'], removed: ['edge'], changed: [{ name: 'shop', fields: ['cpu'] }] });
    expect(d.zones).toEqual({ added: ['us-west-2d'], removed: [], changed: [] });
    expect(d.replicas).toEqual([
      { bundle: 'shop', zone: 'us-west-2a', from: 2, to: 4 },
      { bundle: 'shop', zone: 'us-west-2c', from: 2, to: 0 },
      { bundle: 'shop', zone: 'us-west-2d', from: 0, to: 1 },
    ]);
    expect(d.other).toEqual(['routing']);
    expect(d.layoutChanged).toBe(true);
    expect(d.same).toBe(false);
  });
});
