import type { LiveSnapshot, ProbeSample } from '@busboard/core';
import { snapshotView } from '@busboard/core';
import { useEffect, useRef, useState } from 'react';
import { ServicesTable } from '../ServicesTable.tsx';
import { RttBars } from '../widgets.tsx';
import { originOf, wsOriginsAtLoad } from './cspOrigins.ts';
import { connectDirect, type DirectAuth, type DirectSession, pollDirect } from './directClient.ts';

/**
 * Browser-direct mode for a connection with WebSocket URLs: only the configured URLs can be
 * chosen (the page's CSP allows exactly those), and credentials typed here never leave the
 * page except to the NATS server.
 */
export function DirectPanel({ wsUrls, pollMs }: { wsUrls: string[]; pollMs: number }) {
  const [url, setUrl] = useState(wsUrls[0] ?? '');
  const [kind, setKind] = useState<DirectAuth['kind']>('none');
  const [user, setUser] = useState('');
  const [secret, setSecret] = useState('');
  const [session, setSession] = useState<DirectSession | null>(null);
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const probes = useRef<ProbeSample[]>([]);
  const [allowed, setAllowed] = useState<string[] | null>(null);
  useEffect(() => {
    void wsOriginsAtLoad().then(setAllowed);
  }, []);
  const blocked = allowed !== null && url !== '' && !allowed.includes(originOf(url));

  useEffect(() => {
    if (!session) return;
    let stopped = false;
    let previous: LiveSnapshot | null = null;
    const loop = async () => {
      while (!stopped && !session.nc.isClosed()) {
        try {
          previous = await pollDirect(session, previous, probes.current);
          if (!stopped) setSnapshot(previous);
        } catch (err) {
          if (!stopped) setProblem((err as Error).message);
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    };
    void loop();
    return () => {
      stopped = true;
    };
  }, [session, pollMs]);
  useEffect(() => () => void session?.close(), [session]);

  const connect = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const auth: DirectAuth = kind === 'user' ? { kind, user, pass: secret } : kind === 'token' ? { kind, token: secret } : { kind: 'none' };
      probes.current = [];
      setSession(await connectDirect(url, auth));
      setSecret('');
    } catch (err) {
      setProblem(`cannot connect to ${url}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const disconnect = async () => {
    await session?.close();
    setSession(null);
    setSnapshot(null);
  };

  if (!wsUrls.length) {
    return (
      <p className="muted live-tab">
        This connection has no WebSocket URLs. Add one (e.g. ws://host:8443, a server's websocket port) to connect from the browser.
      </p>
    );
  }
  const server = snapshot?.servers[0];
  return (
    <div className="live-tab direct" data-testid="direct-panel">
      <p className="muted small">
        The page connects to the cluster itself, over WebSocket: micro-service discovery and round trips as this browser sees them. Credentials you
        type stay in this page's memory.
      </p>
      {!session ? (
        <form className="live-form direct-form" onSubmit={connect} autoComplete="off">
          <label>
            <span>WebSocket URL</span>
            <select value={url} onChange={(e) => setUrl(e.target.value)}>
              {wsUrls.map((u) => (
                <option key={u}>{u}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Credentials (this page only)</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as DirectAuth['kind'])}>
              <option value="none">none</option>
              <option value="user">user and password</option>
              <option value="token">token</option>
            </select>
          </label>
          {kind === 'user' && <input aria-label="Direct user" placeholder="user" value={user} onChange={(e) => setUser(e.target.value)} />}
          {kind !== 'none' && (
            <input
              aria-label="Direct secret"
              type="password"
              placeholder={kind === 'token' ? 'token' : 'password'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          )}
          {blocked && (
            <p className="banner warn small" data-testid="direct-reload">
              This page was loaded before {originOf(url)} was configured, and its security policy only lets it connect where it was told to at load.{' '}
              <button type="button" onClick={() => window.location.reload()}>
                Reload the page
              </button>
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || !url || blocked}>
            Connect from this browser
          </button>
        </form>
      ) : (
        <p>
          Connected to <strong data-testid="direct-server">{server?.name ?? '…'}</strong>{' '}
          {server?.version && <span className="muted">({server.version})</span>} over <code>{session.url}</code>.{' '}
          <button type="button" onClick={disconnect}>
            Disconnect
          </button>
        </p>
      )}
      {problem && <p className="error">{problem}</p>}
      {snapshot && server && (
        <>
          <div className="direct-rtt" data-testid="direct-rtt">
            Browser → {server.name} round trip: <RttBars h={snapshot.serverProbes[server.name]} />
          </div>
          <ServicesTable snapshot={snapshotView(snapshot)} />
        </>
      )}
    </div>
  );
}
