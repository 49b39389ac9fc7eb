/**
 * The open design: its document, undo/redo history and save state. Derived state (results,
 * selection) lives elsewhere and is never saved.
 *
 * Every edit goes through `dispatch`, which applies a core command and validates the result
 * with the schema: an edit that would break the document is not committed, and its problems
 * (with their paths) come back to whoever asked, so the inspector can show them inline.
 *
 * Variants (issue 20): `design` is the whole saved document, base and `scenarios`. With the
 * base active `doc` is `design` itself and nothing differs from a design without variants.
 * With a variant active `doc` is the variant's resolved document (what the canvas, Results and
 * every command see), and an edit recomputes that variant's change set in `design` instead of
 * touching the base: still one undo step of the document, which is what autosave saves.
 */
import { applyCommand, BASE_SCENARIO, type Command, migrate, type Problem, parseTopology, type Topology, type TopologyInput } from '@busboard/core';
import { create } from 'zustand';
import { variantInput, withVariantEdited } from '../scenarios/variants.ts';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

/** A document with its parsed form (parsing once per edit serves both the engine and the canvas). */
interface Version {
  doc: TopologyInput;
  parsed: Topology;
  design: TopologyInput;
  /** The scenario active at the time: undo goes back to where the edit was made. */
  scenario: string;
}

const HISTORY = 200;
const COALESCE_MS = 1500;
let lastEdit: { key: string | undefined; at: number } = { key: undefined, at: 0 };

interface EditorState {
  id: string | null;
  name: string;
  revision: number;
  /** The document being edited: the design itself, or the active variant's resolved document. */
  doc: TopologyInput | null;
  /** The whole design as saved: the base with its `scenarios` (=== `doc` while the base is active). */
  design: TopologyInput | null;
  /** The active scenario: `base` or a variant's name. Not saved (a view of the design). */
  scenario: string;
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
  /** Shows and edits `name` (`base` or a variant); returns the problems of a variant that does not resolve (then nothing changes). */
  setScenario(name: string): Problem[];
  /**
   * Replaces the whole design (a variant added, renamed, deleted…) as one undo step and makes
   * `scenario` active; returns the problems that kept it from being committed.
   */
  editDesign(design: TopologyInput, scenario: string): Problem[];
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
  design: null,
  scenario: BASE_SCENARIO,
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
      design: doc,
      scenario: BASE_SCENARIO,
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
    const { doc, design, scenario, parsed, past, version } = get();
    if (!doc || !design) return [];
    const next = applyCommand(doc, cmd);
    if (next === doc) return [];
    const checked = parseTopology(next);
    if (!checked.ok) return checked.problems;
    const nextDesign = scenario === BASE_SCENARIO ? next : withVariantEdited(design, scenario, next);
    if (nextDesign !== next) {
      // The variant's edit must leave a design that still saves (its what-if's zones still there…).
      const whole = parseTopology(nextDesign);
      if (!whole.ok) return whole.problems;
    }
    const now = performance.now();
    const merge = coalesce !== undefined && lastEdit.key === coalesce && now - lastEdit.at < COALESCE_MS && past.length > 0;
    lastEdit = { key: coalesce, at: now };
    const history = merge || !parsed ? past : [...past, { doc, parsed, design, scenario }].slice(-HISTORY);
    set({
      doc: next,
      design: nextDesign,
      parsed: checked.doc,
      loadProblems: [],
      past: history,
      future: [],
      version: version + 1,
      saveState: 'unsaved',
    });
    return [];
  },
  undo: () => {
    lastEdit = { key: undefined, at: 0 };
    const { doc, design, scenario, parsed, past, future, version } = get();
    const prev = past.at(-1);
    if (!doc || !design || !parsed || !prev) return;
    set({ ...prev, past: past.slice(0, -1), future: [{ doc, parsed, design, scenario }, ...future], version: version + 1, saveState: 'unsaved' });
  },
  redo: () => {
    const { doc, design, scenario, parsed, past, future, version } = get();
    const next = future[0];
    if (!doc || !design || !parsed || !next) return;
    set({ ...next, past: [...past, { doc, parsed, design, scenario }], future: future.slice(1), version: version + 1, saveState: 'unsaved' });
  },
  setScenario: (name) => {
    const { design, scenario } = get();
    if (!design || name === scenario) return [];
    const doc = variantInput(design, name);
    const checked = parseTopology(doc);
    if (!checked.ok) return checked.problems;
    lastEdit = { key: undefined, at: 0 };
    set({ scenario: name, doc, parsed: checked.doc });
    return [];
  },
  editDesign: (nextDesign, nextScenario) => {
    const { doc, design, scenario, parsed, past, version } = get();
    if (!doc || !design || !parsed) return [];
    const nextDoc = variantInput(nextDesign, nextScenario);
    const checked = parseTopology(nextDoc);
    if (!checked.ok) return checked.problems;
    if (nextScenario !== BASE_SCENARIO) {
      // The variant resolves; the design holding it must still be a valid document too.
      const whole = parseTopology(nextDesign);
      if (!whole.ok) return whole.problems;
    }
    lastEdit = { key: undefined, at: 0 };
    set({
      doc: nextDoc,
      design: nextDesign,
      scenario: nextScenario,
      parsed: checked.doc,
      past: [...past, { doc, parsed, design, scenario }].slice(-HISTORY),
      future: [],
      version: version + 1,
      saveState: 'unsaved',
    });
    return [];
  },
  setName: (name) => set({ name, version: get().version + 1, saveState: 'unsaved' }),
  markSaving: () => set({ saveState: 'saving', saveError: null }),
  markSaved: (revision, version) => set({ revision, saveState: get().version === version ? 'saved' : 'unsaved', saveError: null }),
  markFailed: (state, message) => set({ saveState: state, saveError: message }),
}));
