/**
 * Edits as typed commands, applied by one pure reducer: undo/redo and autosave follow from
 * it (the editor keeps a history of documents; every command yields a new document).
 */
import type { TopologyInput } from '../schema/topology.ts';

export type Command = { type: 'setReplicas'; bundle: string; zone: string; replicas: number } | { type: 'rename'; name: string };

/** Applies a command; returns the same object when the command changes nothing. */
export function applyCommand(doc: TopologyInput, cmd: Command): TopologyInput {
  switch (cmd.type) {
    case 'setReplicas': {
      const replicas = Math.max(0, Math.floor(cmd.replicas));
      let changed = false;
      const bundles = (doc.bundles ?? []).map((b) => {
        if (b.name !== cmd.bundle || b.replicas[cmd.zone] === replicas) return b;
        changed = true;
        return { ...b, replicas: { ...b.replicas, [cmd.zone]: replicas } };
      });
      return changed ? { ...doc, bundles } : doc;
    }
    case 'rename':
      return doc.name === cmd.name ? doc : { ...doc, name: cmd.name };
  }
}
