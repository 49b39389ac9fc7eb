/**
 * JetStream read off a real 3-server 2.9.10 cluster (fixtures/jetstream-2.9.10.json, recorded by
 * scripts/record-jetstream-fixture.ts from apps/api/test/support/jetstream.ts). The figures are
 * what that script did, not earlier output: 120 orders published before the first poll and 10
 * more before the second; `fulfil` acked 30 then took 20 it never acked (its max_ack_pending);
 * `retry` took 5, let ack_wait (1 s) pass and took them again; `audit` is a push consumer
 * nobody is bound to; 40 clicks in CLICKS (R1, memory).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ordersEvents } from '../examples/orders-events.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { computeDrift } from './drift.ts';
import { buildJetStream } from './jetstream.ts';
import { jetStreamOverlay } from './overlay-jetstream.ts';
import type { RawCollection, RawServerReplies } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';
import type { LiveSnapshot } from './types.ts';

type Source = 'system' | 'monitor' | 'account';
const fixture = JSON.parse(readFileSync(new URL('./fixtures/jetstream-2.9.10.json', import.meta.url), 'utf8')) as Record<Source, RawCollection[]>;

function read(source: Source): [LiveSnapshot, LiveSnapshot] {
  const [a, b] = fixture[source];
  const first = buildSnapshot(a as RawCollection);
  return [first, buildSnapshot(b as RawCollection, first)];
}

const design = (over: Partial<TopologyInput>) => {
  const parsed = parseTopology({ ...ordersEvents, ...over });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return parsed.doc;
};

describe.each(['system', 'monitor', 'account'] as const)('JetStream read through %s', (source) => {
  const [first, second] = read(source);
  // Each source's polls were recorded after the previous one's, 10 orders later.
  const total = { system: 130, monitor: 140, account: 150 }[source];
  const orders = second.streams.find((s) => s.name === 'ORDERS');
  const consumer = (name: string) => orders?.consumers.find((c) => c.name === name);

  it('finds both streams once, on the servers that hold them', () => {
    expect(second.jetstream.read).toBe(true);
    expect(second.jetstream.via).toBe(source === 'account' ? 'api' : 'jsz');
    expect(second.jetstream.servers).toHaveLength(3);
    expect(second.streams.map((s) => [s.account, s.name, s.replicas, s.storage, s.subjects])).toEqual([
      ['APP', 'CLICKS', 1, 'memory', ['clicks.*']],
      ['APP', 'ORDERS', 3, 'file', ['orders.>']],
    ]);
    expect(orders?.peers.map((p) => p.server).sort()).toEqual(second.servers.map((s) => s.name).sort());
    expect(orders?.peers.filter((p) => p.leader).map((p) => p.server)).toEqual([orders?.leader]);
    const clicks = second.streams.find((s) => s.name === 'CLICKS');
    expect(clicks?.peers.map((p) => p.server)).toEqual([clicks?.leader]);
    expect([clicks?.messages, clicks?.lastSeq, clicks?.consumerCount]).toEqual([40, 40, 0]);
  });

  it("takes each consumer's figures from its own leader (followers report nothing delivered)", () => {
    expect([orders?.messages, orders?.firstSeq, orders?.lastSeq, orders?.consumerCount]).toEqual([total, 1, total, 3]);
    const f = consumer('fulfil');
    expect([f?.numPending, f?.numAckPending, f?.numRedelivered, f?.delivered.streamSeq, f?.ackFloor.streamSeq]).toEqual([total - 50, 20, 0, 50, 30]);
    expect([f?.maxAckPending, f?.ackWaitMs, f?.filterSubjects, f?.mode, f?.durable]).toEqual([20, 30_000, ['orders.created'], 'pull', true]);
    const r = consumer('retry');
    expect([r?.numPending, r?.numAckPending, r?.numRedelivered, r?.delivered.consumerSeq, r?.ackWaitMs]).toEqual([total - 5, 5, 5, 10, 1000]);
    const a = consumer('audit');
    expect([a?.numPending, a?.mode, a?.deliverSubject, a?.pushBound]).toEqual([total, 'push', 'audit.deliver', false]);
  });

  it('sees the lag grow by the 10 orders published between the reads', () => {
    expect(first.streams.find((s) => s.name === 'ORDERS')?.consumers.map((c) => c.pendingChange)).toEqual([null, null, null]);
    expect(orders?.consumers.map((c) => [c.name, c.pendingChange])).toEqual([
      ['audit', 10],
      ['fulfil', 10],
      ['retry', 10],
    ]);
    expect(orders?.consumers.map((c) => c.growingReads)).toEqual([1, 1, 1]);
    expect(orders?.ingestRate).toBeCloseTo((10 * 1000) / (second.intervalMs as number), 6);
    expect(consumer('fulfil')?.deliverRate).toBe(0);
  });
});

describe('JetStream drift and overlay', () => {
  const [, live] = read('system');
  const doc = design({
    streams: [
      { name: 'ORDERS', subjects: ['orders.>'], replicas: 3, storage: 'file' },
      { name: 'CLICKS', subjects: ['clicks.*'], replicas: 3, storage: 'file' },
      { name: 'PAYMENTS', subjects: ['payments.>'], replicas: 3 },
    ],
    consumers: [
      { name: 'fulfil', stream: 'ORDERS', service: 'fulfilment.example', filterSubject: 'orders.created', maxAckPending: 20, ackWaitMs: 30_000 },
      { name: 'retry', stream: 'ORDERS', service: 'fulfilment.example', maxAckPending: 100, ackWaitMs: 2000 },
      { name: 'ship', stream: 'ORDERS', service: 'fulfilment.example' },
    ],
  });
  const drift = computeDrift(doc, live).filter((d) => 'stream' in d);
  const line = (d: (typeof drift)[number]) => `${d.severity} ${d.kind} ${'consumer' in d ? `${d.stream}/${d.consumer}` : d.stream} ${d.path ?? '-'}`;

  it('names every difference made on purpose, and nothing else', () => {
    expect(drift.map(line)).toEqual([
      'error stream-replicas CLICKS streams[1].replicas',
      'error stream-missing PAYMENTS streams[2]',
      'error consumer-missing ORDERS/ship consumers[2]',
      'warning stream-storage CLICKS streams[1].storage',
      'warning consumer-unexpected ORDERS/audit -',
      'warning consumer-lag-growing ORDERS/audit -',
      'warning consumer-config ORDERS/retry consumers[1].maxAckPending',
      'warning consumer-config ORDERS/retry consumers[1].ackWaitMs',
      'warning consumer-lag-growing ORDERS/fulfil -',
      'warning consumer-ack-pending-full ORDERS/fulfil -',
      'warning consumer-lag-growing ORDERS/retry -',
    ]);
    const r = drift.find((d) => d.kind === 'stream-replicas');
    expect(r?.message).toMatch(/^stream CLICKS runs as R1 \(on \S+-n\d\), designed R3: it survives 0 server failures instead of 1$/);
    expect(drift.find((d) => d.kind === 'consumer-ack-pending-full')?.message).toContain('has 20 messages unacknowledged');
  });

  it('compares limits when the server sent config', () => {
    const limited = design({
      streams: [{ name: 'ORDERS', subjects: ['orders.>'], replicas: 3, maxAgeSeconds: 7 * 86_400, maxMsgs: 1_000_000 }],
      consumers: [],
    });
    expect(
      computeDrift(limited, live)
        .filter((d) => d.kind === 'stream-limits')
        .map((d) => `${d.path}: ${d.message}`),
    ).toEqual([
      'streams[0].maxAgeSeconds: stream ORDERS keeps unlimited (maxAgeSeconds), designed 7 days',
      'streams[0].maxMsgs: stream ORDERS keeps unlimited (maxMsgs), designed 1000000 messages',
    ]);
  });

  it('says nothing of JetStream when it was not read', () => {
    expect(
      computeDrift(doc, { ...live, jetstream: { read: false, via: null, servers: [], metaLeader: null }, streams: [] }).filter((d) => 'stream' in d),
    ).toEqual([]);
  });

  it('overlays live figures on designed streams and consumers, keyed by name', () => {
    const o = jetStreamOverlay(doc, live);
    expect(Object.keys(o.streams)).toEqual(['ORDERS', 'CLICKS', 'PAYMENTS']);
    expect(o.streams.PAYMENTS).toMatchObject({ designed: true, live: false, messages: null, designedReplicas: 3, liveReplicas: null, driftCount: 1 });
    expect(o.streams.CLICKS).toMatchObject({ designedReplicas: 3, liveReplicas: 1, messages: 40, driftCount: 2 });
    const orders = o.streams.ORDERS;
    expect(Object.keys(orders?.consumers ?? {})).toEqual(['fulfil', 'retry', 'ship', 'audit']);
    expect(orders?.consumers.fulfil).toMatchObject({
      lag: 80,
      lagChange: 10,
      ackPending: 20,
      maxAckPending: 20,
      redelivered: 0,
      designed: true,
      driftCount: 2,
    });
    expect(orders?.consumers.retry).toMatchObject({ lag: 125, ackPending: 5, redelivered: 5 });
    expect(orders?.consumers.ship).toMatchObject({ live: false, lag: null, maxAckPending: 1000 });
    expect(orders?.consumers.audit).toMatchObject({ designed: false, service: null, lag: 130 });
    expect([orders?.messages, orders?.liveReplicas, orders?.peers.length]).toEqual([130, 3, 3]);
  });
});

describe('JetStream merge rules', () => {
  const reply = (server: string, leader: string | undefined, lastSeq: number, delivered: number, pushBound?: boolean): RawServerReplies => ({
    info: { name: server, id: `id-${server}` },
    up: true,
    jsz: {
      account_details: [
        {
          name: 'A',
          stream_detail: [
            {
              name: 'S',
              cluster: { name: 'c', ...(leader ? { leader } : {}), replicas: [{ name: server === 'n1' ? 'n2' : 'n1', current: true }] },
              config: { name: 'S', subjects: ['s.>'], num_replicas: 2, storage: 'file', max_age: 0, max_msgs: -1 },
              state: { messages: lastSeq, bytes: lastSeq * 10, first_seq: 1, last_seq: lastSeq, consumer_count: 1 },
              consumer_detail: [
                {
                  name: 'c1',
                  config: { durable_name: 'c1', deliver_subject: 'd', ack_wait: 5e9, max_ack_pending: 7 },
                  delivered: { consumer_seq: delivered, stream_seq: delivered },
                  num_pending: lastSeq - delivered,
                  ...(pushBound === undefined ? {} : { push_bound: pushBound }),
                  cluster: { name: 'c', ...(leader ? { leader } : {}) },
                },
              ],
            },
          ],
        },
      ],
    },
  });

  it('takes the freshest copy while no leader is known (an election under way)', () => {
    const { streams } = buildJetStream([reply('n1', undefined, 10, 2), reply('n2', undefined, 12, 5)], null, null);
    expect(streams).toHaveLength(1);
    const s = streams[0];
    expect([s?.reportedBy, s?.lastSeq, s?.leader, s?.maxAgeSeconds, s?.maxMsgs]).toEqual(['n2', 12, null, null, null]);
    expect(s?.peers.map((p) => `${p.server}${p.leader ? '*' : ''}`)).toEqual(['n1', 'n2']);
    expect([s?.consumers[0]?.numPending, s?.consumers[0]?.ackWaitMs, s?.consumers[0]?.mode]).toEqual([7, 5000, 'push']);
  });

  it("believes only the leader's push_bound (2.9.10's followers say true with nobody bound)", () => {
    const { streams } = buildJetStream([reply('n1', 'n1', 10, 2), reply('n2', 'n1', 10, 0, true)], null, null);
    expect(streams[0]?.reportedBy).toBe('n1');
    expect(streams[0]?.consumers[0]).toMatchObject({ pushBound: false, numPending: 8, leader: 'n1' });
  });

  it('says JetStream was read but is off when every server answers disabled', () => {
    const off = buildJetStream([{ info: { name: 'n1' }, up: true, jsz: { disabled: true } }], null, null);
    expect(off.jetstream).toEqual({ read: true, via: 'jsz', servers: [], metaLeader: null });
    expect(buildJetStream([{ info: { name: 'n1' }, up: true }], null, null).jetstream.read).toBe(false);
  });
});
