import { describe, expect, it } from 'vitest';
import { parseTopology } from '../schema/validate.ts';
import { repairDocument } from './repair.ts';

/** A design stored before names were checked and unknown fields refused. */
const OLD = {
  schema: 'busboard.topology/v3',
  name: 'old',
  zones: [{ name: 'a', region: 'r' }],
  services: [
    { name: 'Web Front', serviceTimeMs: 2, calls: [{ to: 'Cart Checkout!', perRequest: 1 }] },
    { name: 'Cart Checkout!', serviceTimeMs: 3, maxQueue: 200 },
  ],
  bundles: [{ name: 'app', services: ['Web Front', 'Cart Checkout!'], replicas: { a: 2 } }],
  traffic: [{ entry: 'Web Front', rps: 10 }],
  slo: [{ entry: 'Web Front', p99Ms: 100 }],
};

describe('repairDocument', () => {
  it('renames services to hostnames everywhere and drops unknown fields, listing each change', () => {
    expect(parseTopology(OLD).ok).toBe(false);
    const repair = repairDocument(OLD);
    if (!repair) throw new Error('no repair');
    const parsed = parseTopology(repair.doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.doc.services.map((s) => s.name)).toEqual(['web-front', 'cart-checkout']);
    expect(parsed.doc.services[0]?.calls[0]?.to).toBe('cart-checkout');
    expect(parsed.doc.bundles[0]?.services).toEqual(['web-front', 'cart-checkout']);
    expect(parsed.doc.traffic[0]?.entry).toBe('web-front');
    expect(parsed.doc.slo[0]?.entry).toBe('web-front');
    expect(repair.changes).toEqual([
      'services[1].maxQueue: dropped (a field Busboard does not know)',
      'service "Web Front" renamed to "web-front" everywhere it is referenced (service names are hostnames and queue groups)',
      'service "Cart Checkout!" renamed to "cart-checkout" everywhere it is referenced (service names are hostnames and queue groups)',
    ]);
  });

  it('needs no repair for a valid document, and keeps two names apart that suggest the same hostname', () => {
    expect(
      repairDocument({
        ...OLD,
        services: [{ name: 'web.x', serviceTimeMs: 1 }],
        bundles: [{ name: 'b', services: ['web.x'], replicas: { a: 1 } }],
        traffic: [],
        slo: [],
      }),
    ).toBeNull();
    const twins = {
      ...OLD,
      services: [
        { name: 'Web', serviceTimeMs: 1 },
        { name: 'web!', serviceTimeMs: 1 },
      ],
      bundles: [{ name: 'b', services: ['Web', 'web!'], replicas: { a: 1 } }],
      traffic: [{ entry: 'Web', rps: 1 }],
      slo: [],
    };
    const repair = repairDocument(twins);
    expect(repair?.doc.services?.map((s) => s.name)).toEqual(['web', 'web-2']);
  });
});
