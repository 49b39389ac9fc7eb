/**
 * The benchmark's baseline: a bare React Flow page with the same nodes (default node type,
 * same positions and sizes) and edges as the designer draws for a design, in a box of the
 * same size. `bench.html#<design id>&w=<px>&h=<px>`.
 */
import '../zod-config.ts';
import '@xyflow/react/dist/style.css';
import { parseTopology, type TopologyInput } from '@busboard/core';
import { ReactFlow } from '@xyflow/react';
import { createRoot } from 'react-dom/client';
import { toLogicalFlow } from '../canvas/adapter.ts';

async function main() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const id = params.get('id') ?? '';
  const res = await fetch(`/trpc/designs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers: { 'x-busboard-request': '1' } });
  const doc = ((await res.json()) as { result: { data: { doc: TopologyInput } } }).result.data.doc;
  const parsed = parseTopology(doc);
  if (!parsed.ok) throw new Error('bad design');
  const flow = toLogicalFlow({ doc: parsed.doc, result: null, selection: [], auto: {} });
  const nodes = flow.nodes.map((n) => ({ id: n.id, position: n.position, parentId: n.parentId, data: { label: n.id }, style: n.style }));
  const edges = flow.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <div style={{ width: Number(params.get('w') ?? 800), height: Number(params.get('h') ?? 600) }} data-testid="canvas">
      <ReactFlow
        defaultNodes={nodes}
        defaultEdges={edges}
        fitView
        fitViewOptions={{ maxZoom: 1.2, padding: 0.15 }}
        minZoom={0.05}
        onlyRenderVisibleElements
      />
    </div>,
  );
}
void main();
