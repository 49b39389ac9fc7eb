import { Background, Controls, Handle, type Node, type NodeProps, Position, ReactFlow, useNodesState } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { useTheme } from '../state/theme.ts';
import { fmtRate } from './format.ts';
import { type LeafNodeData, type ServerNodeData, toServerGraph } from './graph.ts';
import type { SnapshotView } from './useLive.ts';

// Edges run centre to centre: one hidden handle of each kind in the middle of every node.
const centre = { top: '50%', left: '50%', opacity: 0, width: 1, height: 1, minWidth: 0, minHeight: 0, border: 0 };

function ServerNode({ data }: NodeProps) {
  const d = data as ServerNodeData;
  return (
    <div className={`live-server-node ${d.up ? 'up' : 'down'}`} data-testid={`graph-server-${d.name}`} title={d.error ?? `${d.name} · ${d.version}`}>
      <Handle type="target" position={Position.Top} style={centre} />
      <Handle type="source" position={Position.Top} style={centre} />
      <div className="live-server-name">{d.name}</div>
      <div className="live-server-meta">
        {d.zone ?? 'no zone tag'} · {d.up ? `${d.connections} conns` : 'down'}
      </div>
      <div className="live-server-meta">
        {d.up ? (d.msgRate === null ? 'rate after the next poll' : fmtRate(d.msgRate, ' msg/s')) : (d.error ?? '')}
      </div>
    </div>
  );
}

function ClusterLabel({ data }: NodeProps) {
  const d = data as { label: string; servers: number; up: number };
  return (
    <div className="live-cluster-label">
      cluster <strong>{d.label}</strong> · {d.up}/{d.servers} up
    </div>
  );
}

function LeafNode({ data }: NodeProps) {
  const d = data as LeafNodeData;
  return (
    <div className="live-leaf-node">
      <Handle type="target" position={Position.Top} style={centre} />
      {d.label}
      {d.account && <span className="muted"> · {d.account}</span>}
    </div>
  );
}

const nodeTypes = { liveServer: ServerNode, clusterLabel: ClusterLabel, liveLeaf: LeafNode };

/** Servers of every cluster, their routes and gateways, with RTT and message rates on the edges. */
export function ServerGraph({ snapshot }: { snapshot: SnapshotView }) {
  const graph = useMemo(() => toServerGraph(snapshot), [snapshot]);
  // Nodes live in state so React Flow's measurements survive each update: a node rebuilt
  // without them would stay hidden (its size never changes, so it is never measured again).
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(graph.nodes);
  useEffect(() => {
    setNodes((prev) => {
      const before = new Map(prev.map((n) => [n.id, n]));
      return graph.nodes.map((n) => {
        const old = before.get(n.id);
        return old ? { ...old, position: n.position, data: n.data } : n;
      });
    });
  }, [graph, setNodes]);
  const edges = graph.edges;
  const theme = useTheme((t) => t.theme);
  // Remount when the set of servers changes so the view fits them; keep the viewport otherwise.
  const shape = snapshot.servers.map((s) => s.name).join(',');
  return (
    <div className="live-graph" data-testid="server-graph">
      <ReactFlow
        key={shape}
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        nodesDraggable={false}
        nodesConnectable={false}
        minZoom={0.2}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      <div className="live-graph-legend">
        <span className="legend route">route</span>
        <span className="legend gateway">gateway</span>
        <span className="legend leaf">leaf node</span>
      </div>
    </div>
  );
}
