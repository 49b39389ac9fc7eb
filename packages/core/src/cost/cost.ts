/**
 * A design's cost per month (issue 20): each bundle's replicas (vCPU and memory), the NATS
 * servers, database shards where priced, JetStream storage, and the bytes that cross zones and
 * regions (calls, stream replication and delivery, core-NATS event copies) — from the document and one engine result, with every line's formula and inputs.
 * The README's "Cost" section states the formulas.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { CostPresetName } from '../schema/cost.ts';
import type { Topology } from '../schema/topology.ts';
import type { TimelineResult } from '../timeline/types.ts';
import { BYTES_PER_GB, HOURS_PER_MONTH } from './presets.ts';
import { figure, money, pricesOf } from './prices.ts';
import type { CostBreakdown, CostLine, CostOverTime, CostTotals, ResolvedPrices } from './types.ts';

export interface CostOptions {
  /** Cost with this preset in place of the document's `cost.preset` (its own figures still win). */
  preset?: CostPresetName;
  /** A timeline of the design: bundles' compute is also priced by its replica-hours (`overTime`). */
  timeline?: TimelineResult;
}

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** What one replica of a bundle costs an hour, and the words for it. */
function replicaHour(cpu: number, memoryMiB: number, p: ResolvedPrices): { perHour: number; words: string } {
  const gib = memoryMiB / 1024;
  const u = (x: number) => `${money(x, p.currency, true)}/h`;
  return {
    perHour: cpu * p.vcpuHour + gib * p.gibHour,
    words: `(${figure(cpu)} vCPU × ${u(p.vcpuHour)} + ${figure(gib)} GiB × ${u(p.gibHour)})`,
  };
}

/** One replica of `cpu` vCPU and `memoryMiB` for a month at these prices (what a bundle line multiplies by its replicas). */
export function replicaMonthly(cpu: number, memoryMiB: number, p: ResolvedPrices): number {
  return replicaHour(cpu, memoryMiB, p).perHour * HOURS_PER_MONTH;
}

function bundleLines(doc: Topology, p: ResolvedPrices): CostLine[] {
  return doc.bundles.map((b, i) => {
    const replicas = Object.values(b.replicas).reduce((s, n) => s + n, 0);
    const r = replicaHour(b.cpu, b.memoryMiB, p);
    return {
      kind: 'bundle',
      name: b.name,
      path: `bundles[${i}]`,
      monthly: replicas * r.perHour * HOURS_PER_MONTH,
      formula: `${replicas} ${replicas === 1 ? 'replica' : 'replicas'} × ${r.words} × ${HOURS_PER_MONTH} h`,
      inputs: { replicas, cpu: b.cpu, memoryMiB: b.memoryMiB, vcpuHour: p.vcpuHour, gibHour: p.gibHour, hours: HOURS_PER_MONTH },
      ...(b.autoscale
        ? {
            note: `autoscaled (${b.autoscale.min}–${b.autoscale.max} per zone): priced at the document's replicas; a timeline prices its replica-hours`,
          }
        : {}),
    };
  });
}

function natsLines(doc: Topology, p: ResolvedPrices): CostLine[] {
  return doc.nats.map((c, i) => {
    const zones = doc.zones.filter((z) => z.region === c.region).length;
    const servers = c.serversPerZone * zones;
    return {
      kind: 'nats',
      name: c.name,
      path: `nats[${i}]`,
      monthly: servers * p.natsServerHour * HOURS_PER_MONTH,
      formula: `${c.serversPerZone} ${c.serversPerZone === 1 ? 'server' : 'servers'} per zone × ${zones} ${zones === 1 ? 'zone' : 'zones'} × ${money(p.natsServerHour, p.currency, true)}/h × ${HOURS_PER_MONTH} h`,
      inputs: { serversPerZone: c.serversPerZone, zones, natsServerHour: p.natsServerHour, hours: HOURS_PER_MONTH },
    };
  });
}

function databaseLines(doc: Topology, p: ResolvedPrices): CostLine[] {
  return doc.databases.map((d, i) => {
    const vcpu = d.shards.reduce((s, sh) => s + sh.vcpu, 0);
    const priced = p.dbVcpuHour !== null;
    return {
      kind: 'database',
      name: d.name,
      path: `databases[${i}]`,
      monthly: priced ? vcpu * (p.dbVcpuHour as number) * HOURS_PER_MONTH : 0,
      formula: priced ? `${vcpu} shard vCPU × ${money(p.dbVcpuHour as number, p.currency, true)}/h × ${HOURS_PER_MONTH} h` : `${vcpu} shard vCPU`,
      inputs: { vcpu, dbVcpuHour: p.dbVcpuHour, hours: HOURS_PER_MONTH },
      ...(priced ? {} : { note: 'not priced: set cost.dbVcpuHour to price its shards' }),
    };
  });
}

/** Calls whose caller and callee sit in different zones: request and response bytes cross once each. */
function callLines(result: SimulationResult, p: ResolvedPrices): CostLine[] {
  const bytes = p.requestBytes + p.responseBytes;
  const line = (kind: 'cross-zone' | 'cross-region', rps: number, perGB: number): CostLine => {
    const gb = (rps * bytes * SECONDS_PER_MONTH) / BYTES_PER_GB;
    return {
      kind,
      name: 'calls',
      path: 'cost',
      monthly: gb * perGB,
      formula:
        `${figure(rps)} calls/s × (${figure(p.requestBytes)} + ${figure(p.responseBytes)}) B × ${figure(SECONDS_PER_MONTH)} s ÷ 10⁹ B/GB` +
        ` = ${figure(gb)} GB × ${money(perGB, p.currency, true)}/GB`,
      inputs: { rps, requestBytes: p.requestBytes, responseBytes: p.responseBytes, seconds: SECONDS_PER_MONTH, gb, perGB },
    };
  };
  // The engine's crossZoneRps counts cross-region calls too.
  const withinRegion = Math.max(0, result.crossZoneRps - result.crossRegionRps);
  return [line('cross-zone', withinRegion, p.crossZonePerGB), line('cross-region', result.crossRegionRps, p.crossRegionPerGB)];
}

function streamLines(doc: Topology, result: SimulationResult, p: ResolvedPrices): CostLine[] {
  const lines: CostLine[] = [];
  const streams = result.async?.streams ?? {};
  (doc.streams ?? []).forEach((st, i) => {
    const s = streams[st.name];
    if (!s) return;
    const replicas = s.replicas.length;
    const bounded = s.steadyBytes !== null;
    const gbStored = (bounded ? (s.steadyBytes as number) * replicas : s.storageBytesPerDayAllReplicas * (HOURS_PER_MONTH / 24)) / BYTES_PER_GB;
    lines.push({
      kind: 'storage',
      name: st.name,
      path: `streams[${i}]`,
      monthly: gbStored * p.storageGBMonth,
      formula: bounded
        ? `${figure((s.steadyBytes as number) / BYTES_PER_GB)} GB steady × ${replicas} replicas × ${money(p.storageGBMonth, p.currency, true)}/GB-month`
        : `${figure(s.storageBytesPerDayAllReplicas / BYTES_PER_GB)} GB/day (all replicas) × ${figure(HOURS_PER_MONTH / 24)} days × ${money(p.storageGBMonth, p.currency, true)}/GB-month`,
      inputs: {
        steadyBytes: s.steadyBytes,
        replicas,
        bytesPerDayAllReplicas: s.storageBytesPerDayAllReplicas,
        gb: gbStored,
        storageGBMonth: p.storageGBMonth,
      },
      ...(bounded ? {} : { note: 'no limit bounds it: priced at what one month stores, and it keeps growing' }),
    });
    const gb = (s.crossZoneBytesPerSec * SECONDS_PER_MONTH) / BYTES_PER_GB;
    lines.push({
      kind: 'stream-cross-zone',
      name: st.name,
      path: `streams[${i}]`,
      monthly: gb * p.crossZonePerGB,
      formula: `${figure(s.crossZoneBytesPerSec)} B/s × ${figure(SECONDS_PER_MONTH)} s ÷ 10⁹ B/GB = ${figure(gb)} GB × ${money(p.crossZonePerGB, p.currency, true)}/GB`,
      inputs: { bytesPerSec: s.crossZoneBytesPerSec, seconds: SECONDS_PER_MONTH, gb, perGB: p.crossZonePerGB },
    });
  });
  return lines;
}

/**
 * Core-NATS copies (no stream) a subscriber's replicas receive from publishers in other zones or
 * regions: the engine's `crossZoneBytesPerSec` / `crossRegionBytesPerSec` of the service's
 * subscriptions (payload bytes of each copy that crosses). One line per subscribing service; the
 * cross-region line only where some cross.
 */
function eventLines(doc: Topology, result: SimulationResult, p: ResolvedPrices): CostLine[] {
  const subs = result.async?.subscriptions ?? [];
  const lines: CostLine[] = [];
  doc.services.forEach((svc, i) => {
    if ((svc.subscribes?.length ?? 0) === 0) return;
    const mine = subs.filter((s) => s.service === svc.name);
    const subjects = [...new Set(mine.map((s) => s.subject))].join(', ');
    const copies = mine.reduce((n, s) => n + s.deliverRps, 0);
    const line = (kind: 'event-cross-zone' | 'event-cross-region', bytesPerSec: number, perGB: number): CostLine => {
      const gb = (bytesPerSec * SECONDS_PER_MONTH) / BYTES_PER_GB;
      return {
        kind,
        name: svc.name,
        path: `services[${i}].subscribes`,
        monthly: gb * perGB,
        formula: `${figure(bytesPerSec)} B/s × ${figure(SECONDS_PER_MONTH)} s ÷ 10⁹ B/GB = ${figure(gb)} GB × ${money(perGB, p.currency, true)}/GB`,
        inputs: { bytesPerSec, subjects, copiesPerSec: copies, seconds: SECONDS_PER_MONTH, gb, perGB },
        note:
          `events on ${subjects || 'its subjects'} (${figure(copies)} copies/s): the publishers' payloadBytes of the copies delivered to a replica ` +
          `in ${kind === 'event-cross-zone' ? 'another zone of the publisher’s region' : 'another region than the publisher’s'}` +
          (mine.some((s) => s.queueGroup !== null) ? '; a queue group hands each copy to a member replica at random, whatever its zone' : ''),
      };
    };
    const zone = mine.reduce((n, s) => n + s.crossZoneBytesPerSec, 0);
    const region = mine.reduce((n, s) => n + s.crossRegionBytesPerSec, 0);
    lines.push(line('event-cross-zone', zone, p.crossZonePerGB));
    if (region > 0) lines.push(line('event-cross-region', region, p.crossRegionPerGB));
  });
  return lines;
}

function overTime(doc: Topology, tl: TimelineResult, p: ResolvedPrices, totals: CostTotals): CostOverTime {
  const hours = tl.minutes / 60;
  const bundles: CostOverTime['bundles'] = {};
  let compute = 0;
  for (const b of doc.bundles) {
    const replicaHours = tl.totals.replicaHours[b.name] ?? 0;
    const monthly = replicaHours * replicaHour(b.cpu, b.memoryMiB, p).perHour * (HOURS_PER_MONTH / hours);
    bundles[b.name] = { replicaHours, monthly };
    compute += monthly;
  }
  return { hours, bundles, compute, total: totals.total - totals.compute + compute };
}

/**
 * The design's cost per month: `result` is the engine's result for it (the traffic lines read its
 * cross-zone and cross-region call rates and its streams), `doc` gives replicas, sizes and servers.
 * Pure: the same inputs give the same breakdown, so a comparison can cost each scenario alike.
 */
export function designCost(doc: Topology, result: SimulationResult, options: CostOptions = {}): CostBreakdown {
  const prices = pricesOf(doc, options.preset);
  const lines = [
    ...bundleLines(doc, prices),
    ...natsLines(doc, prices),
    ...databaseLines(doc, prices),
    ...callLines(result, prices),
    ...streamLines(doc, result, prices),
    ...eventLines(doc, result, prices),
  ];
  const sum = (kinds: CostLine['kind'][]) => lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.monthly, 0);
  const compute = sum(['bundle']);
  const nats = sum(['nats']);
  const databases = sum(['database']);
  const storage = sum(['storage']);
  const network = sum(['cross-zone', 'cross-region', 'stream-cross-zone', 'event-cross-zone', 'event-cross-region']);
  const totals: CostTotals = { compute, nats, databases, storage, network, total: compute + nats + databases + storage + network };
  const byBundle: Record<string, number> = {};
  for (const l of lines) if (l.kind === 'bundle') byBundle[l.name] = l.monthly;
  return {
    prices,
    hoursPerMonth: HOURS_PER_MONTH,
    lines,
    totals,
    byBundle,
    overTime: options.timeline ? overTime(doc, options.timeline, prices, totals) : null,
  };
}
