/**
 * Keyboard: Delete/Backspace removes the selection (one undo step), Ctrl+Z / Ctrl+Shift+Z
 * (or Ctrl+Y) undo and redo, Ctrl+A selects everything in the view, F fits the view,
 * Ctrl+K or / searches a node by name, Ctrl+S saves now, Escape clears the selection.
 * Typing in a field keeps the field's own keys.
 */
import { type Command, parseLayoutKey } from '@busboard/core';
import { useEffect } from 'react';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { parseCallId, useView } from '../state/view.ts';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** The commands that delete a selection; calls go first, highest index first, so indexes stay right. */
export function deleteCommands(selection: readonly string[]): Command[] {
  const calls = selection
    .map(parseCallId)
    .filter((c): c is { from: string; index: number } => c !== null)
    .sort((a, b) => (a.from === b.from ? b.index - a.index : a.from.localeCompare(b.from)));
  const entities = selection.map(parseLayoutKey).filter((r): r is NonNullable<typeof r> => r !== null && r.kind !== 'nats');
  return [
    ...calls.map((c): Command => ({ type: 'removeCall', from: c.from, index: c.index })),
    ...entities.map((target): Command => ({ type: 'remove', target })),
  ];
}

export function deleteSelection() {
  const selection = useView.getState().selection;
  const commands = deleteCommands(selection);
  if (!commands.length) return;
  const problems = useEditor.getState().dispatch({ type: 'batch', commands });
  if (problems.length) useToasts.getState().problems('Cannot delete that', problems);
  else useView.getState().select([]);
}

export function useShortcuts(actions: { save(): void; search(): void; selectAll(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        actions.save();
        return;
      }
      if (mod && key === 'k') {
        e.preventDefault();
        actions.search();
        return;
      }
      if (typing(e.target)) return;
      const editor = useEditor.getState();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) editor.redo();
        else editor.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        editor.redo();
      } else if (mod && key === 'a') {
        e.preventDefault();
        actions.selectAll();
      } else if (!mod && (key === 'delete' || key === 'backspace')) {
        e.preventDefault();
        deleteSelection();
      } else if (!mod && !e.altKey && key === 'f') {
        useView.getState().requestFit();
      } else if (!mod && key === '/') {
        e.preventDefault();
        actions.search();
      } else if (key === 'escape') {
        useView.getState().select([]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
