/**
 * A rehearsal plan: the design compiled into what the rehearsal starts — NATS servers per zone
 * (one cluster per region, joined by gateways), one emulated process per bundle replica, the
 * database shards and externals the replicas call, and the Poisson sources at each entry.
 *
 * Plain JSON (it is handed to every emulated process). Times here are in design time; the
 * emulator multiplies them by `dilation` (and divides rates by it), so every ρ is unchanged.
 * Cache hits are draws at Che's rate, as in the DES: the rehearsal checks queues, routing and
 * NATS, not Che's approximation.
 */

import { cheHitRate } from '../cache/che.ts';
import { dict } from '../dict.ts';
import { natsServerName, replicaName } from '../engine/server-names.ts';
import { microbusLocality } from '../export/names.ts';
import { createRng } from '../random/rng.ts';
import type { Topology } from '../schema/topology.ts';

/** A Microbus endpoint: port, method, path. */
export interface EndpointAddress {
  port: number;
  method: string;
  /** `/path/to/thing`; `''` or `/` is the root. */
  path: string;
}

export interface RehearsalCall {
  kind: 'service' | 'db' | 'ext';
  /** Service name, database name or external name. */
  target: string;
  /** ⌊perRequest⌋ and the chance of one more. */
  whole: number;
  frac: number;
  /** A call inside the caller's own bundle: in-process (short-circuit), no broker. */
  sameBundle: boolean;
}

/** One step of a request: a single call (with its repetitions, one after another) or a parallel group. */
export interface RehearsalStep {
  parallel: boolean;
  calls: RehearsalCall[];
}

export interface RehearsalService {
  name: string;
  bundle: string;
  workers: number;
  serviceTimeMs: number;
  serviceTimeCv: number;
  /** Che's hit rate for the live replicas (0 without a cache); a hit holds the worker for hitTimeMs and calls nothing. */
  hitRate: number;
  hitTimeMs: number;
  /** The endpoints it serves; calls go to the first. */
  endpoints: EndpointAddress[];
  steps: RehearsalStep[];
}

export interface RehearsalReplica {
  /** The process: a name for logs and reports (its first service's instance id). */
  id: string;
  /** Each service's Microbus instance id in this process (10 lowercase letters and digits). */
  ids: Record<string, string>;
  bundle: string;
  zone: string;
  /** Index within its bundle and zone (as the engine numbers replicas). */
  index: number;
  /** The NATS server it connects to: one of its zone's, round robin. */
  server: string;
}

export interface RehearsalServer {
  name: string;
  cluster: string;
  zone: string;
}

export interface RehearsalPlan {
  design: string;
  /** The Microbus plane (letters and digits). */
  plane: string;
  dilation: number;
  scale: number;
  failedZones: string[];
  routing: 'locality' | 'random';
  network: Topology['network'];
  zones: { name: string; region: string; locality: string; regionLocality: string }[];
  clusters: { name: string; region: string }[];
  servers: RehearsalServer[];
  services: Record<string, RehearsalService>;
  bundles: { name: string; services: string[] }[];
  replicas: RehearsalReplica[];
  databases: Record<string, { queryTimeMs: number; queryTimeCv: number; shards: { name: string; vcpu: number }[] }>;
  externals: Record<string, { latencyMs: number; latencyCv: number }>;
  /** Ingress: requests per second (design time, scale applied) entering each entry in each zone. */
  sources: { entry: string; zone: string; rps: number }[];
}

export interface PlanOptions {
  scale?: number;
  failZones?: readonly string[];
  dilation?: number;
  /** Seeds the replica ids. */
  seed?: number;
  plane?: string;
}

export type PlanResult = { ok: true; plan: RehearsalPlan } | { ok: false; problems: { path: string; message: string }[] };

const DEFAULT_ENDPOINT: EndpointAddress = { port: 443, method: 'POST', path: '/' };

/** A design's endpoint as a Microbus address (`GET:443/items`, `:443/items`, `/items`), or null for a NATS subject. */
export function endpointAddress(endpoint: string): EndpointAddress | null {
  const m = /^([A-Za-z]+)?\s*(?::(\d+))?(\/.*)$/.exec(endpoint.trim());
  if (!m) return null;
  return { method: (m[1] ?? 'POST').toUpperCase(), port: m[2] ? Number(m[2]) : 443, path: m[3] as string };
}

function replicaId(rng: ReturnType<typeof createRng>): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[rng.nextInt(alphabet.length)];
  return id;
}

/** The longest common hyphen-prefix of localities (at least the first part). */
function commonPrefix(localities: string[]): string {
  const split = localities.map((l) => l.split('-'));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, Math.max(1, n)).join('-');
}

function steps(service: Topology['services'][number], bundleOf: Map<string, string>): RehearsalStep[] {
  const out: RehearsalStep[] = [];
  const groups = new Map<string, RehearsalStep>();
  for (const c of service.calls) {
    const kind: RehearsalCall['kind'] = c.to.startsWith('db:') ? 'db' : c.to.startsWith('ext:') ? 'ext' : 'service';
    const target = kind === 'service' ? c.to : c.to.slice(c.to.indexOf(':') + 1);
    const call: RehearsalCall = {
      kind,
      target,
      whole: Math.floor(c.perRequest),
      frac: c.perRequest - Math.floor(c.perRequest),
      sameBundle: kind === 'service' && bundleOf.get(target) === bundleOf.get(service.name),
    };
    if (c.parallelGroup) {
      const g = groups.get(c.parallelGroup);
      if (g) {
        g.calls.push(call);
        continue;
      }
      const step: RehearsalStep = { parallel: true, calls: [call] };
      groups.set(c.parallelGroup, step);
      out.push(step);
    } else out.push({ parallel: false, calls: [call] });
  }
  return out;
}

export function rehearsalPlan(doc: Topology, options: PlanOptions = {}): PlanResult {
  const problems: { path: string; message: string }[] = [];
  const failed = new Set(options.failZones ?? []);
  for (const z of failed) if (!doc.zones.some((d) => d.name === z)) problems.push({ path: 'failZones', message: `no zone "${z}" in the design` });
  const dilation = options.dilation ?? 10;
  if (!(dilation >= 1 && dilation <= 1000)) problems.push({ path: 'dilation', message: `must be between 1 and 1000, got ${dilation}` });
  const scale = options.scale ?? 1;
  if (!(scale > 0)) problems.push({ path: 'scale', message: `must be positive, got ${scale}` });

  const zones = doc.zones.map((z) => ({ name: z.name, region: z.region, locality: microbusLocality(z.name, z.region), regionLocality: '' }));
  for (const z of zones) {
    const same = zones.filter((o) => o.region === z.region).map((o) => o.locality);
    const prefix = commonPrefix(same);
    // A one-zone region: its region level is the locality without its last part.
    z.regionLocality = same.length > 1 || !z.locality.includes('-') ? prefix : z.locality.slice(0, z.locality.lastIndexOf('-'));
  }

  const clusters: RehearsalPlan['clusters'] = [];
  const servers: RehearsalServer[] = [];
  const regions = [...new Set(doc.zones.map((z) => z.region))];
  for (const region of regions) {
    const cluster = doc.nats.find((n) => n.region === region);
    const live = doc.zones.filter((z) => z.region === region && !failed.has(z.name));
    if (!cluster) {
      const zi = doc.zones.findIndex((z) => z.region === region);
      problems.push({ path: `zones[${zi}].region`, message: `region "${region}" has no NATS cluster: add one to nats[] with region "${region}"` });
      continue;
    }
    if (live.length === 0) continue;
    clusters.push({ name: cluster.name, region });
    for (const z of live) {
      for (let i = 0; i < cluster.serversPerZone; i++) {
        servers.push({ name: natsServerName(cluster.name, z.name, i), cluster: cluster.name, zone: z.name });
      }
    }
  }

  const bundleOf = new Map<string, string>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b.name);
  const liveReplicas = (bundle: string) => {
    const b = doc.bundles.find((x) => x.name === bundle);
    let n = 0;
    for (const [zone, count] of Object.entries(b?.replicas ?? {})) if (!failed.has(zone)) n += count;
    return n;
  };

  const services: Record<string, RehearsalService> = dict<RehearsalService>();
  for (const s of doc.services) {
    const bundle = bundleOf.get(s.name) ?? '';
    let hitRate = 0;
    if (s.cache) {
      const n = liveReplicas(bundle);
      const capacity = s.cache.scope === 'perReplica' ? s.cache.entriesPerReplica : s.cache.entriesPerReplica * n;
      hitRate = n > 0 ? cheHitRate(s.cache.keySpace, s.cache.zipf, capacity) : 0;
    }
    const endpoints = (s.endpoints ?? []).map(endpointAddress).filter((e): e is EndpointAddress => e !== null);
    services[s.name] = {
      name: s.name,
      bundle,
      workers: s.workers,
      serviceTimeMs: s.serviceTimeMs,
      serviceTimeCv: s.serviceTimeCv,
      hitRate,
      hitTimeMs: s.cache?.hitTimeMs ?? 0,
      endpoints: endpoints.length ? endpoints : [DEFAULT_ENDPOINT],
      steps: steps(s, bundleOf),
    };
  }

  const rng = createRng(options.seed ?? 1);
  const replicas: RehearsalReplica[] = [];
  const ids = new Set<string>();
  for (const b of doc.bundles) {
    for (const z of doc.zones) {
      if (failed.has(z.name)) continue;
      const zoneServers = servers.filter((s) => s.zone === z.name);
      const count = b.replicas[z.name] ?? 0;
      for (let i = 0; i < count; i++) {
        const server = zoneServers[i % Math.max(1, zoneServers.length)];
        if (!server) continue; // no NATS cluster in the region: reported above
        const instanceIds: Record<string, string> = dict<string>();
        for (const service of b.services) {
          let id = replicaId(rng);
          while (ids.has(id)) id = replicaId(rng);
          ids.add(id);
          instanceIds[service] = id;
        }
        const first = b.services[0];
        replicas.push({
          id: first ? (instanceIds[first] as string) : replicaName(b.name, z.name, i),
          ids: instanceIds,
          bundle: b.name,
          zone: z.name,
          index: i,
          server: server.name,
        });
      }
    }
  }

  const sources: RehearsalPlan['sources'] = [];
  for (const [ti, t] of doc.traffic.entries()) {
    const bundle = doc.bundles.find((b) => b.name === bundleOf.get(t.entry));
    let shares = new Map<string, number>();
    if (t.zones) for (const [zone, share] of Object.entries(t.zones)) if (!failed.has(zone)) shares.set(zone, share);
    if (shares.size === 0) {
      shares = new Map();
      for (const z of doc.zones) if (!failed.has(z.name) && (bundle?.replicas[z.name] ?? 0) > 0) shares.set(z.name, 1);
    }
    const total = [...shares.values()].reduce((a, b) => a + b, 0);
    if (total === 0) {
      problems.push({ path: `traffic[${ti}]`, message: `no live zone can take the traffic to ${t.entry}` });
      continue;
    }
    for (const [zone, share] of shares) {
      if (!servers.some((s) => s.zone === zone)) continue;
      sources.push({ entry: t.entry, zone, rps: (t.rps * scale * share) / total });
    }
  }

  if (problems.length) return { ok: false, problems };
  const plane = options.plane ?? 'rehearsal';
  return {
    ok: true,
    plan: {
      design: doc.name,
      plane,
      dilation,
      scale,
      failedZones: [...failed],
      routing: doc.routing,
      network: doc.network,
      zones,
      clusters,
      servers,
      services,
      bundles: doc.bundles.map((b) => ({ name: b.name, services: b.services })),
      replicas,
      databases: Object.fromEntries(
        doc.databases.map((d) => [
          d.name,
          { queryTimeMs: d.queryTimeMs, queryTimeCv: d.queryTimeCv, shards: d.shards.map((s) => ({ name: s.name, vcpu: s.vcpu })) },
        ]),
      ),
      externals: Object.fromEntries(doc.externals.map((e) => [e.name, { latencyMs: e.latencyMs, latencyCv: e.latencyCv }])),
      sources,
    },
  };
}
