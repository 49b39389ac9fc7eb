/**
 * Live JetStream on a real 3-server nats-server cluster with JetStream on every server:
 * streams, consumers and lag made on purpose by the test (support/jetstream.ts: ORDERS R3
 * with `fulfil` at its max_ack_pending, `retry` with redeliveries, an unbound push consumer
 * `audit`; CLICKS R1 in memory), then read by the collector through the system account and
 * through HTTP monitoring, compared with a design (drift), overlaid, and printed by
 * `busboard inspect --json`. Every figure asserted is what the test did.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDrift, jetStreamOverlay, type LiveSnapshot, parseTopology, type TopologyInput } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ordersEvents } from '../../../packages/core/src/examples/orders-events.ts';
import { Collector } from '../src/live/collector.ts';
import type { LiveConnectionConfig } from '../src/live/config.ts';
import {
  appConnection,
  CLICKS_PUBLISHED,
  FULFIL_ACKED,
  FULFIL_MAX_ACK_PENDING,
  makeStreams,
  ORDERS_PUBLISHED,
  publish,
  RETRY_FETCHED,
  startJetStreamCluster,
} from './support/jetstream.ts';
import { type NatsCluster, SYS_USER } from './support/nats-cluster.ts';

const BIN = inject('programs').cli;
const MORE = 15;

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NATS_PASSWORD: SYS_USER.pass } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The design: ORDERS as it runs, CLICKS designed R3 on file (runs R1 in memory), `retry` designed with other settings. */
const DESIGN: TopologyInput = {
  ...ordersEvents,
  streams: [
    { name: 'ORDERS', subjects: ['orders.>'], replicas: 3, storage: 'file' },
    { name: 'CLICKS', subjects: ['clicks.*'], replicas: 3, storage: 'file' },
  ],
  consumers: [
    {
      name: 'fulfil',
      stream: 'ORDERS',
      service: 'fulfilment.example',
      filterSubject: 'orders.created',
      maxAckPending: FULFIL_MAX_ACK_PENDING,
      ackWaitMs: 30_000,
    },
    { name: 'retry', stream: 'ORDERS', service: 'fulfilment.example', maxAckPending: 100, ackWaitMs: 2000 },
    { name: 'audit', stream: 'ORDERS', service: 'fulfilment.example', mode: 'push' },
  ],
};

describe('live JetStream on a real cluster', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let dir: string;
  const base = (c: NatsCluster) =>
    ({
      id: 'js',
      origin: 'app',
      name: 'js',
      servers: [c.servers[0]?.url as string],
      auth: { kind: 'none' },
      monitorUrls: [],
      wsUrls: [],
      pollMs: 1000,
    }) satisfies LiveConnectionConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'busboard-js-'));
    cluster = await startJetStreamCluster();
    nc = await appConnection(cluster);
    await makeStreams(nc, 3);
  }, 90_000);
  afterAll(async () => {
    await nc?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two polls with MORE orders published between them; returns the second snapshot. */
  async function twoReads(config: LiveConnectionConfig): Promise<{ first: LiveSnapshot; second: LiveSnapshot }> {
    const collector = new Collector(config);
    try {
      const first = await collector.pollOnce();
      await publish(nc, 'orders.created', MORE);
      const second = await collector.pollOnce();
      if (!first || !second) throw new Error(collector.status.message ?? 'no snapshot');
      return { first, second };
    } finally {
      await collector.stop();
    }
  }

  const expectFigures = (s: LiveSnapshot, published: number) => {
    const names = cluster.servers.map((x) => x.name).sort();
    expect(s.jetstream.read).toBe(true);
    expect(s.jetstream.servers).toEqual(names);
    expect(s.streams.map((x) => `${x.name} R${x.replicas} ${x.storage} ${x.subjects.join(',')} ${x.messages}`)).toEqual([
      `CLICKS R1 memory clicks.* ${CLICKS_PUBLISHED}`,
      `ORDERS R3 file orders.> ${published}`,
    ]);
    const orders = s.streams.find((x) => x.name === 'ORDERS');
    expect(orders?.peers.map((p) => p.server).sort()).toEqual(names);
    expect(orders?.peers[0]).toMatchObject({ server: orders?.leader, leader: true });
    expect(s.streams.find((x) => x.name === 'CLICKS')?.peers).toHaveLength(1);
    const c = Object.fromEntries((orders?.consumers ?? []).map((x) => [x.name, x]));
    // fulfil: acked FULFIL_ACKED, holds FULFIL_MAX_ACK_PENDING unacked, the rest of orders.created pending.
    expect([c.fulfil?.numPending, c.fulfil?.numAckPending, c.fulfil?.ackFloor.streamSeq, c.fulfil?.maxAckPending]).toEqual([
      published - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING,
      FULFIL_MAX_ACK_PENDING,
      FULFIL_ACKED,
      FULFIL_MAX_ACK_PENDING,
    ]);
    // retry: RETRY_FETCHED delivered twice (ack_wait 1 s passed in between), none acked.
    expect([c.retry?.numPending, c.retry?.numAckPending, c.retry?.numRedelivered, c.retry?.delivered.consumerSeq, c.retry?.ackWaitMs]).toEqual([
      published - RETRY_FETCHED,
      RETRY_FETCHED,
      RETRY_FETCHED,
      2 * RETRY_FETCHED,
      1000,
    ]);
    expect([c.audit?.mode, c.audit?.deliverSubject, c.audit?.numPending, c.audit?.pushBound]).toEqual(['push', 'audit.deliver', published, false]);
  };

  it('reads streams, consumers, lag and replicas through the system account', async () => {
    const { first, second } = await twoReads({ ...base(cluster), systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass } });
    expect(second.source).toBe('system');
    const before = first.streams.find((x) => x.name === 'ORDERS')?.messages ?? 0;
    expect(before).toBe(ORDERS_PUBLISHED);
    expectFigures(second, ORDERS_PUBLISHED + MORE);
    for (const c of second.streams.find((x) => x.name === 'ORDERS')?.consumers ?? []) expect(c.pendingChange, c.name).toBe(MORE);
  });

  it('reads the same through HTTP monitoring (/jsz on every server)', async () => {
    const { first, second } = await twoReads({ ...base(cluster), monitorUrls: cluster.servers.map((s) => s.monitorUrl) });
    expect(second.source).toBe('monitor');
    const published = (first.streams.find((x) => x.name === 'ORDERS')?.messages ?? 0) + MORE;
    expectFigures(second, published);
  });

  it("reads the account's own streams through $JS.API as an ordinary user", async () => {
    const { first, second } = await twoReads(base(cluster));
    expect(second.source).toBe('account');
    expect(second.jetstream.via).toBe('api');
    expect(second.streams.map((x) => x.account)).toEqual(['APP', 'APP']);
    const published = (first.streams.find((x) => x.name === 'ORDERS')?.messages ?? 0) + MORE;
    expectFigures(second, published);
    for (const c of second.streams.find((x) => x.name === 'ORDERS')?.consumers ?? []) expect(c.pendingChange, c.name).toBe(MORE);
  });

  it('finds the drift made on purpose and overlays live figures on the design', async () => {
    const { second } = await twoReads({ ...base(cluster), systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass } });
    const parsed = parseTopology(DESIGN);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
    const drift = computeDrift(parsed.doc, second).filter((d) => 'stream' in d);
    expect(drift.map((d) => `${d.kind} ${'consumer' in d ? `${d.stream}/${d.consumer}` : d.stream}`).sort()).toEqual(
      [
        'stream-replicas CLICKS',
        'stream-storage CLICKS',
        'consumer-config ORDERS/retry',
        'consumer-config ORDERS/retry',
        'consumer-lag-growing ORDERS/fulfil',
        'consumer-lag-growing ORDERS/retry',
        'consumer-lag-growing ORDERS/audit',
        'consumer-ack-pending-full ORDERS/fulfil',
      ].sort(),
    );
    const o = jetStreamOverlay(parsed.doc, second);
    const published = second.streams.find((x) => x.name === 'ORDERS')?.messages ?? 0;
    expect(o.streams.ORDERS).toMatchObject({ designedReplicas: 3, liveReplicas: 3, messages: published });
    expect(o.streams.CLICKS).toMatchObject({ designedReplicas: 3, liveReplicas: 1, messages: CLICKS_PUBLISHED });
    expect(o.streams.ORDERS?.consumers.fulfil).toMatchObject({
      lag: published - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING,
      lagChange: MORE,
      ackPending: FULFIL_MAX_ACK_PENDING,
      redelivered: 0,
    });
    expect(o.streams.ORDERS?.consumers.retry).toMatchObject({ redelivered: RETRY_FETCHED, ackPending: RETRY_FETCHED });
  });

  it('busboard inspect --json prints the streams block, and --design the JetStream drift', async () => {
    const file = join(dir, 'design.json');
    writeFileSync(file, JSON.stringify(DESIGN));
    const r = await run(['inspect', '--nats', cluster.servers[0]?.url as string, '--user', SYS_USER.user, '--json', '--design', file]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['source', 'collectedAt', 'servers', 'queueGroups', 'services', 'bundles', 'drift', 'streams']);
    const orders = out.streams.find((s: { name: string }) => s.name === 'ORDERS');
    const published = orders.messages;
    expect(published).toBeGreaterThanOrEqual(ORDERS_PUBLISHED);
    expect(orders).toMatchObject({ subjects: ['orders.>'], replicas: 3, storage: 'file', bytes: expect.any(Number) });
    expect([...orders.servers].sort()).toEqual(cluster.servers.map((s) => s.name).sort());
    expect(orders.consumers.find((c: { name: string }) => c.name === 'fulfil')).toMatchObject({
      name: 'fulfil',
      numPending: published - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING,
      numAckPending: FULFIL_MAX_ACK_PENDING,
      numRedelivered: 0,
    });
    expect(orders.consumers.find((c: { name: string }) => c.name === 'retry')).toMatchObject({ numRedelivered: RETRY_FETCHED });
    expect(out.streams.find((s: { name: string }) => s.name === 'CLICKS')).toMatchObject({ replicas: 1, messages: CLICKS_PUBLISHED, consumers: [] });
    const kinds = out.drift.map((d: { kind: string }) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['stream-replicas', 'stream-storage', 'consumer-config', 'consumer-ack-pending-full']));
    const human = await run(['inspect', '--nats', cluster.servers[0]?.url as string, '--user', SYS_USER.user]);
    expect(human.stdout).toMatch(/ORDERS\s+R3 \(/);
    expect(human.stdout).toContain(`fulfil ${published - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING}/${FULFIL_MAX_ACK_PENDING}/0`);
  });

  // Last: it kills a server.
  it('keeps an R3 stream through a dead server, and holds a missing R1 stream that lived there', async () => {
    // HTTP monitoring: a source that cannot change under the test when the client's own server dies
    // (a system user's connection to the dead server falls back to the account source for a poll).
    const config = { ...base(cluster), monitorUrls: cluster.servers.map((x) => x.monitorUrl) };
    const collector = new Collector(config);
    try {
      const before = await collector.pollOnce();
      const host = before?.streams.find((x) => x.name === 'CLICKS')?.leader;
      const victim = cluster.servers.find((x) => x.name === host);
      if (!victim) throw new Error(`CLICKS has no known host (${host})`);
      await cluster.stop(victim);
      let s: LiveSnapshot | null = null;
      // Polls until the dead server is seen down and ORDERS has a leader on another server.
      for (let i = 0; i < 20; i++) {
        s = await collector.pollOnce();
        const orders = s?.streams.find((x) => x.name === 'ORDERS');
        if (s?.servers.some((x) => x.name === victim.name && !x.up) && orders?.leader && orders.leader !== victim.name) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      if (!s) throw new Error('no snapshot');
      const orders = s.streams.find((x) => x.name === 'ORDERS');
      expect(orders?.replicas).toBe(3);
      expect(orders?.leader).not.toBe(victim.name);
      expect(orders?.peers.map((p) => p.server)).toContain(victim.name);
      expect(orders?.messages).toBe(before?.streams.find((x) => x.name === 'ORDERS')?.messages);
      expect(s.streams.map((x) => x.name)).not.toContain('CLICKS');
      const parsed = parseTopology(DESIGN);
      if (!parsed.ok) throw new Error('bad design');
      const missing = computeDrift(parsed.doc, s).find((d) => d.kind === 'stream-missing');
      expect(missing?.message).toContain(`while ${victim.name} is down: it may live there`);
      expect(missing?.held).toBe(`${victim.name} is down`);
    } finally {
      await collector.stop();
    }
  });
});
