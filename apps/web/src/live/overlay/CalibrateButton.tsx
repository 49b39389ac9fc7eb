import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useEditor } from '../../state/editor.ts';
import { useTRPC } from '../../trpc.ts';

/**
 * "Calibrate": measured entry rates and leaf service times into a new revision of the saved
 * design (on the server, so the revision check is atomic). The canvas then reloads it.
 */
export function CalibrateButton({ connectionId }: { connectionId: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id, revision, saveState } = useEditor();
  const [outcome, setOutcome] = useState<{
    message: string;
    changes: Array<{ path: string; from: number; to: number; reason: string }>;
    skipped: string[];
  } | null>(null);
  const run = useMutation(
    trpc.live.calibrate.mutationOptions({
      onSuccess: async (res) => {
        if (!res.ok) return setOutcome({ message: res.problem, changes: [], skipped: [] });
        setOutcome({
          message: res.changes.length ? `Calibrated into revision ${res.revision}.` : 'Nothing to change: the design already says what was measured.',
          changes: res.changes,
          skipped: res.skipped,
        });
        if (res.changes.length) await queryClient.invalidateQueries({ queryKey: trpc.designs.get.queryKey() });
      },
      onError: (err) => setOutcome({ message: err.message, changes: [], skipped: [] }),
    }),
  );
  const unsaved = saveState !== 'saved';
  return (
    <div className="calibrate">
      <button
        type="button"
        disabled={!id || !connectionId || unsaved || run.isPending}
        title={
          unsaved
            ? 'Save first: calibrate writes a new revision of the saved design'
            : 'Copy measured entry rates and leaf service times into a new revision'
        }
        onClick={() => id && connectionId && run.mutate({ connectionId, designId: id, expectedRevision: revision })}
      >
        {run.isPending ? 'Calibrating…' : 'Calibrate from live'}
      </button>
      {unsaved && <span className="muted small"> save first</span>}
      {outcome && (
        <div className="calibrate-outcome" data-testid="calibrate-outcome">
          <p>{outcome.message}</p>
          {outcome.changes.length > 0 && (
            <ul>
              {outcome.changes.map((c) => (
                <li key={c.path}>
                  <code>{c.path}</code> {c.from} → <strong>{c.to}</strong> <span className="muted">({c.reason})</span>
                </li>
              ))}
            </ul>
          )}
          {outcome.skipped.length > 0 && (
            <details>
              <summary>Left as designed ({outcome.skipped.length})</summary>
              <ul>
                {outcome.skipped.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
