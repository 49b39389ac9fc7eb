/**
 * Live-cluster connections added in the app (with their passwords, tokens, system users),
 * kept encrypted in the design store's database through the credential store, so they survive
 * a restart and are never at rest in the clear. Implements the live registry's synchronous
 * `LiveConnectionStore`: reads come from memory, loaded once at start; writes go to the
 * database in order, one after another (`flush()` waits for them, e.g. at shutdown).
 * Connections from the environment are never stored: they are read again at every start.
 */
import { ConnectionInput, type LiveConnectionConfig } from '../live/config.ts';
import type { LiveConnectionStore } from '../live/registry.ts';
import type { CredentialStore } from './credentials.ts';

/** Credential names under this prefix hold connections; the credentials router keeps out of it. */
export const CONNECTION_PREFIX = 'live-connection:';

export interface SealedConnectionStore extends LiveConnectionStore {
  /** Resolves when every write so far is in the database. */
  flush(): Promise<void>;
}

export async function sealedConnectionStore(
  credentials: CredentialStore,
  fromEnv: LiveConnectionConfig[],
  report: (message: string) => void,
): Promise<SealedConnectionStore> {
  const items = new Map(fromEnv.map((c) => [c.id, c]));
  for (const info of await credentials.listCredentials()) {
    if (!info.name.startsWith(CONNECTION_PREFIX)) continue;
    const id = info.name.slice(CONNECTION_PREFIX.length);
    const got = await credentials.getCredentials(info.name);
    if (!got.ok) {
      report(`saved connection ${id} cannot be read: ${'message' in got ? got.message : got.reason}`);
      continue;
    }
    let stored: unknown;
    try {
      stored = JSON.parse(got.secret.reveal());
    } catch {
      stored = undefined;
    }
    const parsed = ConnectionInput.safeParse(stored);
    if (!parsed.success) {
      report(`saved connection ${id} is not a connection any more (${parsed.error.issues[0]?.message}); add it again`);
      continue;
    }
    // A connection from the environment with the same id wins: the environment is the operator's word.
    if (!items.has(id)) items.set(id, { ...parsed.data, id, origin: 'app' });
  }

  let writes: Promise<void> = Promise.resolve();
  const persist = (what: string, write: () => Promise<unknown>) => {
    writes = writes.then(write).then(
      () => {},
      (err: Error) => report(`could not ${what}: ${err.message}; it is kept in memory until the server stops`),
    );
  };

  return {
    list: () => [...items.values()],
    get: (id) => items.get(id),
    put(config) {
      items.set(config.id, config);
      if (config.origin !== 'app') return; // the environment's are read again at start; a rehearsal's end with it
      const { id: _, origin: __, ...spec } = config;
      persist(`save connection "${config.name}"`, () => credentials.saveCredentials(CONNECTION_PREFIX + config.id, JSON.stringify(spec)));
    },
    remove(id) {
      const had = items.delete(id);
      persist(`remove connection ${id}`, () => credentials.deleteCredentials(CONNECTION_PREFIX + id));
      return had;
    },
    flush: () => writes,
  };
}
