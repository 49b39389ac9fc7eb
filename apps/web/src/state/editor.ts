/**
 * The open design: its document, undo/redo history and save state. Derived state (results,
 * selection) lives elsewhere and is never saved.
 *
 * Every edit goes through `dispatch`, which applies a core command and validates the result
 * with the schema: an edit that would break the document is not committed, and its problems
 * (with their paths) come back to whoever asked, so the inspector can show them inline.
 */
import { applyCommand, type Command, migrate, type Problem, parseTopology, type Topology, type TopologyInput } from '@busboard/core';
import { create } from 'zustand';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

/** A document with its parsed form (parsing once per edit serves both the engine and the canvas). */
interface Version {
  doc: TopologyInput;
  parsed: Topology;
}

const HISTORY = 200;
const COALESCE_MS = 1500;
let lastEdit: { key: string | undefined; at: number } = { key: undefined, at: 0 };

interface EditorState {
  id: string | null;
  name: string;
  revision: number;
  doc: TopologyInput | null;
  /** The parsed document; null only when a stored document no longer validates. */
  parsed: Topology | null;
  /** Problems of a stored document that no longer validates (shown instead of the canvas). */
  loadProblems: Problem[];
  past: Version[];
  future: Version[];
  /** Counts every change of `doc`, so autosave knows whether a save is still current. */
  version: number;
  saveState: SaveState;
  saveError: string | null;
  load(id: string, name: string, revision: number, doc: TopologyInput): void;
  /**
   * Applies a command; returns the problems that kept it from being committed (empty = done).
   * Edits with the same `coalesce` key in quick succession (typing digits into one field)
   * make one undo step.
   */
  dispatch(cmd: Command, coalesce?: string): Problem[];
  undo(): void;
  redo(): void;
  setName(name: string): void;
  markSaving(): void;
  markSaved(revision: number, version: number): void;
  markFailed(state: 'conflict' | 'error', message: string): void;
}

export const useEditor = create<EditorState>((set, get) => ({
  id: null,
  name: '',
  revision: 0,
  doc: null,
  parsed: null,
  loadProblems: [],
  past: [],
  future: [],
  version: 0,
  saveState: 'saved',
  saveError: null,
  load: (id, name, revision, stored) => {
    // A design saved under an older schema (a v1 row) opens through its migration and is edited, saved and exported as the current version.
    const migrated = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? migrate(stored as Record<string, unknown>) : null;
    const doc = migrated?.ok ? (migrated.doc as TopologyInput) : stored;
    const parsed = parseTopology(doc);
    set({
      id,
      name,
      revision,
      doc,
      parsed: parsed.ok ? parsed.doc : null,
      loadProblems: parsed.ok ? [] : parsed.problems,
      past: [],
      future: [],
      version: get().version + 1,
      saveState: 'saved',
      saveError: null,
    });
  },
  dispatch: (cmd, coalesce) => {
    const { doc, parsed, past, version } = get();
    if (!doc) return [];
    const next = applyCommand(doc, cmd);
    if (next === doc) return [];
    const checked = parseTopology(next);
    if (!checked.ok) return checked.problems;
    const now = performance.now();
    const merge = coalesce !== undefined && lastEdit.key === coalesce && now - lastEdit.at < COALESCE_MS && past.length > 0;
    lastEdit = { key: coalesce, at: now };
    const history = merge || !parsed ? past : [...past, { doc, parsed }].slice(-HISTORY);
    set({ doc: next, parsed: checked.doc, loadProblems: [], past: history, future: [], version: version + 1, saveState: 'unsaved' });
    return [];
  },
  undo: () => {
    lastEdit = { key: undefined, at: 0 };
    const { doc, parsed, past, future, version } = get();
    const prev = past.at(-1);
    if (!doc || !parsed || !prev) return;
    set({ ...prev, past: past.slice(0, -1), future: [{ doc, parsed }, ...future], version: version + 1, saveState: 'unsaved' });
  },
  redo: () => {
    const { doc, parsed, past, future, version } = get();
    const next = future[0];
    if (!doc || !parsed || !next) return;
    set({ ...next, past: [...past, { doc, parsed }], future: future.slice(1), version: version + 1, saveState: 'unsaved' });
  },
  setName: (name) => set({ name, version: get().version + 1, saveState: 'unsaved' }),
  markSaving: () => set({ saveState: 'saving', saveError: null }),
  markSaved: (revision, version) => set({ revision, saveState: get().version === version ? 'saved' : 'unsaved', saveError: null }),
  markFailed: (state, message) => set({ saveState: state, saveError: message }),
}));
