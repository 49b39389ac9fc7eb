import { EXAMPLES, type TopologyInput } from '@busboard/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useImportFile } from '../documents/ImportDialog.tsx';
import { DeleteDesignButton, TrashSection } from '../history/Trash.tsx';
import { navigate } from '../lib/route.ts';
import { useTRPC, useTRPCClient } from '../trpc.ts';
import { type CardStatus, StatusChips, Thumb, useDesignCard } from './DesignCard.tsx';
import { freshName } from './thumbnail.ts';

/** A design to start from nothing: one zone, nothing in it yet. */
const BLANK: TopologyInput = { schema: 'busboard.topology/v3', name: 'Untitled design', zones: [{ name: 'zone-a', region: 'region-1' }] };

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
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('updated');
  const cards = useQueryClient();
  const shown = sortDesigns(
    (designs.data ?? []).filter((d) => d.name.toLowerCase().includes(query.trim().toLowerCase())),
    sort,
    (id, revision) => cards.getQueryData<{ status: CardStatus } | null>(['design-card', id, revision])?.status.headroom ?? null,
  );
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
          onClick={() => {
            const name = freshName(BLANK.name ?? 'Untitled design', designs.data?.map((d) => d.name) ?? []);
            create.mutate({ name, doc: { ...BLANK, name } });
          }}
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
      {designs.data && designs.data.length > 0 && (
        <div className="design-list-tools">
          <input
            type="search"
            placeholder="Search designs"
            aria-label="Search designs"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="design-search"
          />
          <label>
            Sort by{' '}
            <select value={sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="design-sort">
              <option value="updated">last edited</option>
              <option value="name">name</option>
              <option value="headroom">headroom, least first</option>
            </select>
          </label>
        </div>
      )}
      <ul className="design-list" data-testid="design-list">
        {shown.map((d) => (
          <DesignRow key={d.id} design={d} onDuplicate={() => duplicate.mutate(d.id)} duplicating={duplicate.isPending} />
        ))}
      </ul>
      {designs.data && designs.data.length > 0 && shown.length === 0 && <p className="muted">No design matches “{query}”.</p>}
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

type Sort = 'updated' | 'name' | 'headroom';
interface Summary {
  id: string;
  name: string;
  revision: number;
  updatedAt: string;
}

/** Designs in the order asked; by headroom, designs whose status is not known yet go last. */
function sortDesigns<T extends Summary>(list: T[], sort: Sort, headroom: (id: string, revision: number) => number | null): T[] {
  const out = [...list];
  if (sort === 'name') out.sort((a, b) => a.name.localeCompare(b.name));
  else if (sort === 'updated') out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  else out.sort((a, b) => (headroom(a.id, a.revision) ?? Number.POSITIVE_INFINITY) - (headroom(b.id, b.revision) ?? Number.POSITIVE_INFINITY));
  return out;
}

function DesignRow({ design: d, onDuplicate, duplicating }: { design: Summary; onDuplicate(): void; duplicating: boolean }) {
  const card = useDesignCard(d.id, d.revision);
  return (
    <li data-testid={`design-row-${d.name}`}>
      <Thumb doc={card.data?.doc} />
      <span className="design-main">
        <a href={`#/design/${d.id}`}>{d.name}</a>
        <span className="muted small">
          revision {d.revision} · {new Date(d.updatedAt).toLocaleString()}
        </span>
      </span>
      <StatusChips status={card.data?.status} />
      <span className="design-actions">
        <button type="button" className="small" disabled={duplicating} onClick={onDuplicate} aria-label={`Duplicate ${d.name}`}>
          Duplicate
        </button>
        <DeleteDesignButton id={d.id} name={d.name} />
      </span>
    </li>
  );
}
