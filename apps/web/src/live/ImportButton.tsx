import { formatProblems } from '@busboard/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { navigate } from '../lib/route.ts';
import { useTRPC } from '../trpc.ts';

/** "Import from cluster": drafts a design from what runs and saves it as a new design. */
export function ImportButton({ connectionId, clusterName }: { connectionId: string; clusterName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(`Imported from ${clusterName}`);
  const [done, setDone] = useState<{ id: string; notes: string[]; services: number; bundles: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = useMutation(
    trpc.live.importDesign.mutationOptions({
      onSuccess: async (res) => {
        if (!res.ok) return setProblem(formatProblems(res.problems));
        setProblem(null);
        setDone(res);
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
      },
      onError: (err) => setProblem(err.message),
    }),
  );
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Import as design…
      </button>
    );
  }
  return (
    <div className="import-box" data-testid="import-box">
      {!done ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate({ connectionId, name: name.trim() || undefined });
          }}
        >
          <label>
            Design name <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>{' '}
          <button type="submit" className="primary" disabled={run.isPending}>
            Import
          </button>{' '}
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div>
          <p>
            Drafted <strong>{done.services}</strong> services in <strong>{done.bundles}</strong> bundles.{' '}
            <button type="button" className="primary" onClick={() => navigate(`/design/${encodeURIComponent(done.id)}`)}>
              Open the design
            </button>
          </p>
          <ul className="small">
            {done.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {problem && <p className="error small">{problem}</p>}
    </div>
  );
}
