/**
 * Records real nats-server replies into `packages/core/src/live/fixtures/` for core's unit
 * tests: the live test topology (apps/api/test/support/live-topology.ts) read three ways —
 * through the system account, as an ordinary account user, and through HTTP monitoring —
 * two polls each (so rates exist), then once more through the system account after one
 * server was killed. Run: `node --import tsx scripts/record-live-fixtures.ts`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawCollection } from '@busboard/core';
import { Collector } from '../apps/api/src/live/collector.ts';
import type { LiveConnectionConfig } from '../apps/api/src/live/config.ts';
import { startLiveTopology } from '../apps/api/test/support/live-topology.ts';
import { NATS_SERVER, SYS_USER } from '../apps/api/test/support/nats-cluster.ts';

const OUT = join(import.meta.dirname, '../packages/core/src/live/fixtures');
const version = execFileSync(NATS_SERVER, ['--version'])
  .toString()
  .trim()
  .replace(/^nats-server: v/, '');

const topo = await startLiveTopology({ leaf: true });
try {
  const [e1] = topo.sc.servers;
  if (!e1) throw new Error('no servers');
  await new Promise((r) => setTimeout(r, 1500)); // let the leaf node connect and route RTTs be measured
  const base = {
    id: 'rec',
    origin: 'app',
    name: 'recorded',
    servers: [e1.url],
    auth: { kind: 'none' },
    monitorUrls: [],
    wsUrls: [],
    pollMs: 1000,
  } satisfies LiveConnectionConfig;
  // The system variant comes last: it kills a server (and the workers on it) at the end.
  const variants: Record<string, LiveConnectionConfig> = {
    account: base,
    monitor: { ...base, monitorUrls: topo.sc.servers.map((s) => s.monitorUrl) },
    system: { ...base, systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass } },
  };
  for (const [name, config] of Object.entries(variants)) {
    const recorded: RawCollection[] = [];
    const collector = new Collector(config, { onCollection: (c) => recorded.push(c) });
    await topo.traffic(10);
    await collector.pollOnce();
    await topo.traffic(20);
    await new Promise((r) => setTimeout(r, 500));
    await collector.pollOnce();
    if (name === 'system') {
      // Kill an east server that neither this collector nor west's outbound gateway uses, so
      // the record shows one server down and every other one still answering.
      const victim = await pickVictim(topo.sc.servers);
      await topo.sc.stop(victim);
      await collector.pollOnce();
    }
    await collector.stop();
    const file = join(OUT, `${name}-${version}.json`);
    writeFileSync(file, `${JSON.stringify({ natsServer: version, source: name, polls: recorded }, null, 1)}\n`);
    process.stderr.write(`wrote ${file} (${recorded.length} polls, ${recorded.at(-1)?.source})\n`);
  }
} finally {
  await topo.close();
}

async function pickVictim(servers: Array<{ name: string; cluster?: string; monitorUrl: string }>) {
  const west = servers.find((s) => s.cluster === 'west');
  const gz = (await (await fetch(`${west?.monitorUrl}/gatewayz`)).json()) as {
    outbound_gateways?: Record<string, { connection?: { name?: string } }>;
  };
  const targetId = gz.outbound_gateways?.east?.connection?.name;
  for (const s of servers.slice(1)) {
    if (s.cluster !== 'east') continue;
    const varz = (await (await fetch(`${s.monitorUrl}/varz`)).json()) as { server_id?: string };
    if (varz.server_id !== targetId) return s as (typeof servers)[number] & Parameters<typeof topo.sc.stop>[0];
  }
  throw new Error('no east server to kill');
}
