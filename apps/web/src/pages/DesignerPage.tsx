import { parseTopology, simulate } from '@busboard/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Background, Controls, ReactFlow } from '@xyflow/react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { toFlow } from '../canvas/adapter.ts';
import { nodeTypes } from '../canvas/nodes.tsx';
import { DesPanel } from '../des/DesPanel.tsx';
import { ConflictBanner } from '../history/ConflictBanner.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { LiveCanvasBadges } from '../live/overlay/LiveCanvasBadges.tsx';
import { LiveOverlayPanel, LiveToggle } from '../live/overlay/LiveOverlayPanel.tsx';
import { useLiveOverlay } from '../live/overlay/useLiveOverlay.ts';
import { useEditor } from '../state/editor.ts';
import { useTRPC } from '../trpc.ts';

// The export dialog brings the Kubernetes schemas: loaded when first opened, not with the app.
const ExportDialog = lazy(() => import('../export/ExportDialog.tsx'));

export function DesignerPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const design = useQuery(trpc.designs.get.queryOptions({ id }));
  const editor = useEditor();
  const [showHistory, setShowHistory] = useState(false);
  const { load, doc } = editor;
  const [exporting, setExporting] = useState(false);
  const [desOpen, setDesOpen] = useState(false);

  useEffect(() => {
    if (design.data) load(design.data.id, design.data.name, design.data.revision, design.data.doc);
  }, [design.data, load]);

  const parsed = useMemo(() => (doc ? parseTopology(doc) : null), [doc]);
  const result = useMemo(() => (parsed?.ok ? simulate(parsed.doc, { skipEndToEnd: true }) : null), [parsed]);
  const flow = useMemo(() => (parsed?.ok ? toFlow(parsed.doc, result) : { nodes: [], edges: [] }), [parsed, result]);
  const live = useLiveOverlay(parsed?.ok ? parsed.doc : null, result);

  const save = useMutation(
    trpc.designs.save.mutationOptions({
      onMutate: () => useEditor.getState().markSaving(),
      onSuccess: ({ revision }) => useEditor.getState().markSaved(revision),
      onError: (err) => useEditor.getState().markFailed(err.data?.code === 'CONFLICT' ? 'conflict' : 'error', err.message),
    }),
  );
  const saveNow = () => {
    const s = useEditor.getState();
    if (s.id && s.doc) save.mutate({ id: s.id, name: s.name, doc: s.doc, expectedRevision: s.revision });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        useEditor.getState().undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        useEditor.getState().redo();
      } else if (key === 's') {
        e.preventDefault();
        saveNow();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (design.isPending) return <p className="page muted">Loading design…</p>;
  if (design.error) return <p className="page error">Could not load the design: {design.error.message}</p>;
  if (!doc || !parsed) return null;

  return (
    <div className="designer">
      <div className="toolbar">
        <h1 className="design-name">{editor.name}</h1>
        <span className={`save-state ${editor.saveState}`} data-testid="save-state">
          {editor.saveState === 'saved' ? `saved · revision ${editor.revision}` : editor.saveState}
        </span>
        <button type="button" onClick={() => editor.undo()} disabled={!editor.past.length} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={() => editor.redo()} disabled={!editor.future.length} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button type="button" className="primary" onClick={saveNow} disabled={editor.saveState === 'saving' || !parsed.ok} title="Save (Ctrl+S)">
          Save
        </button>
        <button type="button" onClick={() => setExporting(true)} disabled={!parsed.ok}>
          Export…
        </button>
        <button type="button" onClick={() => setDesOpen((o) => !o)} disabled={!parsed.ok} aria-pressed={desOpen}>
          Simulate (DES)
        </button>
        <button type="button" aria-pressed={showHistory} onClick={() => setShowHistory((v) => !v)}>
          History
        </button>
        <LiveToggle live={live} />
      </div>
      {desOpen && parsed.ok && <DesPanel doc={parsed.doc} onClose={() => setDesOpen(false)} />}
      {exporting && parsed.ok && (
        <Suspense fallback={null}>
          <ExportDialog doc={parsed.doc} name={editor.name} onClose={() => setExporting(false)} />
        </Suspense>
      )}
      {editor.saveState === 'conflict' && editor.id ? (
        <ConflictBanner designId={editor.id} name={editor.name} doc={doc} editedRevision={editor.revision} />
      ) : (
        editor.saveError && <p className="error banner">{editor.saveError}</p>
      )}
      <div className="designer-body">
        <div className="canvas" data-testid="canvas">
          {parsed.ok ? (
            <ReactFlow nodes={flow.nodes} edges={flow.edges} nodeTypes={nodeTypes} fitView minZoom={0.1} proOptions={{ hideAttribution: true }}>
              <Background />
              <Controls />
              <LiveCanvasBadges live={live} />
            </ReactFlow>
          ) : (
            <ul className="problems">
              {parsed.problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
        {parsed.ok && (
          <aside className="inspector">
            <h2>Replicas per zone</h2>
            {parsed.doc.bundles.map((b) => (
              <fieldset key={b.name} className="bundle-replicas">
                <legend>
                  {b.name} <span className="muted">CPU {((result?.bundles[b.name]?.cpuUtilization ?? 0) * 100).toFixed(0)}%</span>
                </legend>
                {parsed.doc.zones.map((z) => (
                  <label key={z.name}>
                    <span>{z.name}</span>
                    <input
                      type="number"
                      min={0}
                      max={999}
                      value={b.replicas[z.name] ?? 0}
                      data-testid={`replicas-${b.name}-${z.name}`}
                      onChange={(e) => {
                        const n = Number(e.target.value);
                        if (Number.isFinite(n) && n >= 0) editor.dispatch({ type: 'setReplicas', bundle: b.name, zone: z.name, replicas: n });
                      }}
                    />
                  </label>
                ))}
              </fieldset>
            ))}
            {result && (
              <div className="summary">
                <h2>Results</h2>
                <p>
                  Headroom <strong data-testid="headroom">{result.headroom === null ? 'no load' : `${result.headroom.toFixed(2)}×`}</strong>
                </p>
                <p>
                  Bottleneck <strong>{result.bottleneck ?? 'none'}</strong>
                </p>
              </div>
            )}
          </aside>
        )}
        {showHistory && editor.id && <HistoryPanel designId={editor.id} currentRevision={editor.revision} dirty={editor.saveState !== 'saved'} />}
        <LiveOverlayPanel live={live} />
      </div>
    </div>
  );
}
