import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc.ts';

/** Servers of a real NATS cluster, read from their HTTP monitoring ports every 2 s. */
export function LivePage() {
  const trpc = useTRPC();
  const [text, setText] = useState(() => sessionStorage.getItem('busboard.monitorUrls') ?? '');
  const [urls, setUrls] = useState<string[]>(() => splitUrls(sessionStorage.getItem('busboard.monitorUrls') ?? ''));
  const servers = useQuery({ ...trpc.live.servers.queryOptions({ monitorUrls: urls }), enabled: urls.length > 0, refetchInterval: 2000 });
  const connect = (e: React.FormEvent) => {
    e.preventDefault();
    sessionStorage.setItem('busboard.monitorUrls', text);
    setUrls(splitUrls(text));
  };
  return (
    <div className="page live-page">
      <h1>Live cluster</h1>
      <form className="connect-form" onSubmit={connect}>
        <label htmlFor="monitor-urls">Monitoring URLs (one per server, comma or newline separated)</label>
        <textarea id="monitor-urls" rows={3} value={text} placeholder="http://127.0.0.1:8222" onChange={(e) => setText(e.target.value)} />
        <button type="submit">Connect</button>
      </form>
      {servers.error && <p className="error">{servers.error.message}</p>}
      {servers.data && (
        <table className="servers-table" data-testid="servers-table">
          <thead>
            <tr>
              <th>Server</th>
              <th>Status</th>
              <th>Cluster</th>
              <th>Version</th>
              <th>Connections</th>
              <th>Routes</th>
              <th>Monitoring URL</th>
            </tr>
          </thead>
          <tbody>
            {servers.data.map((s) => (
              <tr key={s.url} className={s.up ? 'up' : 'down'}>
                <td>{s.name ?? '—'}</td>
                <td>{s.up ? 'up' : `down: ${s.error}`}</td>
                <td>{s.cluster}</td>
                <td>{s.version}</td>
                <td>{s.connections ?? ''}</td>
                <td>{s.routes ?? ''}</td>
                <td className="mono">{s.url}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function splitUrls(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
