/**
 * A Microbus process emulated on raw NATS connections (raw-nats.ts): its services subscribe
 * exactly what the framework's connector would (core's `microbusReplicaSubscriptions`, both
 * generations), over the connections the framework would open:
 *
 * - newest code: one pooled connection per set of credentials (every service of the process
 *   on one connection when they share credentials, one per service with per-service `.creds`),
 *   with no connection name;
 * - v1.x: one connection per microservice, named `<id>.<hostname>`.
 *
 * Each process connects from its own local address, as a pod would from its own IP.
 */
import {
  type MicrobusGeneration,
  type MicrobusReplicaSpec,
  type MicrobusRoute,
  microbusConnectionName,
  microbusReplicaSubscriptions,
} from '@busboard/core';
import { RawNatsClient } from './raw-nats.ts';

export interface MicrobusServiceSpec {
  hostname: string;
  /** Default: a fresh id of the generation's alphabet. */
  id?: string;
  routes: MicrobusRoute[];
  /** Per-service credentials (a `<hostname>_nats.creds` file in the newest code). */
  user?: string;
  pass?: string;
}

export interface MicrobusAppSpec {
  generation: MicrobusGeneration;
  plane?: string;
  /** Server URLs in the order the process tries them (the first is where it connects). */
  servers: string[];
  /** The process's own address (`127.0.0.2`…). */
  localAddress: string;
  /** Hyphen form, broadest first (`us-east-1-a`); written dotted for v1.x. */
  locality?: string;
  services: MicrobusServiceSpec[];
  /** Credentials every service shares (when a service has none of its own). */
  user?: string;
  pass?: string;
  /** Reconnect to the next server when its server goes away (default true). */
  reconnect?: boolean;
}

export interface MicrobusApp {
  spec: MicrobusAppSpec;
  connections: RawNatsClient[];
  /** hostname → replica id. */
  ids: Record<string, string>;
  replicas: MicrobusReplicaSpec[];
  stop(): Promise<void>;
}

let counter = 0;

/** A replica id of the generation's alphabet: 10 lowercase alphanumerics, or 10 of `0-9a-v` for v1.x. */
export function replicaId(generation: MicrobusGeneration): string {
  counter++;
  const alphabet = generation === 'v1' ? '0123456789abcdefghijklmnopqrstuv' : '0123456789abcdefghijklmnopqrstuvwxyz';
  let x = (Date.now() * 1009 + counter * 7919 + process.pid) % 2 ** 48;
  let id = '';
  for (let i = 0; i < 10; i++) {
    id += alphabet[x % alphabet.length];
    x = Math.floor(x / alphabet.length) + i * 31 + counter;
  }
  return id;
}

export async function startMicrobusApp(spec: MicrobusAppSpec): Promise<MicrobusApp> {
  const replicas = spec.services.map((s) => ({
    spec: s,
    replica: {
      generation: spec.generation,
      ...(spec.plane ? { plane: spec.plane } : {}),
      hostname: s.hostname,
      id: s.id ?? replicaId(spec.generation),
      ...(spec.locality ? { locality: spec.locality } : {}),
    } satisfies MicrobusReplicaSpec,
  }));
  // Which services share a connection.
  const groups = new Map<string, typeof replicas>();
  for (const r of replicas) {
    const user = r.spec.user ?? spec.user;
    const key = spec.generation === 'v1' ? r.replica.hostname : `${user ?? ''}\u0000${r.spec.pass ?? spec.pass ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const connections: RawNatsClient[] = [];
  try {
    for (const members of groups.values()) {
      const first = members[0];
      if (!first) continue;
      const user = first.spec.user ?? spec.user;
      const pass = first.spec.pass ?? spec.pass;
      const client = await RawNatsClient.connect({
        servers: spec.servers,
        localAddress: spec.localAddress,
        name: spec.generation === 'v1' ? microbusConnectionName(first.replica) : null,
        ...(user ? { user, pass: pass ?? '' } : {}),
        reconnect: spec.reconnect ?? true,
        answerRequests: true,
      });
      connections.push(client);
      for (const m of members) for (const s of microbusReplicaSubscriptions(m.replica, m.spec.routes)) client.subscribe(s.subject, s.queue);
      await client.flush();
    }
  } catch (err) {
    await Promise.all(connections.map((c) => c.close()));
    throw err;
  }
  return {
    spec,
    connections,
    ids: Object.fromEntries(replicas.map((r) => [r.replica.hostname, r.replica.id])),
    replicas: replicas.map((r) => r.replica),
    stop: async () => {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
