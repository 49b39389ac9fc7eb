/**
 * The physical view's data: zones as lanes, each holding every bundle's replica set there
 * (count, busiest replica, hot replicas), the NATS servers of that zone, database shards,
 * and the service-to-service traffic that crosses zones. Pure: the canvas only draws it.
 *
 * Cross-zone flows follow MODEL.md §2's routing (a caller in zone z reaches the callee's
 * replicas in z when there are any, else in its region, else anywhere; `random` spreads
 * over all; calls inside one bundle stay in the caller's process) applied to the per-replica
 * arrival rates the engine reports, so they agree with the engine's placement.
 */

import { natsServerName } from '../engine/server-names.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

export interface ReplicaSetView {
  bundle: string;
  zone: string;
  count: number;
  services: string[];
  /** The busiest replica of this set over its services (ρ), null without results. */
  maxUtilization: number | null;
  /** Replicas here run well above their service's mean (the engine's `hot` flag): uneven spread or locality. */
  hot: boolean;
  saturated: boolean;
}

export interface ZoneLane {
  name: string;
  region: string;
  failed: boolean;
  replicaSets: ReplicaSetView[];
  natsServers: { cluster: string; server: string; msgsPerSec: number | null; utilization: number | null }[];
}

export interface ZoneFlow {
  from: string;
  to: string;
  rps: number;
}

export interface PhysicalView {
  zones: ZoneLane[];
  databases: { name: string; shards: { name: string; vcpu: number; utilization: number | null; arrivalRps: number | null }[] }[];
  /** Calls per second from replicas in one zone to replicas in another (ingress not counted). */
  flows: ZoneFlow[];
}

export function physicalView(doc: Topology, result: SimulationResult | null, failZones: readonly string[] = []): PhysicalView {
  const failed = new Set(failZones);
  const zones: ZoneLane[] = doc.zones.map((z) => ({
    name: z.name,
    region: z.region,
    failed: failed.has(z.name),
    replicaSets: [],
    natsServers: [],
  }));
  const lane = new Map(zones.map((z) => [z.name, z]));

  for (const b of doc.bundles) {
    for (const [zone, count] of Object.entries(b.replicas)) {
      const l = lane.get(zone);
      if (!l || count <= 0) continue;
      let maxUtilization: number | null = null;
      let hot = false;
      let saturated = false;
      for (const name of b.services) {
        const r = result?.services[name];
        if (!r) continue;
        for (const rep of r.replicasDetail) {
          if (rep.zone !== zone || rep.bundle !== b.name) continue;
          maxUtilization = Math.max(maxUtilization ?? 0, rep.utilization);
          if (rep.utilization >= 1) saturated = true;
          if (rep.hot) hot = true;
        }
      }
      l.replicaSets.push({ bundle: b.name, zone, count, services: b.services, maxUtilization, hot, saturated });
    }
  }

  for (const n of doc.nats) {
    for (const l of zones) {
      if (l.region !== n.region) continue;
      for (let i = 0; i < n.serversPerZone; i++) {
        const server = natsServerName(n.name, l.name, i);
        const b = result?.brokers.find((x) => x.cluster === n.name && x.zone === l.name && x.server === server);
        l.natsServers.push({ cluster: n.name, server, msgsPerSec: b?.msgsPerSec ?? null, utilization: b?.utilization ?? null });
      }
    }
  }

  const databases = doc.databases.map((d) => ({
    name: d.name,
    shards: d.shards.map((s) => {
      const r = result?.databases[d.name]?.shards.find((x) => x.name === s.name);
      return { name: s.name, vcpu: s.vcpu, utilization: r?.utilization ?? null, arrivalRps: r?.arrivalRps ?? null };
    }),
  }));

  return { zones, databases, flows: result ? zoneFlows(doc, result, failed) : [] };
}

function zoneFlows(doc: Topology, result: SimulationResult, failed: Set<string>): ZoneFlow[] {
  const bundleOf = new Map<string, Topology['bundles'][number]>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b);
  const regionOf = new Map(doc.zones.map((z) => [z.name, z.region]));
  const live = (b: Topology['bundles'][number] | undefined) =>
    Object.entries(b?.replicas ?? {}).filter(([z, n]) => n > 0 && !failed.has(z)) as [string, number][];

  const flows = new Map<string, number>();
  for (const svc of doc.services) {
    const r = result.services[svc.name];
    if (!r || r.unavailable) continue;
    const miss = 1 - (r.cacheHitRate ?? 0);
    const fromBundle = bundleOf.get(svc.name);
    // Calls leave from each zone at the rate its replicas of this service receive.
    const outByZone = new Map<string, number>();
    for (const rep of r.replicasDetail) outByZone.set(rep.zone, (outByZone.get(rep.zone) ?? 0) + rep.arrivalRps * miss);
    for (const call of svc.calls) {
      const toBundle = bundleOf.get(call.to);
      if (!toBundle || toBundle === fromBundle) continue;
      const targets = live(toBundle);
      const total = targets.reduce((n, [, k]) => n + k, 0);
      if (total === 0) continue;
      for (const [zone, rate] of outByZone) {
        let pool = targets;
        if (doc.routing === 'locality') {
          const same = targets.filter(([z]) => z === zone);
          const region = targets.filter(([z]) => regionOf.get(z) === regionOf.get(zone));
          pool = same.length ? same : region.length ? region : targets;
        }
        const poolSize = pool.reduce((n, [, k]) => n + k, 0);
        for (const [z, k] of pool) {
          if (z === zone) continue;
          const key = `${zone}\u0000${z}`;
          flows.set(key, (flows.get(key) ?? 0) + (rate * call.perRequest * k) / poolSize);
        }
      }
    }
  }
  return [...flows].map(([key, rps]) => {
    const [from = '', to = ''] = key.split('\u0000');
    return { from, to, rps };
  });
}
