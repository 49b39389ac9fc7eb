import { describe, expect, it } from 'vitest';
import { rttHistogram } from './histogram.ts';
import type { RawCollection, RawServerReplies } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';
import { parseDurationMs, parseRttMs, zoneFromTags, zoneKey } from './units.ts';

describe('nats-server formats', () => {
  it('reads Go durations as nats-server prints them', () => {
    expect(parseDurationMs('224µs')).toBeCloseTo(0.224, 9);
    expect(parseDurationMs('2.431216ms')).toBeCloseTo(2.431216, 9);
    expect(parseDurationMs('1m3.5s')).toBe(63_500);
    expect(parseDurationMs('1h2m')).toBe(3_720_000);
    expect(parseDurationMs('850ns')).toBeCloseTo(0.00085, 9);
    expect(parseDurationMs('0s')).toBe(0);
    expect(parseDurationMs('soon')).toBeNull();
    expect(parseRttMs('0s')).toBeNull(); // not measured yet
  });

  it('takes the zone from az: or zone: tags and compares zones loosely', () => {
    expect(zoneFromTags(['region:us', 'az:us-east-1a'])).toBe('us-east-1a');
    expect(zoneFromTags(['zone:eu-1'])).toBe('eu-1');
    expect(zoneFromTags(['region:us'])).toBeNull();
    expect(zoneKey('us-east-1-a')).toBe(zoneKey('US_EAST_1A'));
  });
});

describe('RTT histograms', () => {
  it('gives nearest-rank percentiles of the samples and counts every sample once', () => {
    // 1..100 ms: p50 = 50, p95 = 95, p99 = 99 by nearest rank.
    const h = rttHistogram(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(h).toMatchObject({ count: 100, minMs: 1, maxMs: 100, meanMs: 50.5, p50Ms: 50, p95Ms: 95, p99Ms: 99 });
    expect(h?.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(h?.bounds.length).toBe(h?.counts.length);
  });

  it('is null without samples and ignores nonsense', () => {
    expect(rttHistogram([])).toBeNull();
    expect(rttHistogram([Number.NaN, -1])).toBeNull();
    expect(rttHistogram([0.2, Number.POSITIVE_INFINITY])?.count).toBe(1);
  });
});

const info = (name: string, id: string, extra: object = {}) => ({ name, id, cluster: 'c1', ver: '2.11.0', tags: [], ...extra });

function collection(at: number, servers: RawServerReplies[], extra: Partial<RawCollection> = {}): RawCollection {
  return { source: 'system', sourceDetail: 'test', collectedAt: at, servers, ...extra };
}

describe('buildSnapshot on replies shaped by newer servers and by failures', () => {
  it('merges pooled routes (2.10+: several connections to one peer, remote_name set) into one edge', () => {
    const route = (rid: number, msgs: number) => ({ rid, remote_id: 'IDB', remote_name: 'b', rtt: '1ms', in_msgs: msgs, out_msgs: msgs });
    const s = buildSnapshot(
      collection(0, [
        { info: info('a', 'IDA'), up: true, routez: { routes: [route(1, 10), route(2, 20), route(3, 30)] } },
        {
          info: info('b', 'IDB'),
          up: true,
          routez: { routes: [{ rid: 9, remote_id: 'IDA', remote_name: 'a', rtt: '3ms', in_msgs: 60, out_msgs: 60 }] },
        },
      ]),
    );
    expect(s.routes).toHaveLength(1);
    expect(s.routes[0]).toMatchObject({ a: 'a', b: 'b', msgs: 120, rttMs: 1 });
    expect(s.servers.find((x) => x.name === 'a')?.routes).toEqual(['b']);
  });

  it('merges a server that answered twice (through two gateways) into one', () => {
    const s = buildSnapshot(
      collection(0, [
        { info: info('a', 'IDA'), up: true, varz: { connections: 3 } },
        { info: info('a', 'IDA'), up: true },
      ]),
    );
    expect(s.servers).toHaveLength(1);
    expect(s.servers[0]?.connections).toBe(3);
  });

  it('gives no rate (not a negative one) when a counter went back after a restart', () => {
    const first = buildSnapshot(collection(0, [{ info: info('a', 'IDA'), up: true, varz: { in_msgs: 1000, out_msgs: 1000 } }]));
    const later = buildSnapshot(collection(1000, [{ info: info('a', 'IDA'), up: true, varz: { in_msgs: 1100, out_msgs: 1100 } }]), first);
    expect(later.servers[0]?.msgRate).toBe(200);
    const restarted = buildSnapshot(collection(2000, [{ info: info('a', 'IDA'), up: true, varz: { in_msgs: 5, out_msgs: 5 } }]), later);
    expect(restarted.servers[0]?.msgRate).toBeNull();
  });

  it('keeps a silent server as down for a while, then forgets it', () => {
    const first = buildSnapshot(
      collection(0, [
        { info: info('a', 'IDA', { tags: ['az:z1'] }), up: true },
        { info: info('b', 'IDB'), up: true },
      ]),
    );
    const second = buildSnapshot(collection(1000, [{ info: info('b', 'IDB'), up: true }]), first, { forgetAfterMs: 5000 });
    expect(second.servers.find((x) => x.name === 'a')).toMatchObject({ up: false, zone: 'z1', lastSeen: 0 });
    const third = buildSnapshot(collection(9000, [{ info: info('b', 'IDB'), up: true }]), second, { forgetAfterMs: 5000 });
    expect(third.servers.map((x) => x.name)).toEqual(['b']);
  });

  it('says when connections were not all paged in', () => {
    const s = buildSnapshot(collection(0, [{ info: info('a', 'IDA'), up: true, connz: [{ total: 3, connections: [{ cid: 1 }, { cid: 2 }] }] }]));
    expect(s.warnings).toEqual(['a: read 2 of 3 connections (the rest were not paged in)']);
  });

  it('finds micro instances from $SRV subscriptions when $SRV replies cannot be had (system user only)', () => {
    const s = buildSnapshot(
      collection(0, [
        {
          info: info('a', 'IDA', { tags: ['az:z1'] }),
          up: true,
          connz: [
            {
              total: 1,
              connections: [
                {
                  cid: 7,
                  kind: 'Client',
                  subscriptions_list_detail: [
                    { subject: '$SRV.PING.orders.ID1', msgs: 0 },
                    { subject: '$SRV.PING.orders', msgs: 0 },
                    { subject: 'orders.create', qgroup: 'q', msgs: 4 },
                  ],
                },
              ],
            },
          ],
        },
      ]),
    );
    expect(s.services).toHaveLength(1);
    expect(s.services[0]).toMatchObject({ name: 'orders', kind: 'micro', versions: [] });
    expect(s.services[0]?.instances[0]).toMatchObject({ id: 'ID1', server: 'a', zone: 'z1', zoneSource: 'server-tag' });
  });
});
