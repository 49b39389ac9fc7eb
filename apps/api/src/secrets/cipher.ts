/**
 * AES-256-GCM for secrets at rest. The key comes from BUSBOARD_SECRET (through HKDF), or else
 * from a random key file created in DATA_DIR with mode 0600. Each sealed value carries a random
 * nonce and is bound to its name (additional data), so a ciphertext cannot be moved to another
 * name, and any change to it is detected.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE = 'secret.key';
const NONCE = 12;
const TAG = 16;

export interface SecretKey {
  /** 32 bytes. Never logged, never sent. */
  readonly key: Buffer;
  /** A short public fingerprint of the key, stored beside each sealed value to say which key sealed it. */
  readonly id: string;
  /** Where the key came from, for messages: `BUSBOARD_SECRET` or the key file's path. */
  readonly source: string;
}

export type KeyResult = { ok: true; key: SecretKey } | { ok: false; message: string };

function keyId(key: Buffer): string {
  return createHash('sha256').update('busboard key id\0').update(key).digest('hex').slice(0, 16);
}

/** Derives the key from BUSBOARD_SECRET: the same secret gives the same key on every machine. */
export function keyFromSecret(secret: string): SecretKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'busboard.credentials', 'aes-256-gcm v1', 32));
  return { key, id: keyId(key), source: 'BUSBOARD_SECRET' };
}

/**
 * Reads `DATA_DIR/secret.key`, creating it (32 random bytes, mode 0600) when missing. Refuses a
 * key file that other users can read, or one that is not a key.
 */
export function keyFromFile(dataDir: string): KeyResult {
  const path = join(dataDir, KEY_FILE);
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      return { ok: false, message: `cannot create the key file ${path}: ${(err as Error).message}; make DATA_DIR writable or set BUSBOARD_SECRET` };
    }
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    return {
      ok: false,
      message: `the key file ${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${path}\``,
    };
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32)
    return {
      ok: false,
      message: `the key file ${path} does not hold a 32-byte base64 key; restore it from a backup, or remove it (stored credentials are then lost)`,
    };
  return { ok: true, key: { key, id: keyId(key), source: path } };
}

export function loadKey(options: { secret?: string; dataDir: string }): KeyResult {
  return options.secret ? { ok: true, key: keyFromSecret(options.secret) } : keyFromFile(options.dataDir);
}

/** nonce ‖ ciphertext ‖ tag, bound to `aad`. */
export function seal(key: SecretKey, plaintext: string, aad: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** The plaintext, or undefined when the value was changed, moved to another name, or sealed with another key. */
export function unseal(key: SecretKey, sealed: Buffer, aad: string): string | undefined {
  if (sealed.length < NONCE + TAG) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
