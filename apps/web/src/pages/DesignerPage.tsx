import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { DesignerShell } from '../designer/DesignerShell.tsx';
import { useEditor } from '../state/editor.ts';
import { useView } from '../state/view.ts';
import { useTRPC } from '../trpc.ts';

export function DesignerPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const design = useQuery({ ...trpc.designs.get.queryOptions({ id }), staleTime: Number.POSITIVE_INFINITY });
  const loadedId = useEditor((s) => s.id);

  useEffect(() => {
    if (!design.data) return;
    // Another design: start clean. The same one reloaded (a restore, a conflict resolved): keep the selection.
    const another = useEditor.getState().id !== design.data.id;
    useEditor.getState().load(design.data.id, design.data.name, design.data.revision, design.data.doc);
    if (another) {
      useView.getState().select([]);
      useView.getState().resetWhatIf();
    }
  }, [design.data]);

  if (design.isPending) return <p className="page muted">Loading design…</p>;
  if (design.error) return <p className="page error">Could not load the design: {design.error.message}</p>;
  if (loadedId !== id) return null;
  return <DesignerShell persisted />;
}
