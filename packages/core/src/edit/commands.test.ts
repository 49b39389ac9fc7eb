import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { EXAMPLES } from '../examples/index.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { applyCommand, type Command } from './commands.ts';
import { bundleNameFor, moveServiceCommand, paletteCommand, renameServiceCommand, uniqueName, workersFor } from './names.ts';
import { layoutKey, parseLayoutKey } from './types.ts';

const example = (id: string): TopologyInput => {
  const ex = EXAMPLES.find((e) => e.id === id);
  if (!ex) throw new Error(`no example ${id}`);
  return ex.doc;
};
const shop = example('microbus-shop');
const checkout = example('checkout');

/** Applies and asserts the result is still a valid document (every reference kept whole). */
function applyValid(doc: TopologyInput, cmd: Command): TopologyInput {
  const next = applyCommand(doc, cmd);
  const parsed = parseTopology(next);
  expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  return next;
}
const svc = (doc: TopologyInput, name: string) => doc.services?.find((s) => s.name === name);
const bundle = (doc: TopologyInput, name: string) => doc.bundles?.find((b) => b.name === name);
const bundleOf = (doc: TopologyInput, service: string) => doc.bundles?.find((b) => b.services.includes(service))?.name;

describe('edit commands', () => {
  it('sets one zone of one bundle and leaves the input untouched', () => {
    const next = applyValid(shop, { type: 'setReplicas', bundle: 'shop', zone: 'us-east-1c', replicas: 5 });
    expect(bundle(next, 'shop')?.replicas['us-east-1c']).toBe(5);
    expect(bundle(shop, 'shop')?.replicas['us-east-1c']).toBe(2);
  });

  it('returns the same document when nothing changes (no empty undo steps)', () => {
    expect(applyCommand(shop, { type: 'setReplicas', bundle: 'shop', zone: 'us-east-1c', replicas: 2 })).toBe(shop);
    expect(applyCommand(shop, { type: 'setService', name: 'web.example', fields: { serviceTimeMs: 6 } })).toBe(shop);
    expect(applyCommand(shop, { type: 'renameEntity', target: { kind: 'service', name: 'nope' }, to: 'x' })).toBe(shop);
    expect(applyCommand(shop, { type: 'remove', target: { kind: 'zone', name: 'nope' } })).toBe(shop);
    expect(applyCommand(shop, { type: 'setLayout', positions: { 'svc:x': null } })).toBe(shop);
  });

  it('renames the document', () => {
    expect(applyValid(shop, { type: 'rename', name: 'Shop v2' }).name).toBe('Shop v2');
  });

  describe('services', () => {
    it('adds a service into a bundle at a position', () => {
      const next = applyValid(checkout, {
        type: 'addService',
        service: { name: 'tax.checkout', serviceTimeMs: 2 },
        bundle: 'shop',
        position: { x: 10.4, y: 20.6 },
      });
      expect(svc(next, 'tax.checkout')?.serviceTimeMs).toBe(2);
      expect(bundleOf(next, 'tax.checkout')).toBe('shop');
      expect(next.layout?.['svc:tax.checkout']).toEqual({ x: 10, y: 21 });
    });
    it('refuses to add a service to a bundle that does not exist', () => {
      expect(applyCommand(checkout, { type: 'addService', service: { name: 'x', serviceTimeMs: 1 }, bundle: 'nope' })).toBe(checkout);
    });
    it('renames a service in every call, bundle, traffic entry, SLO and layout key', () => {
      const laidOut = applyCommand(checkout, { type: 'setLayout', positions: { 'svc:edge.checkout': { x: 1, y: 2 } } });
      const next = applyValid(laidOut, { type: 'renameEntity', target: { kind: 'service', name: 'edge.checkout' }, to: 'gateway.checkout' });
      expect(svc(next, 'gateway.checkout')).toBeDefined();
      expect(bundle(next, 'edge')?.services).toEqual(['gateway.checkout']);
      expect(next.traffic?.[0]?.entry).toBe('gateway.checkout');
      expect(next.slo?.[0]?.entry).toBe('gateway.checkout');
      expect(next.layout).toEqual({ 'svc:gateway.checkout': { x: 1, y: 2 } });
      const renamedCallee = applyValid(checkout, {
        type: 'renameEntity',
        target: { kind: 'service', name: 'pricing.checkout' },
        to: 'price.checkout',
      });
      expect(svc(renamedCallee, 'cart.checkout')?.calls?.map((c) => c.to)).toEqual(['price.checkout', 'inventory.checkout', 'payment.checkout']);
    });
    it('a rename onto a taken or empty name yields a document the schema refuses, saying why', () => {
      const taken = parseTopology(
        applyCommand(checkout, { type: 'renameEntity', target: { kind: 'service', name: 'auth.checkout' }, to: 'cart.checkout' }),
      );
      expect(taken.ok ? [] : taken.problems).toContainEqual({
        path: 'services[2].name',
        message: 'duplicate service "cart.checkout" (also services[1])',
      });
      const empty = parseTopology(applyCommand(checkout, { type: 'renameEntity', target: { kind: 'service', name: 'auth.checkout' }, to: ' ' }));
      expect(empty.ok ? [] : empty.problems).toContainEqual({ path: 'services[1].name', message: 'must not be empty' });
    });
    it('removes a service with its calls, bundle membership, traffic and SLO', () => {
      const next = applyValid(checkout, { type: 'remove', target: { kind: 'service', name: 'edge.checkout' } });
      expect(svc(next, 'edge.checkout')).toBeUndefined();
      expect(bundle(next, 'edge')?.services).toEqual([]);
      expect(next.traffic).toEqual([]);
      expect(next.slo).toEqual([]);
      const noPricing = applyValid(checkout, { type: 'remove', target: { kind: 'service', name: 'pricing.checkout' } });
      expect(svc(noPricing, 'cart.checkout')?.calls?.map((c) => c.to)).toEqual(['inventory.checkout', 'payment.checkout']);
    });
    it('sets and clears service fields (a cache on and off)', () => {
      const cache = { entriesPerReplica: 1000, keySpace: 100000, hitTimeMs: 0.2 };
      const on = applyValid(checkout, { type: 'setService', name: 'auth.checkout', fields: { workers: 4, cache } });
      expect(svc(on, 'auth.checkout')).toMatchObject({ workers: 4, cache });
      const off = applyValid(on, { type: 'setService', name: 'auth.checkout', fields: { cache: undefined } });
      expect(svc(off, 'auth.checkout') && 'cache' in (svc(off, 'auth.checkout') ?? {})).toBe(false);
    });
    it('moves a service to another bundle', () => {
      const next = applyValid(checkout, { type: 'moveService', service: 'payment.checkout', toBundle: 'shop' });
      expect(bundleOf(next, 'payment.checkout')).toBe('shop');
      expect(bundle(next, 'payments')?.services).toEqual([]);
      expect(applyCommand(next, { type: 'moveService', service: 'payment.checkout', toBundle: 'shop' })).toBe(next);
      expect(applyCommand(next, { type: 'moveService', service: 'nope', toBundle: 'shop' })).toBe(next);
    });
  });

  describe('calls', () => {
    it('adds, edits and removes a call', () => {
      const added = applyValid(checkout, { type: 'addCall', from: 'auth.checkout', call: { to: 'ext:processor', perRequest: 0.5 } });
      expect(svc(added, 'auth.checkout')?.calls).toEqual([{ to: 'ext:processor', perRequest: 0.5 }]);
      const edited = applyValid(added, { type: 'setCall', from: 'auth.checkout', index: 0, fields: { perRequest: 2, parallelGroup: 'g' } });
      expect(svc(edited, 'auth.checkout')?.calls?.[0]).toEqual({ to: 'ext:processor', perRequest: 2, parallelGroup: 'g' });
      const ungrouped = applyValid(edited, { type: 'setCall', from: 'auth.checkout', index: 0, fields: { parallelGroup: undefined } });
      expect(svc(ungrouped, 'auth.checkout')?.calls?.[0]).toEqual({ to: 'ext:processor', perRequest: 2 });
      const removed = applyValid(ungrouped, { type: 'removeCall', from: 'auth.checkout', index: 0 });
      expect(svc(removed, 'auth.checkout')?.calls).toEqual([]);
      expect(applyCommand(removed, { type: 'removeCall', from: 'auth.checkout', index: 3 })).toBe(removed);
    });
    it('a call that closes a cycle makes a document the schema refuses, naming the call', () => {
      const next = applyCommand(checkout, { type: 'addCall', from: 'payment.checkout', call: { to: 'edge.checkout' } });
      const parsed = parseTopology(next);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problems[0]?.path).toBe('services[5].calls[1].to');
    });
  });

  describe('bundles', () => {
    it('adds a bundle, renames it with its layout key, sets its fields', () => {
      const added = applyValid(checkout, {
        type: 'addBundle',
        bundle: { name: 'tax', services: [], replicas: { 'us-west-2a': 1 } },
        position: { x: 5, y: 5 },
      });
      expect(bundle(added, 'tax')).toBeDefined();
      const renamed = applyValid(added, { type: 'renameEntity', target: { kind: 'bundle', name: 'tax' }, to: 'taxes' });
      expect(bundle(renamed, 'taxes')).toBeDefined();
      expect(renamed.layout).toEqual({ 'bundle:taxes': { x: 5, y: 5 } });
      const set = applyValid(renamed, { type: 'setBundle', name: 'taxes', fields: { cpu: 2, memoryMiB: 1024 } });
      expect(bundle(set, 'taxes')).toMatchObject({ cpu: 2, memoryMiB: 1024 });
    });
    it('removes a bundle with its services and every reference to them', () => {
      const next = applyValid(checkout, { type: 'remove', target: { kind: 'bundle', name: 'payments' } });
      expect(bundle(next, 'payments')).toBeUndefined();
      expect(svc(next, 'payment.checkout')).toBeUndefined();
      expect(svc(next, 'cart.checkout')?.calls?.map((c) => c.to)).toEqual(['pricing.checkout', 'inventory.checkout']);
    });
  });

  describe('zones', () => {
    it('adds a zone and sets its region', () => {
      const added = applyValid(checkout, { type: 'addZone', zone: { name: 'us-west-2d', region: 'us-west-2' } });
      expect(added.zones?.map((z) => z.name)).toContain('us-west-2d');
      const moved = applyValid(added, { type: 'setZone', name: 'us-west-2d', fields: { region: 'us-west-2' } });
      expect(moved).toBe(added);
    });
    it('renames a zone in replica maps and traffic shares, keeping key order', () => {
      const withShares = applyCommand(checkout, { type: 'setTraffic', index: 0, fields: { zones: { 'us-west-2a': 2, 'us-west-2b': 1 } } });
      const next = applyValid(withShares, { type: 'renameEntity', target: { kind: 'zone', name: 'us-west-2a' }, to: 'usw2-az1' });
      expect(Object.keys(bundle(next, 'shop')?.replicas ?? {})).toEqual(['usw2-az1', 'us-west-2b', 'us-west-2c']);
      expect(next.traffic?.[0]?.zones).toEqual({ 'usw2-az1': 2, 'us-west-2b': 1 });
    });
    it('removes a zone with its replica counts and traffic shares (a lone share falls back to the default split)', () => {
      const withShares = applyCommand(checkout, { type: 'setTraffic', index: 0, fields: { zones: { 'us-west-2a': 1 } } });
      const next = applyValid(withShares, { type: 'remove', target: { kind: 'zone', name: 'us-west-2a' } });
      expect(next.zones?.map((z) => z.name)).toEqual(['us-west-2b', 'us-west-2c']);
      expect(bundle(next, 'shop')?.replicas).toEqual({ 'us-west-2b': 2, 'us-west-2c': 2 });
      expect(next.traffic?.[0]).toEqual({ entry: 'edge.checkout', rps: 300, profile: checkout.traffic?.[0]?.profile });
    });
    it('keeps the over-time references whole: policies follow a renamed bundle, events a renamed or removed zone', () => {
      const doc = {
        ...checkout,
        timeline: [
          { atMinute: 840, failZone: 'us-west-2a' },
          { atMinute: 900, restoreZone: 'us-west-2a' },
        ],
      };
      const renamed = applyValid(doc, { type: 'renameEntity', target: { kind: 'bundle', name: 'shop' }, to: 'store' });
      expect(renamed.autoscalePolicies?.map((p) => Object.keys(p.bundles))).toEqual([['store'], ['store']]);
      const zone = applyValid(doc, { type: 'renameEntity', target: { kind: 'zone', name: 'us-west-2a' }, to: 'us-west-2d' });
      expect(zone.timeline).toEqual([
        { atMinute: 840, failZone: 'us-west-2d' },
        { atMinute: 900, restoreZone: 'us-west-2d' },
      ]);
      expect(applyValid(doc, { type: 'remove', target: { kind: 'zone', name: 'us-west-2a' } }).timeline).toEqual([]);
      expect(applyValid(doc, { type: 'remove', target: { kind: 'bundle', name: 'shop' } }).autoscalePolicies?.map((p) => p.bundles)).toEqual([
        {},
        {},
      ]);
    });
    it('removing the last zone yields a document the schema refuses with its own message', () => {
      let doc = checkout;
      for (const z of ['us-west-2a', 'us-west-2b', 'us-west-2c']) doc = applyCommand(doc, { type: 'remove', target: { kind: 'zone', name: z } });
      const parsed = parseTopology(doc);
      expect(parsed.ok ? [] : parsed.problems).toContainEqual({ path: 'zones', message: 'a design needs at least one zone' });
    });
  });

  describe('databases, externals, NATS', () => {
    it('renames and removes a database in every call', () => {
      const renamed = applyValid(shop, { type: 'renameEntity', target: { kind: 'database', name: 'flows' }, to: 'flows-db' });
      expect(
        renamed.services
          ?.flatMap((s) => s.calls ?? [])
          .filter((c) => c.to.startsWith('db:'))
          .map((c) => c.to),
      ).toEqual(['db:flows-db']);
      expect(renamed.databases?.map((d) => d.name)).toEqual(['flows-db']);
      const removed = applyValid(renamed, { type: 'remove', target: { kind: 'database', name: 'flows-db' } });
      expect(removed.services?.flatMap((s) => s.calls ?? []).some((c) => c.to.startsWith('db:'))).toBe(false);
      expect(removed.databases).toEqual([]);
    });
    it('adds a database and sets its shards', () => {
      const added = applyValid(checkout, {
        type: 'addDatabase',
        database: { name: 'pg', shards: [{ name: 's1', vcpu: 2, maxConnections: 100 }], queryTimeMs: 1 },
      });
      const set = applyValid(added, {
        type: 'setDatabase',
        name: 'pg',
        fields: {
          shards: [
            { name: 's1', vcpu: 2, maxConnections: 100 },
            { name: 's2', vcpu: 4, maxConnections: 100 },
          ],
        },
      });
      expect(set.databases?.[0]?.shards).toHaveLength(2);
    });
    it('adds, renames (in calls) and removes an external', () => {
      const added = applyValid(checkout, { type: 'addExternal', external: { name: 'cdn', latencyMs: 10 }, position: { x: 0, y: 0 } });
      const renamed = applyValid(added, { type: 'renameEntity', target: { kind: 'external', name: 'processor' }, to: 'stripe' });
      expect(svc(renamed, 'payment.checkout')?.calls?.[0]?.to).toBe('ext:stripe');
      const set = applyValid(renamed, { type: 'setExternal', name: 'stripe', fields: { latencyMs: 200 } });
      expect(set.externals?.find((e) => e.name === 'stripe')?.latencyMs).toBe(200);
      const removed = applyValid(set, { type: 'remove', target: { kind: 'external', name: 'cdn' } });
      expect(removed.externals?.map((e) => e.name)).toEqual(['stripe']);
      expect(removed.layout).toBeUndefined();
    });
    it('adds, sets, renames and removes a NATS cluster', () => {
      const added = applyValid(checkout, { type: 'addNats', nats: { name: 'edge-bus', region: 'us-west-2' } });
      const set = applyValid(added, { type: 'setNats', name: 'edge-bus', fields: { serversPerZone: 3 } });
      expect(set.nats?.find((n) => n.name === 'edge-bus')?.serversPerZone).toBe(3);
      const renamed = applyValid(set, { type: 'renameEntity', target: { kind: 'nats', name: 'edge-bus' }, to: 'bus2' });
      expect(renamed.nats?.map((n) => n.name)).toEqual(['nats', 'bus2']);
      expect(applyValid(renamed, { type: 'remove', target: { kind: 'nats', name: 'bus2' } }).nats?.map((n) => n.name)).toEqual(['nats']);
    });
    it('sets network figures and routing', () => {
      const next = applyValid(checkout, { type: 'setNetwork', fields: { crossZoneMs: 2 } });
      expect(next.network?.crossZoneMs).toBe(2);
      expect(applyValid(next, { type: 'setRouting', routing: 'random' }).routing).toBe('random');
      expect(applyCommand(next, { type: 'setNetwork', fields: { crossZoneMs: 2 } })).toBe(next);
    });
  });

  describe('traffic and SLOs', () => {
    it('adds, edits and removes traffic', () => {
      const added = applyValid(checkout, { type: 'addTraffic', traffic: { entry: 'auth.checkout', rps: 50 } });
      expect(added.traffic).toHaveLength(2);
      const set = applyValid(added, { type: 'setTraffic', index: 1, fields: { rps: 75 } });
      expect(set.traffic?.[1]?.rps).toBe(75);
      expect(applyValid(set, { type: 'removeTraffic', index: 0 }).traffic).toEqual([{ entry: 'auth.checkout', rps: 75 }]);
    });
    it('adds, edits and removes SLOs', () => {
      const added = applyValid(checkout, { type: 'addSlo', slo: { entry: 'auth.checkout', p99Ms: 20 } });
      const set = applyValid(added, { type: 'setSlo', index: 1, fields: { p50Ms: 5, p99Ms: undefined } });
      expect(set.slo?.[1]).toEqual({ entry: 'auth.checkout', p50Ms: 5 });
      expect(applyValid(set, { type: 'removeSlo', index: 1 }).slo).toEqual(checkout.slo);
    });
  });

  describe('layout, recommendation, import, batch', () => {
    it('keeps hand-set positions (rounded), forgets them one by one or all at once', () => {
      const set = applyValid(checkout, { type: 'setLayout', positions: { 'bundle:shop': { x: 100.2, y: -3.7 }, 'ext:processor': { x: 0, y: 0 } } });
      expect(set.layout).toEqual({ 'bundle:shop': { x: 100, y: -4 }, 'ext:processor': { x: 0, y: 0 } });
      expect(applyCommand(set, { type: 'setLayout', positions: { 'bundle:shop': { x: 100, y: -4 } } })).toBe(set);
      const one = applyValid(set, { type: 'setLayout', positions: { 'bundle:shop': null } });
      expect(one.layout).toEqual({ 'ext:processor': { x: 0, y: 0 } });
      expect(applyValid(set, { type: 'clearLayout' }).layout).toBeUndefined();
    });
    it('applies a recommendation to several bundles at once', () => {
      const next = applyValid(checkout, {
        type: 'applyRecommendation',
        bundles: { shop: { replicas: { 'us-west-2a': 3, 'us-west-2b': 3, 'us-west-2c': 3 } }, edge: { replicas: { 'us-west-2a': 1 } } },
      });
      expect(bundle(next, 'shop')?.replicas).toEqual({ 'us-west-2a': 3, 'us-west-2b': 3, 'us-west-2c': 3 });
      expect(bundle(next, 'edge')).toBe(bundle(checkout, 'edge'));
    });
    it('applies a goal-seek point: whole replica maps per bundle, the same counts being no edit', () => {
      const next = applyValid(checkout, { type: 'applyReplicas', replicas: { shop: { 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 2 } } });
      expect(bundle(next, 'shop')?.replicas).toEqual({ 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 2 });
      expect(bundle(next, 'edge')).toEqual(bundle(checkout, 'edge'));
      const same = { shop: { ...bundle(checkout, 'shop')?.replicas } as Record<string, number> };
      expect(applyCommand(checkout, { type: 'applyReplicas', replicas: same })).toBe(checkout);
    });
    it('replaces the whole document (an import) and batches several edits into one', () => {
      expect(applyCommand(checkout, { type: 'replaceDocument', doc: shop })).toBe(shop);
      const next = applyValid(checkout, {
        type: 'batch',
        commands: [
          { type: 'remove', target: { kind: 'service', name: 'pricing.checkout' } },
          { type: 'remove', target: { kind: 'service', name: 'inventory.checkout' } },
        ],
      });
      expect(next.services).toHaveLength(4);
    });
  });

  describe('palette', () => {
    it('picks fresh names', () => {
      expect(uniqueName('service.example', ['service.example', 'service-2.example'])).toBe('service-3.example');
      expect(uniqueName('app', [])).toBe('app');
    });
    it('adds each kind with defaults that make a valid document', () => {
      let doc = checkout;
      for (const kind of ['service', 'bundle', 'database', 'external', 'zone', 'service'] as const) {
        doc = applyValid(doc, paletteCommand(doc, kind));
      }
      expect(doc.services).toHaveLength(8);
      expect(doc.bundles).toHaveLength(6);
      const inShop = applyValid(doc, paletteCommand(doc, 'service', { bundle: 'shop' }));
      expect(bundle(inShop, 'shop')?.services).toContain('service-3.example');
    });
    it('gives a new service as many workers as its bundle has cores (issue 12: not 4 workers on 1 core)', () => {
      const alone = applyValid(checkout, paletteCommand(checkout, 'service'));
      expect(svc(alone, 'service.example')?.workers).toBe(1);
      expect(bundle(alone, 'service')?.cpu).toBe(1);
      const four = applyValid(checkout, { type: 'setBundle', name: 'shop', fields: { cpu: 4 } });
      const inShop = applyValid(four, paletteCommand(four, 'service', { bundle: 'shop' }));
      expect(svc(inShop, 'service.example')?.workers).toBe(4);
      expect(workersFor(0.5)).toBe(1);
      expect(workersFor(2.5)).toBe(2);
      // And no workers-exceed-cores warning on the new service.
      const parsed = parseTopology(inShop);
      if (!parsed.ok) throw new Error('invalid');
      const r = simulate(parsed.doc);
      expect(r.warnings.filter((w) => w.code === 'workers-exceed-cores' && w.message.startsWith('service.example'))).toEqual([]);
    });
    it('names a new bundle after its service and lets it follow its renames (issue 16: no "service"/"app" bundles)', () => {
      let doc = applyValid(checkout, paletteCommand(checkout, 'service'));
      doc = applyValid(doc, paletteCommand(doc, 'service'));
      expect(bundleOf(doc, 'service-2.example')).toBe('service-2');
      doc = applyValid(doc, renameServiceCommand(doc, 'service.example', 'cart.shop'));
      doc = applyValid(doc, renameServiceCommand(doc, 'service-2.example', 'cart.eu'));
      expect(bundleOf(doc, 'cart.shop')).toBe('cart');
      expect(bundleOf(doc, 'cart.eu')).toBe('cart-2');
      // A bundle holding more than the service, or named by hand, keeps its name.
      expect(renameServiceCommand(checkout, 'auth.checkout', 'login.checkout')).toEqual({
        type: 'renameEntity',
        target: { kind: 'service', name: 'auth.checkout' },
        to: 'login.checkout',
      });
      expect(bundleOf(applyValid(checkout, renameServiceCommand(checkout, 'payment.checkout', 'pay.checkout')), 'pay.checkout')).toBe('payments');
      expect(bundleNameFor('Api.x', [])).toBe('Api');
    });
    it('an empty palette bundle takes the name of the first service put in it', () => {
      let doc = applyValid(checkout, paletteCommand(checkout, 'bundle'));
      expect(bundle(doc, 'app')?.services).toEqual([]);
      doc = applyValid(doc, paletteCommand(doc, 'service', { bundle: 'app' }));
      expect(bundleOf(doc, 'service.example')).toBe('service');
      doc = applyValid(doc, paletteCommand(doc, 'bundle'));
      const moved = applyValid(doc, moveServiceCommand(doc, 'service.example', 'app'));
      expect(bundleOf(moved, 'service.example')).toBe('service-2');
      // The second service into a bundle leaves its name alone.
      const more = applyValid(doc, moveServiceCommand(doc, 'auth.checkout', 'service'));
      expect(bundleOf(more, 'auth.checkout')).toBe('service');
    });
    it('layout keys round-trip', () => {
      expect(parseLayoutKey(layoutKey({ kind: 'database', name: 'a:b' }))).toEqual({ kind: 'database', name: 'a:b' });
      expect(parseLayoutKey('edge:1')).toBeNull();
    });
  });
});

describe('traffic class commands (schema v2)', () => {
  const base = (): TopologyInput =>
    ({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      classes: [{ name: 'gold', priority: 2 }, { name: 'free' }],
      services: [{ name: 's.example', serviceTimeMs: 5, workers: 2, queueLimit: 4, admission: [{ class: 'free', queueLimit: 2 }] }],
      bundles: [{ name: 'b', services: ['s.example'], replicas: { a: 1 } }],
      traffic: [
        { entry: 's.example', rps: 10, class: 'gold' },
        { entry: 's.example', rps: 10, class: 'free' },
      ],
      slo: [{ entry: 's.example', class: 'free', p99Ms: 50 }],
    }) as TopologyInput;

  it('renames a class in every reference and removes one with its references', () => {
    const renamed = applyCommand(base(), { type: 'renameClass', from: 'free', to: 'basic' });
    expect(renamed.traffic?.[1]?.class).toBe('basic');
    expect(renamed.services?.[0]?.admission?.[0]?.class).toBe('basic');
    expect(renamed.slo?.[0]?.class).toBe('basic');
    expect(parseTopology(renamed).ok).toBe(true);
    const removed = applyCommand(renamed, { type: 'removeClass', name: 'basic' });
    expect(removed.classes).toEqual([{ name: 'gold', priority: 2 }]);
    expect(removed.traffic?.[1]).toEqual({ entry: 's.example', rps: 10 });
    expect(removed.services?.[0]?.admission).toBeUndefined();
    expect(removed.slo).toEqual([]);
    expect(parseTopology(removed).ok).toBe(true);
    const none = applyCommand(removed, { type: 'removeClass', name: 'gold' });
    expect(none.classes).toBeUndefined();
  });

  it('adds a class and sets or clears its priority', () => {
    let d = applyCommand(base(), { type: 'addClass', klass: { name: 'batch' } });
    d = applyCommand(d, { type: 'setClass', name: 'batch', fields: { priority: -1 } });
    expect(d.classes?.[2]).toEqual({ name: 'batch', priority: -1 });
    d = applyCommand(d, { type: 'setClass', name: 'batch', fields: { priority: undefined } });
    expect(d.classes?.[2]).toEqual({ name: 'batch' });
  });
});
