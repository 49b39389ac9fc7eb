/**
 * Documents and closed forms the async DES tests share (des/*.test.ts): one zone, no network
 * cost, so every figure is a queue's own.
 */
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import type { DesOptions } from './run.ts';
import { createDesRun } from './run.ts';

export const ZERO_NETWORK = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

export function runDoc(input: TopologyInput, seed: number, requests: number, extra: Partial<DesOptions> = {}) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createDesRun({ doc: parsed.doc, seed, requests, ...extra }).runToEnd();
}

export interface ConsumerCase {
  /** Messages per second published (one per request of the publisher). */
  rps: number;
  serviceTimeMs: number;
  /** Workers per replica and replicas of the consumer's service. */
  workers: number;
  replicas?: number;
  maxAckPending?: number;
  ackWaitMs?: number;
  failureRate?: number;
}

/** A publisher (the entry, 0.1 ms, plenty of workers) publishing to stream S read by consumer `c` on service `w`. */
export function consumerDoc(k: ConsumerCase): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: ZERO_NETWORK,
    nats: [{ name: 'n', region: 'r' }],
    services: [
      { name: 'pub', serviceTimeMs: 0.1, workers: 64, publishes: [{ subject: 'jobs.new' }] },
      { name: 'w', serviceTimeMs: k.serviceTimeMs, workers: 1 },
    ],
    bundles: [
      { name: 'p', services: ['pub'], replicas: { a: 1 } },
      { name: 'wb', services: ['w'], replicas: { a: k.replicas ?? 1 } },
    ],
    traffic: [{ entry: 'pub', rps: k.rps }],
    streams: [{ name: 'S', subjects: ['jobs.>'] }],
    consumers: [
      {
        name: 'c',
        stream: 'S',
        service: 'w',
        workers: k.workers,
        ...(k.maxAckPending === undefined ? {} : { maxAckPending: k.maxAckPending }),
        ...(k.ackWaitMs === undefined ? {} : { ackWaitMs: k.ackWaitMs }),
        ...(k.failureRate === undefined ? {} : { failureRate: k.failureRate }),
      },
    ],
  };
}

/** Erlang C: the probability an arrival waits in M/M/c with offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

/** M/M/c in ms: mean wait in line, mean number waiting (Lq), utilization. */
export function mmc(lambdaPerSec: number, serviceMs: number, c: number) {
  const mu = 1000 / serviceMs;
  const a = lambdaPerSec / mu;
  const C = erlangC(c, a);
  const waitMs = (C / (c * mu - lambdaPerSec)) * 1000;
  return { waitMs, lq: (lambdaPerSec * waitMs) / 1000, rho: a / c, sojournMs: waitMs + serviceMs };
}

export const inside = (v: number, ci: [number, number] | undefined) => ci !== undefined && v >= ci[0] && v <= ci[1];
