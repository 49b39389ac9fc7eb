/**
 * 1,000 browsers watching one cluster: 1,000 concurrent `live.watch` streams against a real
 * server process polling a real nats-server twice a second. Every stream gets its updates and
 * `/healthz` stays fast while they are opened and while they stream.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { EXAMPLES } from '@busboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsCluster, startCluster } from './support/nats-cluster.ts';
import { type ServerProcess, startServerProcess } from './support/process.ts';
import { tempDir, trpcHttp } from './support/server.ts';

const STREAMS = 1000;

function get(url: string, agent: Agent, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t));
    })
      .on('error', reject)
      .end();
  });
}

describe(`${STREAMS} concurrent live streams`, () => {
  let cluster: NatsCluster;
  let server: ServerProcess;
  beforeAll(async () => {
    cluster = await startCluster({ size: 1 });
    server = await startServerProcess({
      DATA_DIR: tempDir('busboard-streams-'),
      BUSBOARD_NATS_MONITOR_URLS: cluster.servers[0]?.monitorUrl as string,
      BUSBOARD_NATS_POLL_MS: '500',
    });
    // Past start-up: the engine pool has loaded its workers, the collector has polled.
    expect((await trpcHttp(server.url, 'simulate.run', { doc: EXAMPLES[0]?.doc })).status).toBe(200);
    expect((await trpcHttp(server.url, 'live.snapshot', { connectionId: 'env-1' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await cluster?.close();
  });

  it('each gets its updates, and /healthz answers in under 100 ms (95th percentile) while they open and stream', async () => {
    // The watchers live in a process of their own, so this process only times /healthz.
    const watchers = spawn(
      process.execPath,
      ['-e', WATCHERS, `${server.url}/trpc/live.watch?input=${encodeURIComponent(JSON.stringify({ connectionId: 'env-1' }))}`, String(STREAMS)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let report = { opened: 0, withThree: 0, events: 0 };
    watchers.stdout.setEncoding('utf8');
    watchers.stdout.on('data', (d: string) => {
      const last = d.trim().split('\n').pop();
      if (last) report = JSON.parse(last);
    });
    const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Baseline first: /healthz on this (shared, busy) machine with no stream open.
    const baseline: number[] = [];
    for (const end = Date.now() + 2000; Date.now() < end; ) {
      baseline.push(await get(`${server.url}/healthz`, healthAgent));
      await new Promise((r) => setTimeout(r, 20));
    }
    let stop = false;
    const latencies: number[] = [];
    const timing = (async () => {
      while (!stop) {
        latencies.push(await get(`${server.url}/healthz`, healthAgent));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const opened = performance.now();
    // Every stream sees at least three updates (polls every 500 ms).
    const deadline = Date.now() + 30_000;
    while (report.withThree < STREAMS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const allIn = performance.now() - opened;
    // And keeps streaming for a few more seconds while /healthz is timed.
    await new Promise((r) => setTimeout(r, 3000));
    stop = true;
    await timing;
    watchers.kill('SIGKILL');
    healthAgent.destroy();

    const quantiles = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return { median: at(0.5), p95: at(0.95), slowest: at(1) };
    };
    const during = quantiles(latencies);
    const before = quantiles(baseline);
    const ms = (q: ReturnType<typeof quantiles>) =>
      `median ${q.median.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms, slowest ${q.slowest.toFixed(1)} ms`;
    console.log(
      `${STREAMS} live streams: ${report.withThree} had 3 updates after ${Math.round(allIn)} ms (${report.events} events); /healthz over ${latencies.length} calls while they opened and streamed: ${ms(during)}; with no stream open: ${ms(before)}`,
    );
    expect(report.withThree).toBe(STREAMS);
    expect(latencies.length).toBeGreaterThan(50);
    // Through tRPC's stream pipeline (one view, serialisation and web stream per watcher) this was
    // median 363 ms, p95 2.1 s, slowest 9 s, with 231 streams still waiting after 30 s. The bound
    // leaves room for this machine's own noise (load average ≈ 15 while the suite runs).
    expect(during.median).toBeLessThan(50);
    expect(during.p95).toBeLessThan(Math.max(100, 3 * before.p95));
  }, 90_000);
});

/** Opens N event streams and prints, every 200 ms, how many have had three updates. */
const WATCHERS = `
const http = require('node:http');
const [url, n] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const counts = new Array(Number(n)).fill(0);
let opened = 0;
for (let i = 0; i < counts.length; i++) {
  http.get(url, { agent, headers: { accept: 'text/event-stream', 'x-busboard-request': '1' } }, (res) => {
    opened++;
    res.setEncoding('utf8');
    res.on('data', (c) => { counts[i] += c.split('"connectionId"').length - 1; });
  }).on('error', () => {});
}
setInterval(() => {
  const events = counts.reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ opened, withThree: counts.filter((c) => c >= 3).length, events }) + '\\n');
}, 200);
`;
