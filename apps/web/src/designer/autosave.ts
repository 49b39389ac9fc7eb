/**
 * Autosave as a framework-free controller (`subscribe`/`getSnapshot`; `useAutosave` is a thin
 * hook over it): every committed edit is saved shortly after the last one, with the revision it
 * was based on; a newer revision elsewhere comes back as a conflict and stops autosave until the
 * user decides (reload theirs or overwrite).
 */
import type { useEditor } from '../state/editor.ts';

const DELAY_MS = 700;

export interface SaveInput {
  id: string;
  name: string;
  doc: NonNullable<ReturnType<typeof useEditor.getState>['doc']>;
  expectedRevision: number;
  /** Lets the history fold a run of automatic saves into one entry. */
  autosave: boolean;
}

export interface AutosaveSnapshot {
  /** `scheduled`: an edit waits for the quiet moment; `saving`: a save is on its way. */
  status: 'idle' | 'scheduled' | 'saving';
}

export interface AutosaveController {
  subscribe(listener: () => void): () => void;
  getSnapshot(): AutosaveSnapshot;
  /** Saves now if there is anything new (a Save click, or the timer). */
  saveNow(autosave?: boolean): Promise<void>;
  /** Watches the editor for edits (and warns before leaving with unsaved ones); returns the stop. */
  start(): () => void;
}

type EditorStore = Pick<typeof useEditor, 'getState' | 'subscribe'>;
type PageEvents = Pick<Window, 'addEventListener' | 'removeEventListener'>;

export function createAutosave(deps: {
  editor: EditorStore;
  save(input: SaveInput): Promise<{ revision: number }>;
  page?: PageEvents;
  delayMs?: number;
}): AutosaveController {
  const { editor, page } = deps;
  const listeners = new Set<() => void>();
  let snapshot: AutosaveSnapshot = { status: 'idle' };
  let inFlight = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const set = (status: AutosaveSnapshot['status']) => {
    if (snapshot.status === status) return;
    snapshot = { status };
    for (const l of [...listeners]) l();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void saveNow(true), deps.delayMs ?? DELAY_MS);
    if (!inFlight) set('scheduled');
  };

  async function saveNow(autosave = true): Promise<void> {
    const s = editor.getState();
    // Nothing new to save (a Save click right after an autosave must not make an empty revision).
    if (!s.id || !(s.design ?? s.doc) || inFlight || s.saveState === 'conflict' || s.saveState === 'saved') {
      if (!inFlight) set('idle');
      return;
    }
    inFlight = true;
    set('saving');
    const version = s.version;
    s.markSaving();
    try {
      const { revision } = await deps.save({
        id: s.id,
        name: s.name || 'Untitled',
        doc: (s.design ?? s.doc) as NonNullable<typeof s.doc>,
        expectedRevision: s.revision,
        autosave,
      });
      editor.getState().markSaved(revision, version);
    } catch (err) {
      const e = err as { data?: { code?: string }; message?: string };
      editor.getState().markFailed(e.data?.code === 'CONFLICT' ? 'conflict' : 'error', e.message ?? String(err));
    } finally {
      inFlight = false;
      set('idle');
    }
    // Edits made while saving go out in the next save.
    if (editor.getState().saveState === 'unsaved') schedule();
  }

  const beforeUnload = (e: BeforeUnloadEvent) => {
    const st = editor.getState().saveState;
    if (st === 'unsaved' || st === 'saving') e.preventDefault();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    saveNow,
    start() {
      const unsub = editor.subscribe((s, prev) => {
        if (s.version !== prev.version && s.saveState === 'unsaved') schedule();
      });
      page?.addEventListener('beforeunload', beforeUnload);
      return () => {
        unsub();
        page?.removeEventListener('beforeunload', beforeUnload);
        clearTimeout(timer);
        if (!inFlight) set('idle');
      };
    },
  };
}
