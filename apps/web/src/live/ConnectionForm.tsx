import { formatProblem } from '@busboard/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc.ts';

type AuthKind = 'none' | 'user' | 'token' | 'creds';

function split(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function authOf(kind: AuthKind, user: string, password: string, token: string, creds: string) {
  switch (kind) {
    case 'user':
      return { kind, user, password };
    case 'token':
      return { kind, token };
    case 'creds':
      return { kind, credsFile: creds };
    default:
      return { kind: 'none' as const };
  }
}

/**
 * Adds a cluster connection. Passwords and tokens go to the server once and never come back:
 * the list shows "user sys", not the password.
 */
export function ConnectionForm({ onAdded, onCancel }: { onAdded: (id: string) => void; onCancel?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('cluster');
  const [servers, setServers] = useState('');
  const [authKind, setAuthKind] = useState<AuthKind>('none');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [creds, setCreds] = useState('');
  const [sysKind, setSysKind] = useState<'none' | 'user' | 'creds'>('none');
  const [sysUser, setSysUser] = useState('');
  const [sysPassword, setSysPassword] = useState('');
  const [sysCreds, setSysCreds] = useState('');
  const [ca, setCa] = useState('');
  const [monitor, setMonitor] = useState('');
  const [ws, setWs] = useState('');
  const [pollMs, setPollMs] = useState(2000);
  const [problems, setProblems] = useState<string[]>([]);

  const add = useMutation(
    trpc.live.addConnection.mutationOptions({
      onSuccess: async (res) => {
        if (!res.ok) return setProblems(res.problems.map(formatProblem));
        setProblems([]);
        setPassword('');
        setSysPassword('');
        setToken('');
        await queryClient.invalidateQueries({ queryKey: trpc.live.connections.queryKey() });
        onAdded(res.connection.id);
      },
      onError: (err) => setProblems([err.message]),
    }),
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const connection: Record<string, unknown> = {
      name: name.trim() || 'cluster',
      servers: split(servers),
      auth: authOf(authKind, user, password, token, creds),
      monitorUrls: split(monitor),
      wsUrls: split(ws),
      pollMs,
    };
    if (sysKind !== 'none') connection.systemAuth = authOf(sysKind, sysUser, sysPassword, '', sysCreds);
    if (ca.trim()) connection.tlsCaFile = ca.trim();
    add.mutate({ connection });
  };

  return (
    <form className="connect-form live-form" onSubmit={submit} autoComplete="off">
      <label>
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        <span>NATS URLs</span>
        <input value={servers} placeholder="nats://127.0.0.1:4222" onChange={(e) => setServers(e.target.value)} />
      </label>
      <label>
        <span>Credentials</span>
        <select value={authKind} onChange={(e) => setAuthKind(e.target.value as AuthKind)}>
          <option value="none">none</option>
          <option value="user">user and password</option>
          <option value="token">token</option>
          <option value="creds">.creds file (JWT/NKey)</option>
        </select>
      </label>
      {authKind === 'user' && (
        <div className="live-form-row">
          <input aria-label="User" placeholder="user" value={user} onChange={(e) => setUser(e.target.value)} />
          <input aria-label="Password" type="password" placeholder="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
      )}
      {authKind === 'token' && (
        <input aria-label="Token" type="password" placeholder="token" value={token} onChange={(e) => setToken(e.target.value)} />
      )}
      {authKind === 'creds' && (
        <input aria-label="Creds file" placeholder="/path/on/the/server/user.creds" value={creds} onChange={(e) => setCreds(e.target.value)} />
      )}
      <label>
        <span>System account user (sees every server, route and gateway)</span>
        <select value={sysKind} onChange={(e) => setSysKind(e.target.value as 'none' | 'user' | 'creds')}>
          <option value="none">none</option>
          <option value="user">user and password</option>
          <option value="creds">.creds file</option>
        </select>
      </label>
      {sysKind === 'user' && (
        <div className="live-form-row">
          <input aria-label="System user" placeholder="sys user" value={sysUser} onChange={(e) => setSysUser(e.target.value)} />
          <input
            aria-label="System password"
            type="password"
            placeholder="password"
            value={sysPassword}
            onChange={(e) => setSysPassword(e.target.value)}
          />
        </div>
      )}
      {sysKind === 'creds' && (
        <input aria-label="System creds file" placeholder="/path/sys.creds" value={sysCreds} onChange={(e) => setSysCreds(e.target.value)} />
      )}
      <label>
        <span>TLS CA file (on the server)</span>
        <input value={ca} placeholder="optional" onChange={(e) => setCa(e.target.value)} />
      </label>
      <label htmlFor="monitor-urls">Monitoring URLs (one per server, comma or newline separated)</label>
      <textarea id="monitor-urls" rows={3} value={monitor} placeholder="http://127.0.0.1:8222" onChange={(e) => setMonitor(e.target.value)} />
      <label>
        <span>WebSocket URLs (browser-direct mode)</span>
        <input value={ws} placeholder="ws://127.0.0.1:8443" onChange={(e) => setWs(e.target.value)} />
      </label>
      <label>
        <span>Poll every (ms)</span>
        <input type="number" min={250} max={60000} step={250} value={pollMs} onChange={(e) => setPollMs(Number(e.target.value))} />
      </label>
      {problems.length > 0 && (
        <ul className="problems live-problems" data-testid="connection-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="live-form-row">
        <button type="submit" className="primary" disabled={add.isPending}>
          Connect
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
