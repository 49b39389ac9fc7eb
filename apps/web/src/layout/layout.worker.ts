/// <reference lib="webworker" />
/** elkjs (layered, left to right) off the main thread: a big design never blocks the canvas. */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutGraph } from './graph.ts';

const elk = new ELK();

self.onmessage = async (e: MessageEvent<{ id: number; graph: LayoutGraph }>) => {
  const { id, graph } = e.data;
  try {
    const out = await elk.layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'RIGHT',
        'elk.spacing.nodeNode': '40',
        // Room for a call's label between columns, and no more: the design fits larger on screen.
        'elk.layered.spacing.nodeNodeBetweenLayers': '72',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        'elk.separateConnectedComponents': 'true',
      },
      children: graph.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
      edges: graph.edges.map((x) => ({ id: x.id, sources: [x.source], targets: [x.target] })),
    });
    const positions: Record<string, { x: number; y: number }> = {};
    for (const c of out.children ?? []) positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
    self.postMessage({ id, ok: true, positions });
  } catch (err) {
    self.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
