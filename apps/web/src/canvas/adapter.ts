/**
 * The one place that maps core entities to React Flow nodes and edges (logical view).
 * Layout here is a plain grid: bundles as columns, their services stacked inside.
 */
import type { SimulationResult, Topology } from '@busboard/core';
import type { Edge, Node } from '@xyflow/react';

export interface ServiceNodeData extends Record<string, unknown> {
  name: string;
  rps: number | null;
  utilization: number | null;
  replicas: number;
  saturated: boolean;
  unavailable: boolean;
  bottleneck: boolean;
}

export interface EndpointNodeData extends Record<string, unknown> {
  label: string;
  kind: 'database' | 'external';
}

const SERVICE_W = 200;
const SERVICE_H = 64;
const GAP = 16;
const PAD = 36;
const COLUMN_GAP = 80;

export function toFlow(doc: Topology, result: SimulationResult | null): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  let x = 0;
  for (const bundle of doc.bundles) {
    const height = PAD + bundle.services.length * (SERVICE_H + GAP) + GAP;
    const total = Object.values(bundle.replicas).reduce((a, b) => a + b, 0);
    nodes.push({
      id: `bundle:${bundle.name}`,
      type: 'bundle',
      position: doc.layout?.[`bundle:${bundle.name}`] ?? { x, y: 0 },
      data: { label: bundle.name, replicas: total },
      style: { width: SERVICE_W + 2 * GAP, height },
      selectable: true,
    });
    bundle.services.forEach((name, i) => {
      const r = result?.services[name];
      const data: ServiceNodeData = {
        name,
        rps: r ? r.arrivalRps : null,
        utilization: r ? r.utilization : null,
        replicas: r ? r.replicas : total,
        saturated: r?.saturated ?? false,
        unavailable: r?.unavailable ?? false,
        bottleneck: result?.bottleneck === name,
      };
      nodes.push({
        id: `svc:${name}`,
        type: 'service',
        parentId: `bundle:${bundle.name}`,
        extent: 'parent',
        position: { x: GAP, y: PAD + i * (SERVICE_H + GAP) },
        data,
      });
    });
    x += SERVICE_W + 2 * GAP + COLUMN_GAP;
  }
  const endpoints = [
    ...doc.databases.map((d) => ({ id: `db:${d.name}`, label: `${d.name} (${d.shards.length} shards)`, kind: 'database' as const })),
    ...doc.externals.map((e) => ({ id: `ext:${e.name}`, label: e.name, kind: 'external' as const })),
  ];
  endpoints.forEach((ep, i) => {
    nodes.push({
      id: ep.id,
      type: 'endpoint',
      position: doc.layout?.[ep.id] ?? { x, y: i * (SERVICE_H + 2 * GAP) },
      data: { label: ep.label, kind: ep.kind } satisfies EndpointNodeData,
    });
  });
  for (const svc of doc.services) {
    svc.calls.forEach((c, j) => {
      const target = c.to.startsWith('db:') || c.to.startsWith('ext:') ? c.to : `svc:${c.to}`;
      const label = `${c.perRequest}×${c.parallelGroup ? ` ∥ ${c.parallelGroup}` : ''}`;
      edges.push({ id: `call:${svc.name}:${j}`, source: `svc:${svc.name}`, target, label, type: 'smoothstep', animated: false });
    });
  }
  return { nodes, edges };
}

/** Utilization colour classes: green below 0.5, amber below 0.8, red from 0.8 and when saturated. */
export function utilizationClass(rho: number | null, saturated: boolean): string {
  if (rho === null) return 'util-none';
  if (saturated || rho >= 0.8) return 'util-high';
  if (rho >= 0.5) return 'util-mid';
  return 'util-low';
}
