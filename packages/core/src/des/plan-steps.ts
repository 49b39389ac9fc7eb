/**
 * The plan's call graph (plan.ts): each service's steps (single calls and parallel groups, in
 * document order) and each call's kind, target and repetitions.
 */
import { at, lookup } from '../checked.ts';
import type { Topology } from '../schema/topology.ts';
import type { AckWait } from './async-tables.ts';
import { CALL_DB, CALL_EXT, CALL_SERVICE, type ServiceTable, type StepTable } from './plan-types.ts';
import type { DistTable } from './rng.ts';

type Retry = { retries?: number | undefined; backoffMs?: number | undefined; backoffMultiplier?: number | undefined };
type Call = { to: string; perRequest: number; retry: Retry };

type Step = { group: boolean; calls: Call[] };

/** A service's steps in document order: a call outside any group is a step of its own; a group stands where its first member stands. */
function stepsOfService(calls: readonly ({ to: string; perRequest: number; parallelGroup?: string | undefined } & Retry)[]): Step[] {
  const groups = new Map<string, Call[]>();
  const order: Step[] = [];
  for (const c of calls) {
    const call = { to: c.to, perRequest: c.perRequest, retry: c };
    if (c.parallelGroup === undefined) order.push({ group: false, calls: [call] });
    else {
      let g = groups.get(c.parallelGroup);
      if (!g) {
        g = [];
        groups.set(c.parallelGroup, g);
        order.push({ group: true, calls: g });
      }
      g.push(call);
    }
  }
  return order;
}

/**
 * Each service's steps and each step's calls, with what a call reaches and how often. `acks`
 * (schema v3, async-plan.ts): per service, the publish acks its handler waits for after its
 * calls, each a step of its own: a fixed delay (an external's kind of call) repeated per publish,
 * one distribution per zone (consecutive ids; `callZoned`).
 */
export function stepsOf(doc: Topology, services: ServiceTable, svcQueues: number[][], dists: DistTable, acks: AckWait[][] | null = null): StepTable {
  const { serviceIndex, svcBundle } = services;
  const dbIndex = new Map(doc.databases.map((d, i) => [d.name, i]));
  const extDist = new Map<string, number>();
  for (const e of doc.externals) extDist.set(e.name, dists.add(e.latencyMs, e.latencyCv));
  // A publish ack is an external no document can name (a name never holds a NUL).
  const ACK = '\u0000ack:';
  acks?.forEach((list, i) => {
    list.forEach((a, k) => {
      const ids = a.zoneMs.map((ms) => dists.add(ms, 0));
      extDist.set(`${ACK}${i}:${k}`, ids[0] ?? dists.add(0, 0));
    });
  });
  const svcStepStart = new Int32Array(doc.services.length);
  const svcStepEnd = new Int32Array(doc.services.length);
  const svcAckStart = new Int32Array(doc.services.length);
  const zoned: number[] = [];
  const stepGroup: number[] = [];
  const stepCallStart: number[] = [];
  const stepCallEnd: number[] = [];
  const call: Record<'kind' | 'target' | 'whole' | 'frac' | 'same' | 'dead' | 'retries' | 'backoff' | 'mult', number[]> = {
    retries: [],
    backoff: [],
    mult: [],
    kind: [],
    target: [],
    whole: [],
    frac: [],
    same: [],
    dead: [],
  };
  const pushCall = (caller: number, { to, perRequest, retry }: Call) => {
    call.retries.push(retry.retries ?? 0);
    call.backoff.push(retry.backoffMs ?? 0);
    call.mult.push(retry.backoffMultiplier ?? 2);
    call.whole.push(Math.floor(perRequest));
    call.frac.push(perRequest - Math.floor(perRequest));
    zoned.push(to.startsWith(`ext:${ACK}`) ? 1 : 0);
    if (to.startsWith('db:')) {
      call.kind.push(CALL_DB);
      call.target.push(lookup(dbIndex, to.slice(3)));
    } else if (to.startsWith('ext:')) {
      call.kind.push(CALL_EXT);
      call.target.push(lookup(extDist, to.slice(4)));
    } else {
      const t = lookup(serviceIndex, to);
      call.kind.push(CALL_SERVICE);
      call.target.push(t);
      call.same.push(svcBundle[t] === svcBundle[caller] ? 1 : 0);
      call.dead.push(at(svcQueues, t).length === 0 ? 1 : 0);
      return;
    }
    call.same.push(0);
    call.dead.push(0);
  };
  doc.services.forEach((s, i) => {
    svcStepStart[i] = stepGroup.length;
    svcAckStart[i] = stepGroup.length + stepsOfService(s.calls).length;
    const ackCalls = (acks?.[i] ?? []).map((a, k) => ({ to: `ext:${ACK}${i}:${k}`, perRequest: a.perRequest }));
    for (const step of stepsOfService([...s.calls, ...ackCalls])) {
      stepCallStart.push(call.kind.length);
      stepGroup.push(step.group ? 1 : 0);
      for (const c of step.calls) pushCall(i, c);
      stepCallEnd.push(call.kind.length);
    }
    svcStepEnd[i] = stepGroup.length;
  });
  return {
    svcStepStart,
    svcStepEnd,
    svcAckStart,
    stepGroup: Uint8Array.from(stepGroup),
    stepCallStart: Int32Array.from(stepCallStart),
    stepCallEnd: Int32Array.from(stepCallEnd),
    callKind: Int32Array.from(call.kind),
    callTarget: Int32Array.from(call.target),
    callWhole: Int32Array.from(call.whole),
    callFrac: Float64Array.from(call.frac),
    callSameBundle: Uint8Array.from(call.same),
    callDead: Uint8Array.from(call.dead),
    callZoned: Uint8Array.from(zoned),
    callRetries: Int32Array.from(call.retries),
    callBackoff: Float64Array.from(call.backoff),
    callBackoffMult: Float64Array.from(call.mult),
  };
}
