/**
 * NATS credentials (a `.creds` file, a user/password, a token, an nkey seed: any text),
 * encrypted at rest in the design store's database. Server side only: no procedure returns a
 * secret, and a `Secret` refuses to print itself, so it cannot slip into a log line or a
 * response by accident. See README.md in this folder.
 */
import { inspect } from 'node:util';
import type { SealedTable } from '../storage/types.ts';
import { type SecretKey, seal, unseal } from './cipher.ts';

const REDACTED = '[redacted]';

/** A secret value that prints, serialises and inspects as `[redacted]`; `reveal()` gives the text. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The plaintext: pass it straight to the NATS client, never to a logger or a response. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export interface CredentialInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export type CredentialResult =
  | { ok: true; name: string; secret: Secret }
  | { ok: false; reason: 'not-found'; name: string }
  /** Sealed under another key (BUSBOARD_SECRET changed, or another machine's key file). */
  | { ok: false; reason: 'wrong-key'; name: string; message: string }
  /** The stored bytes were changed. */
  | { ok: false; reason: 'tampered'; name: string; message: string };

export interface CredentialStore {
  /** Encrypts and stores (or replaces) the credentials called `name`. */
  saveCredentials(name: string, secret: string): Promise<CredentialInfo>;
  getCredentials(name: string): Promise<CredentialResult>;
  /** Names and dates only. */
  listCredentials(): Promise<CredentialInfo[]>;
  deleteCredentials(name: string): Promise<boolean>;
}

/** The additional data that binds a sealed value to its name. */
const aad = (name: string) => `busboard.credentials:${name}`;

export function createCredentialStore(table: SealedTable, key: SecretKey): CredentialStore {
  return {
    async saveCredentials(name, secret) {
      await table.put(name, key.id, seal(key, secret, aad(name)));
      const saved = await table.get(name);
      if (!saved) throw new Error(`credentials "${name}" were not stored`);
      return { name, createdAt: saved.createdAt, updatedAt: saved.updatedAt };
    },
    async getCredentials(name) {
      const rec = await table.get(name);
      if (!rec) return { ok: false, reason: 'not-found', name };
      if (rec.keyId !== key.id) {
        return {
          ok: false,
          reason: 'wrong-key',
          name,
          message: `credentials "${name}" were encrypted with another key (${rec.keyId}, this server has ${key.id} from ${key.source}); set BUSBOARD_SECRET to the one they were saved with, or save them again`,
        };
      }
      const plain = unseal(key, rec.sealed, aad(name));
      if (plain === undefined)
        return {
          ok: false,
          reason: 'tampered',
          name,
          message: `credentials "${name}" do not decrypt: the stored value was changed; save them again`,
        };
      return { ok: true, name, secret: new Secret(plain) };
    },
    async listCredentials() {
      return (await table.list()).map(({ name, createdAt, updatedAt }) => ({ name, createdAt, updatedAt }));
    },
    deleteCredentials: (name) => table.remove(name),
  };
}
