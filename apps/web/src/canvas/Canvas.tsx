/**
 * The canvas: React Flow over the adapter's nodes and edges. Every change a user makes here
 * becomes a core command (move → layout, drop on a bundle → moveService, connect → addCall);
 * selection lives in the view store so both views and the panels share it.
 */
import { layoutKey, moveServiceCommand, type PaletteKind, paletteCommand, physicalView } from '@busboard/core';
import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  MiniMap,
  type Node,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDesign } from '../design/context.ts';
import { useAutoLayout } from '../layout/useAutoLayout.ts';
import { useEditor } from '../state/editor.ts';
import { useTheme } from '../state/theme.ts';
import { useToasts } from '../state/toast.ts';
import { useView } from '../state/view.ts';
import { toLogicalFlow, toPhysicalFlow } from './adapter.ts';
import { edgeTypes } from './CallEdge.tsx';
import { connectCommand } from './connect.ts';
import { BUNDLE_W, bundleHeight } from './geometry.ts';
import {
  bundleId,
  bundleOf,
  consumerId,
  consumerOf,
  databaseId,
  externalId,
  parseEntityId,
  selectionOf,
  serviceId,
  serviceOf,
  streamId,
  zoneId,
} from './ids.ts';
import { Legend } from './Legend.tsx';
import { nodeTypes } from './nodes.tsx';
import { PhysicalWarnings } from './PhysicalWarnings.tsx';
import { reuseEdges, reuseNodes } from './stable.ts';
import { BundleTitleHoles } from './TitleHoles.tsx';
import { ZoneKey } from './ZoneKey.tsx';

/** Room left around the design when fitting it: little, so its text stays readable at fit. */
const FIT_PADDING = 0.08;

export const PALETTE_KINDS: readonly PaletteKind[] = ['service', 'bundle', 'database', 'external', 'zone', 'stream', 'consumer'];

/** `children` render inside React Flow (overlays such as the live badges). */
export function Canvas({ children }: { children?: ReactNode }) {
  const { doc, result, options } = useDesign();
  const view = useView((s) => s.view);
  const selection = useView((s) => s.selection);
  const fitRequest = useView((s) => s.fitRequest);
  const focusRequest = useView((s) => s.focusRequest);
  const theme = useTheme((s) => s.theme);
  const rf = useReactFlow();
  const auto = useAutoLayout(view === 'logical' ? doc : null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  useRefitOnResize(wrapper, rf);
  const layingOut = useDelayed(view === 'logical' && auto.pending && !allPlaced(doc), 400);

  const previous = useRef<{ nodes: Node[]; edges: Edge[] }>({ nodes: [], edges: [] });
  const flow = useMemo(() => {
    const next =
      view === 'physical'
        ? toPhysicalFlow(physicalView(doc, result, options.failZones ?? []), selection, doc)
        : toLogicalFlow({ doc, result, selection, auto: auto.positions });
    const stable = { nodes: reuseNodes(previous.current.nodes, next.nodes), edges: reuseEdges(previous.current.edges, next.edges) };
    previous.current = stable;
    return stable;
  }, [view, doc, result, selection, auto.positions, options.failZones]);

  // Local copy only while dragging; any new flow (an edit, a selection) replaces it.
  const [local, setLocal] = useState({ base: flow.nodes, nodes: flow.nodes });
  let nodes = local.base === flow.nodes ? local.nodes : flow.nodes;
  if (local.base !== flow.nodes) setLocal({ base: flow.nodes, nodes: flow.nodes });
  if (dropTarget) {
    nodes = nodes.map((n) => (n.id === dropTarget ? { ...n, data: { ...n.data, dropTarget: true } } : n));
  }

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const selects = changes.filter((c) => c.type === 'select');
      if (selects.length) {
        const sel = new Set(useView.getState().selection);
        for (const c of selects) {
          const id = selectionOf(c.id);
          if (!id) continue;
          if (c.selected) sel.add(id);
          else sel.delete(id);
        }
        useView.getState().select([...sel]);
      }
      const rest = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (rest.length) setLocal((l) => ({ base: l.base, nodes: applyNodeChanges(rest, l.base === flow.nodes ? l.nodes : flow.nodes) }));
    },
    [flow.nodes],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (!selects.length) return;
    const sel = new Set(useView.getState().selection);
    for (const c of selects) {
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
    useView.getState().select([...sel]);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const editor = useEditor.getState();
    if (!editor.doc || !editor.parsed) return;
    const connect = connectCommand(editor.doc, editor.parsed, c.source, c.target);
    if (!connect) return;
    const problems = editor.dispatch(connect.command);
    if (problems.length) useToasts.getState().problems(connect.refused, problems);
  }, []);

  /**
   * A connection dropped anywhere on a service, database or external connects to it, not only
   * on its 6-pixel handle (React Flow calls `onConnect` itself when the drop hit a handle).
   */
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || state.fromHandle?.type !== 'source') return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!point) return;
      const target = document
        .elementsFromPoint(point.clientX, point.clientY)
        .map((el) => el.closest<HTMLElement>('.react-flow__node'))
        .find(
          (el) =>
            el &&
            el.dataset.id !== state.fromNode?.id &&
            /react-flow__node-(service|database|external|endpoint|stream|consumer)\b/.test(el.className),
        );
      const id = target?.dataset.id;
      if (id) onConnect({ source: state.fromNode.id, target: id, sourceHandle: null, targetHandle: null });
    },
    [onConnect],
  );

  /** The bundle under a dragged service's centre, other than its own. */
  const bundleUnder = useCallback(
    (node: Node): string | null => {
      const internal = rf.getInternalNode(node.id);
      if (!internal) return null;
      const abs = internal.internals.positionAbsolute;
      const cx = abs.x + (internal.measured.width ?? 0) / 2;
      const cy = abs.y + (internal.measured.height ?? 0) / 2;
      for (const b of doc.bundles) {
        const id = layoutKey({ kind: 'bundle', name: b.name });
        if (id === node.parentId) continue;
        const bn = rf.getInternalNode(id);
        if (!bn) continue;
        const p = bn.internals.positionAbsolute;
        if (cx >= p.x && cx <= p.x + BUNDLE_W && cy >= p.y && cy <= p.y + bundleHeight(b.services.length)) return id;
      }
      return null;
    },
    [rf, doc.bundles],
  );

  const onNodeDrag = useCallback(
    (_: unknown, node: Node) => {
      if (node.type === 'service') setDropTarget(bundleUnder(node));
    },
    [bundleUnder],
  );

  const onNodeDragStop = useCallback(
    (_: unknown, node: Node, dragged: Node[]) => {
      setDropTarget(null);
      const editor = useEditor.getState();
      if (node.type === 'service') {
        const target = bundleUnder(node);
        if (target) {
          const problems = editor.doc
            ? editor.dispatch(moveServiceCommand(editor.doc, serviceOf(node.id) ?? node.id, bundleOf(target) ?? target))
            : [];
          if (problems.length) useToasts.getState().problems('Cannot move the service', problems);
        }
        // Services sit in their bundle's slots: whatever happened, snap back to the flow.
        setLocal({ base: flow.nodes, nodes: flow.nodes });
        return;
      }
      const positions: Record<string, { x: number; y: number }> = {};
      for (const n of dragged) if (!n.parentId && n.type !== 'lane') positions[n.id] = n.position;
      if (Object.keys(positions).length) editor.dispatch({ type: 'setLayout', positions });
    },
    [bundleUnder, flow.nodes],
  );

  // Palette drops: a new thing where it was dropped (a service dropped on a bundle joins it).
  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes('application/x-busboard-palette')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = PALETTE_KINDS.find((k) => k === e.dataTransfer.getData('application/x-busboard-palette'));
      if (!kind) return;
      e.preventDefault();
      const position = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addFromPalette(kind, position, rf.getIntersectingNodes({ x: position.x, y: position.y, width: 1, height: 1 }));
    },
    [rf],
  );

  // The first auto-layout moves everything: frame it once it lands.
  const laidOut = Object.keys(auto.positions).length > 0;
  useEffect(() => {
    if (laidOut) requestAnimationFrame(() => rf.fitView({ padding: FIT_PADDING, maxZoom: 1.2 }));
  }, [laidOut, rf]);
  useEffect(() => {
    if (fitRequest > 0) requestAnimationFrame(() => rf.fitView({ duration: 200, padding: FIT_PADDING, maxZoom: 1.2 }));
  }, [fitRequest, rf]);
  useEffect(() => {
    if (focusRequest === 0) return;
    const id = useView.getState().selection[0];
    const n = id ? rf.getInternalNode(id) : undefined;
    if (!n) return;
    const p = n.internals.positionAbsolute;
    rf.setCenter(p.x + (n.measured.width ?? 0) / 2, p.y + (n.measured.height ?? 0) / 2, { zoom: Math.max(rf.getZoom(), 1), duration: 250 });
  }, [focusRequest, rf]);

  return (
    <div
      ref={wrapper}
      className="canvas"
      data-testid="canvas"
      data-layout={view === 'logical' && auto.pending && !allPlaced(doc) ? 'pending' : 'done'}
      role="application"
      aria-label="Design canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        connectionRadius={40}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onPaneClick={() => useView.getState().select([])}
        nodesConnectable={view === 'logical'}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        colorMode={theme}
        fitView
        fitViewOptions={{ maxZoom: 1.2, padding: FIT_PADDING }}
        minZoom={0.05}
        maxZoom={2.5}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <BundleTitleHoles />
        <Controls showInteractive={false} />
        {view === 'logical' ? <Legend /> : <PhysicalWarnings />}
        {view === 'logical' && <ZoneKey />}
        <MiniMap pannable zoomable ariaLabel="Overview" className="minimap" style={{ width: 160, height: 110 }} />
        {children}
      </ReactFlow>
      {layingOut && <div className="canvas-note">laying out…</div>}
      {view === 'logical' && doc.services.length === 0 && doc.bundles.length === 0 && (
        <div className="canvas-start" data-testid="canvas-start">
          <strong>Start here</strong>
          <span>
            Click or drag a Service from the palette on the left: it lands in a new bundle. Add traffic to it in the inspector, then connect services
            by dragging from one onto another.
          </span>
        </div>
      )}
    </div>
  );
}

/** Whether every box has a hand-set position (auto-layout then changes nothing on screen). */
function allPlaced(doc: ReturnType<typeof useDesign>['doc']): boolean {
  const ids = [
    ...doc.bundles.map((b) => bundleId(b.name)),
    ...doc.databases.map((d) => databaseId(d.name)),
    ...doc.externals.map((e) => externalId(e.name)),
    ...(doc.streams ?? []).map((s) => streamId(s.name)),
    ...(doc.consumers ?? []).map((c) => consumerId(c.stream, c.name)),
  ];
  return ids.every((id) => doc.layout?.[id] !== undefined);
}

/**
 * Adds a palette item at a canvas position; a service dropped onto a bundle (or clicked in
 * while `intoBundle` is selected) goes into it.
 */
export function addFromPalette(kind: PaletteKind, position: { x: number; y: number } | undefined, under: Node[] = [], intoBundle?: string) {
  const editor = useEditor.getState();
  if (!editor.doc) return;
  const bundleNode = under.find((n) => n.type === 'bundle');
  const bundle = bundleNode ? (bundleOf(bundleNode.id) ?? undefined) : intoBundle;
  // A consumer reads the selected stream (or the one it is dropped on) and runs on the selected service.
  const picked = [...under.map((n) => n.id), ...useView.getState().selection];
  const stream = picked.map((id) => parseEntityId(id)).find((r) => r?.kind === 'stream')?.name;
  const service = picked.map((id) => serviceOf(id)).find((s) => s !== null) ?? undefined;
  const cmd = paletteCommand(editor.doc, kind, kind === 'consumer' ? { position, stream, service } : { bundle, position });
  const problems = editor.dispatch(cmd);
  if (problems.length) {
    useToasts.getState().problems(`Cannot add the ${kind}`, problems);
    return;
  }
  const after = useEditor.getState().doc;
  const added = newestId(kind, after);
  if (added) {
    useView.getState().select([added]);
    focusNameField(consumerOf(added)?.name ?? parseEntityId(added)?.name ?? '');
  }
}

/**
 * A new thing's name field gets the focus with its text selected, so typing names it at once
 * (as in Figma): no click into the inspector. Waits for the inspector to show the new thing.
 */
function focusNameField(name: string) {
  let tries = 0;
  const attempt = () => {
    const field = [...document.querySelectorAll<HTMLInputElement>('.inspector-body input[data-testid^="field-"][data-testid$="-name"]')].find(
      (el) => el.value === name,
    );
    if (field) {
      field.focus();
      field.select();
    } else if (++tries < 10) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

function newestId(kind: PaletteKind, doc: ReturnType<typeof useEditor.getState>['doc']): string | null {
  if (!doc) return null;
  switch (kind) {
    case 'service':
      return lastName(doc.services, serviceId);
    case 'bundle':
      return lastName(doc.bundles, bundleId);
    case 'database':
      return lastName(doc.databases, databaseId);
    case 'external':
      return lastName(doc.externals, externalId);
    case 'zone':
      return lastName(doc.zones, zoneId);
    case 'stream':
      return lastName(doc.streams, streamId);
    case 'consumer': {
      const c = doc.consumers?.at(-1);
      return c ? consumerId(c.stream, c.name) : null;
    }
  }
}

function lastName(list: readonly { name: string }[] | undefined, id: (name: string) => string): string | null {
  const last = list?.at(-1);
  return last ? id(last.name) : null;
}

/**
 * Re-fits the view when the canvas gets much wider or narrower (a side panel, History or the
 * Live overlay opening or closing), so the design is never left squeezed or tiny.
 */
function useRefitOnResize(wrapper: React.RefObject<HTMLDivElement | null>, rf: ReturnType<typeof useReactFlow>): void {
  useEffect(() => {
    const el = wrapper.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = el.clientWidth;
    let timer = 0;
    const observer = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (Math.abs(width - last) < 40) return;
      last = width;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void rf.fitView({ duration: 150, padding: FIT_PADDING, maxZoom: 1.2 }), 120);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [wrapper, rf]);
}

/** `flag`, once it has held for `ms` (a note that would only flash is not shown). */
function useDelayed(flag: boolean, ms: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!flag) {
      setShown(false);
      return;
    }
    const t = window.setTimeout(() => setShown(true), ms);
    return () => window.clearTimeout(t);
  }, [flag, ms]);
  return shown;
}
