/** Autosave for the open design while `enabled`: a thin hook over the autosave controller (autosave.ts). */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useEditor } from '../state/editor.ts';
import { useTRPCClient } from '../trpc.ts';
import { type AutosaveSnapshot, createAutosave } from './autosave.ts';

export function useAutosave(enabled: boolean): { save(autosave?: boolean): Promise<void>; state: AutosaveSnapshot } {
  const client = useTRPCClient();
  const [controller] = useState(() => createAutosave({ editor: useEditor, save: (input) => client.designs.save.mutate(input), page: window }));
  const state = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  useEffect(() => (enabled ? controller.start() : undefined), [enabled, controller]);
  // A call from the page (the Save button, Ctrl+S) is not an autosave unless it says so.
  const save = useCallback((autosave = false) => controller.saveNow(autosave), [controller]);
  return { save, state };
}
