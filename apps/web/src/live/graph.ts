/**
 * The server graph's one adapter: snapshot → React Flow nodes and edges. Each cluster is a
 * column with its servers on a circle; routes are solid edges, gateways dashed, leaf nodes
 * hang below their server. Labels carry RTT and message rates.
 */
import type { Edge, Node } from '@xyflow/react';
import { fmtMs, fmtRate } from './format.ts';
import type { SnapshotView } from './useLive.ts';

export interface ServerNodeData extends Record<string, unknown> {
  name: string;
  cluster: string;
  zone: string | null;
  up: boolean;
  error: string | null;
  connections: number;
  msgRate: number | null;
  version: string;
}

export interface LeafNodeData extends Record<string, unknown> {
  label: string;
  account: string | null;
}

const NODE_W = 176;
const NODE_H = 74;
const COLUMN_W = 560;

function label(rttMs: number | null, msgRate: number | null, prefix = ''): string {
  return [prefix, rttMs !== null ? fmtMs(rttMs) : null, msgRate !== null ? fmtRate(msgRate, ' msg/s') : null].filter(Boolean).join(' · ');
}

export function toServerGraph(s: SnapshotView): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const clusters = [...new Set(s.servers.map((x) => x.cluster))];
  clusters.forEach((cluster, ci) => {
    const members = s.servers.filter((x) => x.cluster === cluster);
    const r = members.length <= 1 ? 0 : 90 + 18 * members.length;
    const cx = ci * COLUMN_W + COLUMN_W / 2;
    const cy = 200;
    nodes.push({
      id: `cluster:${cluster}`,
      type: 'clusterLabel',
      position: { x: cx - 80, y: cy - r * 0.87 - NODE_H / 2 - 48 },
      data: { label: cluster || '(no cluster)', servers: members.length, up: members.filter((m) => m.up).length },
      selectable: false,
      draggable: false,
    });
    // The first cluster's servers face right, the others face left: gateway edges then leave
    // each cluster on the side of its neighbour instead of crossing it.
    const facing = ci === 0 ? 0 : Math.PI;
    members.forEach((m, i) => {
      const angle = facing + (2 * Math.PI * i) / members.length;
      const data: ServerNodeData = {
        name: m.name,
        cluster,
        zone: m.zone,
        up: m.up,
        error: m.error,
        connections: m.connections,
        msgRate: m.msgRate,
        version: m.version,
      };
      nodes.push({
        id: `srv:${m.name}`,
        type: 'liveServer',
        position: { x: cx + r * Math.cos(angle) - NODE_W / 2, y: cy + r * Math.sin(angle) - NODE_H / 2 },
        data,
      });
    });
  });
  for (const route of s.routes) {
    edges.push({
      id: `route:${route.a}:${route.b}`,
      source: `srv:${route.a}`,
      target: `srv:${route.b}`,
      type: 'straight',
      label: label(route.rttMs, route.msgRate),
      className: 'live-edge route',
      data: { kind: 'route' },
    });
  }
  // One edge per server pair joined by gateways, whichever side reported it.
  const gateways = new Map<string, { a: string; b: string; rtt: number | null; rate: number | null }>();
  for (const g of s.gateways) {
    const remote = g.remoteServer ?? s.servers.find((x) => x.cluster === g.remoteCluster && x.up)?.name;
    if (!remote) continue;
    const [a, b] = g.server < remote ? [g.server, remote] : [remote, g.server];
    const key = `${a}\u0000${b}`;
    const had = gateways.get(key);
    gateways.set(key, {
      a,
      b,
      rtt: had?.rtt ?? g.rttMs,
      rate: had?.rate === null || had?.rate === undefined ? g.msgRate : g.msgRate === null ? had.rate : had.rate + g.msgRate,
    });
  }
  for (const g of gateways.values()) {
    edges.push({
      id: `gw:${g.a}:${g.b}`,
      source: `srv:${g.a}`,
      target: `srv:${g.b}`,
      type: 'straight',
      label: label(g.rtt, g.rate),
      className: 'live-edge gateway',
      data: { kind: 'gateway' },
    });
  }
  const leafCount = new Map<string, number>();
  s.leafNodes.forEach((leaf, i) => {
    const host = nodes.find((n) => n.id === `srv:${leaf.server}`);
    if (!host) return;
    const k = leafCount.get(leaf.server) ?? 0;
    leafCount.set(leaf.server, k + 1);
    const id = `leaf:${i}`;
    nodes.push({
      id,
      type: 'liveLeaf',
      position: { x: host.position.x + k * 40, y: host.position.y + NODE_H + 90 + k * 10 },
      data: { label: leaf.name ?? `leaf ${leaf.address}`, account: leaf.account } satisfies LeafNodeData,
    });
    edges.push({
      id: `leafedge:${i}`,
      source: host.id,
      target: id,
      type: 'straight',
      label: label(leaf.rttMs, leaf.msgRate, 'leaf'),
      className: 'live-edge leaf',
    });
  });
  return { nodes, edges };
}
