/**
 * The open design: its document, undo/redo history and save state. Derived state (results,
 * selection) lives elsewhere and is never saved.
 */
import { applyCommand, type Command, type TopologyInput } from '@busboard/core';
import { create } from 'zustand';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

interface EditorState {
  id: string | null;
  name: string;
  revision: number;
  doc: TopologyInput | null;
  past: TopologyInput[];
  future: TopologyInput[];
  saveState: SaveState;
  saveError: string | null;
  load(id: string, name: string, revision: number, doc: TopologyInput): void;
  dispatch(cmd: Command): void;
  undo(): void;
  redo(): void;
  markSaving(): void;
  markSaved(revision: number): void;
  markFailed(state: 'conflict' | 'error', message: string): void;
}

export const useEditor = create<EditorState>((set, get) => ({
  id: null,
  name: '',
  revision: 0,
  doc: null,
  past: [],
  future: [],
  saveState: 'saved',
  saveError: null,
  load: (id, name, revision, doc) => set({ id, name, revision, doc, past: [], future: [], saveState: 'saved', saveError: null }),
  dispatch: (cmd) => {
    const { doc, past } = get();
    if (!doc) return;
    const next = applyCommand(doc, cmd);
    if (next === doc) return;
    set({ doc: next, past: [...past, doc].slice(-200), future: [], saveState: 'unsaved' });
  },
  undo: () => {
    const { doc, past, future } = get();
    const prev = past.at(-1);
    if (!doc || !prev) return;
    set({ doc: prev, past: past.slice(0, -1), future: [doc, ...future], saveState: 'unsaved' });
  },
  redo: () => {
    const { doc, past, future } = get();
    const next = future[0];
    if (!doc || !next) return;
    set({ doc: next, past: [...past, doc], future: future.slice(1), saveState: 'unsaved' });
  },
  markSaving: () => set({ saveState: 'saving', saveError: null }),
  markSaved: (revision) => set({ revision, saveState: 'saved', saveError: null }),
  markFailed: (state, message) => set({ saveState: state, saveError: message }),
}));
