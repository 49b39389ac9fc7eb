import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_FILE, keyFromFile, keyFromSecret, seal, unseal } from './cipher.ts';
import { Secret } from './credentials.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'busboard-key-'));

describe('AES-GCM sealing', () => {
  const key = keyFromSecret('correct horse battery staple, but longer');

  it('round-trips, with a fresh nonce each time', () => {
    const a = seal(key, 'nkey seed SUAB', 'n1');
    const b = seal(key, 'nkey seed SUAB', 'n1');
    expect(a.equals(b)).toBe(false);
    expect(unseal(key, a, 'n1')).toBe('nkey seed SUAB');
    expect(a.includes(Buffer.from('nkey seed'))).toBe(false);
  });

  it('refuses a changed byte, another name, or another key', () => {
    const sealed = seal(key, 'secret', 'n1');
    const flipped = Buffer.from(sealed);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(unseal(key, flipped, 'n1')).toBeUndefined();
    expect(unseal(key, sealed, 'n2')).toBeUndefined();
    expect(unseal(keyFromSecret('another secret entirely, also long'), sealed, 'n1')).toBeUndefined();
  });

  it('derives the same key from the same BUSBOARD_SECRET (so processes can share credentials)', () => {
    expect(keyFromSecret('x'.repeat(40)).id).toBe(keyFromSecret('x'.repeat(40)).id);
    expect(keyFromSecret('x'.repeat(40)).id).not.toBe(keyFromSecret('y'.repeat(40)).id);
  });
});

describe('the key file in DATA_DIR', () => {
  it('is created once with mode 0600 and reused', () => {
    const d = dir();
    const first = keyFromFile(d);
    expect(first.ok).toBe(true);
    expect(statSync(join(d, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = keyFromFile(d);
    expect(again.ok && first.ok && again.key.id === first.key.id).toBe(true);
    expect(readFileSync(join(d, KEY_FILE), 'utf8').trim()).toHaveLength(44);
  });

  it('is refused when other users can read it, with the command that fixes it', () => {
    const d = dir();
    keyFromFile(d);
    chmodSync(join(d, KEY_FILE), 0o644);
    const r = keyFromFile(d);
    expect(r).toEqual({ ok: false, message: expect.stringContaining(`mode 0644); run \`chmod 600 ${join(d, KEY_FILE)}\``) });
  });

  it('is refused when it does not hold a key', () => {
    const d = dir();
    writeFileSync(join(d, KEY_FILE), 'not a key\n', { mode: 0o600 });
    expect(keyFromFile(d)).toEqual({ ok: false, message: expect.stringContaining('does not hold a 32-byte base64 key') });
  });
});

describe('Secret', () => {
  it('prints, serialises and inspects as [redacted]; reveal() gives the text', async () => {
    const s = new Secret('hunter2');
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    const { inspect } = await import('node:util');
    expect(inspect({ s })).not.toContain('hunter2');
    expect(s.reveal()).toBe('hunter2');
  });
});
