import { EXAMPLES } from '@busboard/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DeleteDesignButton, TrashSection } from '../history/Trash.tsx';
import { navigate } from '../lib/route.ts';
import { useTRPC } from '../trpc.ts';

export function DesignsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const designs = useQuery(trpc.designs.list.queryOptions());
  const create = useMutation(
    trpc.designs.save.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        navigate(`/design/${id}`);
      },
    }),
  );
  return (
    <div className="page designs-page">
      <h1>Designs</h1>
      {designs.isPending && <p className="muted">Loading designs…</p>}
      {designs.error && <p className="error">Could not load designs: {designs.error.message}</p>}
      {designs.data && designs.data.length === 0 && <p className="muted">No designs yet: start from an example below.</p>}
      <ul className="design-list">
        {designs.data?.map((d) => (
          <li key={d.id}>
            <a href={`#/design/${d.id}`}>{d.name}</a>
            <span className="muted">
              revision {d.revision} · {new Date(d.updatedAt).toLocaleString()}
            </span>
            <DeleteDesignButton id={d.id} name={d.name} />
          </li>
        ))}
      </ul>
      <h2>New from an example</h2>
      <div className="examples">
        {EXAMPLES.map((ex) => (
          <button
            key={ex.id}
            type="button"
            className="example-card"
            disabled={create.isPending}
            onClick={() => create.mutate({ name: ex.title, doc: ex.doc })}
          >
            <strong>{ex.title}</strong>
            <span>{ex.summary}</span>
          </button>
        ))}
      </div>
      {create.error && <p className="error">Could not create the design: {create.error.message}</p>}
      <TrashSection />
    </div>
  );
}
