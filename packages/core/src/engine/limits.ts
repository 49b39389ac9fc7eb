/**
 * Headroom and the bottleneck: the smallest traffic factor at which any resource runs out,
 * over every kind of resource a request uses — a service replica's workers (ρ), a bundle
 * replica's CPU, a database shard, a NATS server, a JetStream consumer's handlers (schema v3). Every one of them grows linearly with
 * traffic (hit rates do not depend on load), so the factor is 1 / the highest utilization.
 *
 * Shared by the analytic engine and the DES so that both name the binding constraint alike.
 */
import type { Binding, BrokerResult, BundleResult, DatabaseResult, ServiceResult } from './types.ts';

export interface Limits {
  headroom: number | null;
  bottleneck: string | null;
  binding: Binding | null;
}

export function limitsOf(
  services: Record<string, ServiceResult>,
  bundles: Record<string, BundleResult>,
  databases: Record<string, DatabaseResult>,
  brokers: readonly BrokerResult[],
  /** More constraints (schema v3: JetStream consumers, and services loaded by subscription events alone). */
  extra: readonly Binding[] = [],
): Limits {
  let binding: Binding | null = null;
  // Ties (within rounding) keep the earlier kind: a single-service bundle whose workers equal
  // its cores has ρ = CPU, and the service is the more useful name.
  const consider = (b: Binding) => {
    if (b.utilization > (binding?.utilization ?? 0) * (1 + 1e-9)) binding = b;
  };
  for (const [name, s] of Object.entries(services)) {
    if (s.arrivalRps > 0 && s.replicas > 0) {
      let zone: string | null = null;
      let top = -1;
      for (const r of s.replicasDetail)
        if (r.utilization > top) {
          top = r.utilization;
          zone = r.zone;
        }
      consider({ constraint: 'rho', resource: name, name, zone, utilization: s.utilization });
    }
  }
  // Services loaded by events alone rank with the other services (ties keep ρ before CPU).
  for (const b of extra) if (b.constraint === 'rho') consider(b);
  for (const [name, b] of Object.entries(bundles)) {
    for (const [zone, z] of Object.entries(b.zones))
      consider({ constraint: 'cpu', resource: `cpu:${name}/${zone}`, name, zone, utilization: z.cpuUtilization });
  }
  for (const [name, db] of Object.entries(databases)) {
    for (const sh of db.shards)
      consider({ constraint: 'shard', resource: `db:${name}/${sh.name}`, name: `${name}/${sh.name}`, zone: null, utilization: sh.utilization });
  }
  for (const br of brokers)
    consider({
      constraint: 'broker',
      resource: `nats:${br.cluster}/${br.server}`,
      name: `${br.cluster}/${br.server}`,
      zone: br.zone,
      utilization: br.utilization,
    });
  for (const b of extra) if (b.constraint !== 'rho') consider(b);

  // A loaded service with no live replica fails its requests at any traffic: no headroom, and
  // it is the bottleneck, whatever the utilization of the resources that remain.
  const down = Object.entries(services).find(([, s]) => s.unavailable && s.arrivalRps > 0);
  if (down)
    return { headroom: 0, bottleneck: down[0], binding: { constraint: 'unavailable', resource: down[0], name: down[0], zone: null, utilization: 0 } };
  const b = binding as Binding | null;
  if (!b) return { headroom: null, bottleneck: null, binding: null };
  return { headroom: 1 / b.utilization, bottleneck: b.resource, binding: b };
}

/** A binding constraint in a planner's words: `CPU of bundle edge in a (150 %)`. */
export function describeBinding(b: Binding): string {
  const pct = `${(b.utilization * 100).toFixed(0)} %`;
  switch (b.constraint) {
    case 'rho':
      return `workers of ${b.name}${b.zone ? ` in ${b.zone}` : ''} (ρ ${b.utilization.toFixed(2)})`;
    case 'cpu':
      return `CPU of bundle ${b.name}${b.zone ? ` in ${b.zone}` : ''} (${pct})`;
    case 'shard':
      return `database shard ${b.name} (ρ ${b.utilization.toFixed(2)})`;
    case 'broker':
      return `NATS server ${b.name} (${pct} of its limit)`;
    case 'consumer':
      return `handlers of consumer ${b.name} (ρ ${b.utilization.toFixed(2)})`;
    case 'unavailable':
      return `${b.name} has no live replica`;
  }
}
