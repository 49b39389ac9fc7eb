/**
 * The live side of the server: the configured cluster connections and one collector per
 * connection, started when someone watches or asks and stopped a while after the last
 * watcher left. Credentials stay in `LiveConnectionStore` on the server.
 */
import { randomUUID } from 'node:crypto';
import { type Failure, failure, formatProblem, issueProblems } from '@busboard/core';
import { connectionProblems, OPEN_POLICY, type OutboundPolicy } from '../outbound.ts';
import { Collector, type CollectorOptions, type LiveUpdate } from './collector.ts';
import { ConnectionInput, type LiveConnectionConfig } from './config.ts';

/**
 * Where connections (with their credentials) are kept. In memory for now: the encrypted
 * credentials store (apps/api/src/secrets/, another branch) can replace this behind the same
 * interface; connections from the environment are read again at every start.
 */
export interface LiveConnectionStore {
  list(): LiveConnectionConfig[];
  get(id: string): LiveConnectionConfig | undefined;
  put(config: LiveConnectionConfig): void;
  remove(id: string): boolean;
}

export function memoryConnectionStore(initial: LiveConnectionConfig[] = []): LiveConnectionStore {
  const items = new Map(initial.map((c) => [c.id, c]));
  return {
    list: () => [...items.values()],
    get: (id) => items.get(id),
    put: (c) => void items.set(c.id, c),
    remove: (id) => items.delete(id),
  };
}

export type AddResult = { ok: true; connection: LiveConnectionConfig } | Failure;

export interface LiveRegistryOptions {
  /** Stop a collector this long after its last watcher left (default 60 s). */
  idleStopMs?: number;
  collector?: CollectorOptions;
  /** The hosts and credentials directories connections added in the app may use (default: anything). */
  outbound?: OutboundPolicy;
}

export class LiveRegistry {
  private readonly collectors = new Map<string, Collector>();
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly store: LiveConnectionStore,
    private readonly options: LiveRegistryOptions = {},
  ) {}

  list(): LiveConnectionConfig[] {
    return this.store.list();
  }

  get(id: string): LiveConnectionConfig | undefined {
    return this.store.get(id);
  }

  add(input: unknown, id?: string): AddResult {
    const parsed = ConnectionInput.safeParse(input);
    if (!parsed.success) return failure(issueProblems(parsed.error.issues, 'connection'));
    const refused = connectionProblems(this.outbound, parsed.data);
    if (refused.length) return failure(refused);
    const existing = id ? this.store.get(id) : undefined;
    if (existing?.origin === 'env') return failure(`connection "${existing.name}" comes from the environment; change it there`, 'id');
    const connection: LiveConnectionConfig = { ...parsed.data, id: id ?? randomUUID(), origin: 'app' };
    // The app never sees monitoring passwords, so an edit keeps those of the URLs it still lists.
    for (const [url, auth] of Object.entries(existing?.monitorAuth ?? {})) {
      if (connection.monitorUrls.includes(url) && !Object.hasOwn(parsed.data.monitorAuth, url))
        connection.monitorAuth = { ...connection.monitorAuth, [url]: auth };
    }
    void this.dropCollector(connection.id);
    this.store.put(connection);
    return { ok: true, connection };
  }

  /** A connection that lives while a rehearsal runs: never stored, removed by the rehearsal with `remove`. */
  addTransient(input: unknown): AddResult {
    const parsed = ConnectionInput.safeParse(input);
    if (!parsed.success) return failure(issueProblems(parsed.error.issues, 'connection'));
    const connection: LiveConnectionConfig = { ...parsed.data, id: `rehearsal-${randomUUID()}`, origin: 'rehearsal' };
    this.store.put(connection);
    return { ok: true, connection };
  }

  async remove(id: string): Promise<{ ok: true } | Failure> {
    const c = this.store.get(id);
    if (!c) return failure(`no connection "${id}"`, 'id');
    if (c.origin === 'env') return failure(`connection "${c.name}" comes from the environment; remove it there`, 'id');
    await this.dropCollector(id);
    this.store.remove(id);
    return { ok: true };
  }

  get outbound(): OutboundPolicy {
    return this.options.outbound ?? OPEN_POLICY;
  }

  /** The collector of a connection, started if it was not running. */
  collector(id: string): Collector | undefined {
    const config = this.store.get(id);
    if (!config) return undefined;
    let c = this.collectors.get(id);
    if (!c) {
      // A connection saved before the allow-list (or before it changed) contacts nothing it no longer allows.
      const refused = config.origin === 'app' ? connectionProblems(this.outbound, config) : [];
      c = new Collector(config, { ...this.options.collector, ...(refused.length ? { refused: refused.map(formatProblem).join('; ') } : {}) });
      this.collectors.set(id, c);
      c.start();
    }
    this.touch(id);
    return c;
  }

  /** Updates of one connection as an async iterable that ends with `signal`. */
  async *watch(id: string, signal: AbortSignal | undefined): AsyncGenerator<LiveUpdate> {
    const collector = this.collector(id);
    if (!collector) return;
    const queue: LiveUpdate[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = collector.subscribe((u) => {
      // Only the newest update matters to a watcher that fell behind.
      queue.length = 0;
      queue.push(u);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      if (collector.latest || collector.status.state !== 'idle') yield { connectionId: id, status: collector.status, snapshot: collector.latest };
      while (!signal?.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const next = queue.shift();
        if (next && !signal?.aborted) yield next;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      this.touch(id);
    }
  }

  private touch(id: string): void {
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.set(
      id,
      setTimeout(() => {
        const c = this.collectors.get(id);
        if (!c) return;
        if (c.listenerCount === 0) void this.dropCollector(id);
        else this.touch(id);
      }, this.options.idleStopMs ?? 60_000),
    );
  }

  private async dropCollector(id: string): Promise<void> {
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    const c = this.collectors.get(id);
    this.collectors.delete(id);
    await c?.stop();
  }

  /** WebSocket origins of every connection, for the CSP's connect-src. */
  wsOrigins(): string[] {
    const origins = new Set<string>();
    for (const c of this.store.list()) {
      for (const u of c.wsUrls) {
        try {
          const url = new URL(u);
          origins.add(`${url.protocol}//${url.host}`);
        } catch {
          // refused by the schema already; nothing to allow
        }
      }
    }
    return [...origins].sort();
  }

  async close(): Promise<void> {
    await Promise.all([...this.collectors.keys()].map((id) => this.dropCollector(id)));
  }
}
