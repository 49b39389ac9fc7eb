import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServerProcess } from './support/process.ts';
import { tempDir } from './support/server.ts';

const errorsOf = (env: Record<string, string>) => {
  const r = loadConfig(env, '/srv');
  return r.ok ? [] : r.errors;
};

/** What `openssl rand -hex 32` prints. */
const STRONG = '9f2c4e71a0b35d86e4f1c27a9b0d3e58c6a1f47e2b9d05c3a8e6f1b274d09c3e';

describe('configuration from the environment', () => {
  it('defaults to 127.0.0.1:4300, ./data, SQLite, no token', () => {
    const r = loadConfig({}, '/srv/busboard');
    expect(r).toMatchObject({ ok: true, config: { host: '127.0.0.1', port: 4300, dataDir: '/srv/busboard/data', logLevel: 'info' }, warnings: [] });
    if (r.ok) expect([r.config.databaseUrl, r.config.token, r.config.secret]).toEqual([undefined, undefined, undefined]);
  });

  it('reads every variable', () => {
    const r = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/lib/bb',
        DATABASE_URL: 'postgres://bb:pw@db.internal:5432/busboard',
        BUSBOARD_TOKEN: STRONG,
        BUSBOARD_SECRET: 'b'.repeat(44),
        LOG_LEVEL: 'debug',
      },
      '/',
    );
    expect(r).toMatchObject({
      ok: true,
      config: {
        host: '0.0.0.0',
        port: 8080,
        dataDir: '/var/lib/bb',
        databaseUrl: 'postgres://bb:pw@db.internal:5432/busboard',
        token: STRONG,
        secret: 'b'.repeat(44),
        logLevel: 'debug',
      },
    });
  });

  it('says what to fix for each bad variable, all at once', () => {
    const errors = errorsOf({
      PORT: 'eighty',
      HOST: 'bad host!',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      BUSBOARD_TOKEN: 'short',
      BUSBOARD_SECRET: 'tiny',
    });
    expect(errors).toEqual([
      expect.stringMatching(/^PORT="eighty" is not a port number; set PORT to a whole number/),
      expect.stringMatching(/^HOST="bad host!" is not an IP address or host name; use 127\.0\.0\.1/),
      expect.stringMatching(/^LOG_LEVEL="loud" is not a level; use one of fatal, error/),
      expect.stringMatching(/^DATABASE_URL is not a PostgreSQL URL; use postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/),
      expect.stringMatching(
        /^BUSBOARD_TOKEN is too short \(5 characters\); use at least 32 random characters, e\.g\. the output of `openssl rand -hex 32`/,
      ),
      expect.stringMatching(/^BUSBOARD_SECRET is too short \(4 characters\); use at least 32/),
    ]);
    // Secrets are never repeated back.
    for (const e of errors) expect(e).not.toMatch(/hunter2|short"|tiny"/);
  });

  it('refuses a weak BUSBOARD_TOKEN at start: shorter than 32 characters, or long but with little variety', () => {
    expect(errorsOf({ BUSBOARD_TOKEN: 'tok-3f9a1c7e52b84d06a9e1' })).toEqual([
      expect.stringMatching(/^BUSBOARD_TOKEN is too short \(24 characters\)/),
    ]);
    for (const weak of ['a'.repeat(64), 'ab'.repeat(20), 'abcdefg'.repeat(6)]) {
      expect(errorsOf({ BUSBOARD_TOKEN: weak })).toEqual([
        expect.stringMatching(
          /^BUSBOARD_TOKEN is too easy to guess \(only \d different characters\); use a random one, e\.g\. the output of `openssl rand -hex 32`$/,
        ),
      ]);
    }
    expect(errorsOf({ BUSBOARD_TOKEN: STRONG })).toEqual([]);
  });

  it('refuses a non-loopback HOST without BUSBOARD_TOKEN, saying why and what to set', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'busboard.internal']) {
      expect(errorsOf({ HOST: host })).toEqual([expect.stringContaining(`HOST="${host}" makes Busboard reachable from other machines`)]);
      expect(errorsOf({ HOST: host })[0]).toMatch(/set BUSBOARD_TOKEN .* or keep HOST=127\.0\.0\.1/);
      expect(errorsOf({ HOST: host, BUSBOARD_TOKEN: STRONG })).toEqual([]);
    }
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) expect(errorsOf({ HOST: host })).toEqual([]);
  });

  it('warns when PostgreSQL is shared without a shared BUSBOARD_SECRET', () => {
    const r = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/bb' }, '/srv');
    expect(r.ok && r.warnings).toEqual([expect.stringContaining('set the same BUSBOARD_SECRET on every process')]);
  });

  it('the server refuses to start on 0.0.0.0 without a token, exits 2 and says why', async () => {
    // From source, as `npm start` runs it (the other server tests run the bundle).
    const proc = await startServerProcess({ HOST: '0.0.0.0', DATA_DIR: tempDir() }, { waitReady: false, source: true });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain('busboard: HOST="0.0.0.0" makes Busboard reachable from other machines');
  });
});
