/**
 * Live snapshot at scale: 10,000 connections and 50,000 subscriptions in nats-server's own
 * reply format (6 servers in two clusters, Microbus bundles with `_`/`id-`/`loc-` slots, micro
 * services, plain clients), served over loopback HTTP in `connz` pages like a real monitoring
 * port. Figures: the raw time to fetch and JSON-parse every page, the time and memory to build
 * a `LiveSnapshot` from them (with a previous snapshot, so rates are computed too), one page of
 * the connections table, and the same build on the replies recorded from a real cluster.
 * Targets (issue 7): build ≤ 500 ms, ≤ 200 MB.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  buildSnapshot,
  queryConnections,
  type RawCollection,
  type RawConnection,
  type RawConnz,
  type RawServerReplies,
  snapshotView,
} from '@busboard/core';
import { type Figures, median, timeMs, timeMsAsync } from './util.ts';

const CONNECTIONS = 10_000;
const SUBS_PER_CONNECTION = 5;
const PAGE = 1024;
const SERVERS = [
  { name: 'east-n1', cluster: 'east', zone: 'us-east-1a' },
  { name: 'east-n2', cluster: 'east', zone: 'us-east-1b' },
  { name: 'east-n3', cluster: 'east', zone: 'us-east-1c' },
  { name: 'west-n1', cluster: 'west', zone: 'us-west-2a' },
  { name: 'west-n2', cluster: 'west', zone: 'us-west-2b' },
  { name: 'west-n3', cluster: 'west', zone: 'us-west-2c' },
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const id = (i: number) => `N${String(i).padStart(55, 'X')}`;

/** One connection as nats-server's connz prints it, with 5 subscriptions. */
function connection(cid: number, serverIndex: number, tick: number): RawConnection {
  const kind = cid % 10;
  const host = `svc${cid % 200}.shop`;
  const token = host.replace(/\./g, '_');
  const loc = SERVERS[serverIndex]?.zone.replace(/(\d)([a-z])$/, '$1-$2') ?? 'x';
  let subs: Array<{ subject: string; qgroup?: string }>;
  if (kind < 6) {
    // A Microbus replica: any-replica, own-replica and locality slots, and the control port.
    subs = [
      { subject: `microbus.safe.443.*.${token}._.GET.items`, qgroup: host },
      { subject: `microbus.safe.443.*.${token}.id-r${cid}.GET.items`, qgroup: host },
      { subject: `microbus.safe.443.*.${token}.loc-${loc}.GET.items`, qgroup: host },
      { subject: `microbus.safe.888.*.${token}._.*.ping` },
      { subject: `_INBOX.c${cid}.*` },
    ];
  } else if (kind < 8) {
    const name = `micro${cid % 50}`;
    subs = [
      { subject: `$SRV.PING.${name}.I${cid}` },
      { subject: `$SRV.INFO.${name}.I${cid}` },
      { subject: `$SRV.STATS.${name}.I${cid}` },
      { subject: `${name}.do`, qgroup: 'q' },
      { subject: `_INBOX.c${cid}.*` },
    ];
  } else {
    subs = Array.from({ length: SUBS_PER_CONNECTION }, (_, i) => ({ subject: `events.${cid % 97}.t${i}` }));
  }
  const msgs = cid * 3 + tick * (cid % 7);
  return {
    cid,
    kind: 'Client',
    type: 'nats',
    ip: '10.0.0.1',
    port: 30_000 + (cid % 30_000),
    start: '2026-11-22T00:00:00Z',
    last_activity: '2026-11-22T01:00:00Z',
    rtt: `${(0.2 + (cid % 50) / 10).toFixed(3)}ms`,
    uptime: '1h0m0s',
    idle: '0s',
    pending_bytes: 0,
    in_msgs: msgs,
    out_msgs: msgs,
    in_bytes: msgs * 200,
    out_bytes: msgs * 200,
    subscriptions: subs.length,
    name: kind < 6 ? `shop-${cid}` : `worker-${cid}`,
    lang: 'go',
    version: '1.37.0',
    subscriptions_list_detail: subs.map((s, i) => ({ ...s, sid: String(i + 1), msgs: msgs % 1000, cid })),
  };
}

/** Every server's replies: STATSZ-style info, varz, routez, gatewayz and connz pages. */
export function synthesise(tick: number): { servers: RawServerReplies[]; pages: Map<string, string> } {
  const perServer = Math.ceil(CONNECTIONS / SERVERS.length);
  const pages = new Map<string, string>();
  const servers = SERVERS.map((s, si): RawServerReplies => {
    const conns: RawConnection[] = [];
    for (let k = 0; k < perServer && si * perServer + k < CONNECTIONS; k++) conns.push(connection(si * perServer + k + 1, si, tick));
    const connz: RawConnz[] = [];
    for (let off = 0; off < conns.length; off += PAGE) {
      const page: RawConnz = {
        server_id: id(si),
        now: '2026-11-22T01:00:00Z',
        num_connections: Math.min(PAGE, conns.length - off),
        total: conns.length,
        offset: off,
        limit: PAGE,
        connections: conns.slice(off, off + PAGE),
      };
      connz.push(page);
      pages.set(`/${si}/connz?offset=${off}`, JSON.stringify(page));
    }
    const peers = SERVERS.map((p, pi) => ({ p, pi })).filter(({ p, pi }) => p.cluster === s.cluster && pi !== si);
    return {
      info: { name: s.name, id: id(si), cluster: s.cluster, ver: '2.10.22', tags: [`az:${s.zone}`] },
      up: true,
      varz: {
        server_id: id(si),
        server_name: s.name,
        version: '2.10.22',
        connections: conns.length,
        subscriptions: conns.length * SUBS_PER_CONNECTION,
        in_msgs: 1e6 + tick * 1e4,
        out_msgs: 1e6 + tick * 1e4,
      },
      statsz: { routes: peers.map(({ p }, rid) => ({ rid, name: p.name })) },
      routez: {
        routes: peers.map(({ p, pi }, rid) => ({
          rid,
          remote_id: id(pi),
          remote_name: p.name,
          rtt: '0.3ms',
          in_msgs: 1000 + tick,
          out_msgs: 1000 + tick,
        })),
      },
      gatewayz: {
        name: s.cluster,
        outbound_gateways: {
          [s.cluster === 'east' ? 'west' : 'east']: {
            connection: { name: id(s.cluster === 'east' ? 3 : 0), rtt: '30ms', in_msgs: 5000, out_msgs: 5000 + tick },
          },
        },
      },
      connz,
    };
  });
  return { servers, pages };
}

function collection(servers: RawServerReplies[], at: number): RawCollection {
  return { source: 'system', sourceDetail: 'bench', collectedAt: at, servers };
}

async function fetchAndParse(base: string, keys: string[]): Promise<number> {
  const bodies = await Promise.all(keys.map(async (k) => (await fetch(`${base}${k}`)).text()));
  let n = 0;
  for (const b of bodies) n += ((JSON.parse(b) as RawConnz).connections ?? []).length;
  return n;
}

export async function run(): Promise<Figures> {
  const before = synthesise(1);
  const now = synthesise(2);
  const subs = now.servers
    .flatMap((s) => s.connz ?? [])
    .reduce((a, p) => a + (p.connections ?? []).reduce((x, c) => x + (c.subscriptions_list_detail?.length ?? 0), 0), 0);
  const jsonMb = [...now.pages.values()].reduce((a, p) => a + p.length, 0) / 2 ** 20;

  // The raw cost: fetch every connz page over loopback HTTP and parse it.
  const server = createServer((req, res) => {
    const body = now.pages.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = [...now.pages.keys()];
  const fetched = await fetchAndParse(base, keys);
  if (fetched !== CONNECTIONS) throw new Error(`served ${fetched} connections, expected ${CONNECTIONS}`);
  const fetchParseMs = await timeMsAsync(() => fetchAndParse(base, keys).then(() => undefined), 10, 2);
  server.close();

  // Building the snapshot from the parsed replies, against a previous one (rates included).
  const previous = buildSnapshot(collection(before.servers, 0));
  const input = collection(now.servers, 2000);
  const buildMs = timeMs(() => void buildSnapshot(input, previous), 10, 2);
  gc();
  const baseline = heapMb();
  const samples: number[] = [];
  let snapshot = buildSnapshot(input, previous);
  samples.push(heapMb() - baseline);
  gc();
  const retainedMb = heapMb() - baseline;
  const view = snapshotView(snapshot);
  const viewJsonMb = JSON.stringify(view).length / 2 ** 20;
  const pageMs = timeMs(() => void queryConnections(snapshot, { filter: 'shop', sort: 'msgRate', dir: 'desc', limit: 50 }), 10, 2);
  const checks = { connections: snapshot.connections.length, services: snapshot.services.length, queueGroups: snapshot.queueGroups.length };
  snapshot = previous; // let the big one go

  // The same build on replies recorded from a real 2.9.10 supercluster (scripts/record-live-fixtures.ts).
  const real = (
    JSON.parse(readFileSync(new URL('../../packages/core/src/live/fixtures/system-2.9.10.json', import.meta.url), 'utf8')) as {
      polls: RawCollection[];
    }
  ).polls;
  const realPrev = buildSnapshot(real[0] as RawCollection);
  const realBuildMs = timeMs(() => void buildSnapshot(real[1] as RawCollection, realPrev), 50, 5);

  return {
    live_connections: CONNECTIONS,
    live_subscriptions: subs,
    live_connz_json_mb: Number(jsonMb.toFixed(1)),
    live_fetch_parse_ms: Number(fetchParseMs.toFixed(1)),
    live_build_snapshot_ms: Number(buildMs.toFixed(1)),
    live_build_vs_fetch_parse: Number((buildMs / fetchParseMs).toFixed(2)),
    live_build_heap_growth_mb: Number(median(samples).toFixed(1)),
    live_snapshot_retained_mb: Number(retainedMb.toFixed(1)),
    live_streamed_view_json_mb: Number(viewJsonMb.toFixed(2)),
    live_connections_page_ms: Number(pageMs.toFixed(1)),
    live_services_found: checks.services,
    live_queue_groups_found: checks.queueGroups,
    live_real_cluster_build_ms: Number(realBuildMs.toFixed(2)),
    live_target_build_ms: 500,
    live_target_memory_mb: 200,
  };
}
