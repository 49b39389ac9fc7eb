/**
 * The one place that maps core entities to React Flow nodes and edges, for both views.
 *
 * Logical: bundles as group nodes with their services stacked inside, databases and
 * externals as their own node kinds, calls as edges. Physical: zones as lanes holding each
 * bundle's replica set and the zone's NATS servers, databases with their shards below, and
 * cross-zone traffic as weighted edges between lanes. Positions: a hand-set one from the
 * document's `layout` wins, then auto-layout's, then a plain grid.
 */
import { layoutKey, type PhysicalView, type SimulationResult, type Topology } from '@busboard/core';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { toAsyncFlow } from './async-flow.ts';
import { formatRate } from './format.ts';
import {
  BUNDLE_W,
  bundleHeight,
  ENDPOINT_H,
  ENDPOINT_W,
  LANE_GAP,
  LANE_HEADER,
  LANE_W,
  NATS_H,
  REPLICA_H,
  SERVICE_H,
  SERVICE_W,
  serviceSlot,
} from './geometry.ts';
import { bundleOf, callId, callTargetId, flowId, isBottleneckOfDatabase, natsServerId, replicaSetId, serviceOf } from './ids.ts';
import { type BundleZone, bundleZones, ZONE_TINTS, zoneMarks } from './zones.ts';

export interface ServiceNodeData extends Record<string, unknown> {
  name: string;
  rps: number | null;
  utilization: number | null;
  p99: number | null;
  replicas: number;
  saturated: boolean;
  unavailable: boolean;
  bottleneck: boolean;
  hot: boolean;
  cacheHitRate: number | null;
  entry: boolean;
  /** Share of its arrivals rejected by full queues (schema v2 queue limits; 0 without). */
  rejectionRate: number;
  /** With traffic classes (schema v2): each class's share rejected here, for the classes rejected at all. */
  classRejections: { name: string; rate: number }[] | null;
  /** Share of its arrivals that time out there (schema v2 time budgets; 0 without). */
  timeoutRate: number;
  /** Of those, the share its in-flight cap rejected (schema v2 maxInFlight; 0 without). */
  capRejectionRate: number;
  /** Schema v2 `routing: least-connections`: callers pick the replica holding the fewest ("LC" mark). */
  leastConnections: boolean;
  /** A search match or a warning's target: drawn with a ring. */
  flagged: boolean;
}

export interface BundleNodeData extends Record<string, unknown> {
  label: string;
  replicas: number;
  cpuUtilization: number | null;
  /** Its CPU binds the design's headroom (the bottleneck is `cpu:<bundle>/<zone>`). */
  bottleneck: boolean;
  dropTarget: boolean;
  /** Its replicas per zone (the zone's tint and short label), zones it does not use left out. */
  zones: BundleZone[];
}

export interface EndpointNodeData extends Record<string, unknown> {
  label: string;
  kind: 'database' | 'external';
  detail: string;
  utilization: number | null;
  bottleneck: boolean;
}

export interface LaneNodeData extends Record<string, unknown> {
  name: string;
  region: string;
  failed: boolean;
  replicas: number;
  tint: number;
}

export interface ReplicaSetNodeData extends Record<string, unknown> {
  bundle: string;
  zone: string;
  count: number;
  utilization: number | null;
  hot: boolean;
  saturated: boolean;
  failed: boolean;
}

export interface NatsNodeData extends Record<string, unknown> {
  server: string;
  utilization: number | null;
}

export type XY = { x: number; y: number };

export { formatMs, formatRate } from './format.ts';

export interface FlowInput {
  doc: Topology;
  result: SimulationResult | null;
  selection: readonly string[];
  /** Positions from auto-layout, by node id (top-level nodes only). */
  auto: Readonly<Record<string, XY>>;
  flagged?: ReadonlySet<string>;
}

const COLUMN_GAP = 90;
/**
 * Every node's size is fixed by its CSS, so it is given up front: React Flow then never has
 * to re-measure a node that an edit replaced (which would hide and re-mount its edges).
 */
const SERVICE_SIZE = { width: SERVICE_W, height: SERVICE_H };
const ENDPOINT_SIZE = { width: ENDPOINT_W, height: ENDPOINT_H };

export function toLogicalFlow({ doc, result, selection, auto, flagged }: FlowInput): { nodes: Node[]; edges: Edge[] } {
  const selected = new Set(selection);
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const entries = new Set(doc.traffic.map((t) => t.entry));
  const bundleOf = new Map<string, string>();
  const leastConnections = new Set(doc.services.filter((s) => s.routing === 'least-connections').map((s) => s.name));
  let x = 0;
  const marks = zoneMarks(doc.zones);
  const failedZones = result?.failedZones ?? [];
  for (const bundle of doc.bundles) {
    const id = layoutKey({ kind: 'bundle', name: bundle.name });
    const total = Object.values(bundle.replicas).reduce((a, b) => a + b, 0);
    nodes.push({
      id,
      type: 'bundle',
      position: doc.layout?.[id] ?? auto[id] ?? { x, y: 0 },
      data: {
        label: bundle.name,
        replicas: result?.bundles[bundle.name]?.replicas ?? total,
        cpuUtilization: result?.bundles[bundle.name]?.cpuUtilization ?? null,
        bottleneck: busyBinding(result) && result?.binding?.constraint === 'cpu' && result.binding.name === bundle.name,
        dropTarget: false,
        zones: bundleZones(marks, bundle.replicas, failedZones),
      } satisfies BundleNodeData,
      style: { width: BUNDLE_W, height: bundleHeight(bundle.services.length) },
      measured: { width: BUNDLE_W, height: bundleHeight(bundle.services.length) },
      selected: selected.has(id),
      dragHandle: '.bundle-label',
    });
    bundle.services.forEach((name, i) => {
      bundleOf.set(name, bundle.name);
      const sid = layoutKey({ kind: 'service', name });
      const r = result?.services[name];
      const data: ServiceNodeData = {
        name,
        rps: r ? r.arrivalRps : null,
        utilization: r && !r.unavailable ? r.utilization : null,
        p99: r?.sojournMs?.p99 ?? null,
        replicas: r ? r.replicas : total,
        saturated: r?.saturated ?? false,
        unavailable: r?.unavailable ?? false,
        bottleneck: busyBinding(result) && result?.bottleneck === name,
        hot: r ? r.replicasDetail.some((rep) => rep.hot) : false,
        cacheHitRate: r?.cacheHitRate ?? null,
        entry: entries.has(name),
        rejectionRate: r?.rejectionRate ?? 0,
        classRejections: r?.classes
          ? Object.entries(r.classes)
              .filter(([, c]) => c.rejectionRate >= 0.0005)
              .map(([name, c]) => ({ name, rate: c.rejectionRate }))
          : null,
        timeoutRate: r?.timeoutRate ?? 0,
        capRejectionRate: r?.inFlight?.capRejectionRate ?? 0,
        leastConnections: leastConnections.has(name),
        flagged: flagged?.has(sid) ?? false,
      };
      nodes.push({ id: sid, type: 'service', parentId: id, position: serviceSlot(i), data, selected: selected.has(sid), measured: SERVICE_SIZE });
    });
    x += BUNDLE_W + COLUMN_GAP;
  }
  let y = 0;
  const endpoint = (id: string, data: EndpointNodeData) => {
    nodes.push({
      id,
      type: 'endpoint',
      position: doc.layout?.[id] ?? auto[id] ?? { x, y },
      data,
      selected: selected.has(id),
      measured: ENDPOINT_SIZE,
    });
    y += ENDPOINT_H + 24;
  };
  for (const d of doc.databases) {
    const r = result?.databases[d.name];
    const util = r?.shards.length ? Math.max(...r.shards.map((s) => s.utilization)) : null;
    endpoint(layoutKey({ kind: 'database', name: d.name }), {
      label: d.name,
      kind: 'database',
      detail: `${d.shards.length} shard${d.shards.length === 1 ? '' : 's'}`,
      utilization: util,
      bottleneck: busyBinding(result) && isBottleneckOfDatabase(result?.bottleneck, d.name),
    });
  }
  for (const e of doc.externals) {
    endpoint(layoutKey({ kind: 'external', name: e.name }), {
      label: e.name,
      kind: 'external',
      detail: `${e.latencyMs} ms`,
      utilization: null,
      bottleneck: false,
    });
  }
  for (const svc of doc.services) {
    svc.calls.forEach((c, j) => {
      const target = callTargetId(c.to);
      const inProcess = bundleOf.get(c.to) !== undefined && bundleOf.get(c.to) === bundleOf.get(svc.name);
      const id = callId(svc.name, j);
      edges.push({
        id,
        source: layoutKey({ kind: 'service', name: svc.name }),
        target,
        label: `${c.perRequest}×${c.parallelGroup ? ` ∥ ${c.parallelGroup}` : ''}`,
        type: 'call',
        className: inProcess ? 'call in-process' : 'call',
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        selected: selected.has(id),
        data: { inProcess },
      });
    });
  }
  const events = toAsyncFlow({ doc, result, selected, auto, start: { x: x + ENDPOINT_W + COLUMN_GAP, y: 0 }, bundleOf });
  nodes.push(...events.nodes);
  edges.push(...events.edges);
  return { nodes, edges };
}

/** The physical view: zones as lanes; `view` comes from core's `physicalView`. */
export function toPhysicalFlow(view: PhysicalView, selection: readonly string[], doc: Topology): { nodes: Node[]; edges: Edge[] } {
  const selected = new Set(selection);
  const selectedBundles = new Set<string>();
  for (const id of selection) {
    const bundle = bundleOf(id);
    if (bundle !== null) selectedBundles.add(bundle);
    const service = serviceOf(id);
    if (service !== null) {
      const b = doc.bundles.find((x) => x.services.includes(service));
      if (b) selectedBundles.add(b.name);
    }
  }
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const laneHeight =
    LANE_HEADER + Math.max(1, ...view.zones.map((z) => z.replicaSets.length * (REPLICA_H + 10) + z.natsServers.length * (NATS_H + 8))) + 24;
  view.zones.forEach((z, i) => {
    const laneId = layoutKey({ kind: 'zone', name: z.name });
    nodes.push({
      id: laneId,
      type: 'lane',
      position: { x: i * (LANE_W + LANE_GAP), y: 0 },
      data: {
        name: z.name,
        region: z.region,
        failed: z.failed,
        replicas: z.replicaSets.reduce((n, r) => n + r.count, 0),
        tint: i % ZONE_TINTS,
      } satisfies LaneNodeData,
      style: { width: LANE_W, height: laneHeight },
      measured: { width: LANE_W, height: laneHeight },
      selected: selected.has(laneId),
      draggable: false,
    });
    let y = LANE_HEADER;
    for (const rs of z.replicaSets) {
      nodes.push({
        id: replicaSetId(rs.bundle, z.name),
        type: 'replicaSet',
        parentId: laneId,
        extent: 'parent',
        position: { x: 12, y },
        draggable: false,
        data: {
          bundle: rs.bundle,
          zone: z.name,
          count: rs.count,
          utilization: rs.maxUtilization,
          hot: rs.hot,
          saturated: rs.saturated,
          failed: z.failed,
        } satisfies ReplicaSetNodeData,
        selected: selectedBundles.has(rs.bundle),
        measured: { width: LANE_W - 24, height: REPLICA_H },
      });
      y += REPLICA_H + 10;
    }
    for (const s of z.natsServers) {
      nodes.push({
        id: natsServerId(s.server),
        type: 'nats',
        parentId: laneId,
        extent: 'parent',
        position: { x: 12, y },
        draggable: false,
        selectable: false,
        data: { server: s.server, utilization: s.utilization } satisfies NatsNodeData,
        measured: { width: LANE_W - 24, height: NATS_H },
      });
      y += NATS_H + 8;
    }
  });
  view.databases.forEach((d, i) => {
    const id = layoutKey({ kind: 'database', name: d.name });
    const util = d.shards.some((s) => s.utilization !== null) ? Math.max(...d.shards.map((s) => s.utilization ?? 0)) : null;
    nodes.push({
      id,
      type: 'endpoint',
      position: { x: i * (ENDPOINT_W + LANE_GAP), y: laneHeight + 40 },
      draggable: false,
      data: {
        label: d.name,
        kind: 'database',
        detail: d.shards.map((s) => `${s.name}${s.utilization === null ? '' : ` ρ ${s.utilization.toFixed(2)}`}`).join(' · '),
        utilization: util,
        bottleneck: false,
      } satisfies EndpointNodeData,
      selected: selected.has(id),
      measured: ENDPOINT_SIZE,
    });
  });
  const max = Math.max(1, ...view.flows.map((f) => f.rps));
  for (const f of view.flows) {
    const width = 1.5 + 6 * Math.sqrt(f.rps / max);
    edges.push({
      id: flowId(f.from, f.to),
      source: layoutKey({ kind: 'zone', name: f.from }),
      target: layoutKey({ kind: 'zone', name: f.to }),
      sourceHandle: 'out',
      targetHandle: 'in',
      type: 'zoneFlow',
      label: `${formatRate(f.rps)} rps`,
      className: 'zone-flow',
      style: { strokeWidth: width },
      selectable: false,
    });
  }
  return { nodes, edges };
}

/** Utilization colour classes: green below 0.5, amber below 0.8, red from 0.8 and when saturated. */
/**
 * The canvas marks the bottleneck only once it is busy: the binding resource's utilization is at
 * least this (headroom under 2×). Below it nothing is stressed and a "bottleneck" tag would alarm.
 */
export const BOTTLENECK_SHOWN_FROM = 0.5;

/** Whether the binding resource is busy enough to be marked (see `BOTTLENECK_SHOWN_FROM`). */
export function busyBinding(result: FlowInput['result']): boolean {
  const b = result?.binding;
  if (!b) return false;
  return b.constraint === 'unavailable' || b.utilization >= BOTTLENECK_SHOWN_FROM;
}

export function utilizationClass(rho: number | null, saturated: boolean): string {
  if (saturated) return 'util-sat';
  if (rho === null) return 'util-none';
  if (rho >= 0.8) return 'util-high';
  if (rho >= 0.5) return 'util-mid';
  return 'util-low';
}
