/**
 * The design overlay: for each designed service, live replicas per zone beside the designed
 * ones, the measured request rate beside the engine's, and measured latency (mean processing
 * time, probe RTT) beside the designed service time and the engine's sojourn.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';
import { computeDrift, type Drift, isReplica } from './drift.ts';
import type { SnapshotLike } from './drift-types.ts';
import { matchServices, zoneMapper } from './match.ts';
import { type JetStreamOverlay, jetStreamOverlay } from './overlay-jetstream.ts';

export interface ZoneReplicas {
  zone: string;
  designed: number;
  live: number;
}

export interface ServiceOverlay {
  service: string;
  bundle: string | null;
  /** The live service it matched, or null when it is not seen. */
  live: string | null;
  kind: 'micro' | 'microbus' | null;
  zones: ZoneReplicas[];
  designedRps: number | null;
  liveRps: number | null;
  designedServiceMs: number;
  /** Mean processing time measured by the service (micro STATS); includes downstream waits. */
  measuredMs: number | null;
  /** The engine's mean sojourn (queue + own time) at the designed load. */
  designedSojournMs: number | null;
  probeP50Ms: number | null;
  probeP95Ms: number | null;
  versions: string[];
  driftCount: number;
}

/** A Microbus event seen live: `sink` subscribes to an endpoint under `source`'s hostname. */
export interface LiveEvent {
  source: string;
  sink: string;
  /** The design has a call source → sink (how a design draws an event). */
  designed: boolean;
}

export interface LiveOverlay {
  services: ServiceOverlay[];
  drift: Drift[];
  /** Zones seen live that the design does not have. */
  extraZones: string[];
  /** Events between designed services, seen as sink subscriptions. */
  events: LiveEvent[];
  /** No server is down: replica counts can be trusted. */
  healthy: boolean;
  /** Designed streams and consumers with their live figures (overlay-jetstream.ts). */
  jetstream: JetStreamOverlay;
}

export function liveOverlay(doc: Topology, snapshot: SnapshotLike, result: SimulationResult | null = null): LiveOverlay {
  const drift = computeDrift(doc, snapshot);
  const { byDesign } = matchServices(doc, snapshot);
  const toDesignZone = zoneMapper(doc);
  const designZones = doc.zones.map((z) => z.name);
  const extraZones = new Set<string>();
  const services = doc.services.map((d): ServiceOverlay => {
    const live = byDesign.get(d.name) ?? null;
    const bundle = doc.bundles.find((b) => b.services.includes(d.name)) ?? null;
    const liveByZone = new Map<string, number>();
    // Counted as drift counts them: subscribers outside the service's queue group are not replicas.
    for (const i of (live?.instances ?? []).filter(isReplica)) {
      const z = i.zone ? toDesignZone(i.zone) : 'unknown zone';
      liveByZone.set(z, (liveByZone.get(z) ?? 0) + 1);
      if (!designZones.includes(z)) extraZones.add(z);
    }
    const zones = [...designZones, ...[...liveByZone.keys()].filter((z) => !designZones.includes(z)).sort()].map((zone) => ({
      zone,
      designed: bundle?.replicas[zone] ?? 0,
      live: liveByZone.get(zone) ?? 0,
    }));
    const r = result?.services[d.name];
    return {
      service: d.name,
      bundle: bundle?.name ?? null,
      live: live?.name ?? null,
      kind: live?.kind ?? null,
      zones: zones.filter((z) => z.designed > 0 || z.live > 0),
      designedRps: r ? r.arrivalRps : null,
      liveRps: live?.requestRate ?? null,
      designedServiceMs: d.serviceTimeMs,
      measuredMs: live?.avgProcessingMs ?? null,
      designedSojournMs: r?.sojournMs?.mean ?? null,
      probeP50Ms: live?.probe?.p50Ms ?? null,
      probeP95Ms: live?.probe?.p95Ms ?? null,
      versions: live?.versions ?? [],
      driftCount: drift.filter((x) => x.service === d.name).length,
    };
  });
  const designName = new Map<string, string>();
  for (const [name, live] of byDesign) if (live) designName.set(live.name, name);
  const events: LiveEvent[] = [];
  for (const d of doc.services) {
    const live = byDesign.get(d.name);
    for (const host of live?.listensTo ?? []) {
      const source = designName.get(host) ?? host;
      const designed = doc.services.some((s) => s.name === source && s.calls.some((c) => c.to === d.name));
      events.push({ source, sink: d.name, designed });
    }
  }
  return {
    services,
    drift,
    extraZones: [...extraZones].sort(),
    events,
    healthy: (snapshot.servers ?? []).every((s) => s.up),
    jetstream: jetStreamOverlay(doc, snapshot, result),
  };
}
