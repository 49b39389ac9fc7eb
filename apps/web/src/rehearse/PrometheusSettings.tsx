/**
 * Where Prometheus is: the URL and credentials, sent once to the server, which keeps them sealed
 * (the browser sees the URL and the kind of credentials, never them). When the server's
 * environment sets BUSBOARD_PROMETHEUS_URL, that wins and the form says so.
 */
import { formatProblem, formatProblems } from '@busboard/core';
import './rehearse.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { navigate } from '../lib/route.ts';
import { useTRPC } from '../trpc.ts';

/** "Import from Prometheus": a whole design from the metrics (zones and bundles from the selected cluster, when there is one). */
function ImportFromPrometheus({ connectionId }: { connectionId: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = useMutation(
    trpc.prometheus.importDesign.mutationOptions({
      onSuccess: async (res) => {
        if (!res.ok) return setProblem(formatProblems(res.problems));
        setProblem(null);
        setNotes(res.notes);
        await queryClient.invalidateQueries({ queryKey: trpc.designs.list.queryKey() });
        navigate(`#/design/${res.id}`);
      },
      onError: (err) => setProblem(err.message),
    }),
  );
  return (
    <>
      <button
        type="button"
        disabled={run.isPending}
        title="Draft a design from the last 5 minutes of metrics: services, calls with measured calls per request, traffic, own times"
        onClick={() => run.mutate({ windowS: 300, ...(connectionId ? { connectionId } : {}) })}
      >
        {run.isPending ? 'Importing…' : 'Import design from Prometheus'}
      </button>
      {problem && <p className="error small">{problem}</p>}
      {notes && (
        <ul className="small">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function PrometheusSettings({ withImport = false, connectionId = null }: { withImport?: boolean; connectionId?: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const source = useQuery(trpc.prometheus.source.queryOptions());
  const [url, setUrl] = useState('');
  const [kind, setKind] = useState<'none' | 'bearer' | 'basic'>('none');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.prometheus.source.queryKey() });
  const save = useMutation(
    trpc.prometheus.setSource.mutationOptions({
      onSuccess: async (res) => {
        setProblems(res.ok ? [] : res.problems.map(formatProblem));
        if (res.ok) {
          setToken('');
          setPassword('');
          await refresh();
        }
      },
      onError: (err) => setProblems([err.message]),
    }),
  );
  const clear = useMutation(trpc.prometheus.clearSource.mutationOptions({ onSuccess: () => refresh() }));
  const v = source.data;
  return (
    <div className="prometheus-settings" data-testid="prometheus-settings">
      <h3>Prometheus</h3>
      {v?.configured ? (
        <p className="small">
          Reading <code>{v.url}</code> ({v.auth === 'none' ? 'no credentials' : `${v.auth} credentials, kept on the server`})
          {v.origin === 'env' ? ' from BUSBOARD_PROMETHEUS_URL.' : '. '}
          {v.origin === 'app' && (
            <button type="button" className="small" onClick={() => clear.mutate()}>
              Forget
            </button>
          )}
        </p>
      ) : (
        <p className="muted small">Not configured: set BUSBOARD_PROMETHEUS_URL on the server, or give it here.</p>
      )}
      {v?.origin !== 'env' && (
        <form
          className="prometheus-form"
          onSubmit={(e) => {
            e.preventDefault();
            const auth = kind === 'bearer' ? { kind, token } : kind === 'basic' ? { kind, username, password } : { kind };
            save.mutate({ source: { url, auth } });
          }}
        >
          <input aria-label="Prometheus URL" placeholder="http://127.0.0.1:9090" value={url} onChange={(e) => setUrl(e.target.value)} />
          <select aria-label="Prometheus credentials" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="none">no credentials</option>
            <option value="bearer">bearer token</option>
            <option value="basic">user and password</option>
          </select>
          {kind === 'bearer' && (
            <input type="password" aria-label="Bearer token" placeholder="token" value={token} onChange={(e) => setToken(e.target.value)} />
          )}
          {kind === 'basic' && (
            <>
              <input aria-label="User" placeholder="user" value={username} onChange={(e) => setUsername(e.target.value)} />
              <input type="password" aria-label="Password" placeholder="password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </>
          )}
          <button type="submit" disabled={!url || save.isPending}>
            Save
          </button>
        </form>
      )}
      {problems.map((p) => (
        <p key={p} className="error small">
          {p}
        </p>
      ))}
      {withImport && v?.configured && <ImportFromPrometheus connectionId={connectionId} />}
    </div>
  );
}
