/** The right-hand panel: inspector, results, charts (loaded on first open), and slots for others. */
import { lazy, Suspense } from 'react';
import './panels.css';
import { useDesign } from '../design/context.ts';
import { type PanelTab, useView } from '../state/view.ts';
import { Inspector } from './inspector/Inspector.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { sidePanelSlots } from './slots.ts';
import { useDesignWarnings } from './useDesignWarnings.ts';

const ChartsPanel = lazy(() => import('../charts/ChartsPanel.tsx'));

export function SidePanel() {
  const tab = useView((s) => s.tab);
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
    <aside className="side-panel">
      <div className="tabs" role="tablist">
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
      <div className="tab-body">
        {tab === 'inspect' && <Inspector />}
        {tab === 'results' && <ResultsPanel />}
        {tab === 'charts' && (
          <Suspense fallback={<p className="muted panel-pad">Loading charts…</p>}>
            <ChartsPanel />
          </Suspense>
        )}
        {Slot && <Slot />}
      </div>
    </aside>
  );
}
