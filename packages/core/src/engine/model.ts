/**
 * The document compiled for the engine: names resolved to indices, steps grouped, zones and
 * regions numbered. Compiling once lets the recommendation evaluate many replica counts
 * without re-reading the document.
 */
import type { Topology } from '../schema/topology.ts';
import { type AsyncModel, compileAsync } from './async-model.ts';
import { type RetryPolicy, retryPolicy } from './retry-policy.ts';

export const CALL_SERVICE = 0;
export const CALL_DB = 1;
export const CALL_EXT = 2;

export interface CallModel {
  kind: typeof CALL_SERVICE | typeof CALL_DB | typeof CALL_EXT;
  /** Index into services, databases or externals by kind. */
  target: number;
  perRequest: number;
  /** A call between two services of one bundle stays in the caller's process. */
  shortCircuit: boolean;
  /** Position in the document (`services[i].calls[j]`). */
  docIndex: number;
  /** Schema v2 retries of a failed attempt (engine/retries.ts); null: none. */
  retry: RetryPolicy | null;
}

/** One step of a handler: one call, or a parallel group (the caller waits for its slowest member). */
export interface StepModel {
  parallel: boolean;
  calls: CallModel[];
}

export interface ServiceModel {
  name: string;
  index: number;
  bundle: number;
  serviceTimeMs: number;
  serviceTimeCv: number;
  workers: number;
  cache: Topology['services'][number]['cache'] | null;
  /** Schema v2: requests that may wait at one replica beyond its workers; null = unbounded. */
  queueLimit: number | null;
  /** The status its rejections carry (429 or 503). */
  rejectWith: 429 | 503;
  /** Schema v2 time budgets: what its in-service work does at the deadline (engine/budget.ts). */
  onTimeout: 'finish' | 'stop';
  /** Schema v2: requests one replica holds at once, admission to response (inflight.ts); null = no cap. */
  maxInFlight: number | null;
  /** Schema v2 `routing: least-connections`: callers join the replica with the fewest in flight. */
  leastConnections: boolean;
  calls: CallModel[];
  steps: StepModel[];
}

export interface BundleModel {
  name: string;
  index: number;
  services: number[];
  /** Replica count per zone index, as the document gives it. */
  replicas: Int32Array;
  cpu: number;
  /** Databases some service of this bundle calls (for the connection budget). */
  databases: number[];
}

export interface ShardModel {
  name: string;
  vcpu: number;
  maxConnections: number;
}

export interface DatabaseModel {
  name: string;
  shards: ShardModel[];
  totalVcpu: number;
  queryTimeMs: number;
  queryTimeCv: number;
  poolPerReplica: number;
}

export interface TrafficModel {
  entry: number;
  rps: number;
  /** Explicit zone shares (normalized), or null for the default even spread. */
  shares: Float64Array | null;
  /** Schema v2: the time budget these requests carry from the ingress (ms), or null for none. */
  timeBudgetMs: number | null;
  /** Schema v2: the clients' retries of a rejected request; null: none. */
  retry: RetryPolicy | null;
  /** Position in the document (`traffic[i]`). */
  docIndex: number;
}

export interface NatsModel {
  name: string;
  index: number;
  serversPerZone: number;
  maxMsgsPerSecPerServer: number;
}

export interface Model {
  doc: Topology;
  zones: string[];
  zoneIndex: Map<string, number>;
  /** Region index of each zone. */
  zoneRegion: Int32Array;
  regions: string[];
  services: ServiceModel[];
  serviceIndex: Map<string, number>;
  bundles: BundleModel[];
  databases: DatabaseModel[];
  externals: { name: string; latencyMs: number; latencyCv: number }[];
  traffic: TrafficModel[];
  /** Entry services in the order they first appear in `traffic`. */
  entries: number[];
  /** Services in an order where every caller comes before its callees. */
  topo: Int32Array;
  /** The NATS cluster serving each region (the first listed for it), or null. */
  regionNats: (NatsModel | null)[];
  /** Some call or traffic item retries (schema v2): placement solves the load ↔ rejection fixed point. */
  hasRetries: boolean;
  /** Schema v3 async messaging (async-model.ts); null when the document has none. */
  async: AsyncModel | null;
}

export function compile(doc: Topology): Model {
  const zones = doc.zones.map((z) => z.name);
  const zoneIndex = new Map(zones.map((z, i) => [z, i]));
  const regions: string[] = [];
  const zoneRegion = new Int32Array(zones.length);
  doc.zones.forEach((z, i) => {
    let r = regions.indexOf(z.region);
    if (r < 0) r = regions.push(z.region) - 1;
    zoneRegion[i] = r;
  });
  const serviceIndex = new Map(doc.services.map((s, i) => [s.name, i]));
  const dbIndex = new Map(doc.databases.map((d, i) => [d.name, i]));
  const extIndex = new Map(doc.externals.map((e, i) => [e.name, i]));
  const bundleOf = new Int32Array(doc.services.length).fill(-1);
  doc.bundles.forEach((b, bi) => {
    for (const s of b.services) {
      const si = serviceIndex.get(s);
      if (si !== undefined && bundleOf[si] === -1) bundleOf[si] = bi;
    }
  });

  const services: ServiceModel[] = doc.services.map((s, i) => {
    const calls: CallModel[] = [];
    const byDocIndex: (CallModel | undefined)[] = new Array(s.calls.length);
    s.calls.forEach((c, j) => {
      let call: CallModel | null = null;
      if (c.to.startsWith('db:')) {
        const t = dbIndex.get(c.to.slice(3));
        if (t !== undefined) call = { kind: CALL_DB, target: t, perRequest: c.perRequest, shortCircuit: false, docIndex: j, retry: null };
      } else if (c.to.startsWith('ext:')) {
        const t = extIndex.get(c.to.slice(4));
        if (t !== undefined) call = { kind: CALL_EXT, target: t, perRequest: c.perRequest, shortCircuit: false, docIndex: j, retry: null };
      } else {
        const t = serviceIndex.get(c.to);
        if (t !== undefined)
          call = {
            kind: CALL_SERVICE,
            target: t,
            perRequest: c.perRequest,
            shortCircuit: bundleOf[t] === bundleOf[i],
            docIndex: j,
            retry: retryPolicy(c),
          };
      }
      if (call) {
        calls.push(call);
        byDocIndex[j] = call;
      }
    });
    // Steps in document order; a parallel group stands where its first member stands.
    const steps: StepModel[] = [];
    const groups = new Map<string, StepModel>();
    s.calls.forEach((c, j) => {
      const call = byDocIndex[j];
      if (!call) return;
      if (c.parallelGroup) {
        const g = groups.get(c.parallelGroup);
        if (g) g.calls.push(call);
        else {
          const step = { parallel: true, calls: [call] };
          groups.set(c.parallelGroup, step);
          steps.push(step);
        }
      } else steps.push({ parallel: false, calls: [call] });
    });
    return {
      name: s.name,
      index: i,
      bundle: bundleOf[i] as number,
      serviceTimeMs: s.serviceTimeMs,
      serviceTimeCv: s.serviceTimeCv,
      workers: s.workers,
      cache: s.cache ?? null,
      queueLimit: s.queueLimit ?? null,
      rejectWith: s.rejectWith ?? 429,
      onTimeout: s.onTimeout ?? 'finish',
      maxInFlight: s.maxInFlight ?? null,
      leastConnections: s.routing === 'least-connections',
      calls,
      steps,
    };
  });

  const bundles: BundleModel[] = doc.bundles.map((b, bi) => {
    const replicas = new Int32Array(zones.length);
    for (const [z, n] of Object.entries(b.replicas)) {
      const zi = zoneIndex.get(z);
      if (zi !== undefined) replicas[zi] = n;
    }
    const members = b.services.map((s) => serviceIndex.get(s)).filter((s): s is number => s !== undefined && bundleOf[s] === bi);
    const dbs = new Set<number>();
    for (const s of members) for (const c of services[s]?.calls ?? []) if (c.kind === CALL_DB) dbs.add(c.target);
    return { name: b.name, index: bi, services: members, replicas, cpu: b.cpu, databases: [...dbs].sort((x, y) => x - y) };
  });

  const databases: DatabaseModel[] = doc.databases.map((d) => ({
    name: d.name,
    shards: d.shards.map((s) => ({ name: s.name, vcpu: s.vcpu, maxConnections: s.maxConnections })),
    totalVcpu: d.shards.reduce((n, s) => n + s.vcpu, 0),
    queryTimeMs: d.queryTimeMs,
    queryTimeCv: d.queryTimeCv,
    poolPerReplica: d.poolPerReplica,
  }));

  const traffic: TrafficModel[] = [];
  const entries: number[] = [];
  for (const [ti, t] of doc.traffic.entries()) {
    const entry = serviceIndex.get(t.entry);
    if (entry === undefined) continue;
    let shares: Float64Array | null = null;
    if (t.zones && Object.keys(t.zones).length > 0) {
      shares = new Float64Array(zones.length);
      let total = 0;
      for (const [z, w] of Object.entries(t.zones)) {
        const zi = zoneIndex.get(z);
        if (zi === undefined) continue;
        shares[zi] = (shares[zi] as number) + w;
        total += w;
      }
      for (let z = 0; z < zones.length; z++) shares[z] = (shares[z] as number) / total;
    }
    traffic.push({ entry, rps: t.rps, shares, timeBudgetMs: t.timeBudgetMs ?? null, retry: retryPolicy(t), docIndex: ti });
    if (!entries.includes(entry)) entries.push(entry);
  }

  const regionNats = regions.map((r) => {
    const i = doc.nats.findIndex((n) => n.region === r);
    const n = doc.nats[i];
    return n ? { name: n.name, index: i, serversPerZone: n.serversPerZone, maxMsgsPerSecPerServer: n.maxMsgsPerSecPerServer } : null;
  });

  return {
    doc,
    zones,
    zoneIndex,
    zoneRegion,
    regions,
    services,
    serviceIndex,
    bundles,
    databases,
    externals: doc.externals.map((e) => ({ name: e.name, latencyMs: e.latencyMs, latencyCv: e.latencyCv })),
    traffic,
    entries,
    topo: topologicalOrder(services),
    regionNats,
    hasRetries: traffic.some((t) => t.retry) || services.some((s) => s.calls.some((c) => c.retry)),
    async: compileAsync(doc, serviceIndex, zoneIndex),
  };
}

function topologicalOrder(services: ServiceModel[]): Int32Array {
  const indegree = new Int32Array(services.length);
  for (const s of services) for (const c of s.calls) if (c.kind === CALL_SERVICE) indegree[c.target] = (indegree[c.target] as number) + 1;
  const order = new Int32Array(services.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < services.length; i++) if (indegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const s = services[order[head++] as number] as ServiceModel;
    for (const c of s.calls) {
      if (c.kind !== CALL_SERVICE) continue;
      const d = (indegree[c.target] as number) - 1;
      indegree[c.target] = d;
      if (d === 0) order[tail++] = c.target;
    }
  }
  // A cycle cannot pass validation; if one slips through, its services are simply left out.
  return order.subarray(0, tail);
}
