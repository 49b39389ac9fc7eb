import { describe, expect, it } from 'vitest';
import { ordersEvents } from '../examples/orders-events.ts';
import type { TopologyInput } from './topology.ts';
import { checkTopology, parseTopology } from './validate.ts';

const base = (): TopologyInput => structuredClone(ordersEvents);
const paths = (doc: unknown) => checkTopology(doc).map((p) => `${p.path}: ${p.message}`);

describe('schema v3: async messaging', () => {
  it('reads the orders example with its defaults', () => {
    expect(checkTopology(base())).toEqual([]);
    const r = parseTopology(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc.streams?.[0]).toMatchObject({ name: 'ORDERS', replicas: 3, storage: 'file', retention: 'limits' });
    expect(r.doc.consumers?.[0]).toMatchObject({ durable: true, mode: 'pull', maxAckPending: 1000, ackWaitMs: 30_000, batch: 10 });
    expect(r.doc.services[1]?.publishes?.[0]).toMatchObject({ subject: 'orders.created', perRequest: 1, payloadBytes: 1024, ack: true });
  });

  it('refuses subjects NATS would refuse, with what to write', () => {
    const d = base();
    d.services![1]!.publishes = [{ subject: 'orders.*' }];
    d.services![3]!.subscribes = [{ subject: 'orders..created' }];
    expect(paths(d)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\[1\]\.publishes\[0\]\.subject: not a subject to publish on/),
        expect.stringMatching(/^services\[3\]\.subscribes\[0\]\.subject: not a subject/),
      ]),
    );
  });

  it('refuses what JetStream refuses: overlapping streams, too many replicas, a filter outside the stream', () => {
    const d = base();
    d.streams!.push({ name: 'AUDIT', subjects: ['*.created'], replicas: 5 });
    d.consumers!.push({ name: 'late', stream: 'ORDERS', service: 'fulfilment.example', filterSubject: 'payments.>' });
    d.consumers!.push({ name: 'ghost', stream: 'NOPE', service: 'nobody' });
    expect(paths(d)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^streams\[1\]\.subjects\[0\]: "\*\.created" overlaps "orders\.>" of streams\[0\]/),
        expect.stringMatching(/^streams\[1\]\.replicas: R5 needs 5 JetStream servers; NATS cluster "nats" has 3/),
        expect.stringMatching(/^consumers\[1\]\.filterSubject: "payments\.>" is not within stream "ORDERS"/),
        expect.stringMatching(/^consumers\[2\]\.stream: no stream "NOPE"/),
        expect.stringMatching(/^consumers\[2\]\.service: no service "nobody"/),
      ]),
    );
  });

  it('refuses an ack nothing gives, a queue group with per-replica delivery, and a stream without NATS', () => {
    const d = base();
    d.services![1]!.publishes!.push({ subject: 'audit.created', ack: true });
    d.services![3]!.subscribes = [{ subject: 'orders.created', delivery: 'replica', queueGroup: 'notify' }];
    expect(paths(d)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\[1\]\.publishes\[1\]\.ack: no stream captures "audit\.created"/),
        expect.stringMatching(/^services\[3\]\.subscribes\[0\]\.queueGroup: a queue group shares/),
      ]),
    );
    const n = base();
    n.nats = [];
    expect(paths(n)).toEqual(expect.arrayContaining([expect.stringMatching(/^streams\[0\]: a stream needs a NATS cluster/)]));
  });

  it('refuses overlapping consumers of a work-queue stream and unknown fields', () => {
    const d = base();
    d.streams![0]!.retention = 'workqueue';
    d.consumers!.push({ name: 'again', stream: 'ORDERS', service: 'fulfilment.example', filterSubject: 'orders.created' });
    (d.consumers![0] as Record<string, unknown>).ackWait = 5;
    const all = paths(d);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^consumers\[1\]\.filterSubject: stream "ORDERS" is a work queue/),
        expect.stringMatching(/^consumers\[0\]\.ackWait: unknown field/),
      ]),
    );
  });
});
