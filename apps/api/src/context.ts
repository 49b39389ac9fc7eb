import type { EnginePool } from './engine/pool.ts';
import type { RawJsonSplicer } from './http/raw-json.ts';
import type { LiveRegistry } from './live/registry.ts';
import type { OutboundPolicy } from './outbound.ts';
import type { PrometheusSources } from './prometheus/source.ts';
import type { RehearsalManager } from './rehearse/manager.ts';
import type { CredentialStore } from './secrets/credentials.ts';
import type { DesignStore } from './storage/types.ts';

export interface Services {
  store: DesignStore;
  /** Worker threads for simulations (src/engine/pool.ts); without it (in-process callers) the engine runs inline. */
  engine?: EnginePool;
  /** Encrypted NATS credentials (server side only; see src/secrets/README.md). */
  credentials?: CredentialStore;
  /** Cluster connections and their collectors (the Live page, the design overlay). */
  live?: LiveRegistry;
  /** The hosts and credentials directories the server may use for a client (outbound.ts); absent: anything. */
  outbound?: OutboundPolicy;
  /** Rehearsals started from the designer (src/rehearse/manager.ts). */
  rehearsals?: RehearsalManager;
  /** Where Prometheus is, credentials kept here (src/prometheus/source.ts). */
  prometheus?: PrometheusSources;
}

export interface Context extends Services {
  /** Who is acting, recorded with each revision: the `X-Busboard-Author` header, else "anonymous". */
  author?: string;
  /** Over HTTP: embeds stored JSON text in the answer as is (see http/raw-json.ts); absent for in-process callers. */
  raw?: RawJsonSplicer;
}

/** A display name from a header (URI-encoded by the web app, since headers are Latin-1): printable, trimmed, ≤ 80 characters. */
export function authorFrom(header: unknown): string {
  let raw = typeof header === 'string' ? header : '';
  try {
    raw = decodeURIComponent(raw);
  } catch {}
  const text = raw
    .replace(/[^\x20-\x7e\u00a0-\uffff]/g, '')
    .trim()
    .slice(0, 80);
  return text || 'anonymous';
}

export function createContextFactory(services: Services) {
  return (opts?: { req?: { headers: Record<string, unknown> }; raw?: RawJsonSplicer }): Context => ({
    ...services,
    author: authorFrom(opts?.req?.headers['x-busboard-author']),
    ...(opts?.raw ? { raw: opts.raw } : {}),
  });
}
