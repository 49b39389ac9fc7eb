/** The designer's toolbar: name and save state, views, history, layout, search, files. */
import { FileMenu } from '../documents/FileMenu.tsx';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { DesignName } from './DesignName.tsx';
import { toolbarSlots } from './slots.ts';

const SAVE_LABEL = { unsaved: 'unsaved', saving: 'saving…', conflict: 'conflict: changed elsewhere', error: 'not saved' } as const;

export function Toolbar({
  onSave,
  onSearch,
  extra,
  after,
}: {
  onSave?: () => void;
  onSearch(): void;
  extra?: React.ReactNode;
  after?: React.ReactNode;
}) {
  const saveState = useEditor((s) => s.saveState);
  const revision = useEditor((s) => s.revision);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const view = useView((s) => s.view);
  return (
    <div className="toolbar">
      <DesignName />
      {onSave && (
        <span className={`save-state ${saveState}`} data-testid="save-state" title={saveState === 'saved' ? 'every change is saved' : undefined}>
          {saveState === 'saved' ? `saved · revision ${revision}` : SAVE_LABEL[saveState]}
        </span>
      )}
      {extra}
      <fieldset className="segmented" aria-label="view">
        {(['logical', 'physical'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} data-testid={`view-${v}`} onClick={() => useView.getState().setView(v)}>
            {v === 'logical' ? 'Logical' : 'Physical'}
          </button>
        ))}
      </fieldset>
      <button type="button" onClick={() => useEditor.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={() => useEditor.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button
        type="button"
        title="Forget hand-set positions and lay out again (undoable)"
        onClick={() => {
          useEditor.getState().dispatch({ type: 'clearLayout' });
          setTimeout(() => useView.getState().requestFit(), 300);
        }}
      >
        Auto-layout
      </button>
      <button type="button" title="Fit view (F)" onClick={() => useView.getState().requestFit()}>
        Fit
      </button>
      <button type="button" title="Find a node (Ctrl+K)" onClick={onSearch} data-testid="search-button">
        Find
      </button>
      <FileMenu />
      {onSave && (
        <button
          type="button"
          className="primary"
          onClick={onSave}
          disabled={saveState === 'saving'}
          title="Save now (Ctrl+S); changes also save by themselves"
        >
          Save
        </button>
      )}
      {after}
      {toolbarSlots.map((Slot, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: slots are registered once, in order
        <Slot key={i} />
      ))}
    </div>
  );
}
