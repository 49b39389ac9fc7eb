/**
 * The design's name where a user looks for it: the toolbar's title is an input. Enter or
 * leaving it renames the design (its entry in the designs list and the document's `name`,
 * one undo step); Escape puts the old name back.
 */
import './design-name.css';
import { useEffect, useState } from 'react';
import { useEditor } from '../state/editor.ts';

export function DesignName() {
  const name = useEditor((s) => s.name);
  const [draft, setDraft] = useState<string | null>(null);
  // A rename from elsewhere (the document inspector, undo) replaces a stale draft.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored name changes
  useEffect(() => setDraft(null), [name]);
  const commit = () => {
    const to = (draft ?? '').trim();
    setDraft(null);
    if (draft === null || to === '' || to === name) return;
    const editor = useEditor.getState();
    editor.setName(to);
    editor.dispatch({ type: 'rename', name: to });
  };
  return (
    <h1 className="design-name">
      <input
        className="design-name-input"
        aria-label="Design name"
        title="Design name: click to rename"
        data-testid="design-name"
        value={draft ?? name}
        spellCheck={false}
        size={Math.min(32, Math.max(8, (draft ?? name).length + 1))}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            setDraft(null);
            e.currentTarget.blur();
          }
        }}
      />
    </h1>
  );
}
