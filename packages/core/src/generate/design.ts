/**
 * A seeded generator of large, plausible designs for the engine's benchmark and property
 * tests: `generateDesign({ services: 1000, seed: 1 })`.
 *
 * Shape (issue 3): 3 zones of one region; bundles of 1–4 services; calls form a layered DAG
 * of depth ≤ 6 with fan-out ≤ 4 (some calls fractional, some in parallel groups, some to a
 * database or an external at the leaves); a tenth of the services cached. Replicas are sized
 * from the forced-flow load so the busiest replicas sit around ρ 0.3–0.6, mostly spread
 * evenly, a fifth of the bundles unevenly. The same seed always gives the same design.
 */
import { createRng, type Rng } from '../random/rng.ts';
import type { TopologyInput } from '../schema/topology.ts';

export interface GenerateOptions {
  services: number;
  seed?: number;
  /** Deepest call chain (edges), default 6. */
  depth?: number;
  /** Most calls per service, default 4. */
  fanOut?: number;
}

type ServiceIn = NonNullable<TopologyInput['services']>[number];
type CallIn = NonNullable<ServiceIn['calls']>[number];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)] as T;
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function generateDesign(opts: GenerateOptions): TopologyInput {
  const n = Math.max(2, Math.floor(opts.services));
  const depth = opts.depth ?? 6;
  const fanOut = opts.fanOut ?? 4;
  const rng = createRng(opts.seed ?? 1);
  const zones = ['gen-1a', 'gen-1b', 'gen-1c'];

  // Levels 0..depth: entries at level 0 (about 4 %), the rest spread with more at the bottom.
  const level: number[] = [];
  const entries = Math.max(1, Math.round(n * 0.04));
  for (let i = 0; i < n; i++) level.push(i < entries ? 0 : 1 + Math.min(depth - 1, Math.floor(depth * Math.sqrt(rng.next()))));
  const byLevel: number[][] = Array.from({ length: depth + 1 }, () => []);
  level.forEach((l, i) => {
    byLevel[l]?.push(i);
  });
  const names = level.map((l, i) => `s${i}.l${l}.gen`);

  const databases = Array.from({ length: Math.max(1, Math.round(n / 100)) }, (_, d) => ({
    name: `db${d}`,
    shards: Array.from({ length: 2 + rng.nextInt(4) }, (_, j) => ({ name: `db${d}-${j}`, vcpu: 4, maxConnections: 2000 })),
    queryTimeMs: round(between(rng, 0.5, 3)),
    queryTimeCv: 1,
    poolPerReplica: 4,
  }));
  const externals = Array.from({ length: Math.max(1, Math.round(n / 200)) }, (_, e) => ({
    name: `ext${e}`,
    latencyMs: round(between(rng, 5, 40)),
    latencyCv: 0.5,
  }));

  const services: ServiceIn[] = names.map((name, i) => {
    const l = level[i] as number;
    const calls: CallIn[] = [];
    const deeper = byLevel.slice(l + 1).flat();
    const next = byLevel[l + 1] ?? [];
    if (deeper.length > 0) {
      const k = 1 + rng.nextInt(fanOut);
      const used = new Set<number>();
      for (let j = 0; j < k; j++) {
        // Mostly the next level down, sometimes deeper: the longest chain stays ≤ depth.
        const pool = next.length > 0 && rng.next() < 0.7 ? next : deeper;
        const t = pick(rng, pool);
        if (used.has(t)) continue;
        used.add(t);
        calls.push({ to: names[t] as string, perRequest: pick(rng, [1, 1, 1, 0.5, 2, 0.3]) });
      }
      if (calls.length >= 2 && rng.next() < 0.4) {
        const g = `g${i}`;
        for (const c of calls.slice(0, 2 + rng.nextInt(calls.length - 1))) c.parallelGroup = g;
      }
    }
    if (rng.next() < (deeper.length === 0 ? 0.5 : 0.1)) calls.push({ to: `db:${pick(rng, databases).name}`, perRequest: pick(rng, [1, 1, 2]) });
    if (rng.next() < 0.03) calls.push({ to: `ext:${pick(rng, externals).name}`, perRequest: 1 });
    const svc: ServiceIn = {
      name,
      serviceTimeMs: round(Math.exp(between(rng, Math.log(0.5), Math.log(12))), 3),
      serviceTimeCv: pick(rng, [1, 1, 1, 0.5, 1.5]),
      workers: pick(rng, [2, 4, 4, 8]),
      calls,
    };
    if (rng.next() < 0.1) {
      svc.cache = {
        scope: rng.next() < 0.7 ? 'distributed' : 'perReplica',
        entriesPerReplica: pick(rng, [1000, 5000, 20_000]),
        keySpace: pick(rng, [50_000, 200_000, 1_000_000]),
        zipf: round(between(rng, 0.6, 1.1)),
        hitTimeMs: round(between(rng, 0.1, 0.5), 3),
      };
    }
    return svc;
  });

  // Forced-flow load (ignoring cache hits: replicas sized for the misses' worst case).
  const rps = new Float64Array(n);
  const traffic = byLevel[0]?.map((i) => ({ entry: names[i] as string, rps: round(between(rng, 50, 400), 0) })) ?? [];
  traffic.forEach((t, k) => {
    rps[byLevel[0]?.[k] as number] = t.rps;
  });
  const index = new Map(names.map((nm, i) => [nm, i]));
  const dbRps = new Float64Array(databases.length);
  for (let l = 0; l <= depth; l++) {
    for (const i of byLevel[l] ?? []) {
      for (const c of services[i]?.calls ?? []) {
        const r = (rps[i] as number) * (c.perRequest ?? 1);
        const t = index.get(c.to);
        if (t !== undefined) rps[t] = (rps[t] as number) + r;
        else if (c.to.startsWith('db:')) {
          const d = Number(c.to.slice('db:db'.length));
          dbRps[d] = (dbRps[d] as number) + r;
        }
      }
    }
  }
  // Shards sized like the replicas: near ρ 0.45 at the forced-flow load.
  databases.forEach((db, d) => {
    const perShard = (dbRps[d] as number) / db.shards.length;
    const vcpu = Math.max(2, Math.ceil((perShard * db.queryTimeMs) / 1000 / between(rng, 0.35, 0.55)));
    for (const sh of db.shards) sh.vcpu = vcpu;
  });

  // Bundles of 1–4 services, sized so the busiest service sits near ρ 0.45 per replica.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const bundles: NonNullable<TopologyInput['bundles']> = [];
  for (let at = 0; at < n; ) {
    const size = Math.min(n - at, 1 + rng.nextInt(4));
    const members = order.slice(at, at + size);
    at += size;
    let perZone = 1;
    for (const i of members) {
      const s = services[i] as ServiceIn;
      const work = ((rps[i] as number) / zones.length) * ((s.serviceTimeMs as number) / 1000);
      perZone = Math.max(perZone, Math.ceil(work / ((s.workers ?? 1) * between(rng, 0.35, 0.55))));
    }
    const replicas: Record<string, number> = Object.fromEntries(zones.map((z) => [z, perZone]));
    if (rng.next() < 0.2) replicas[pick(rng, zones)] = perZone + 1;
    const cpu = members.reduce((c, i) => c + (services[i]?.workers ?? 1), 0) / 4;
    bundles.push({
      name: `b${bundles.length}`,
      services: members.map((i) => names[i] as string),
      replicas,
      cpu: Math.max(0.5, round(cpu, 1)),
      memoryMiB: 256,
    });
  }

  return {
    schema: 'busboard.topology/v3',
    name: `generated ${n} services (seed ${opts.seed ?? 1})`,
    zones: zones.map((name) => ({ name, region: 'gen-1' })),
    routing: 'locality',
    nats: [{ name: 'nats', region: 'gen-1', serversPerZone: 3, maxMsgsPerSecPerServer: 2_000_000 }],
    services,
    externals,
    bundles,
    databases,
    traffic,
    slo: traffic.slice(0, 5).map((t) => ({ entry: t.entry, p99Ms: 2000 })),
  };
}
