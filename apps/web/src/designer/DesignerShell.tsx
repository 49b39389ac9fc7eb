/**
 * The designer around whatever document the editor holds: toolbar, palette, canvas with its
 * what-if bar, side panel. `persisted` designs autosave; a shared link's design does not
 * until it is saved as a new design.
 */
import { consumerRefName, layoutKey } from '@busboard/core';
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { Canvas } from '../canvas/Canvas.tsx';
import { DesPanel } from '../des/DesPanel.tsx';
import { ConflictBanner } from '../history/ConflictBanner.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { LiveCanvasBadges } from '../live/overlay/LiveCanvasBadges.tsx';
import { LiveOverlayPanel, LiveToggle } from '../live/overlay/LiveOverlayPanel.tsx';
import { useLiveOverlay } from '../live/overlay/useLiveOverlay.ts';
import { RehearsalBadges } from '../rehearse/RehearsalBadges.tsx';
import { CrossCheckBadges } from '../results/CrossCheckBadges.tsx';
import { useWhatIfFollowsScenario } from '../scenarios/actions.ts';
import { ScenarioSwitcher } from '../scenarios/ScenarioSwitcher.tsx';
import { VariantBanner } from '../scenarios/VariantBanner.tsx';
import '../rehearse/register.ts';
import { DesignContext } from '../design/context.ts';
import { useResults } from '../results/useResults.ts';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { MinuteDesign } from '../timeline/MinuteDesign.tsx';
import { TimelinePanel } from '../timeline/TimelinePanel.tsx';
import { TimelineToggle } from '../timeline/TimelineToggle.tsx';
import { Palette } from './Palette.tsx';
import { RepairOffer } from './RepairOffer.tsx';
import { SearchBox } from './SearchBox.tsx';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { SidePanel } from './SidePanel.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useAutosave } from './useAutosave.ts';
import { useShortcuts } from './useShortcuts.ts';
import { WhatIfBar } from './WhatIfBar.tsx';
import './designer.css';

// The export dialog brings the Kubernetes schemas: loaded when first opened, not with the app.
const ExportDialog = lazy(() => import('../export/ExportDialog.tsx'));
// The comparison brings its table and charts: loaded when first opened.
const ComparePage = lazy(() => import('../scenarios/ComparePage.tsx').then((m) => ({ default: m.ComparePage })));

export function DesignerShell({ persisted, toolbarExtra, banner }: { persisted: boolean; toolbarExtra?: ReactNode; banner?: ReactNode }) {
  const parsed = useEditor((s) => s.parsed);
  const loadProblems = useEditor((s) => s.loadProblems);
  const saveError = useEditor((s) => s.saveError);
  const saveState = useEditor((s) => s.saveState);
  const designId = useEditor((s) => s.id);
  const name = useEditor((s) => s.name);
  const revision = useEditor((s) => s.revision);
  const results = useResults(parsed);
  const live = useLiveOverlay(parsed, results.result);
  const { save } = useAutosave(persisted);
  const [searching, setSearching] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [desOpen, setDesOpen] = useState(false);
  const [helping, setHelping] = useState(false);
  const [comparing, setComparing] = useState(false);
  useWhatIfFollowsScenario();
  const scale = useView((s) => s.scale);
  const failZones = useView((s) => s.failZones);
  const actions = useMemo(
    () => ({
      save: () => void save(false),
      search: () => setSearching(true),
      help: () => setHelping(true),
      selectAll: () => {
        const doc = useEditor.getState().parsed;
        if (!doc) return;
        const v = useView.getState();
        const ids =
          v.view === 'physical'
            ? doc.bundles.map((b) => layoutKey({ kind: 'bundle', name: b.name }))
            : [
                ...doc.bundles.map((b) => layoutKey({ kind: 'bundle', name: b.name })),
                ...doc.services.map((s) => layoutKey({ kind: 'service', name: s.name })),
                ...doc.databases.map((d) => layoutKey({ kind: 'database', name: d.name })),
                ...doc.externals.map((e) => layoutKey({ kind: 'external', name: e.name })),
                ...(doc.streams ?? []).map((s) => layoutKey({ kind: 'stream', name: s.name })),
                ...(doc.consumers ?? []).map((c) => layoutKey({ kind: 'consumer', name: consumerRefName(c.stream, c.name) })),
              ];
        v.select(ids);
      },
    }),
    [save],
  );
  useShortcuts(actions);

  if (!parsed) {
    return (
      <div className="page">
        <p className="error">This design no longer passes validation:</p>
        <ul className="problem-list">
          {loadProblems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
        <RepairOffer />
      </div>
    );
  }
  return (
    <DesignContext.Provider value={{ doc: parsed, ...results }}>
      <ReactFlowProvider>
        <div className="designer">
          <Toolbar
            onSave={persisted ? actions.save : undefined}
            onSearch={actions.search}
            extra={toolbarExtra}
            scenarios={<ScenarioSwitcher onCompare={() => setComparing(true)} />}
            after={
              <>
                <button type="button" onClick={() => setExporting(true)} title="Deploy manifests: Kubernetes, Compose, …">
                  Export…
                </button>
                <button
                  type="button"
                  aria-pressed={desOpen}
                  onClick={() => setDesOpen((o) => !o)}
                  title="Cross-check the figures with a seeded discrete-event simulation (runs the current what-if)"
                >
                  Simulate (DES)
                </button>
                <TimelineToggle />
                {persisted && (
                  <button type="button" aria-pressed={showHistory} onClick={() => setShowHistory((v) => !v)}>
                    History
                  </button>
                )}
                <LiveToggle live={live} />
                <button type="button" onClick={() => setHelping(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
                  ?
                </button>
              </>
            }
          />
          {helping && <ShortcutSheet onClose={() => setHelping(false)} />}
          {desOpen && <DesPanel doc={parsed} scale={scale} failZones={failZones} onClose={() => setDesOpen(false)} />}
          {comparing && (
            <Suspense fallback={null}>
              <ComparePage onClose={() => setComparing(false)} />
            </Suspense>
          )}
          {exporting && (
            <Suspense fallback={null}>
              <ExportDialog doc={parsed} name={name} onClose={() => setExporting(false)} />
            </Suspense>
          )}
          {banner}
          <VariantBanner onCompare={() => setComparing(true)} />
          {saveState === 'conflict' && designId ? (
            <ConflictBanner designId={designId} name={name} doc={useEditor.getState().design ?? parsed} editedRevision={revision} />
          ) : (
            saveError && (
              <p className="error banner" role="alert">
                {saveError}
              </p>
            )
          )}
          <div className="designer-body">
            <Palette />
            <div className="canvas-wrap">
              <MinuteDesign>
                <Canvas>
                  <LiveCanvasBadges live={live} />
                  <RehearsalBadges />
                  <CrossCheckBadges />
                </Canvas>
              </MinuteDesign>
              <WhatIfBar />
              <TimelinePanel doc={parsed} />
              {searching && <SearchBox onClose={() => setSearching(false)} />}
              <Toasts />
            </div>
            <SidePanel />
            {showHistory && persisted && designId && <HistoryPanel designId={designId} currentRevision={revision} dirty={saveState !== 'saved'} />}
            <LiveOverlayPanel live={live} />
          </div>
        </div>
      </ReactFlowProvider>
    </DesignContext.Provider>
  );
}
