/**
 * Records real nats-server JSZ replies into `packages/core/src/live/fixtures/jetstream-<version>.json`
 * for core's unit tests: a 3-server JetStream cluster with the streams, consumers and lag of
 * apps/api/test/support/jetstream.ts (ORDERS R3 with fulfil at its max_ack_pending, retry with
 * redeliveries, an unbound push consumer; CLICKS R1 in memory), read through the system account
 * through HTTP monitoring and as an ordinary user ($JS.API), two polls each with 10 more orders published in between (so
 * fulfil's lag grows). Run: `node --import tsx scripts/record-jetstream-fixture.ts`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawCollection } from '@busboard/core';
import { Collector } from '../apps/api/src/live/collector.ts';
import type { LiveConnectionConfig } from '../apps/api/src/live/config.ts';
import { appConnection, makeStreams, publish, startJetStreamCluster } from '../apps/api/test/support/jetstream.ts';
import { NATS_SERVER, SYS_USER } from '../apps/api/test/support/nats-cluster.ts';

const OUT = join(import.meta.dirname, '../packages/core/src/live/fixtures');
const version = execFileSync(NATS_SERVER, ['--version'])
  .toString()
  .trim()
  .replace(/^nats-server: v/, '');

const cluster = await startJetStreamCluster();
try {
  const nc = await appConnection(cluster);
  await makeStreams(nc, 3);
  const base = {
    id: 'rec',
    origin: 'app',
    name: 'recorded',
    servers: [cluster.servers[0]?.url ?? ''],
    auth: { kind: 'none' },
    monitorUrls: [],
    wsUrls: [],
    pollMs: 1000,
  } satisfies LiveConnectionConfig;
  const variants: Record<string, LiveConnectionConfig> = {
    system: { ...base, systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass } },
    monitor: { ...base, monitorUrls: cluster.servers.map((s) => s.monitorUrl) },
    // An ordinary user: the account CONNZ, and JetStream through the account's $JS.API.
    account: base,
  };
  const polls: Record<string, RawCollection[]> = {};
  for (const [name, config] of Object.entries(variants)) {
    const recorded: RawCollection[] = [];
    const collector = new Collector(config, { onCollection: (c) => recorded.push(c) });
    await collector.pollOnce();
    await publish(nc, 'orders.created', 10);
    await new Promise((r) => setTimeout(r, 300));
    await collector.pollOnce();
    await collector.stop();
    polls[name] = recorded;
  }
  await nc.close();
  const file = join(OUT, `jetstream-${version}.json`);
  writeFileSync(file, `${JSON.stringify({ natsServer: version, ...polls }, null, 1)}\n`);
  process.stderr.write(`wrote ${file}\n`);
} finally {
  await cluster.close();
}
