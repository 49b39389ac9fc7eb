/**
 * The plan's traffic (plan.ts): what a call costs between two zones, and the ingress streams
 * per entry and zone.
 */
import { at, lookup } from '../checked.ts';
import { dict } from '../dict.ts';
import type { Topology } from '../schema/topology.ts';
import { CROSS_REGION, CROSS_ZONE, type IngressTable, type NetworkTable, SAME_ZONE, type ServiceTable, type ZoneTable } from './plan-types.ts';

export function networkOf(doc: Topology, zones: ZoneTable): NetworkTable {
  const { nZones, zoneRegion } = zones;
  const net = doc.network;
  const zoneDelay = new Float64Array(nZones * nZones);
  const zoneCross = new Int32Array(nZones * nZones);
  for (let a = 0; a < nZones; a++)
    for (let b = 0; b < nZones; b++) {
      const cross = a === b ? SAME_ZONE : zoneRegion[a] === zoneRegion[b] ? CROSS_ZONE : CROSS_REGION;
      zoneCross[a * nZones + b] = cross;
      zoneDelay[a * nZones + b] = net.natsHopMs + (cross === CROSS_ZONE ? net.crossZoneMs : cross === CROSS_REGION ? net.crossRegionMs : 0);
    }
  return { zoneDelay, zoneCross, shortCircuitMs: net.shortCircuitMs, dbCallMs: net.dbCallMs };
}

/**
 * Ingress: per traffic item, shares over zones (default: even over the zones where the entry's
 * bundle has replicas); a failed zone's share moves to the survivors in proportion.
 */
export function ingressOf(doc: Topology, zones: ZoneTable, services: ServiceTable, scale: number) {
  const { zoneNames, failed } = zones;
  const zoneIdx = new Map(zoneNames.map((z, i) => [z, i]));
  const entryNames: string[] = [];
  const entryOf = new Map<string, number>();
  const entryRps: number[] = [];
  const srcEntry: number[] = [];
  const srcItem: number[] = [];
  const srcZone: number[] = [];
  const srcRate: number[] = [];
  const srcBudget: number[] = [];
  const srcRetry: Record<'retries' | 'backoff' | 'mult', number[]> = { retries: [], backoff: [], mult: [] };
  for (const [ti, t] of doc.traffic.entries()) {
    let e = entryOf.get(t.entry);
    if (e === undefined) {
      e = entryNames.length;
      entryOf.set(t.entry, e);
      entryNames.push(t.entry);
      entryRps.push(0);
    }
    entryRps[e] = at(entryRps, e) + t.rps * scale;
    const bundle = doc.bundles[at(services.svcBundle, lookup(services.serviceIndex, t.entry))];
    const hasReplicas = (zi: number) => (bundle?.replicas[at(zoneNames, zi)] ?? 0) > 0;
    const even = (keep: (zi: number) => boolean) => zoneNames.flatMap((_, zi) => (keep(zi) ? [[zi, 1] as [number, number]] : []));
    let shares: [number, number][] = t.zones ? Object.entries(t.zones).map(([z, w]) => [lookup(zoneIdx, z), w]) : even(hasReplicas);
    shares = shares.filter(([z]) => !failed[z]);
    if (!shares.length) {
      const live = even((zi) => !failed[zi] && hasReplicas(zi));
      shares = live.length ? live : even((zi) => !failed[zi]);
    }
    const total = shares.reduce((n, [, w]) => n + w, 0);
    for (const [z, w] of shares) {
      srcEntry.push(e);
      srcItem.push(ti);
      srcZone.push(z);
      srcRate.push((t.rps * scale * w) / total / 1000);
      srcBudget.push(t.timeBudgetMs ?? Number.POSITIVE_INFINITY);
      srcRetry.retries.push(t.retries ?? 0);
      srcRetry.backoff.push(t.backoffMs ?? 0);
      srcRetry.mult.push(t.backoffMultiplier ?? 2);
    }
  }
  const ingressRate = srcRate.reduce((a, b) => a + b, 0);
  const srcCum = new Float64Array(srcRate.length);
  let cum = 0;
  srcRate.forEach((r, i) => {
    cum += r / ingressRate;
    srcCum[i] = cum;
  });
  if (srcCum.length) srcCum[srcCum.length - 1] = 1;
  const entryZoneRps = entryNames.map((_, e) => {
    const rps: Record<string, number> = dict<number>();
    srcRate.forEach((r, i) => {
      if (srcEntry[i] !== e) return;
      const z = at(zoneNames, at(srcZone, i));
      rps[z] = (rps[z] ?? 0) + r * 1000;
    });
    return rps;
  });
  const ingress: IngressTable = {
    srcEntry: Int32Array.from(srcEntry),
    srcItem: Int32Array.from(srcItem),
    srcZone: Int32Array.from(srcZone),
    srcCum,
    srcBudget: Float64Array.from(srcBudget),
    ingressRate,
    entryNames,
    entryService: Int32Array.from(entryNames, (n) => lookup(services.serviceIndex, n)),
    entryRps: Float64Array.from(entryRps),
    entryZoneRps,
    srcRetries: Int32Array.from(srcRetry.retries),
    srcBackoff: Float64Array.from(srcRetry.backoff),
    srcBackoffMult: Float64Array.from(srcRetry.mult),
  };
  return { ingress, srcRate };
}
