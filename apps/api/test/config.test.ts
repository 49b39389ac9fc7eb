import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('configuration from the environment', () => {
  it('defaults to 127.0.0.1:4300 and ./data', () => {
    const r = loadConfig({}, '/srv/busboard');
    expect(r).toMatchObject({ ok: true, config: { host: '127.0.0.1', port: 4300, dataDir: '/srv/busboard/data' } });
  });
  it('reads PORT, HOST and DATA_DIR', () => {
    const r = loadConfig({ PORT: '8080', HOST: '::1', DATA_DIR: '/var/lib/bb' }, '/');
    expect(r).toMatchObject({ ok: true, config: { host: '::1', port: 8080, dataDir: '/var/lib/bb' } });
  });
  it('says what to fix for a bad PORT', () => {
    const r = loadConfig({ PORT: 'eighty' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^PORT="eighty" is not a port number; set PORT to a whole number/);
  });
});
