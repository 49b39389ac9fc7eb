/**
 * The designer's toolbar: name and save state, views, history, layout, search, files. One row
 * at every width: below 1600 px the editing buttons show icons (their names stay as labels and
 * tooltips), below 1280 px the panels and tools after Save fold into a "More" menu.
 */
import { useEffect, useId, useRef, useState } from 'react';
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
  scenarios,
  after,
}: {
  onSave?: () => void;
  onSearch(): void;
  extra?: React.ReactNode;
  /** The scenario switcher (scenarios/ScenarioSwitcher.tsx). */
  scenarios?: React.ReactNode;
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
      {scenarios}
      <fieldset className="segmented" aria-label="view">
        {(['logical', 'physical'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} data-testid={`view-${v}`} onClick={() => useView.getState().setView(v)}>
            {v === 'logical' ? 'Logical' : 'Physical'}
          </button>
        ))}
      </fieldset>
      <IconButton label="Undo" icon="↶" title="Undo (Ctrl+Z)" disabled={!canUndo} onClick={() => useEditor.getState().undo()} />
      <IconButton label="Redo" icon="↷" title="Redo (Ctrl+Shift+Z)" disabled={!canRedo} onClick={() => useEditor.getState().redo()} />
      <IconButton
        label="Auto-layout"
        icon="⊞"
        title="Auto-layout: forget hand-set positions and lay out again (undoable)"
        onClick={() => {
          useEditor.getState().dispatch({ type: 'clearLayout' });
          setTimeout(() => useView.getState().requestFit(), 300);
        }}
      />
      <IconButton label="Fit" icon="⤢" title="Fit view (F)" onClick={() => useView.getState().requestFit()} />
      <IconButton label="Find" icon="⌕" title="Find a node (Ctrl+K)" onClick={onSearch} testId="search-button" />
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
      <MoreMenu>
        {after}
        {toolbarSlots.map((Slot, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots are registered once, in order
          <Slot key={i} />
        ))}
      </MoreMenu>
    </div>
  );
}

/** A button whose label gives way to an icon when the toolbar is short of room (CSS decides). */
function IconButton({
  label,
  icon,
  title,
  disabled,
  onClick,
  testId,
}: {
  label: string;
  icon: string;
  title: string;
  disabled?: boolean;
  onClick(): void;
  testId?: string;
}) {
  return (
    <button type="button" className="tool" aria-label={label} title={title} disabled={disabled} onClick={onClick} data-testid={testId}>
      <span className="tool-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="tool-label" aria-hidden="true">
        {label}
      </span>
    </button>
  );
}

/**
 * The tools after Save: inline when the toolbar has room, else behind "More" (a disclosure:
 * Tab walks its buttons, Escape closes it and returns to the toggle, a click elsewhere or on a
 * tool closes it).
 */
function MoreMenu({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const items = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    // A click on a tool inside closes the menu; the tool still gets its click.
    const list = items.current;
    const picked = () => setOpen(false);
    list?.addEventListener('click', picked);
    const away = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', key);
    return () => {
      list?.removeEventListener('click', picked);
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', key);
    };
  }, [open]);
  return (
    <div className="toolbar-more" ref={root} data-open={open}>
      <button
        ref={toggle}
        type="button"
        className="more-toggle"
        aria-expanded={open}
        aria-controls={id}
        data-testid="toolbar-more"
        onClick={() => setOpen((o) => !o)}
      >
        More ▾
      </button>
      <div id={id} ref={items} className="more-items">
        {children}
      </div>
    </div>
  );
}
