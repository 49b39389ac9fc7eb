/**
 * A latency budget per entry, hop by hop: where a request's time goes along its call tree
 * (own time at each service, network, databases, externals; a parallel group counts its
 * slowest member). Mean figures, laid out as a waterfall (each row starts where the time
 * before it ends); the engine's composed percentiles remain the verdict against the SLO.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { Topology } from '../schema/topology.ts';

export interface BudgetRow {
  label: string;
  kind: 'service' | 'network' | 'database' | 'external';
  depth: number;
  startMs: number;
  durationMs: number;
}

const MAX_ROWS = 60;

export function latencyBudget(doc: Topology, result: SimulationResult | null, entry: string): BudgetRow[] {
  const byName = new Map(doc.services.map((s) => [s.name, s]));
  const bundleOf = new Map<string, string>();
  for (const b of doc.bundles) for (const s of b.services) bundleOf.set(s, b.name);
  const dbs = new Map(doc.databases.map((d) => [d.name, d]));
  const exts = new Map(doc.externals.map((e) => [e.name, e]));
  const rows: BudgetRow[] = [];
  const memo = new Map<string, number>();

  /** Mean response time of a callee: its own sojourn plus its calls, with their rows from `start`. */
  const visit = (name: string, start: number, depth: number, draw: boolean): number => {
    const svc = byName.get(name);
    if (!svc) return 0;
    const r = result?.services[name];
    const own = r?.sojournMs?.mean ?? svc.serviceTimeMs;
    if (draw && rows.length < MAX_ROWS) rows.push({ label: name, kind: 'service', depth, startMs: start, durationMs: own });
    const miss = 1 - (r?.cacheHitRate ?? 0);
    let t = start + own;
    // Steps in document order; a parallel group stands where its first member stands.
    const seen = new Set<string>();
    for (const call of svc.calls) {
      if (call.parallelGroup && seen.has(call.parallelGroup)) continue;
      const group = call.parallelGroup ? svc.calls.filter((c) => c.parallelGroup === call.parallelGroup) : [call];
      if (call.parallelGroup) seen.add(call.parallelGroup);
      let longest = 0;
      for (const c of group) {
        const d = miss * c.perRequest * hop(name, c.to, t, depth + 1, draw && group.length === 1);
        longest = Math.max(longest, d);
      }
      if (group.length > 1) {
        // Draw each member of the group from the same start: they run at once.
        for (const c of group) hop(name, c.to, t, depth + 1, draw);
      }
      t += longest;
    }
    return t - start;
  };

  const hop = (from: string, to: string, start: number, depth: number, draw: boolean): number => {
    if (to.startsWith('db:')) {
      const db = dbs.get(to.slice(3));
      const net = doc.network.dbCallMs;
      const q = db?.queryTimeMs ?? 0;
      if (draw && rows.length < MAX_ROWS) {
        rows.push({ label: `→ ${to}`, kind: 'network', depth, startMs: start, durationMs: net });
        rows.push({ label: to, kind: 'database', depth, startMs: start + net, durationMs: q });
      }
      return net + q;
    }
    if (to.startsWith('ext:')) {
      const lat = exts.get(to.slice(4))?.latencyMs ?? 0;
      if (draw && rows.length < MAX_ROWS) rows.push({ label: to, kind: 'external', depth, startMs: start, durationMs: lat });
      return lat;
    }
    const net = bundleOf.get(from) === bundleOf.get(to) ? doc.network.shortCircuitMs : doc.network.natsHopMs;
    if (draw && rows.length < MAX_ROWS) rows.push({ label: `→ ${to}`, kind: 'network', depth, startMs: start, durationMs: net });
    const key = `${to}@${draw ? start : 'x'}`;
    if (!draw && memo.has(key)) return net + (memo.get(key) ?? 0);
    const d = visit(to, start + net, depth, draw);
    if (!draw) memo.set(key, d);
    return net + d;
  };

  visit(entry, 0, 0, true);
  return rows;
}
