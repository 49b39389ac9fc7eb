import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServers } from '../src/live/monitor.ts';
import { type NatsCluster, startCluster } from './support/nats-cluster.ts';

describe('live: servers from HTTP monitoring of a real 3-node nats-server cluster', () => {
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startCluster({ size: 3 });
  });
  afterAll(async () => cluster?.close());

  it('lists every server with its name, cluster and two routes', async () => {
    const servers = await readServers(cluster.servers.map((s) => s.monitorUrl));
    expect(servers.map((s) => s.name)).toEqual(cluster.servers.map((s) => s.name));
    for (const s of servers) expect(s).toMatchObject({ up: true, cluster: cluster.name, routes: 2 });
  });

  it('shows a killed server as down while the others still answer', async () => {
    const victim = cluster.servers[2]!;
    await cluster.stop(victim);
    const servers = await readServers(
      cluster.servers.map((s) => s.monitorUrl),
      1000,
    );
    expect(servers[2]).toMatchObject({ up: false, error: expect.stringMatching(/refused|unreachable|no answer/) });
    expect(servers[0]?.up).toBe(true);
    expect(servers[1]?.up).toBe(true);
  });
});
