import './history.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc.ts';

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** Moves a design to the trash (restorable for 30 days, so no "are you sure?"). */
export function DeleteDesignButton({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.designs.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.designs.trash.queryKey() });
      },
    }),
  );
  return (
    <button
      type="button"
      className="delete-design"
      disabled={remove.isPending}
      onClick={() => remove.mutate({ id })}
      aria-label={`Delete ${name}`}
      title="Move to the trash (restorable for 30 days)"
    >
      Delete
    </button>
  );
}

/** Deleted designs, each restorable until it is purged 30 days after deletion. */
export function TrashSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const trash = useQuery(trpc.designs.trash.queryOptions());
  const restore = useMutation(
    trpc.designs.undelete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.designs.trash.queryKey() });
      },
    }),
  );
  if (!trash.data?.length) return null;
  return (
    <section className="trash" aria-labelledby="trash-title" data-testid="trash">
      <h2 id="trash-title">Trash</h2>
      <ul className="design-list">
        {trash.data.map((d) => (
          <li key={d.id}>
            <span>{d.name}</span>
            <span className="muted">
              deleted by {d.deletedBy} on {day(d.deletedAt)} · restorable until {day(d.purgeAfter)}
            </span>
            <button type="button" onClick={() => restore.mutate({ id: d.id })} disabled={restore.isPending} aria-label={`Restore ${d.name}`}>
              Restore
            </button>
          </li>
        ))}
      </ul>
      {restore.error && <p className="error">Could not restore: {restore.error.message}</p>}
    </section>
  );
}
