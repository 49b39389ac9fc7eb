/**
 * Async messaging (schema v3, issue 18), JetStream: a consumer as M/M/c against Erlang C computed
 * here from its sum, backlog drain against the fluid formula, storage per day and R3 message
 * counts per server by hand, and the warnings.
 */
import { describe, expect, it } from 'vitest';
import { docOf, FREE_NETWORK } from '../../test/docs.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { simulate } from './simulate.ts';

const within = (got: number | null | undefined, want: number, tol: number) => {
  expect(got, `expected ≈ ${want}`).not.toBeNull();
  expect(Math.abs((got as number) - want) / Math.abs(want), `got ${got}, want ${want}`).toBeLessThan(tol);
};

/** Erlang C from its definition: (a^c/c!)·c/(c − a) over Σ_{k<c} a^k/k! + the same. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

type Overrides = {
  consumer?: Record<string, unknown>;
  stream?: Record<string, unknown>;
  publish?: Record<string, unknown>;
  network?: TopologyInput['network'];
};

/**
 * `orders` (one replica per zone, 350 rps) publishes `orders.created` (1,000 B) into stream ORDERS
 * on a 3-zone cluster; consumer `work` runs on `worker` (2 replicas × 2 workers in zone a).
 */
function design(o: Overrides = {}, zones = ['a', 'b', 'c']) {
  return docOf({
    zones: zones.map((name) => ({ name, region: 'r' })),
    network: o.network ?? FREE_NETWORK,
    nats: [{ name: 'n', region: 'r', serversPerZone: 1, maxMsgsPerSecPerServer: 1_000_000 }],
    services: [
      { name: 'orders', serviceTimeMs: 0.001, workers: 100, publishes: [{ subject: 'orders.created', payloadBytes: 1000, ...o.publish }] },
      { name: 'worker', serviceTimeMs: 10, workers: 2 },
    ],
    bundles: [
      { name: 'orders', services: ['orders'], replicas: Object.fromEntries(zones.map((z) => [z, 1])), cpu: 100 },
      { name: 'worker', services: ['worker'], replicas: { a: 2 }, cpu: 4 },
    ],
    traffic: [{ entry: 'orders', rps: 350 }],
    streams: [{ name: 'ORDERS', subjects: ['orders.>'], replicas: 3, ...o.stream }],
    consumers: [{ name: 'work', stream: 'ORDERS', service: 'worker', workers: 2, ...o.consumer }],
  });
}

describe('a consumer as M/M/c (PDQ’s M/M/4: λ 350/s, 10 ms, c 4)', () => {
  const r = simulate(design(), { async: { eventBurst: 10_000 } });
  const c = r.async?.streams.ORDERS?.consumers.work;
  const C = erlangC(4, 3.5);

  it('c = live replicas × workers, ρ = λS/c, pending = λ·Erlang C/(cμ − λ), ack pending = λS', () => {
    expect(C).toBeCloseTo(0.73786, 5);
    expect(c?.concurrency).toBe(4);
    expect(c?.ackPendingLimited).toBe(false);
    within(c?.deliverRps, 350, 1e-12);
    within(c?.utilization, 0.875, 1e-12);
    expect(c?.stable).toBe(true);
    within(c?.meanPending, (350 * C) / (400 - 350), 1e-9);
    within(c?.meanAckPending, 3.5, 1e-9);
  });

  it('event latency: publish ack (R3: 0 here) + delivery + the M/M/4 sojourn, p99 99.843 ms', () => {
    within(c?.latency.latencyMs?.mean, 24.7572, 0.002);
    within(c?.latency.latencyMs?.p99, 99.843, 0.005);
    expect(r.entries.orders?.events?.handlers.map((h) => h.handler)).toEqual(['ORDERS/work']);
  });

  it('a burst of 10,000 drains in 10,000 / (cμ − λ) = 10,000 / (400 − 350) = 200 s', () => {
    expect(c?.backlog).toBe(10_000);
    within(c?.lagDrainSeconds, 200, 1e-9);
    expect(r.async?.streams.ORDERS?.consumers.work).toBe(c);
  });

  it('an outage of 60 s leaves 350 × 60 = 21,000 behind: 420 s to drain; burst and outage add up', () => {
    const o = simulate(design(), { async: { consumerOutageSeconds: 60 } }).async?.streams.ORDERS?.consumers.work;
    expect(o?.backlog).toBeCloseTo(21_000, 6);
    within(o?.lagDrainSeconds, 420, 1e-9);
    const both = simulate(design(), { async: { consumerOutageSeconds: 60, eventBurst: 4000 } }).async?.streams.ORDERS?.consumers.work;
    within(both?.lagDrainSeconds, 500, 1e-9);
    expect(simulate(design()).async?.streams.ORDERS?.consumers.work?.lagDrainSeconds).toBeNull();
  });

  it('the consumer is a headroom constraint: 1/ρ = 1.143 here', () => {
    expect(r.binding?.constraint).toBe('consumer');
    expect(r.binding?.resource).toBe('consumer:ORDERS/work');
    within(r.headroom, 1 / 0.875, 1e-9);
  });

  it('handler CPU lands on the consumer’s bundle: 3.5 handlers busy over 2 replicas × 4 cores', () => {
    within(r.bundles.worker?.cpuUtilization, 3.5 / 2 / 4, 1e-9);
  });
});

describe('consumer limits and redeliveries', () => {
  it('maxAckPending 3 below 4 handlers: c 3, ρ 1.17, lag grows; both warnings, with paths', () => {
    const r = simulate(design({ consumer: { maxAckPending: 3 } }), { async: { eventBurst: 100 } });
    const c = r.async?.streams.ORDERS?.consumers.work;
    expect(c?.concurrency).toBe(3);
    expect(c?.ackPendingLimited).toBe(true);
    within(c?.utilization, 3.5 / 3, 1e-12);
    expect(c?.stable).toBe(false);
    expect(c?.meanPending).toBeNull();
    expect(c?.lagDrainSeconds).toBeNull();
    expect(c?.latency.latencyMs).toBeNull();
    expect(c?.latency.reason).toContain('cannot keep up');
    const codes = r.warnings.map((w) => `${w.code} ${w.path}`);
    expect(codes).toContain('consumer-lagging consumers[0]');
    expect(codes).toContain('ack-pending-limit consumers[0].maxAckPending');
  });

  it('failureRate 0.2: deliveries λ/(1 − f), failed ones hold ack slots for ackWait − S; drain at (1 − f)cμ − λ', () => {
    // λ 200/s → 250 deliveries/s (50 redeliveries); failed: 250·0.2·(1000 − 10) ms = 49.5 ack slots held.
    const r = simulate(design({ consumer: { failureRate: 0.2, ackWaitMs: 1000, maxAckPending: 1000 } }, ['a', 'b', 'c']), {
      scale: 200 / 350,
      async: { eventBurst: 1000 },
    });
    const c = r.async?.streams.ORDERS?.consumers.work;
    within(c?.deliverRps, 250, 1e-9);
    within(c?.redeliverRps, 50, 1e-9);
    within(c?.utilization, 2.5 / 4, 1e-9);
    within(c?.meanAckPending, 2.5 + 49.5, 1e-9);
    within(c?.lagDrainSeconds, 1000 / (0.8 * 400 - 200), 1e-9);
    // Latency: a message failing k times waits k × 1 s more: P(≥ 1 failure) = 0.2 puts the p95 past a second.
    expect(c?.latency.latencyMs?.p50 ?? 0).toBeLessThan(100);
    expect(c?.latency.latencyMs?.p95 ?? 0).toBeGreaterThan(1000);
    within(c?.latency.latencyMs?.mean, 0.25 * 1000 + 1.25 * (c?.meanPending ?? 0) * 4 + 10, 0.02);
    // With maxAckPending 52, those 49.5 held slots leave 2 handlers: ρ 1.25.
    const tight = simulate(design({ consumer: { failureRate: 0.2, ackWaitMs: 1000, maxAckPending: 52 } }), { scale: 200 / 350 });
    expect(tight.async?.streams.ORDERS?.consumers.work?.concurrency).toBe(2);
    expect(tight.async?.streams.ORDERS?.consumers.work?.stable).toBe(false);
  });
});

describe('streams: storage, limits, replicas, brokers (by hand)', () => {
  // One record on file: 1,000 B payload + 14 B subject + 30 B (filestore.go fileStoreMsgSize) = 1,044 B.
  const RECORD = 1000 + 'orders.created'.length + 30;

  it('storage per replica per day: 350 msgs/s × 1,044 B × 86,400 s; × 3 replicas; memory: 16 B overhead', () => {
    const s = simulate(design()).async?.streams.ORDERS;
    within(s?.ingestRps, 350, 1e-12);
    within(s?.bytesPerSec, 350_000, 1e-12);
    within(s?.storageBytesPerDay, 350 * RECORD * 86_400, 1e-12);
    within(s?.storageBytesPerDayAllReplicas, 3 * 350 * RECORD * 86_400, 1e-12);
    expect(s?.steadyBytes).toBeNull(); // no limit: grows for ever
    const mem = simulate(design({ stream: { storage: 'memory' } })).async?.streams.ORDERS;
    within(mem?.storageBytesPerDay, 350 * (1000 + 14 + 16) * 86_400, 1e-12);
  });

  it('limits: maxAge bounds without being hit; maxBytes 1e10 is hit in 1e10 / (350 × 1,044) s, within a day: warned', () => {
    const aged = simulate(design({ stream: { maxAgeSeconds: 3600 } })).async?.streams.ORDERS;
    within(aged?.steadyBytes, 3600 * 350 * RECORD, 1e-12);
    expect(aged?.limit).toBe('maxAge');
    expect(aged?.timeToLimitSeconds).toBeNull();
    const r = simulate(design({ stream: { maxAgeSeconds: 86_400, maxBytes: 1e10 } }));
    const s = r.async?.streams.ORDERS;
    expect(s?.limit).toBe('maxBytes');
    within(s?.steadyBytes, 1e10, 1e-12);
    within(s?.timeToLimitSeconds, 1e10 / (350 * RECORD), 1e-12);
    expect(r.warnings.find((w) => w.code === 'stream-limit-soon')?.path).toBe('streams[0].maxBytes');
    const msgs = simulate(design({ stream: { maxMsgs: 1_000_000 } })).async?.streams.ORDERS;
    within(msgs?.timeToLimitSeconds, 1_000_000 / 350, 1e-12);
    within(msgs?.steadyBytes, 1_000_000 * RECORD, 1e-12);
  });

  it('workqueue retention keeps what the consumer holds: (pending + ack pending) × record', () => {
    const s = simulate(design({ stream: { retention: 'workqueue' } })).async?.streams.ORDERS;
    const c = s?.consumers.work;
    within(s?.steadyBytes, ((c?.meanPending ?? 0) + (c?.meanAckPending ?? 0)) * RECORD, 1e-9);
  });

  it('R3 on a 3-zone cluster: one replica per zone, leader first; each stores every message', () => {
    const s = simulate(design()).async?.streams.ORDERS;
    expect(s?.replicas.map((x) => [x.server, x.zone, x.role])).toEqual([
      ['n-a-0', 'a', 'leader'],
      ['n-b-0', 'b', 'follower'],
      ['n-c-0', 'c', 'follower'],
    ]);
    for (const x of s?.replicas ?? []) {
      within(x.msgsPerSec, 350, 1e-12);
      within(x.bytesPerSec, 350 * RECORD, 1e-12);
    }
    // Cross-zone: the two followers' copies, the publishers of b and c to the leader in a, and the
    // consumer's deliveries stay in a: 2 × 350,000 + (2/3) × 350,000 B/s.
    within(s?.crossZoneBytesPerSec, 700_000 + (2 / 3) * 350_000, 1e-12);
  });

  it('messages per server: publish, capture, replication (append + ack), deliveries (message + ack + pull/batch)', () => {
    // No consumer, no ack: a publishes ~116.7/s at each zone's server; the leader (a) takes 350 in and
    // 2 × 350 per follower; each follower 2 × 350.
    const noConsumer = docOf({
      ...design(),
      schema: 'busboard.topology/v3',
      consumers: [],
    } as unknown as TopologyInput);
    const b = Object.fromEntries(simulate(noConsumer).brokers.map((x) => [x.server, x.msgsPerSec]));
    within(b['n-a-0'], 350 / 3 + 350 + 4 * 350, 1e-9);
    within(b['n-b-0'], 350 / 3 + 2 * 350, 1e-9);
    within(b['n-c-0'], 350 / 3 + 2 * 350, 1e-9);
    // With the consumer (batch 1): 350 × 3 more at the leader and at the consumer's server (both in a).
    const withC = Object.fromEntries(simulate(design()).brokers.map((x) => [x.server, x.msgsPerSec]));
    within(withC['n-a-0'], 350 / 3 + 350 + 4 * 350 + 2 * 3 * 350, 1e-9);
    // With the publish ack: one more message at the publisher's server and at the leader.
    const acked = Object.fromEntries(simulate(design({ publish: { ack: true } })).brokers.map((x) => [x.server, x.msgsPerSec]));
    within(acked['n-b-0'], (2 * 350) / 3 + 2 * 350, 1e-9);
  });

  it('publish ack: round trip to the leader + the nearer follower’s round trip; added to the request only with ack', () => {
    const network = { natsHopMs: 0.13, crossZoneMs: 1, crossRegionMs: 30, shortCircuitMs: 0.014, dbCallMs: 0.5 };
    const plain = simulate(design({ network }));
    const acked = simulate(design({ network, publish: { ack: true } }));
    // From a: 0.13 + 1.13; from b or c: 1.13 + 1.13. Each zone a third of the publishes.
    within(acked.async?.streams.ORDERS?.publishAckMs, (1.26 + 2 * 2.26) / 3, 1e-12);
    within((acked.entries.orders?.latencyMs?.mean ?? 0) - (plain.entries.orders?.latencyMs?.mean ?? 0), (1.26 + 2 * 2.26) / 3, 0.01);
  });

  it('R3 placement rotates leaders over the zones stream by stream, two servers per zone', () => {
    const d = docOf({
      zones: ['a', 'b', 'c'].map((name) => ({ name, region: 'r' })),
      nats: [{ name: 'n', region: 'r', serversPerZone: 2 }],
      services: [{ name: 'p', serviceTimeMs: 1, publishes: [{ subject: 'x.1' }, { subject: 'x.2' }, { subject: 'x.3' }, { subject: 'x.4' }] }],
      bundles: [{ name: 'p', services: ['p'], replicas: { a: 1 } }],
      traffic: [{ entry: 'p', rps: 1 }],
      streams: [1, 2, 3, 4].map((i) => ({ name: `S${i}`, subjects: [`x.${i}`], replicas: 3 })),
    });
    const st = simulate(d).async?.streams ?? {};
    expect(st.S1?.replicas.map((x) => x.server)).toEqual(['n-a-0', 'n-b-0', 'n-c-0']);
    expect(st.S2?.replicas.map((x) => x.server)).toEqual(['n-b-0', 'n-c-0', 'n-a-1']);
    expect(st.S4?.replicas.map((x) => x.server)).toEqual(['n-a-1', 'n-b-1', 'n-c-1']);
  });
});

describe('failures and warnings', () => {
  it('an R1 stream whose zone fails loses its quorum: nothing stored, the consumer gets nothing, warned', () => {
    const r = simulate(design({ stream: { replicas: 1 } }), { failZones: ['a'] });
    const s = r.async?.streams.ORDERS;
    expect(s?.available).toBe(false);
    expect(s?.ingestRps).toBe(0);
    expect(s?.replicas).toEqual([]);
    expect(r.warnings.find((w) => w.code === 'stream-unavailable')?.path).toBe('streams[0].replicas');
    // R3 keeps a quorum with one zone down: the leader moves to the next live replica.
    const r3 = simulate(design({ consumer: { workers: 2 } }), { failZones: ['b'] }).async?.streams.ORDERS;
    expect(r3?.available).toBe(true);
    expect(r3?.replicas.map((x) => x.role)).toEqual(['leader', 'follower']);
  });

  it('publishing on a subject nobody receives', () => {
    const d = docOf({
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 'p', serviceTimeMs: 1, publishes: [{ subject: 'lost.events' }] }],
      bundles: [{ name: 'p', services: ['p'], replicas: { a: 1 } }],
      traffic: [{ entry: 'p', rps: 1 }],
    });
    const w = simulate(d).warnings.find((x) => x.code === 'publish-unheard');
    expect(w?.path).toBe('services[0].publishes[0].subject');
    expect(w?.message).toContain('lost.events');
  });
});
