import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useImportFile } from '../documents/ImportDialog.tsx';
import { DeleteDesignButton, TrashSection } from '../history/Trash.tsx';
import { navigate } from '../lib/route.ts';
import { useTRPC, useTRPCClient } from '../trpc.ts';

/** A design to start from nothing: one zone, nothing in it yet. */
const BLANK: TopologyInput = { schema: 'busboard.topology/v1', name: 'Untitled design', zones: [{ name: 'zone-a', region: 'region-1' }] };

export function DesignsPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
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
  const duplicate = useMutation({
    mutationFn: async (id: string) => {
      const d = await client.designs.get.query({ id });
      return client.designs.save.mutate({ name: `${d.name} (copy)`, doc: d.doc });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() }),
  });
  const imp = useImportFile((doc, file) => create.mutate({ name: doc.name || file.replace(/\.(ya?ml|json)$/i, ''), doc }));
  return (
    <div className="page designs-page">
      <h1>Designs</h1>
      <div className="designs-actions">
        <button
          type="button"
          className="primary"
          disabled={create.isPending}
          data-testid="new-blank"
          onClick={() => create.mutate({ name: BLANK.name ?? 'Untitled', doc: BLANK })}
        >
          New blank design
        </button>
        <button type="button" onClick={imp.open} data-testid="import-design">
          Import YAML/JSON…
        </button>
        {imp.picker}
      </div>
      {imp.dialog}
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
            <button
              type="button"
              className="small"
              disabled={duplicate.isPending}
              onClick={() => duplicate.mutate(d.id)}
              aria-label={`duplicate ${d.name}`}
            >
              Duplicate
            </button>
            <DeleteDesignButton id={d.id} name={d.name} />
          </li>
        ))}
      </ul>
      {duplicate.error && <p className="error">Could not duplicate: {duplicate.error.message}</p>}
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
