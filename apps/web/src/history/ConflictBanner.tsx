import './history.css';
import type { TopologyInput } from '@busboard/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../lib/route.ts';
import { useTRPC } from '../trpc.ts';

/**
 * Shown when a save was refused with CONFLICT: someone saved a newer revision since this one
 * was opened. Nothing was overwritten; the user picks: reload the newer revision (dropping
 * their unsaved edits) or keep their version as a new design.
 */
export function ConflictBanner({
  designId,
  name,
  doc,
  editedRevision,
}: {
  designId: string;
  name: string;
  doc: TopologyInput;
  editedRevision: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The history, not the design itself: refetching the design would reload the editor and drop the user's edits.
  const history = useQuery({ ...trpc.designs.history.queryOptions({ id: designId }), staleTime: 0 });
  const latest = history.data?.[0];

  const copy = useMutation(
    trpc.designs.save.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        navigate(`/design/${id}`);
      },
    }),
  );
  const reload = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.designs.history.queryKey({ id: designId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.designs.get.queryKey({ id: designId }) });
  };

  return (
    <div className="conflict-banner" role="alert" data-testid="conflict-banner">
      <div className="conflict-text">
        <strong>Not saved: this design was changed elsewhere.</strong>{' '}
        {latest ? (
          <span>
            Revision {latest.revision} by {latest.author}, {new Date(latest.createdAt).toLocaleTimeString()}, is newer than revision {editedRevision}{' '}
            you were editing. Nothing was overwritten.
          </span>
        ) : (
          <span>A newer revision than {editedRevision} exists. Nothing was overwritten.</span>
        )}
      </div>
      <div className="conflict-actions">
        <button type="button" onClick={reload} title="Open the newer revision; your unsaved changes are dropped">
          Reload {latest ? `revision ${latest.revision}` : 'the latest'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={copy.isPending}
          onClick={() => copy.mutate({ name: `${name} (copy)`, doc, message: `copy of revision ${editedRevision} with unsaved changes` })}
        >
          Save my version as a copy
        </button>
      </div>
      {copy.error && <p className="error">Could not save the copy: {copy.error.message}</p>}
    </div>
  );
}
