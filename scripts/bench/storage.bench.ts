/**
 * Storage over real HTTP: saves/s and loads/s of a 200-service design with p50/p99 latency,
 * for SQLite and for PostgreSQL. The server runs as its own process (`apps/api/src/main.ts`,
 * as deployed); this process is the client, with keep-alive connections and a few requests in
 * flight, the way several browser tabs and API clients would load a server.
 * Targets (issue 6, on a 2-core machine): ≥ 500 saves/s, ≥ 2,000 loads/s, p99 ≤ 50 ms.
 * Beside throughput: CPU per operation of the server process (all its threads) and of this
 * client, which shares the 2 cores with it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { parseTopology, type TopologyInput } from '@busboard/core';
import { freshDatabase } from '../../apps/api/test/support/postgres.ts';
import { startServerProcess } from '../../apps/api/test/support/process.ts';
import { tempDir } from '../../apps/api/test/support/server.ts';
import { type Figures, median } from './util.ts';

const CONCURRENCY = 4;
/** Each figure is the median of ROUNDS rounds, measured in one run (the machines are shared and noisy). */
const ROUNDS = 3;
const SAVES = 1000;
const LOADS = 4000;

/**
 * A seeded 200-service design: 20 bundles of 10 services over 3 zones, each service calling 1–3
 * services further down (a DAG), two sharded databases, one entry. A local stand-in until core's
 * generator (packages/core/src/generate/) lands in main.
 */
export function design200(seed = 42): TopologyInput {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'].map((name) => ({ name, region: 'us-east-1' }));
  const N = 200;
  const services = Array.from({ length: N }, (_, i) => {
    const calls: { to: string; perRequest: number }[] = [];
    const fanout = i < N - 10 ? 1 + Math.floor(rand() * 3) : 0;
    const targets = new Set<number>();
    for (let k = 0; k < fanout; k++) targets.add(i + 1 + Math.floor(rand() * Math.min(20, N - i - 1)));
    for (const t of targets) calls.push({ to: `svc${t}.bench`, perRequest: Math.round((0.2 + rand()) * 10) / 10 });
    if (i % 25 === 24) calls.push({ to: `db:orders${i % 2}`, perRequest: 1 });
    return { name: `svc${i}.bench`, serviceTimeMs: Math.round((0.5 + rand() * 8) * 100) / 100, serviceTimeCv: 1, workers: 8, calls };
  });
  const bundles = Array.from({ length: 20 }, (_, b) => ({
    name: `bundle${b}`,
    services: services.slice(b * 10, b * 10 + 10).map((x) => x.name),
    replicas: Object.fromEntries(zones.map((z) => [z.name, 2 + Math.floor(rand() * 4)])),
    cpu: 2,
    memoryMiB: 512,
  }));
  const databases = [0, 1].map((d) => ({
    name: `orders${d}`,
    shards: Array.from({ length: 4 }, (_, k) => ({ name: `orders${d}-${k}`, vcpu: 8, maxConnections: 400 })),
    queryTimeMs: 2,
  }));
  const layout = Object.fromEntries(services.map((x, i) => [x.name, { x: (i % 20) * 220, y: Math.floor(i / 20) * 140 }]));
  return {
    schema: 'busboard.topology/v3',
    name: 'Bench 200',
    zones,
    services,
    bundles,
    databases,
    traffic: [{ entry: 'svc0.bench', rps: 500 }],
    layout,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function call(agent: Agent, port: number, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'x-busboard-request': '1', ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `total` operations with `CONCURRENCY` in flight; returns throughput and latencies. */
async function drive(total: number, op: (worker: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (next < total) {
        next++;
        const t = performance.now();
        await op(w);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** CPU time (ms) a process has used, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Medians over `ROUNDS` rounds of throughput, p50 and p99, and the server's CPU time per
 * operation: the figure least disturbed by other jobs on the machine (it bounds one process's
 * throughput at 1000 / cpu ms per second). The client's own CPU per operation says how much of
 * the machine the measurement itself takes.
 */
async function rounds(pid: number, ops: number, once: () => Promise<{ perSecond: number; p50: number; p99: number }>) {
  const all = [];
  const cpu = [];
  const clientCpu = [];
  for (let i = 0; i < ROUNDS; i++) {
    const before = cpuMs(pid);
    const client = process.cpuUsage();
    all.push(await once());
    cpu.push((cpuMs(pid) - before) / ops);
    const used = process.cpuUsage(client);
    clientCpu.push((used.user + used.system) / 1000 / ops);
  }
  return {
    perSecond: median(all.map((r) => r.perSecond)),
    p50: median(all.map((r) => r.p50)),
    p99: median(all.map((r) => r.p99)),
    cpuMs: median(cpu),
    clientCpuMs: median(clientCpu),
  };
}

async function measure(env: Record<string, string>, docJson: string) {
  const server = await startServerProcess({ LOG_LEVEL: 'warn', ...env });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const pid = server.child.pid as number;
  try {
    // One design per worker, so concurrent saves never conflict: each is a new revision.
    const designs: { id: string; revision: number }[] = [];
    for (let w = 0; w < CONCURRENCY; w++) {
      const res = await call(agent, server.port, 'POST', '/trpc/designs.save', `{"name":"bench ${w}","doc":${docJson}}`);
      if (res.status !== 200) throw new Error(`setup save failed: ${res.status} ${res.text}`);
      designs.push(JSON.parse(res.text).result.data);
    }
    const save = async (w: number) => {
      const d = designs[w] as { id: string; revision: number };
      const res = await call(
        agent,
        server.port,
        'POST',
        '/trpc/designs.save',
        `{"id":"${d.id}","name":"bench ${w}","expectedRevision":${d.revision},"doc":${docJson}}`,
      );
      if (res.status !== 200) throw new Error(`save failed: ${res.status} ${res.text.slice(0, 300)}`);
      d.revision = JSON.parse(res.text).result.data.revision;
    };
    await drive(200, save); // warm-up
    const saves = await rounds(pid, SAVES, () => drive(SAVES, save));
    const paths = designs.map((d) => `/trpc/designs.get?input=${encodeURIComponent(JSON.stringify({ id: d.id }))}`);
    const load = async (w: number) => {
      const res = await call(agent, server.port, 'GET', paths[w] as string);
      if (res.status !== 200) throw new Error(`load failed: ${res.status}`);
    };
    await drive(500, load);
    const loads = await rounds(pid, LOADS, () => drive(LOADS, load));
    return { saves, loads };
  } finally {
    agent.destroy();
    await server.kill('SIGTERM');
    rmSync(env.DATA_DIR as string, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figures> {
  const doc = design200();
  const parsed = parseTopology(doc);
  if (!parsed.ok) throw new Error(`the bench design is invalid: ${parsed.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`)}`);
  const docJson = JSON.stringify(doc);
  const figures: Figures = {
    storage_design_services: doc.services?.length ?? 0,
    storage_design_kib: round(docJson.length / 1024),
    storage_concurrency: CONCURRENCY,
    // Other engineers' jobs share these 2 cores: the figures are only comparable at similar load.
    storage_load_average: round(loadavg()[0] ?? 0, 2),
  };

  const record = (backend: string, r: Awaited<ReturnType<typeof measure>>) => {
    figures[`${backend}_saves_per_s`] = Math.round(r.saves.perSecond);
    figures[`${backend}_save_p50_ms`] = round(r.saves.p50, 2);
    figures[`${backend}_save_p99_ms`] = round(r.saves.p99, 2);
    figures[`${backend}_save_server_cpu_ms`] = round(r.saves.cpuMs, 2);
    figures[`${backend}_save_client_cpu_ms`] = round(r.saves.clientCpuMs, 2);
    figures[`${backend}_loads_per_s`] = Math.round(r.loads.perSecond);
    figures[`${backend}_load_p50_ms`] = round(r.loads.p50, 2);
    figures[`${backend}_load_p99_ms`] = round(r.loads.p99, 2);
    figures[`${backend}_load_server_cpu_ms`] = round(r.loads.cpuMs, 2);
    figures[`${backend}_load_client_cpu_ms`] = round(r.loads.clientCpuMs, 2);
  };

  process.stderr.write('bench: storage on SQLite…\n');
  record('sqlite', await measure({ DATA_DIR: tempDir('busboard-bench-') }, docJson));

  process.stderr.write('bench: storage on PostgreSQL…\n');
  const db = await freshDatabase();
  try {
    record('postgres', await measure({ DATA_DIR: tempDir('busboard-bench-'), DATABASE_URL: db.url, BUSBOARD_SECRET: 'b'.repeat(40) }, docJson));
  } finally {
    await db.drop();
  }
  return figures;
}
