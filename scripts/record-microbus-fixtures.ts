/**
 * Records real Microbus subject sets into `packages/core/src/live/fixtures/` for core's unit
 * tests: the apps of apps/api/test/support/microbus-topology.ts (raw-protocol connections that
 * subscribe exactly as the framework's connector does) on a real nats-server cluster, read
 * through the system account. One file per generation, four polls each: two a second apart
 * under steady traffic (so rates exist), one after a server was killed and its clients failed
 * over to the next server, one after that server was started again.
 * Run: `node --import tsx scripts/record-microbus-fixtures.ts`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawCollection } from '@busboard/core';
import { Collector } from '../apps/api/src/live/collector.ts';
import type { LiveConnectionConfig } from '../apps/api/src/live/config.ts';
import { APP_CASES, CART_USER, MB_ZONES, PAY_USER, startMicrobusApps } from '../apps/api/test/support/microbus-topology.ts';
import { NATS_SERVER, SYS_USER, startCluster } from '../apps/api/test/support/nats-cluster.ts';
import { RawNatsClient } from '../apps/api/test/support/raw-nats.ts';

const OUT = join(import.meta.dirname, '../packages/core/src/live/fixtures');
const version = execFileSync(NATS_SERVER, ['--version'])
  .toString()
  .trim()
  .replace(/^nats-server: v/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const generation of ['newest', 'v1'] as const) {
  const cluster = await startCluster({ name: 'east', size: 3, zones: MB_ZONES, accounts: true, appUsers: [CART_USER, PAY_USER] });
  const cases = APP_CASES.filter((c) => c.generation === generation);
  try {
    const apps = await startMicrobusApps(cluster, cases);
    const config: LiveConnectionConfig = {
      id: 'rec',
      origin: 'app',
      name: 'recorded',
      servers: cluster.servers.map((s) => s.url),
      auth: { kind: 'none' },
      systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass },
      monitorUrls: [],
      wsUrls: [],
      pollMs: 1000,
    };
    const recorded: RawCollection[] = [];
    const collector = new Collector(config, { onCollection: (c) => recorded.push(c) });
    const traffic = await RawNatsClient.connect({ servers: [cluster.servers[0]?.url as string], name: 'traffic' });
    traffic.subscribe('_INBOX.rec.*');
    const send = (n: number) => {
      for (const c of cases) {
        const host = `cart.${c.suffix}`;
        const subject =
          generation === 'newest'
            ? `microbus.safe.443.traffic_test.${host.replace('.', '_')}._.GET.items`
            : `microbus.443.${host.split('.').reverse().join('.')}.|.GET.items`;
        for (let i = 0; i < n; i++) traffic.publish(subject, 'x', `_INBOX.rec.${i}`);
      }
    };
    send(10);
    await traffic.flush();
    await collector.pollOnce();
    send(20);
    await traffic.flush();
    await sleep(1000);
    await collector.pollOnce();
    // Kill n2: the processes connected to it fail over to the next server of their list.
    const victim = cluster.servers[1];
    if (!victim) throw new Error('no n2');
    await cluster.stop(victim);
    const moved = apps.flatMap((a) => a.processes).filter((p) => p.connections.some((c) => c.server === victim.url));
    for (let i = 0; i < 50 && moved.some((p) => p.connections.some((c) => !c.connected || c.server === victim.url)); i++) await sleep(100);
    await sleep(300);
    await collector.pollOnce();
    await cluster.start(victim);
    await sleep(1500); // routes form again
    await collector.pollOnce();
    await collector.stop();
    await traffic.close();
    await Promise.all(apps.flatMap((a) => a.processes.map((p) => p.stop())));
    const file = join(OUT, `microbus-${generation}-${version}.json`);
    const meta = {
      natsServer: version,
      generation,
      apps: apps.map((a) => ({
        suffix: a.case.suffix,
        evidence: a.case.evidence,
        processes: a.processes.map((p) => ({ address: p.spec.localAddress, locality: p.spec.locality, ids: p.ids })),
      })),
      killed: victim.name,
    };
    writeFileSync(file, `${JSON.stringify({ ...meta, polls: recorded })}\n`);
    process.stderr.write(`wrote ${file} (${recorded.length} polls)\n`);
  } finally {
    await cluster.close();
  }
}
