import './history.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getAuthor, setAuthor } from '../auth/token.ts';
import { useTRPC } from '../trpc.ts';
import { DiffSummary } from './DiffSummary.tsx';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * The design's revisions, newest first: who, when, message (a run of autosaves shows as one).
 * Picking one shows what changed from it to the open revision, and can restore it (as a new
 * revision: nothing is lost, and restoring can itself be undone from here).
 */
export function HistoryPanel({ designId, currentRevision, dirty }: { designId: string; currentRevision: number; dirty: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery({ ...trpc.designs.history.queryOptions({ id: designId }), staleTime: 0 });
  const [picked, setPicked] = useState<number | null>(null);
  const [author, setAuthorField] = useState(() => getAuthor() ?? '');
  const { refetch } = history;

  // A save elsewhere on the page adds a revision: show it.
  useEffect(() => {
    void currentRevision;
    void refetch();
  }, [currentRevision, refetch]);

  const diff = useQuery({
    ...trpc.designs.diff.queryOptions({ id: designId, from: picked ?? 1, to: currentRevision }),
    enabled: picked !== null && picked !== currentRevision,
  });
  const restore = useMutation(
    trpc.designs.restore.mutationOptions({
      onSuccess: async () => {
        setPicked(null);
        await queryClient.invalidateQueries({ queryKey: trpc.designs.get.queryKey({ id: designId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.designs.history.queryKey({ id: designId }) });
      },
    }),
  );

  return (
    <aside className="history-panel" aria-label="History" data-testid="history-panel">
      <h2>History</h2>
      <label className="history-author">
        <span>Your name in history</span>
        <input
          value={author}
          placeholder="anonymous"
          maxLength={80}
          onChange={(e) => {
            setAuthorField(e.target.value);
            setAuthor(e.target.value);
          }}
        />
      </label>
      {history.isPending && <p className="muted">Loading revisions…</p>}
      {history.error && <p className="error">Could not load the history: {history.error.message}</p>}
      <ol className="revisions">
        {history.data?.map((r) => (
          <li key={r.revision}>
            <button
              type="button"
              className={`revision${picked === r.revision ? ' picked' : ''}${r.revision === currentRevision ? ' current' : ''}`}
              aria-pressed={picked === r.revision}
              onClick={() => setPicked(picked === r.revision ? null : r.revision)}
              data-testid={`revision-${r.revision}`}
            >
              <span className="revision-head">
                <strong>r{r.revision}</strong> {r.autosave ? <span className="autosave">autosave{r.saves > 1 ? ` ×${r.saves}` : ''}</span> : null}
                {r.revision === currentRevision && <span className="open-badge">open</span>}
              </span>
              <span className="revision-message">{r.message || (r.autosave ? 'edits saved automatically' : 'no message')}</span>
              <span className="muted">
                {r.author} · {when(r.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {picked !== null && picked !== currentRevision && (
        <section className="revision-detail" data-testid="revision-detail">
          <h3>
            From r{picked} to r{currentRevision} (open)
          </h3>
          {diff.isPending && <p className="muted">Comparing…</p>}
          {diff.error && <p className="error">{diff.error.message}</p>}
          {diff.data && <DiffSummary diff={diff.data} />}
          {dirty && <p className="muted">Restoring replaces your unsaved changes.</p>}
          <button
            type="button"
            className="primary"
            disabled={restore.isPending}
            onClick={() => restore.mutate({ id: designId, revision: picked, expectedRevision: currentRevision })}
          >
            Restore r{picked}
          </button>
          {restore.error && <p className="error">{restore.error.message}</p>}
        </section>
      )}
    </aside>
  );
}
