/**
 * Load along the DES's own routes: callers before callees, forced flow over the compiled
 * tables, and whether an entry can be simulated (MODEL.md §2). Part of the DES's own reading
 * of the model; it shares no code with the analytic engine.
 */
import type { Topology } from '../schema/topology.ts';
import { CALL_DB, CALL_SERVICE, type DesPlan, type EntryStatus } from './plan-types.ts';

/** Services in an order where every caller comes before its callees (calls form a DAG). */
export function callerFirst(doc: Topology, index: Map<string, number>): number[] {
  const n = doc.services.length;
  const indegree = new Int32Array(n);
  for (const s of doc.services)
    for (const c of s.calls) {
      const k = index.get(c.to);
      if (k !== undefined) indegree[k] = (indegree[k] as number) + 1;
    }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.length) {
    const i = ready.shift() as number;
    order.push(i);
    for (const c of doc.services[i]?.calls ?? []) {
      const k = index.get(c.to);
      if (k === undefined) continue;
      indegree[k] = (indegree[k] as number) - 1;
      if (indegree[k] === 0) ready.push(k);
    }
  }
  return order;
}

/** Where the calls of a request at queue q go, with the share of each call landing on each queue. */
function forEachCallee(
  plan: DesPlan,
  q: number,
  visit: (callee: number, share: number) => void,
  dead?: (service: number, share: number) => void,
): void {
  const s = plan.qService[q] as number;
  if (s < 0) return;
  const miss = 1 - (plan.svcHitRate[s] as number);
  if (miss <= 0) return;
  for (let st = plan.svcStepStart[s] as number; st < (plan.svcStepEnd[s] as number); st++) {
    for (let c = plan.stepCallStart[st] as number; c < (plan.stepCallEnd[st] as number); c++) {
      const per = miss * ((plan.callWhole[c] as number) + (plan.callFrac[c] as number));
      const kind = plan.callKind[c];
      const target = plan.callTarget[c] as number;
      if (kind === CALL_SERVICE) {
        if (plan.callDead[c]) {
          dead?.(target, per);
          continue;
        }
        if (plan.callSameBundle[c]) {
          visit((plan.replicaQueueBase[plan.qReplica[q] as number] as number) + (plan.svcPos[target] as number), per);
        } else {
          const r = target * plan.nZones + (plan.qZone[q] as number);
          const n = plan.routeCount[r] as number;
          for (let k = 0; k < n; k++) visit(plan.routeQueues[(plan.routeStart[r] as number) + k] as number, per / n);
        }
      } else if (kind === CALL_DB) {
        let prev = 0;
        for (let g = plan.dbShardStart[target] as number; g < (plan.dbShardEnd[target] as number); g++) {
          visit(plan.shardQueue[g] as number, per * ((plan.shardCum[g] as number) - prev));
          prev = plan.shardCum[g] as number;
        }
      }
    }
  }
}

/** Arrival rate at every queue along the routes requests take (services in caller-first order). */
export function forcedFlow(plan: DesPlan, order: number[], srcRate: number[]): void {
  const rate = plan.qOffered;
  const demand = plan.svcDemand;
  srcRate.forEach((r, i) => {
    const entry = plan.entryService[plan.srcEntry[i] as number] as number;
    demand[entry] = (demand[entry] as number) + r * 1000;
    const route = entry * plan.nZones + (plan.srcZone[i] as number);
    const n = plan.routeCount[route] as number;
    for (let k = 0; k < n; k++) {
      const q = plan.routeQueues[(plan.routeStart[route] as number) + k] as number;
      rate[q] = (rate[q] as number) + r / n;
    }
  });
  for (const s of order) {
    for (const q of plan.svcQueues[s] as number[]) {
      const lambda = rate[q] as number;
      if (lambda > 0)
        forEachCallee(
          plan,
          q,
          (callee, share) => {
            rate[callee] = (rate[callee] as number) + lambda * share;
            const t = plan.qService[callee] as number;
            if (t >= 0) demand[t] = (demand[t] as number) + lambda * share * 1000;
          },
          (service, share) => {
            demand[service] = (demand[service] as number) + lambda * share * 1000;
          },
        );
    }
  }
  for (let q = 0; q < plan.nQueues; q++) {
    const s = plan.qService[q] as number;
    const mean = s >= 0 ? (plan.svcMeanOwn[s] as number) : (plan.dists.mean[plan.qDist[q] as number] as number);
    plan.qRho[q] = ((rate[q] as number) * mean) / (plan.qServers[q] as number);
  }
}

/** An entry has no latency when a request can reach a saturated queue or a service with no replica. */
export function entryStatus(plan: DesPlan, e: number): { status: EntryStatus; reason: string | null } {
  const svc = plan.entryService[e] as number;
  const name = (s: number) => plan.serviceNames[s] as string;
  if (!(plan.svcQueues[svc] as number[]).length) return { status: 'unavailable', reason: `${name(svc)} has no live replica` };
  const seen = new Uint8Array(plan.nQueues);
  const stack: number[] = [];
  for (let i = 0; i < plan.srcEntry.length; i++) {
    if (plan.srcEntry[i] !== e) continue;
    const r = svc * plan.nZones + (plan.srcZone[i] as number);
    for (let k = 0; k < (plan.routeCount[r] as number); k++) stack.push(plan.routeQueues[(plan.routeStart[r] as number) + k] as number);
  }
  let saturated: string | null = null;
  let unavailable: string | null = null;
  while (stack.length) {
    const q = stack.pop() as number;
    if (seen[q]) continue;
    seen[q] = 1;
    const rho = plan.qRho[q] as number;
    if (rho >= 1 && !saturated) {
      const s = plan.qService[q] as number;
      saturated =
        s >= 0
          ? `${name(s)} is saturated in ${plan.zoneNames[plan.qZone[q] as number]} (ρ ${rho.toFixed(2)})`
          : `shard ${plan.shardNames[plan.qShard[q] as number]} of ${plan.dbNames[plan.shardDb[plan.qShard[q] as number] as number]} is saturated (ρ ${rho.toFixed(2)})`;
    }
    forEachCallee(
      plan,
      q,
      (callee) => {
        if (!seen[callee]) stack.push(callee);
      },
      (service) => {
        unavailable ??= `${name(service)} has no live replica`;
      },
    );
  }
  if (unavailable) return { status: 'unavailable', reason: unavailable };
  if (saturated) return { status: 'saturated', reason: saturated };
  return { status: 'ok', reason: null };
}
