/** A design opened from a share link: look, try what-ifs, then save it as a design of your own. */
import { formatProblem, parseTopology, repairDocument, type TopologyInput } from '@busboard/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DesignerShell } from '../designer/DesignerShell.tsx';
import { decodeShare } from '../documents/share.ts';
import { navigate } from '../lib/route.ts';
import { useEditor } from '../state/editor.ts';
import { useTRPC } from '../trpc.ts';

export function SharePage({ data }: { data: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string[] | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    decodeShare(data)
      .then((value) => {
        if (!live) return;
        const parsed = parseTopology(value);
        // A link made before today's stricter rules opens with its repair offered (the designer shows it).
        if (!parsed.ok && !repairDocument(value)) {
          setError(parsed.problems.map(formatProblem));
          return;
        }
        const doc = (parsed.ok ? parsed.doc : value) as TopologyInput;
        useEditor.getState().load('', doc.name || 'Shared design', 0, doc);
        useEditor.setState({ id: null });
        setReady(true);
      })
      .catch((err: Error) => live && setError([err.message]));
    return () => {
      live = false;
    };
  }, [data]);
  const save = useMutation(
    trpc.designs.save.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        navigate(`/design/${id}`);
      },
    }),
  );
  if (error) {
    return (
      <div className="page">
        <h1>This share link cannot be opened</h1>
        <ul className="problem-list">
          {error.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
    );
  }
  if (!ready) return <p className="page muted">Opening the shared design…</p>;
  return (
    <DesignerShell
      persisted={false}
      toolbarExtra={
        <button
          type="button"
          className="primary"
          disabled={save.isPending}
          data-testid="save-shared"
          onClick={() => {
            const s = useEditor.getState();
            if (s.design) save.mutate({ name: s.name || 'Shared design', doc: s.design });
          }}
        >
          Save as my design
        </button>
      }
      banner={<p className="banner info">A shared design: nothing here is saved until you save it as your own.</p>}
    />
  );
}
