/** `busboard simulate`: the async messaging figures (schema v3, issue 18) as JSON and as tables. */
import type { SimulationResult } from '@busboard/core';
import { ms } from './scenario.ts';
import { printTable } from './table.ts';

export interface StreamJson {
  ingestRps: number;
  storageBytesPerDay: number;
  steadyBytes: number | null;
  timeToLimitSeconds: number | null;
  publishAckMs: number;
  consumers: Record<string, { deliverRps: number; utilization: number; stable: boolean; backlog: number | null; lagDrainSeconds: number | null }>;
}

/** `"streams": {"<name>": {ingestRps, storageBytesPerDay, consumers: {"<name>": {deliverRps, utilization, lagDrainSeconds}}}}`; null without streams. */
export function streamsJson(r: SimulationResult): Record<string, StreamJson> | null {
  const streams = Object.values(r.async?.streams ?? {});
  if (!streams.length) return null;
  const out: Record<string, StreamJson> = Object.create(null);
  for (const s of streams) {
    const consumers: StreamJson['consumers'] = Object.create(null);
    for (const c of Object.values(s.consumers))
      consumers[c.name] = {
        deliverRps: c.deliverRps,
        utilization: c.utilization,
        stable: c.stable,
        backlog: c.backlog,
        lagDrainSeconds: c.lagDrainSeconds,
      };
    out[s.name] = {
      ingestRps: s.ingestRps,
      storageBytesPerDay: s.storageBytesPerDay,
      steadyBytes: s.steadyBytes,
      timeToLimitSeconds: s.timeToLimitSeconds,
      publishAckMs: s.publishAckMs,
      consumers,
    };
  }
  return out;
}

const bytes = (b: number | null): string => {
  if (b === null) return 'unbounded';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = b;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
};

const seconds = (s: number | null): string => (s === null ? '–' : s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${s.toFixed(1)} s`);

/** Subscriptions, then streams with their consumers, when the design has them. */
export function printAsync(r: SimulationResult): void {
  const a = r.async;
  if (!a) return;
  const out = process.stdout;
  if (a.subscriptions.length) {
    out.write('\n');
    printTable(
      a.subscriptions.map((s) => ({
        subscriber: s.service,
        subject: s.subject,
        delivery: s.delivery === 'replica' ? 'every replica' : `group ${s.queueGroup}`,
        'events/s': s.deliverRps.toFixed(1),
        'p50 ms': ms(s.latency.latencyMs?.p50),
        'p99 ms': ms(s.latency.latencyMs?.p99),
        note: s.latency.reason ?? '',
      })),
    );
  }
  const streams = Object.values(a.streams);
  if (!streams.length) return;
  out.write('\n');
  printTable(
    streams.map((s) => ({
      stream: s.name,
      'msgs/s': s.ingestRps.toFixed(1),
      'per day (1 replica)': bytes(s.storageBytesPerDay),
      steady: bytes(s.steadyBytes),
      'limit in': s.timeToLimitSeconds === null ? '–' : seconds(s.timeToLimitSeconds),
      replicas: s.replicas.map((x) => `${x.server}${x.role === 'leader' ? '*' : ''}`).join(' '),
      'ack ms': ms(s.publishAckMs),
    })),
  );
  const consumers = streams.flatMap((s) => Object.values(s.consumers));
  if (!consumers.length) return;
  out.write('\n');
  printTable(
    consumers.map((c) => ({
      consumer: `${c.stream}/${c.name}`,
      'deliveries/s': c.deliverRps.toFixed(1),
      handlers: `${c.concurrency}${c.ackPendingLimited ? ' (maxAckPending)' : ''}`,
      ρ: c.utilization.toFixed(3),
      pending: c.meanPending === null ? 'grows' : c.meanPending.toFixed(1),
      'p99 ms': ms(c.latency.latencyMs?.p99),
      ...(c.backlog !== null ? { backlog: c.backlog.toFixed(0), drain: c.lagDrainSeconds === null ? 'never' : seconds(c.lagDrainSeconds) } : {}),
    })),
  );
}
