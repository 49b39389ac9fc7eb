import { EXAMPLES, parseTopology, simulate, type Topology } from '@busboard/core';
import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../layout/graph.ts';
import { consumerBadge } from './AsyncNodes.tsx';
import { toLogicalFlow } from './adapter.ts';
import type { ConsumerNodeData, StreamNodeData } from './async-flow.ts';
import { connectCommand, subjectIn } from './connect.ts';

const input = EXAMPLES.find((e) => e.id === 'orders-events')?.doc;
const parsed = parseTopology(input);
if (!input || !parsed.ok) throw new Error('bad example');
const doc: Topology = parsed.doc;

describe('async messaging on the canvas', () => {
  it('draws streams and consumers as nodes and events as dashed edges apart from calls, labelled with their rate', () => {
    const { nodes, edges } = toLogicalFlow({ doc, result: simulate(doc), selection: [], auto: {} });
    expect(nodes.filter((n) => n.type === 'stream').map((n) => n.id)).toEqual(['stream:ORDERS']);
    expect(nodes.filter((n) => n.type === 'consumer').map((n) => n.id)).toEqual(['consumer:ORDERS/fulfil']);
    const events = edges.filter((e) => e.className?.includes('event'));
    // 400 orders/s × 1 event each: into the stream, and one copy to each subscribing service (one per queue group).
    expect(events.map((e) => [e.source, e.target, e.label])).toEqual([
      ['stream:ORDERS', 'consumer:ORDERS/fulfil', ''],
      ['consumer:ORDERS/fulfil', 'svc:fulfilment.example', ''],
      ['svc:orders.example', 'stream:ORDERS', '400/s'],
      ['svc:orders.example', 'svc:email.example', '400/s'],
      ['svc:orders.example', 'svc:search.example', '400/s'],
    ]);
    expect(edges.filter((e) => !e.className?.includes('event'))).toHaveLength(2);
  });

  it('badges: storage per day on the stream; lag and drain time on the consumer after a burst', () => {
    const result = simulate(doc, { async: { eventBurst: 24_000 } });
    const { nodes } = toLogicalFlow({ doc, result, selection: [], auto: {} });
    const stream = nodes.find((n) => n.type === 'stream')?.data as StreamNodeData;
    // 400 msg/s of 1 KiB (plus per-message overhead) for a day: about 34 GiB.
    expect(stream.storageBytesPerDay).toBeGreaterThan(400 * 1024 * 86_400);
    const consumer = nodes.find((n) => n.type === 'consumer')?.data as ConsumerNodeData;
    const r = result.async?.streams.ORDERS?.consumers.fulfil;
    expect(consumer.backlog).toBe(24_000);
    expect(consumer.lagDrainSeconds).toBe(r?.lagDrainSeconds);
    expect(consumerBadge(consumer)?.text).toMatch(/^lag 24k · drains \d/);
    expect(consumerBadge({ ...consumer, stable: false })?.tone).toBe('tone-bad');
  });

  it("auto-layout hangs the stream (its consumers under it) under its publishers' bundle, before the consumers' service", () => {
    const g = layoutGraph(doc);
    expect(g.nodes.filter((n) => n.id.startsWith('stream:') || n.id.startsWith('consumer:'))).toEqual([]);
    // orders: one service (146) + 58 of room + the stream and its consumer (58 + 34 + 58).
    expect(g.nodes.find((n) => n.id === 'bundle:orders')?.height).toBe(146 + 58 + 150);
    expect(g.edges.map((e) => e.id)).toEqual(expect.arrayContaining(['bundle:orders->bundle:fulfilment', 'bundle:orders->bundle:notify']));
    // Where auto-layout put the bundle, the stream hangs under it and the consumer under the stream.
    const placed = toLogicalFlow({ doc, result: null, selection: [], auto: { 'bundle:orders': { x: 100, y: 50 } } }).nodes;
    expect(placed.find((n) => n.id === 'stream:ORDERS')?.position).toEqual({ x: 112, y: 50 + 146 + 58 });
    expect(placed.find((n) => n.id === 'consumer:ORDERS/fulfil')?.position).toEqual({ x: 126, y: 254 + 92 });
  });

  it('a connection means a publish, a consumer or a call by what it joins', () => {
    expect(subjectIn('orders.>')).toBe('orders.event');
    expect(connectCommand(input, doc, 'svc:fulfilment.example', 'stream:ORDERS')?.command).toEqual({
      type: 'addPublish',
      service: 'fulfilment.example',
      publish: { subject: 'orders.event', perRequest: 1, payloadBytes: 512 },
    });
    expect(connectCommand(input, doc, 'stream:ORDERS', 'svc:email.example')?.command).toMatchObject({
      type: 'addConsumer',
      consumer: { stream: 'ORDERS', service: 'email.example', name: 'email' },
    });
    expect(connectCommand(input, doc, 'consumer:ORDERS/fulfil', 'svc:search.example')?.command).toEqual({
      type: 'setConsumer',
      stream: 'ORDERS',
      name: 'fulfil',
      fields: { service: 'search.example' },
    });
    expect(connectCommand(input, doc, 'svc:orders.example', 'db:orders')?.command).toMatchObject({ type: 'addCall', call: { to: 'db:orders' } });
    expect(connectCommand(input, doc, 'svc:orders.example', 'consumer:ORDERS/fulfil')).toBeNull();
  });
});
