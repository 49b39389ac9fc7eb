/**
 * Autosave: every committed edit is saved through tRPC shortly after the last one, with the
 * revision it was based on; a newer revision elsewhere comes back as a conflict and stops
 * autosave until the user decides (reload theirs or overwrite).
 */
import { useEffect, useRef } from 'react';
import { useEditor } from '../state/editor.ts';
import { useTRPCClient } from '../trpc.ts';

const DELAY_MS = 700;

export function useAutosave(enabled: boolean): (autosave?: boolean) => Promise<void> {
  const client = useTRPCClient();
  const inFlight = useRef(false);

  const saveNow = useRef(async (_autosave = true) => {});
  saveNow.current = async (autosave = true) => {
    const s = useEditor.getState();
    // Nothing new to save (a Save click right after an autosave must not make an empty revision).
    if (!s.id || !s.doc || inFlight.current || s.saveState === 'conflict' || s.saveState === 'saved') return;
    inFlight.current = true;
    const version = s.version;
    s.markSaving();
    try {
      // `autosave` lets the history fold a run of automatic saves into one entry.
      const input = { id: s.id, name: s.name || 'Untitled', doc: s.doc, expectedRevision: s.revision, autosave };
      const { revision } = await client.designs.save.mutate(input);
      useEditor.getState().markSaved(revision, version);
    } catch (err) {
      const e = err as { data?: { code?: string }; message?: string };
      useEditor.getState().markFailed(e.data?.code === 'CONFLICT' ? 'conflict' : 'error', e.message ?? String(err));
    } finally {
      inFlight.current = false;
    }
    // Edits made while saving go out in the next save.
    if (useEditor.getState().saveState === 'unsaved') schedule();
  };

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const schedule = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow.current(), DELAY_MS);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: schedule reads refs only
  useEffect(() => {
    if (!enabled) return;
    const unsub = useEditor.subscribe((s, prev) => {
      if (s.version !== prev.version && s.saveState === 'unsaved') schedule();
    });
    const beforeUnload = (e: BeforeUnloadEvent) => {
      const st = useEditor.getState().saveState;
      if (st === 'unsaved' || st === 'saving') e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsub();
      window.removeEventListener('beforeunload', beforeUnload);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [enabled]);

  return (autosave = false) => saveNow.current(autosave);
}
