/**
 * The right-hand panel: inspector, results, charts (loaded on first open), and slots for others.
 * It collapses to a strip of its tabs (the button on top, or P): by default below
 * `PANEL_AUTO_OPEN_WIDTH`, where the canvas needs the room, until the user opens it.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import './panels.css';
import { PANEL_AUTO_OPEN_WIDTH, type PanelTab, useView, wideWindow } from '../state/view.ts';
import { Inspector } from './inspector/Inspector.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { sidePanelSlots } from './slots.ts';
import { useDesignWarnings } from './useDesignWarnings.ts';

const ChartsPanel = lazy(() => import('../charts/ChartsPanel.tsx'));

/** Whether the window is at least `PANEL_AUTO_OPEN_WIDTH` wide, following resizes. */
function useWideWindow(): boolean {
  const [wide, setWide] = useState(wideWindow);
  useEffect(() => {
    const query = window.matchMedia(`(min-width: ${PANEL_AUTO_OPEN_WIDTH}px)`);
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return wide;
}

export function SidePanel() {
  const tab = useView((s) => s.tab);
  const wide = useWideWindow();
  const open = useView((s) => s.panelOpen) ?? wide;
  // The badge counts the list the Results tab shows (a missed SLO is one of its warnings).
  const warnings = useDesignWarnings().warnings.length;
  const tabs: { id: PanelTab | string; label: string; badge?: number }[] = [
    { id: 'inspect', label: 'Inspect' },
    { id: 'results', label: 'Results', badge: warnings },
    { id: 'charts', label: 'Charts' },
    ...sidePanelSlots.map((s) => ({ id: s.id, label: s.title })),
  ];
  const Slot = sidePanelSlots.find((s) => s.id === tab)?.Component;
  return (
    <aside className={`side-panel${open ? '' : ' collapsed'}`} data-testid="side-panel">
      <div className="panel-head">
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={open}
          aria-controls={open ? 'side-panel-body' : undefined}
          aria-label={open ? 'Collapse the side panel' : 'Expand the side panel'}
          title={`${open ? 'Collapse' : 'Expand'} the side panel (P)`}
          data-testid="panel-toggle"
          onClick={() => useView.getState().togglePanel()}
        >
          {open ? '»' : '«'}
        </button>
        <div className="tabs" role="tablist" aria-orientation={open ? 'horizontal' : 'vertical'}>
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              data-testid={`tab-${t.id}`}
              onClick={() => useView.getState().setTab(t.id as PanelTab)}
            >
              {t.label}
              {t.badge ? (
                <span className="badge" data-testid={`tab-${t.id}-badge`} title={`${t.badge} warning${t.badge === 1 ? '' : 's'}`}>
                  {t.badge}
                </span>
              ) : null}
            </button>
          ))}
        </div>
      </div>
      {open && (
        <div className="tab-body" id="side-panel-body">
          {tab === 'inspect' && <Inspector />}
          {tab === 'results' && <ResultsPanel />}
          {tab === 'charts' && (
            <Suspense fallback={<p className="muted panel-pad">Loading charts…</p>}>
              <ChartsPanel />
            </Suspense>
          )}
          {Slot && <Slot />}
        </div>
      )}
    </aside>
  );
}
