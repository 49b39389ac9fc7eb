/**
 * The NATS side of the plan: one cluster per region (the design's, or one made up where a
 * region has none), and within it one group of servers per zone. A zone's servers are their
 * own StatefulSet behind their own client Service, so a bundle replica pinned to a zone
 * connects to a server of that zone, as the engine assumes (MODEL.md §2: a call passes the
 * caller's server and the callee's server).
 */
import type { Warning } from '../engine/types.ts';
import type { NatsClusterT, Topology } from '../schema/topology.ts';
import { type JetStreamPlan, planJetStream, type StoreServer, type StreamFigures } from './jetstream.ts';
import { type Namer, sanitize } from './names.ts';

export interface NatsZonePlan {
  zone: string;
  /** The StatefulSet and its client Service (`nats-us-east-1a`), a DNS-1035 label. */
  name: string;
  servers: number;
}

export interface NatsPlan {
  cluster: NatsClusterT;
  /** DNS-1035 name of the client Service (`nats`); the headless Service adds `-headless`. */
  name: string;
  region: string;
  zones: string[];
  /** One group of servers per zone; empty when the cluster's region has no zone. */
  zoneSets: NatsZonePlan[];
  servers: number;
  /** True when the design named no cluster for this region and the export made one up. */
  synthesized: boolean;
  /** JetStream on this cluster's servers: null when the design puts no stream on it (JetStream stays off). */
  jetstream: JetStreamPlan | null;
}

export function planNats(doc: Topology, services: Namer, warnings: Warning[]): NatsPlan[] {
  const regions = [...new Set(doc.zones.map((z) => z.region))];
  const clusters: { cluster: NatsClusterT; synthesized: boolean }[] = doc.nats.map((cluster) => ({ cluster, synthesized: false }));
  for (const region of regions) {
    if (clusters.some((c) => c.cluster.region === region)) continue;
    const name = regions.length > 1 ? `nats-${sanitize(region) || 'region'}` : 'nats';
    clusters.push({ cluster: { name, region, serversPerZone: 1, maxMsgsPerSecPerServer: 1_000_000 }, synthesized: true });
    warnings.push({
      code: 'no-nats',
      path: 'nats',
      message: `the design has no NATS cluster in region ${region}; exported "${name}" with one server per zone`,
    });
  }
  const named = clusters.map(({ cluster, synthesized }, i) => {
    const zones = doc.zones.filter((z) => z.region === cluster.region).map((z) => z.name);
    if (!zones.length && !synthesized)
      warnings.push({
        code: 'nats-region',
        path: `nats[${i}].region`,
        message: `NATS cluster ${cluster.name} is in region ${cluster.region}, where the design has no zone; exported ${cluster.serversPerZone} server${cluster.serversPerZone === 1 ? '' : 's'} without zone placement`,
      });
    return { cluster, synthesized, zones, name: services.name('nats', cluster.name) };
  });
  // Zone groups are named after every cluster, so a cluster keeps its plain name whatever the zones are called.
  return named.map(({ cluster, synthesized, zones, name }) => ({
    cluster,
    name,
    region: cluster.region,
    zones,
    zoneSets: zones.map((zone) => ({ zone, name: services.name('nats-zone', name, zone), servers: cluster.serversPerZone })),
    servers: cluster.serversPerZone * Math.max(1, zones.length),
    synthesized,
    jetstream: null,
  }));
}

/**
 * The cluster's servers as the Kubernetes export names its pods (`<zone set>-<i>`), listed
 * first server of every zone, then the second…, the order replicas are spread over.
 */
export function storeServers(n: NatsPlan): StoreServer[] {
  if (!n.zoneSets.length) return Array.from({ length: n.servers }, (_, i) => ({ name: `${n.name}-${i}`, zone: null }));
  const out: StoreServer[] = [];
  const most = Math.max(...n.zoneSets.map((z) => z.servers));
  for (let i = 0; i < most; i++) for (const z of n.zoneSets) if (i < z.servers) out.push({ name: `${z.name}-${i}`, zone: z.zone });
  return out;
}

/** Each cluster's JetStream plan from the design's streams (`cluster` absent: the first cluster). */
export function attachJetStream(
  doc: Topology,
  nats: NatsPlan[],
  figures: Readonly<Record<string, StreamFigures | undefined>>,
  warnings: Warning[],
): void {
  const streams = (doc.streams ?? []).map((stream, index) => ({ stream, index }));
  for (const [i, n] of nats.entries()) {
    const mine = streams.filter(({ stream }) => (stream.cluster === undefined ? i === 0 : stream.cluster === n.cluster.name));
    n.jetstream = planJetStream(mine, storeServers(n), figures, warnings);
  }
}
