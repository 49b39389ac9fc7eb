/**
 * Keyboard: Delete/Backspace removes the selection (one undo step), Ctrl+Z / Ctrl+Shift+Z
 * (or Ctrl+Y) undo and redo, Ctrl+A selects everything in the view, F fits the view, P collapses
 * or expands the side panel,
 * Ctrl+K or / searches a node by name, Ctrl+S saves now, Escape clears the selection, ? shows
 * the sheet of them all (`SHORTCUTS`).
 * Typing in a field keeps the field's own keys.
 */
import { type Command, parseLayoutKey, streamRemoval, type TopologyInput } from '@busboard/core';
import { useEffect } from 'react';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';
import { parseCallId, useView } from '../state/view.ts';

/** Every designer shortcut, as the sheet (`?`) shows it; `useShortcuts` below implements them. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Tab / Shift+Tab', does: 'Move between nodes on the canvas' },
  { keys: 'Enter or Space', does: 'Select the focused node' },
  { keys: 'Arrow keys', does: 'Nudge the selected nodes' },
  { keys: 'Delete / Backspace', does: 'Delete the selection (one undo step); a stream takes its consumers with it' },
  { keys: 'Ctrl+Z', does: 'Undo' },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y', does: 'Redo' },
  { keys: 'Ctrl+A', does: 'Select everything in the view' },
  { keys: 'Shift+drag', does: 'Select with a box' },
  { keys: 'Ctrl+click', does: 'Add to the selection' },
  { keys: 'F', does: 'Fit the design in view' },
  { keys: 'P', does: 'Collapse or expand the side panel (it starts collapsed below 1200 px wide)' },
  { keys: 'T', does: 'Open or close the timeline (the design over its day); in its slider ←/→ a minute, Shift+←/→ an hour' },
  { keys: 'G', does: 'Goal seek: the fewest replicas or the lowest cost for the SLOs, ρ and CPU targets, with a zone down' },
  { keys: 'V', does: 'Open the scenario switcher: the base, its variants, a new variant, compare them side by side' },
  { keys: 'Ctrl+K or /', does: 'Find a node by name' },
  { keys: 'Ctrl+S', does: 'Save now (changes also save by themselves)' },
  { keys: 'Escape', does: 'Clear the selection, close a dialog; in a field: drop the typing, then leave the field' },
  { keys: 'Type after adding', does: "A new thing's name field has the focus: type its name, Enter" },
  { keys: '?', does: 'Show this sheet' },
];

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
  const before = useEditor.getState().doc;
  const problems = useEditor.getState().dispatch({ type: 'batch', commands });
  if (problems.length) useToasts.getState().problems('Cannot delete that', problems);
  else {
    useView.getState().select([]);
    if (before) reportCascade(before, selection);
  }
}

/** A deleted stream takes its consumers and the acks it gave: say so (the inspector's Remove previews it). */
function reportCascade(before: TopologyInput, selection: readonly string[]): void {
  const lines: string[] = [];
  for (const ref of selection.map(parseLayoutKey)) {
    if (ref?.kind !== 'stream') continue;
    const { consumers, acks } = streamRemoval(before, ref.name);
    for (const c of consumers) lines.push(`${ref.name}: its consumer ${c} removed too`);
    for (const a of acks) lines.push(`${a.service} no longer waits for an ack of ${a.subject}`);
  }
  if (lines.length) useToasts.getState().show('Stream removed (Ctrl+Z undoes it)', lines, 'info');
}

export function useShortcuts(actions: { save(): void; search(): void; selectAll(): void; help(): void }) {
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
      } else if (!mod && !e.altKey && key === 'p') {
        useView.getState().togglePanel();
      } else if (!mod && e.key === '?') {
        e.preventDefault();
        actions.help();
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
