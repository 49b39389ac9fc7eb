/**
 * Auto-layout positions for the logical view, from elkjs in a Web Worker. Recomputed only
 * when the structure changes (boxes, their sizes, who calls whom); hand-set positions in the
 * document's `layout` still win over these in the adapter.
 */
import type { Topology } from '@busboard/core';
import { useEffect, useMemo, useState } from 'react';
import { layoutGraph, layoutSignature } from './graph.ts';

type Positions = Record<string, { x: number; y: number }>;

let worker: Worker | null = null;
let seq = 0;
const EMPTY: Positions = {};

function layoutInWorker(graph: ReturnType<typeof layoutGraph>): Promise<Positions> {
  worker ??= new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'busboard-layout' });
  const id = ++seq;
  const w = worker;
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent<{ id: number; ok: boolean; positions?: Positions; error?: string }>) => {
      if (e.data.id !== id) return;
      w.removeEventListener('message', onMessage);
      if (e.data.ok && e.data.positions) resolve(e.data.positions);
      else reject(new Error(e.data.error ?? 'layout failed'));
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ id, graph });
  });
}

export function useAutoLayout(doc: Topology | null): { positions: Positions; pending: boolean } {
  const graph = useMemo(() => (doc ? layoutGraph(doc) : null), [doc]);
  const signature = graph ? layoutSignature(graph) : '';
  const [state, setState] = useState<{ signature: string; positions: Positions }>({ signature: '', positions: EMPTY });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature stands for the graph
  useEffect(() => {
    if (!graph || graph.nodes.length === 0) return;
    let live = true;
    layoutInWorker(graph)
      .then((positions) => live && setState({ signature, positions }))
      .catch(() => live && setState({ signature, positions: EMPTY }));
    return () => {
      live = false;
    };
  }, [signature]);
  return { positions: state.positions, pending: state.signature !== signature };
}
