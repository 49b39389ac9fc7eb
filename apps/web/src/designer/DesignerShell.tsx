/**
 * The designer around whatever document the editor holds: toolbar, palette, canvas with its
 * what-if bar, side panel. `persisted` designs autosave; a shared link's design does not
 * until it is saved as a new design.
 */
import { layoutKey } from '@busboard/core';
import { ReactFlowProvider } from '@xyflow/react';
import { type ReactNode, useMemo, useState } from 'react';
import { Canvas } from '../canvas/Canvas.tsx';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { DesignContext } from './context.ts';
import { Palette } from './Palette.tsx';
import { SearchBox } from './SearchBox.tsx';
import { SidePanel } from './SidePanel.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useAutosave } from './useAutosave.ts';
import { useResults } from './useResults.ts';
import { useShortcuts } from './useShortcuts.ts';
import { WhatIfBar } from './WhatIfBar.tsx';
import './designer.css';

export function DesignerShell({ persisted, toolbarExtra, banner }: { persisted: boolean; toolbarExtra?: ReactNode; banner?: ReactNode }) {
  const parsed = useEditor((s) => s.parsed);
  const loadProblems = useEditor((s) => s.loadProblems);
  const saveError = useEditor((s) => s.saveError);
  const results = useResults(parsed);
  const save = useAutosave(persisted);
  const [searching, setSearching] = useState(false);
  const actions = useMemo(
    () => ({
      save: () => void save(),
      search: () => setSearching(true),
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
      </div>
    );
  }
  return (
    <DesignContext.Provider value={{ doc: parsed, ...results }}>
      <ReactFlowProvider>
        <div className="designer">
          <Toolbar onSave={persisted ? actions.save : undefined} onSearch={actions.search} extra={toolbarExtra} />
          {banner}
          {saveError && (
            <p className="error banner" role="alert">
              {saveError}
              {useEditor.getState().saveState === 'conflict' && (
                <button type="button" className="small" onClick={() => window.location.reload()}>
                  Reload the newer version
                </button>
              )}
            </p>
          )}
          <div className="designer-body">
            <Palette />
            <div className="canvas-wrap">
              <Canvas />
              <WhatIfBar />
              {searching && <SearchBox onClose={() => setSearching(false)} />}
              <Toasts />
            </div>
            <SidePanel />
          </div>
        </div>
      </ReactFlowProvider>
    </DesignContext.Provider>
  );
}
