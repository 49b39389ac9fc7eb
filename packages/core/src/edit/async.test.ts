import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { ordersEvents } from '../examples/orders-events.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { streamRemoval } from './async-references.ts';
import { applyCommand, type Command } from './commands.ts';
import { paletteCommand } from './names.ts';
import { layoutKey } from './types.ts';

function applyValid(doc: TopologyInput, cmd: Command): TopologyInput {
  const next = applyCommand(doc, cmd);
  const parsed = parseTopology(next);
  expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  return next;
}
const svc = (doc: TopologyInput, name: string) => doc.services?.find((s) => s.name === name);
const stream = (name: string) => layoutKey({ kind: 'stream', name });
const consumer = (name: string) => layoutKey({ kind: 'consumer', name });
const laidOut = applyCommand(ordersEvents, {
  type: 'setLayout',
  positions: { [stream('ORDERS')]: { x: 1, y: 2 }, [consumer('ORDERS/fulfil')]: { x: 3, y: 4 } },
});

describe('async edits (schema v3)', () => {
  it('removing a stream takes its consumers and the acks nothing would give, as the preview says', () => {
    expect(streamRemoval(ordersEvents, 'ORDERS')).toEqual({
      consumers: ['fulfil'],
      acks: [{ service: 'orders.example', index: 0, subject: 'orders.created' }],
    });
    const next = applyValid(laidOut, { type: 'remove', target: { kind: 'stream', name: 'ORDERS' } });
    expect(next.streams).toEqual([]);
    expect(next.consumers).toEqual([]);
    expect(svc(next, 'orders.example')?.publishes).toEqual([{ subject: 'orders.created', perRequest: 1, payloadBytes: 1024 }]);
    expect(next.layout).toBeUndefined();
  });

  it('renames a stream in its consumers and layout keys; a consumer within its stream', () => {
    const next = applyValid(laidOut, { type: 'renameEntity', target: { kind: 'stream', name: 'ORDERS' }, to: 'SALES' });
    expect(next.consumers?.[0]?.stream).toBe('SALES');
    expect(next.layout).toEqual({ [stream('SALES')]: { x: 1, y: 2 }, [consumer('SALES/fulfil')]: { x: 3, y: 4 } });
    const renamed = applyValid(next, { type: 'renameEntity', target: { kind: 'consumer', name: 'SALES/fulfil' }, to: 'ship' });
    expect(renamed.consumers?.[0]?.name).toBe('ship');
    expect(renamed.layout?.[consumer('SALES/ship')]).toEqual({ x: 3, y: 4 });
  });

  it('a consumer follows its service through a rename and goes with it on removal', () => {
    const renamed = applyValid(ordersEvents, { type: 'renameEntity', target: { kind: 'service', name: 'fulfilment.example' }, to: 'ship.example' });
    expect(renamed.consumers?.[0]?.service).toBe('ship.example');
    const removed = applyValid(laidOut, { type: 'remove', target: { kind: 'service', name: 'fulfilment.example' } });
    expect(removed.consumers).toEqual([]);
    expect(removed.layout).toEqual({ [stream('ORDERS')]: { x: 1, y: 2 } });
  });

  it('a stream placed on a NATS cluster follows its rename', () => {
    const placed = applyValid(ordersEvents, { type: 'setStream', name: 'ORDERS', fields: { cluster: 'nats' } });
    const next = applyValid(placed, { type: 'renameEntity', target: { kind: 'nats', name: 'nats' }, to: 'js' });
    expect(next.streams?.[0]?.cluster).toBe('js');
  });

  it('moving a consumer to another stream moves its layout key', () => {
    const two = applyValid(laidOut, { type: 'addStream', stream: { name: 'AUDIT', subjects: ['audit.>'] } });
    const next = applyValid(two, { type: 'setConsumer', stream: 'ORDERS', name: 'fulfil', fields: { stream: 'AUDIT', workers: 8 } });
    expect(next.consumers?.[0]).toMatchObject({ stream: 'AUDIT', workers: 8 });
    expect(next.layout?.[consumer('AUDIT/fulfil')]).toEqual({ x: 3, y: 4 });
    expect(applyCommand(next, { type: 'setConsumer', stream: 'AUDIT', name: 'fulfil', fields: { workers: 8 } })).toBe(next);
  });

  it('adds, sets and removes publishes and subscriptions; an emptied list is dropped', () => {
    let doc = applyValid(ordersEvents, { type: 'addPublish', service: 'fulfilment.example', publish: { subject: 'orders.shipped' } });
    doc = applyValid(doc, { type: 'setPublish', service: 'fulfilment.example', index: 0, fields: { perRequest: 2, ack: true } });
    expect(svc(doc, 'fulfilment.example')?.publishes).toEqual([{ subject: 'orders.shipped', perRequest: 2, ack: true }]);
    doc = applyValid(doc, { type: 'removePublish', service: 'fulfilment.example', index: 0 });
    expect(svc(doc, 'fulfilment.example')).not.toHaveProperty('publishes');
    doc = applyValid(doc, { type: 'addSubscription', service: 'fulfilment.example', subscription: { subject: 'orders.>', delivery: 'replica' } });
    doc = applyValid(doc, { type: 'setSubscription', service: 'fulfilment.example', index: 0, fields: { serviceTimeMs: 2 } });
    expect(svc(doc, 'fulfilment.example')?.subscribes).toEqual([{ subject: 'orders.>', delivery: 'replica', serviceTimeMs: 2 }]);
    const bad = parseTopology(
      applyCommand(doc, { type: 'setSubscription', service: 'fulfilment.example', index: 0, fields: { subject: 'orders.>.x' } }),
    );
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['services[2].subscribes[0].subject']);
  });

  it('a stream from the palette captures a published subject and brings a NATS cluster when there is none', () => {
    const shop = EXAMPLES[0]?.doc as TopologyInput;
    const first = shop.services?.[0]?.name ?? '';
    const publishing = applyValid({ ...shop, nats: [] }, { type: 'addPublish', service: first, publish: { subject: 'cart.updated' } });
    const next = applyValid(publishing, paletteCommand(publishing, 'stream', { position: { x: 5, y: 6 } }));
    expect(next.nats).toHaveLength(1);
    expect(next.streams).toEqual([{ name: 'EVENTS', subjects: ['cart.>'], replicas: 1, storage: 'file', retention: 'limits' }]);
    expect(next.layout?.[stream('EVENTS')]).toEqual({ x: 5, y: 6 });
    // A second one takes a subject of its own (JetStream refuses overlapping streams).
    const again = applyValid(next, paletteCommand(next, 'stream'));
    expect(again.streams?.[1]).toMatchObject({ name: 'EVENTS-2', subjects: ['events-2.>'] });
  });

  it('a consumer from the palette runs on the given service, or on a new worker service with a new stream', () => {
    const onService = applyValid(ordersEvents, paletteCommand(ordersEvents, 'consumer', { service: 'email.example' }));
    expect(onService.consumers?.[1]).toMatchObject({ name: 'email', stream: 'ORDERS', service: 'email.example' });
    const shop = EXAMPLES[0]?.doc as TopologyInput;
    const next = applyValid(shop, paletteCommand(shop, 'consumer', { position: { x: 400, y: 0 } }));
    expect(next.streams?.map((s) => s.name)).toEqual(['EVENTS']);
    expect(next.consumers).toEqual([
      {
        name: 'worker',
        stream: 'EVENTS',
        service: 'worker.example',
        mode: 'pull',
        durable: true,
        workers: 4,
        maxAckPending: 1000,
        ackWaitMs: 30_000,
        batch: 1,
      },
    ]);
    expect(next.layout?.[consumer('EVENTS/worker')]).toEqual({ x: 400, y: 0 });
  });
});
