/**
 * In-flight caps and least-connections routing in the DES (schema v2 `services[].maxInFlight`,
 * `services[].routing`; issue 17). Exact semantics, as sim.ts applies them:
 *
 * - A replica *holds* a request from its admission (its arrival at the replica, after the
 *   network cost) to its response (the end of its last step, downstream waits included);
 *   `qHeld[q]` counts them. An arrival that finds `maxInFlight` held is rejected at once, like a
 *   full line (its entry request fails, the caller carries on). Requests waiting for a worker are
 *   held, so a capped replica's line never exceeds cap − workers: that bound is its line limit
 *   (`lineLimit`), which changes no outcome and keeps the queue out of "saturated".
 * - `least-connections`: a caller (or ingress) picks, among the replicas locality allows, the one
 *   holding the fewest requests at the moment the call is sent, ties uniformly at random; calls
 *   inside a bundle still stay on the caller's replica. Counts are read at send time: a call still
 *   on the wire (its network cost) is not yet counted, as a load balancer counts a connection
 *   once it is open.
 *
 * Services with neither field are routed and counted exactly as before (the count is kept for
 * every queue, and draws no random number).
 */
import { at } from '../checked.ts';
import type { Topology } from '../schema/topology.ts';
import type { Rng } from './rng.ts';

/** Per queue its cap (−1: none); per service whether it routes by least connections or counts at all. */
export interface InFlightTable {
  qCap: Int32Array;
  /** Each service's cap (−1: none). */
  svcCap: Int32Array;
  svcLeastConn: Uint8Array;
  /** The service has a cap or least-connections routing: its in-flight figures are reported. */
  svcInFlight: Uint8Array;
}

type ServiceDoc = Topology['services'][number];

/** The line limit of a service queue (−1 unbounded): its queueLimit, and under a cap at most cap − workers. */
export function lineLimit(s: ServiceDoc): number {
  if (s.maxInFlight === undefined) return s.queueLimit ?? -1;
  return Math.min(s.queueLimit ?? Number.MAX_SAFE_INTEGER, Math.max(0, s.maxInFlight - s.workers));
}

export function inFlightOf(doc: Topology, qService: Int32Array, nServiceQueues: number, nQueues: number): InFlightTable {
  const qCap = new Int32Array(nQueues).fill(-1);
  for (let q = 0; q < nServiceQueues; q++) qCap[q] = at(doc.services, at(qService, q)).maxInFlight ?? -1;
  return {
    qCap,
    svcCap: Int32Array.from(doc.services, (s) => s.maxInFlight ?? -1),
    svcLeastConn: Uint8Array.from(doc.services, (s) => (s.routing === 'least-connections' ? 1 : 0)),
    svcInFlight: Uint8Array.from(doc.services, (s) => (s.routing !== undefined || s.maxInFlight !== undefined ? 1 : 0)),
  };
}

/** The candidate queue holding the fewest requests, ties uniformly at random (one draw per tie met). */
export function leastHeld(queues: Int32Array, start: number, count: number, held: Int32Array, rng: Rng): number {
  let best = queues[start] as number;
  let min = held[best] as number;
  let ties = 1;
  for (let i = 1; i < count; i++) {
    const q = queues[start + i] as number;
    const h = held[q] as number;
    if (h < min) {
      best = q;
      min = h;
      ties = 1;
    } else if (h === min && rng.uniform() * ++ties < 1) best = q;
  }
  return best;
}
