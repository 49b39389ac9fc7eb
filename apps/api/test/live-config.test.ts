import { describe, expect, it } from 'vitest';
import { connectionsFromEnv, publicView, stripUserInfo } from '../src/live/config.ts';

describe('live connections from the environment', () => {
  it('reads one cluster from BUSBOARD_NATS_*', () => {
    const r = connectionsFromEnv({
      BUSBOARD_NATS_URL: 'nats://a:4222, nats://b:4222',
      BUSBOARD_NATS_USER: 'app',
      BUSBOARD_NATS_PASSWORD: 's3cret',
      BUSBOARD_NATS_SYSTEM_USER: 'sys',
      BUSBOARD_NATS_SYSTEM_PASSWORD: 'sys-s3cret',
      BUSBOARD_NATS_WS_URLS: 'ws://a:8443',
      BUSBOARD_NATS_POLL_MS: '1000',
    });
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.connections).toHaveLength(1);
    expect(r.connections[0]).toMatchObject({
      id: 'env-1',
      origin: 'env',
      name: 'cluster',
      servers: ['nats://a:4222', 'nats://b:4222'],
      auth: { kind: 'user', user: 'app', password: 's3cret' },
      systemAuth: { kind: 'user', user: 'sys', password: 'sys-s3cret' },
      wsUrls: ['ws://a:8443'],
      pollMs: 1000,
    });
  });

  it('shows the browser no secret, not even one written into a URL', () => {
    const r = connectionsFromEnv({ BUSBOARD_NATS_URL: 'nats://app:pw@a:4222', BUSBOARD_NATS_TOKEN: 'tok-123' });
    if (!r.ok) throw new Error(r.errors.join());
    const view = JSON.stringify(publicView(r.connections[0] as never));
    expect(view).not.toContain('pw');
    expect(view).not.toContain('tok-123');
    expect(view).toContain('"auth":"token"');
    expect(stripUserInfo('nats://u:p@h:4222')).toBe('nats://h:4222');
  });

  it('reads several clusters from BUSBOARD_LIVE_CONNECTIONS and names what is wrong', () => {
    const ok = connectionsFromEnv({
      BUSBOARD_LIVE_CONNECTIONS: JSON.stringify([
        { name: 'a', monitorUrls: ['http://h:8222'] },
        { name: 'b', servers: ['nats://h:4222'] },
      ]),
    });
    expect(ok.ok && ok.connections.map((c) => `${c.id}:${c.name}`)).toEqual(['env-1:a', 'env-2:b']);
    const bad = connectionsFromEnv({ BUSBOARD_LIVE_CONNECTIONS: '[{"name":"x","servers":["http://nope"]},{"name":"y"}]' });
    expect(bad).toEqual({
      ok: false,
      errors: [
        'BUSBOARD_LIVE_CONNECTIONS[0].servers.0: must be a NATS URL such as nats://127.0.0.1:4222 or host:port',
        'BUSBOARD_LIVE_CONNECTIONS[1].servers: give NATS URLs (servers) or monitoring URLs (monitorUrls), or both',
      ],
    });
    const notJson = connectionsFromEnv({ BUSBOARD_LIVE_CONNECTIONS: '{oops' });
    expect(notJson.ok ? [] : notJson.errors[0]).toMatch(/^BUSBOARD_LIVE_CONNECTIONS is not JSON/);
  });
});
