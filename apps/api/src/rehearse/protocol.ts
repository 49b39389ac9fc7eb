/** Messages between the rehearsal's orchestrator and its processes (Node IPC, JSON). */
import type { DatabaseReport, GeneratorReport, RehearsalPlan, ReplicaReport } from '@busboard/core';
import type { EntryTick } from './generator.ts';

export type Role = { kind: 'replica'; replicaId: string } | { kind: 'database' } | { kind: 'generator' };

export type ToChild =
  | {
      type: 'init';
      role: Role;
      plan: RehearsalPlan;
      /** NATS URL of every server, by server name. */
      servers: Record<string, string>;
      seed: number;
    }
  | { type: 'start' }
  /** Stop offering load (the generator), then report. */
  | { type: 'quiet' }
  | { type: 'reset' }
  | { type: 'tick' }
  | { type: 'report' }
  | { type: 'stop' };

export type ReplicaTick = Record<string, { arrivals: number; busyMs: number }>;

export type FromChild =
  | { type: 'ready'; metricsPort: number | null }
  | { type: 'tick'; replica?: ReplicaTick; entries?: Record<string, EntryTick> }
  | { type: 'report'; replica?: ReplicaReport; database?: DatabaseReport; generator?: GeneratorReport }
  | { type: 'error'; message: string };
