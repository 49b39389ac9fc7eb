/**
 * Load along the DES's own routes: callers before callees, forced flow over the compiled
 * tables, and whether an entry can be simulated (MODEL.md §2). Part of the DES's own reading
 * of the model; it shares no code with the analytic engine.
 */
import { at } from '../checked.ts';
import type { Topology } from '../schema/topology.ts';
import { CALL_DB, CALL_SERVICE, type EntryStatus, type LoadTable, type RoutedPlan } from './plan-types.ts';

/** Services in an order where every caller comes before its callees (calls form a DAG). */
export function callerFirst(doc: Topology, index: Map<string, number>): number[] {
  const n = doc.services.length;
  const indegree = new Int32Array(n);
  for (const s of doc.services)
    for (const c of s.calls) {
      const k = index.get(c.to);
      if (k !== undefined) indegree[k] = at(indegree, k) + 1;
    }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  for (let i = ready.shift(); i !== undefined; i = ready.shift()) {
    order.push(i);
    for (const c of doc.services[i]?.calls ?? []) {
      const k = index.get(c.to);
      if (k === undefined) continue;
      indegree[k] = at(indegree, k) - 1;
      if (indegree[k] === 0) ready.push(k);
    }
  }
  return order;
}

/** Where the calls of a request at queue q go, with the share of each call landing on each queue. */
function forEachCallee(
  plan: RoutedPlan,
  q: number,
  visit: (callee: number, share: number) => void,
  dead?: (service: number, share: number) => void,
): void {
  const s = at(plan.qService, q);
  if (s < 0) return;
  const miss = 1 - at(plan.svcHitRate, s);
  if (miss <= 0) return;
  for (let st = at(plan.svcStepStart, s); st < at(plan.svcStepEnd, s); st++) {
    for (let c = at(plan.stepCallStart, st); c < at(plan.stepCallEnd, st); c++) {
      const per = miss * (at(plan.callWhole, c) + at(plan.callFrac, c));
      const kind = plan.callKind[c];
      const target = at(plan.callTarget, c);
      if (kind === CALL_SERVICE) {
        if (plan.callDead[c]) {
          dead?.(target, per);
          continue;
        }
        if (plan.callSameBundle[c]) {
          visit(at(plan.replicaQueueBase, at(plan.qReplica, q)) + at(plan.svcPos, target), per);
        } else {
          const r = target * plan.nZones + at(plan.qZone, q);
          const n = at(plan.routeCount, r);
          for (let k = 0; k < n; k++) visit(at(plan.routeQueues, at(plan.routeStart, r) + k), per / n);
        }
      } else if (kind === CALL_DB) {
        let prev = 0;
        for (let g = at(plan.dbShardStart, target); g < at(plan.dbShardEnd, target); g++) {
          visit(at(plan.shardQueue, g), per * (at(plan.shardCum, g) - prev));
          prev = at(plan.shardCum, g);
        }
      }
    }
  }
}

/** Arrival rate at every queue along the routes requests take (services in caller-first order). */
export function forcedFlow(plan: RoutedPlan, order: number[], srcRate: number[]): LoadTable {
  const rate = new Float64Array(plan.nQueues);
  const demand = new Float64Array(plan.serviceNames.length);
  const qRho = new Float64Array(plan.nQueues);
  srcRate.forEach((r, i) => {
    const entry = at(plan.entryService, at(plan.srcEntry, i));
    demand[entry] = at(demand, entry) + r * 1000;
    const route = entry * plan.nZones + at(plan.srcZone, i);
    const n = at(plan.routeCount, route);
    for (let k = 0; k < n; k++) {
      const q = at(plan.routeQueues, at(plan.routeStart, route) + k);
      rate[q] = at(rate, q) + r / n;
    }
  });
  for (const s of order) {
    for (const q of at(plan.svcQueues, s)) {
      const lambda = at(rate, q);
      if (lambda > 0)
        forEachCallee(
          plan,
          q,
          (callee, share) => {
            rate[callee] = at(rate, callee) + lambda * share;
            const t = at(plan.qService, callee);
            if (t >= 0) demand[t] = at(demand, t) + lambda * share * 1000;
          },
          (service, share) => {
            demand[service] = at(demand, service) + lambda * share * 1000;
          },
        );
    }
  }
  for (let q = 0; q < plan.nQueues; q++) {
    const s = at(plan.qService, q);
    const mean = s >= 0 ? at(plan.svcMeanOwn, s) : at(plan.dists.mean, at(plan.qDist, q));
    qRho[q] = (at(rate, q) * mean) / at(plan.qServers, q);
  }
  return { qOffered: rate, qRho, svcDemand: demand };
}

/**
 * An entry has no latency when a request can reach a saturated queue or a service with no replica.
 * `finite`: no request of it can reach a saturated queue, so each one ends (fails or succeeds) in
 * finite time and a replication can wait for all of them.
 */
export function entryStatus(
  plan: RoutedPlan & LoadTable,
  e: number,
  budgeted = false,
): { status: EntryStatus; reason: string | null; finite: boolean } {
  const svc = at(plan.entryService, e);
  const name = (s: number) => at(plan.serviceNames, s);
  if (!at(plan.svcQueues, svc).length) return { status: 'unavailable', reason: `${name(svc)} has no live replica`, finite: true };
  const seen = new Uint8Array(plan.nQueues);
  const stack: number[] = [];
  for (let i = 0; i < plan.srcEntry.length; i++) {
    if (plan.srcEntry[i] !== e) continue;
    const r = svc * plan.nZones + at(plan.srcZone, i);
    for (let k = 0; k < at(plan.routeCount, r); k++) stack.push(at(plan.routeQueues, at(plan.routeStart, r) + k));
  }
  let saturated: string | null = null;
  let unavailable: string | null = null;
  for (let q = stack.pop(); q !== undefined; q = stack.pop()) {
    if (seen[q]) continue;
    seen[q] = 1;
    const rho = at(plan.qRho, q);
    // A bounded queue is never saturated: it rejects (and its rejections fail the request, not its latency).
    // Nor is a service replica whose every request carries a time budget: it sheds by timeouts (des/budget.ts).
    if (rho >= 1 && at(plan.qLimit, q) < 0 && !(budgeted && at(plan.qService, q) >= 0) && !saturated) {
      const s = at(plan.qService, q);
      const g = at(plan.qShard, q);
      saturated =
        s >= 0
          ? `${name(s)} is saturated in ${plan.zoneNames[at(plan.qZone, q)]} (ρ ${rho.toFixed(2)})`
          : `shard ${plan.shardNames[g]} of ${plan.dbNames[at(plan.shardDb, g)]} is saturated (ρ ${rho.toFixed(2)})`;
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
  // With time budgets a call to a service with no live replica fails after its ack timeout: the others have a latency.
  if (unavailable && !budgeted) return { status: 'unavailable', reason: unavailable, finite: !saturated };
  if (saturated) return { status: 'saturated', reason: saturated, finite: false };
  return { status: 'ok', reason: null, finite: true };
}
