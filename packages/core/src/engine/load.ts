/**
 * Forced flow: the arrival rate at every service, from the traffic entries down the call
 * graph (a DAG; the schema refuses cycles).
 */
import type { Topology } from '../schema/topology.ts';

/** Services in an order where every caller comes before its callees. */
export function topologicalOrder(doc: Topology): string[] {
  const indegree = new Map<string, number>(doc.services.map((s) => [s.name, 0]));
  for (const s of doc.services) {
    for (const c of s.calls) if (indegree.has(c.to)) indegree.set(c.to, (indegree.get(c.to) ?? 0) + 1);
  }
  const byName = new Map(doc.services.map((s) => [s.name, s]));
  const ready = doc.services.filter((s) => indegree.get(s.name) === 0).map((s) => s.name);
  const order: string[] = [];
  while (ready.length) {
    const name = ready.shift() as string;
    order.push(name);
    for (const c of byName.get(name)?.calls ?? []) {
      const d = indegree.get(c.to);
      if (d === undefined) continue;
      indegree.set(c.to, d - 1);
      if (d - 1 === 0) ready.push(c.to);
    }
  }
  return order;
}

/**
 * Arrival rate (requests/s) at each service and database. `hitRate` gives a cache hit rate per
 * service: a hit makes no downstream calls, so the calls of s are multiplied by (1 − h).
 */
export function serviceLoad(
  doc: Topology,
  scale = 1,
  hitRate: (service: string) => number = () => 0,
): { services: Map<string, number>; databases: Map<string, number> } {
  const services = new Map<string, number>(doc.services.map((s) => [s.name, 0]));
  const databases = new Map<string, number>(doc.databases.map((d) => [d.name, 0]));
  for (const t of doc.traffic) services.set(t.entry, (services.get(t.entry) ?? 0) + t.rps * scale);
  const byName = new Map(doc.services.map((s) => [s.name, s]));
  for (const name of topologicalOrder(doc)) {
    const svc = byName.get(name);
    const lambda = services.get(name) ?? 0;
    if (!svc || lambda === 0) continue;
    const miss = 1 - hitRate(name);
    for (const c of svc.calls) {
      const rate = lambda * miss * c.perRequest;
      if (c.to.startsWith('db:')) {
        const db = c.to.slice(3);
        databases.set(db, (databases.get(db) ?? 0) + rate);
      } else if (services.has(c.to)) {
        services.set(c.to, (services.get(c.to) ?? 0) + rate);
      }
    }
  }
  return { services, databases };
}
