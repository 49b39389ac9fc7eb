/**
 * The in-flight figures of a service (schema v2 `maxInFlight`, `routing`): cap rejections, what a
 * replica holds on average, and the validity notes they rest on (inflight.ts has the physics).
 */
import type { ComposeCache } from './compose.ts';
import { capIsLineLimit } from './inflight.ts';
import type { Model, ServiceModel } from './model.ts';
import type { Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import type { InFlightResult, ReplicaResult, ValidityNote } from './types.ts';

/** Per class: the cap's blocking and the mean response a replica holds a request for. */
export interface InFlight {
  /** Share of the class's arrivals turned away by the cap before the worker line: capBlock[s·Z + z]. */
  capBlock: Float64Array;
  /** Mean response (ms) of an admitted request at class (s, z), downstream included (NaN: none, or a leaf). */
  responseMs: Float64Array;
  /** The compositions the fixed point made, for the end-to-end composition to reuse (absent: none made). */
  cache?: ComposeCache;
}

/** A replica's rejection rate: the cap's share, then the line's share of what passed it. */
export function replicaRejection(capBlock: number, lineBlock: number): number {
  return capBlock > 0 ? capBlock + (1 - capBlock) * lineBlock : lineBlock;
}

/** What the in-flight figures of a service rest on (validity notes). */
export function inFlightNotes(s: ServiceModel): ValidityNote[] {
  const notes: ValidityNote[] = [];
  if (s.leastConnections)
    notes.push({
      code: 'least-connections-approx',
      message: `${s.name} routes by least connections: its replicas are taken as one pooled queue, the wait stretched for joining one replica's line (error measured in AGREEMENT.md)`,
    });
  if (s.maxInFlight !== null && !capIsLineLimit(s))
    notes.push({
      code: 'in-flight-approx',
      message: `${s.name} holds up to ${s.maxInFlight} requests across its calls: Erlang B on the mean response, its worker line taken as independent of the cap`,
    });
  return notes;
}

/**
 * The in-flight figures of service s; sets each replica's `meanInFlight`. A replica holds, on
 * average (Little), its admitted rate × mean response: on a leaf the station's L, elsewhere the
 * composed response (cap-blocking.ts).
 */
export function inFlightResult(
  model: Model,
  pl: Placement,
  q: Queues,
  s: ServiceModel,
  replicas: ReplicaResult[],
  inflight?: InFlight,
): InFlightResult {
  const Z = model.zones.length;
  let lamAll = 0;
  let capRejected = 0;
  let held = 0;
  let replicaCount = 0;
  let k = 0;
  for (let z = 0; z < Z; z++) {
    const st = q.cls[s.index * Z + z];
    if (!st) continue;
    const n = pl.scenario.counts[s.bundle * Z + z] as number;
    const lam = pl.lam[s.index * Z + z] as number;
    const cb = pl.capBlock[s.index * Z + z] as number;
    const admitted = (lam / n) * (1 - cb) * (1 - (st.bounded?.block ?? 0));
    const R = inflight?.responseMs[s.index * Z + z] ?? Number.NaN;
    const perReplica = s.calls.length === 0 || !Number.isFinite(R) ? (st.saturated ? 0 : st.L) : (admitted * R) / 1000;
    lamAll += lam;
    capRejected += lam * cb;
    held += perReplica * n;
    replicaCount += n;
    for (let i = 0; i < n; i++) {
      const r = replicas[k++];
      if (r) r.meanInFlight = perReplica;
    }
  }
  const meanInFlight = replicaCount > 0 ? held / replicaCount : 0;
  const cap = s.maxInFlight;
  const leaf = capIsLineLimit(s);
  // When the line limit is the cap's own (cap − workers, no tighter queueLimit), a full line is a full cap.
  if (cap !== null && (s.queueLimit === null || s.queueLimit >= cap - s.workers)) {
    capRejected = 0;
    for (let z = 0; z < Z; z++) {
      const st = q.cls[s.index * Z + z];
      if (st) capRejected += (pl.lam[s.index * Z + z] as number) * replicaRejection(pl.capBlock[s.index * Z + z] as number, st.bounded?.block ?? 0);
    }
  }
  const lc = s.leastConnections;
  const method: InFlightResult['method'] = cap === null ? 'pooled' : leaf ? (lc ? 'pooled-mmck' : 'mmck') : lc ? 'pooled-erlang-b' : 'erlang-b';
  return {
    maxInFlight: cap,
    routing: s.leastConnections ? 'least-connections' : 'random',
    capRejectedRps: capRejected,
    capRejectionRate: lamAll > 0 ? capRejected / lamAll : 0,
    meanInFlight,
    capUtilization: cap === null ? null : meanInFlight / cap,
    method,
  };
}
